"""Every text wrapped for translation has its Welsh: the texts are gathered afresh from the
code and templates (as `make translations` does), so wrapping a new text without adding its
Welsh to the catalogue fails here rather than showing English on a Welsh page."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PYBABEL = Path(sys.executable).parent / "pybabel"
WELSH = ROOT / "register" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    template = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    subprocess.run(
        [str(PYBABEL), "extract", "--mapping-file=babel.cfg", f"--output-file={template}", "."],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=120,
    )
    with template.open("rb") as file:
        return read_po(file)


@pytest.fixture(scope="module")
def welsh() -> Catalog:
    with WELSH.open("rb") as file:
        return read_po(file)


def test_the_register_has_texts_to_translate(extracted):
    texts = {message.id for message in extracted if message.id}
    assert {"Skip to main content", "Sign in", "Accessibility statement"} <= texts


def test_every_wrapped_text_has_its_welsh(extracted, welsh):
    missing = []
    for message in extracted:
        if not message.id:
            continue
        translated = welsh.get(message.id, message.context)
        if translated is None or not translated.string:
            missing.append(f"no Welsh: {message.id!r}")
        elif translated.fuzzy:
            missing.append(f"only a guess (fuzzy), to check: {message.id!r}")
    assert missing == [], "run `make translations` and fill in the Welsh:\n" + "\n".join(missing)


def _forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    # A text with plurals is a tuple: English's singular and plural, or Welsh's six forms.
    return text if isinstance(text, tuple) else (text,)


def test_each_welsh_text_keeps_the_placeholders_of_its_english(welsh):
    different = []
    for message in welsh:
        if not message.id or not message.string:
            continue
        english = set().union(*(PLACEHOLDER.findall(form) for form in _forms(message.id)))
        for form in _forms(message.string):
            if set(PLACEHOLDER.findall(form)) != english:
                different.append((message.id, form))
    assert different == []


def test_a_welsh_text_with_plurals_has_all_six_forms(welsh):
    plurals = [message for message in welsh if message.id and isinstance(message.id, tuple)]
    assert plurals, "the catalogue has texts with plurals"
    assert [m.id for m in plurals if len(m.string) != 6 or not all(m.string)] == []


def test_the_compiled_catalogue_is_not_kept_in_the_repository():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "*.mo" in ignored
