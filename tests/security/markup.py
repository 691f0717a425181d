"""What no page may contain once the CSP forbids inline code: checks on parsed HTML."""

from __future__ import annotations

from bs4 import BeautifulSoup


def markup_problems(html: str, nonce: str | None = None) -> list[str]:
    """Inline styles, event-handler attributes, `javascript:` links, and scripts without the
    page's nonce: each would either break under the CSP or be a way in for injected code."""
    page = BeautifulSoup(html, "html.parser")
    problems = []
    if page.find("style"):
        problems.append("a <style> element")
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            if name == "style":
                problems.append(f"a style attribute on <{element.name}>")
            elif name.lower().startswith("on"):
                problems.append(f"an event handler {name} on <{element.name}>")
            elif name in ("href", "src", "action", "formaction") and str(
                value
            ).strip().lower().startswith(("javascript:", "data:text")):
                problems.append(f"a {value!r} address on <{element.name}>")
    for script in page.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue
        if nonce is None or script.get("nonce") != nonce:
            problems.append(f"a script without the page's nonce: {str(script)[:80]}")
    return problems


def nonce_of(policy: str) -> str | None:
    """The script nonce in a Content-Security-Policy header."""
    for part in policy.split(";"):
        for word in part.split():
            if word.startswith("'nonce-"):
                return word[len("'nonce-") : -1]
    return None
