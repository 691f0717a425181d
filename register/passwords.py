"""How guessable a new password is: zxcvbn estimates it, and the register refuses the
passwords attackers try first (common ones, keyboard walks, repeats, the person's own name
or address), while a few unrelated words pass easily."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

# zxcvbn's score runs from 0 (among the most common passwords) to 4; 3 holds out against an
# attacker who has stolen the hashes for a good while ("safely unguessable").
MIN_PASSWORD_SCORE = 3
# zxcvbn reads at most this many characters; a longer password is judged by its start.
ZXCVBN_MAX_LENGTH = 72
# zxcvbn keeps the words it is given about the person in a module-wide dictionary, so two
# threads must not estimate at once.
_zxcvbn_lock = threading.Lock()


def guessability_problem(password: str, about_the_person: Iterable[str] = ()) -> str | None:
    """Why `password` is too easy to guess, in words to show beside the field, or None.

    `about_the_person` (their email address, their name) counts as easy to guess too.
    """
    words = {
        part
        for text in about_the_person
        if text
        for part in (text, *re.split(r"[\s@.+_-]+", text))
        if len(part) > 2
    }
    # Imported when a password is first judged, not with the register: its word lists add
    # 13 MB to every web worker, and most workers never see a password.
    from zxcvbn import zxcvbn

    with _zxcvbn_lock:
        estimate = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=sorted(words))
    if estimate["score"] >= MIN_PASSWORD_SCORE:
        return None
    feedback = estimate["feedback"]
    advice = [text for text in (feedback["warning"], *feedback["suggestions"]) if text]
    if any(match.get("dictionary_name") == "user_inputs" for match in estimate["sequence"]):
        advice.insert(0, "Avoid your own name and email address.")
    hint = " ".join(advice or ["Add another word or two. Uncommon words are better."])
    return f"Choose a password that is harder to guess: {hint[:1].lower()}{hint[1:]}"
