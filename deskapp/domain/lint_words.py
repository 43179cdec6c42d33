"""Splitting note text into words, and telling words that say something from filler.

Shared by the vague-text and warning rules of handoff lint. Pure Python. Notes are written in
many languages: only English filler is known, so words of other languages count as content,
and a script written without spaces (Chinese, Japanese, Thai) counts one word per two
characters — erring towards letting a real note through.
"""

from __future__ import annotations

import re

# Letters and digits, with inner apostrophes, hyphens and dots kept ("don't", "5512-8830").
_WORD = re.compile(r"[^\W_]+(?:['’.\-/][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_UNSPACED_SCRIPT = re.compile(
    r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)

# English function words: they carry grammar, not facts.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours out
    over own same she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yet ok okay pls please thanks thank re via per
    i'm i've he's she's it's they're we're don't doesn't didn't isn't wasn't won't can't""".split()  # noqa: SIM905 - a word list reads as prose
)

# Words that sound like work but say nothing the next rep can act on: a text made only of these
# (and function words) is a placeholder, however it is phrased ("had a look, all good").
VAGUE_WORDS = frozenset(
    """look looked looking looks check checked checking checks done work working worked works
    handle handled handling deal dealt dealing sort sorted sorting investigate investigated
    investigating investigation review reviewed reviewing pending ongoing progress note noted
    notes issue issues problem problems thing things stuff case ticket customer customers
    client caller query request tbd tba todo n/a nothing none nil usual update updated updates
    updating info information fyi fine good great asap soon later follow followed following
    followup follow-up etc misc various general everything anything something attended taken
    take took care waiting wait awaiting keep eye get got back need needed needs necessary
    required spoke speak talked talk contacted contact helped assisted advised told informed
    aware standard normal change changes changed new status situation details detail
    accordingly appropriately action actions actioned resolve resolved fix fixed complete
    completed finished matter whatever relevant usual will shall going gonna try tried trying
    see seen sure yeah alright bit lot still cust cx steps step process procedure agent
    time times day days week weeks today""".split()  # noqa: SIM905 - a word list reads as prose
)

# Words that point at another place instead of saying it ("see above", "same as last time").
REFERENCE_WORDS = frozenset(
    """above below before previous previously earlier last prior history thread attached
    attachment attachments discussed again same yesterday refer see""".split()  # noqa: SIM905 - a word list reads as prose
)


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, in order."""
    return [_POSSESSIVE.sub("", w.lower()) for w in _WORD.findall(text)]


def is_content(word: str) -> bool:
    """Does this word say something: not a function word, and at least three letters, or a
    reference of three digits or more ("5512-8830", "REV-88")?"""
    if word in STOP_WORDS:
        return False
    letters = sum(ch.isalpha() for ch in word)
    digits = sum(ch.isdigit() for ch in word)
    return letters >= 3 or digits >= 3 or (letters > 0 and digits > 0 and len(word) >= 3)


def content_count(text: str) -> int:
    """How many words of ``text`` say something (unspaced scripts: one per two characters)."""
    count = 0
    for word in words(text):
        unspaced = len(_UNSPACED_SCRIPT.findall(word))
        if unspaced:
            count += max(1, unspaced // 2)
        elif is_content(word):
            count += 1
    return count


def specific_count(text: str) -> int:
    """Content words that are neither filler nor pointers elsewhere: the facts in the text."""
    count = 0
    for word in words(text):
        unspaced = len(_UNSPACED_SCRIPT.findall(word))
        if unspaced:
            count += max(1, unspaced // 2)
        elif is_content(word) and word not in VAGUE_WORDS and word not in REFERENCE_WORDS:
            count += 1
    return count


def points_elsewhere(text: str) -> bool:
    return any(word in REFERENCE_WORDS for word in words(text))
