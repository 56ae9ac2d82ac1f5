"""Text primitives for the reply coach: sentences, words, stems and syllables.

Pure Python (plus ``pyphen``'s hyphenation dictionary); everything compiled once at import and
per-word results cached, so checking a reply costs a few hundred microseconds.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyphen  # type: ignore[import-untyped]

_HYPHENATOR = pyphen.Pyphen(lang="en_GB")

# A line break ends a sentence when the line ends in punctuation, or is short (a greeting, a
# sign-off, a heading) and the next line does not carry on in lower case; otherwise the draft is
# hard-wrapped and the sentence carries on.
_SHORT_LINE = 45
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d{1,2}[.)])\s+")
_PARAGRAPHS = re.compile(r"\n\s*\n")
_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"')\]\u201d\u2019]*\s+(?=[\"'(\[\u201c\u2018]?[A-Z0-9\u00a3$])"
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|st|no|ref|approx|e\.g|i\.e|etc|vs|inc|ltd|co|jan|feb|mar|apr|jun|jul"
    r"|aug|sep|sept|oct|nov|dec|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.|\b[A-Z]\.)$",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_NUMBER_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*|\d+(?:[.,:/]\d+)*")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each even ever every few for from further get gets getting
    got had hadn't has hasn't have haven't having he her here hers herself him himself his how i
    i'd i'll i'm i've if in into is isn't it it's its itself just know let let's like made make
    many may me might more most much must mustn't my myself need no nor not now of off on once one
    only or other ought our ours ourselves out over own please really said same say says see seem
    seems shall she should shouldn't since so some still such take than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've thing
    things this those though through to too told under until up upon us use used very via want
    wanted was wasn't way we we'd we'll we're we've well were weren't what what's when where
    which while who whom why will with within without won't would wouldn't yet you you'd you'll
    you're you've your yours yourself yourselves dear hello hi regards thanks thank sorry
    kind sincerely yes okay ok today tomorrow yesterday time times day days week weeks month
    months year years back tell asked ask again going go went come came call called""".split()  # noqa: SIM905
)

_SUFFIXES = (
    "ingly", "edly", "ations", "ation", "ments", "ment", "ness", "ions", "ion", "ings", "ing",
    "ies", "ied", "ers", "er", "ed", "es", "ly", "s",
)  # fmt: skip
_DOUBLE = re.compile(r"([bdfglmnprt])\1$")


_CONTRACTIONS = (
    (re.compile(r"\bcan't\b"), "cannot"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"'s been\b"), " has been"),
    (re.compile(r"\b(that|it|this|there|here|what|who|where|everything|nothing)'s\b"), r"\1 is"),
)


def normalise(text: str) -> str:
    """Straight quotes, so that patterns need to know only one apostrophe."""
    return text.translate(_QUOTES)


def for_matching(sentence: str) -> str:
    """The sentence as the phrase patterns read it: lower case, straight apostrophes, and
    contractions spelt out ("we'll" is "we will", "didn't" is "did not")."""
    low = normalise(sentence).lower()
    if "'" in low:
        for pattern, replacement in _CONTRACTIONS:
            low = pattern.sub(replacement, low)
    return low


def _lines_to_sentences(paragraph: str) -> list[str]:
    lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
    pieces: list[str] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        if _BULLET.match(line) and current:
            pieces.append(" ".join(current))
            current = []
        current.append(line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        carries_on = following[:1].islower()
        if line[-1] in ".!?:;," or (len(line) < _SHORT_LINE and not carries_on):
            pieces.append(" ".join(current))
            current = []
    if current:
        pieces.append(" ".join(current))
    return pieces


def sentences(text: str) -> list[str]:
    """The draft's sentences in order, whitespace collapsed. Greetings, sign-offs and list items
    count as sentences of their own; ``Mr.``, ``e.g.`` and initials do not end one."""
    out: list[str] = []
    for paragraph in _PARAGRAPHS.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        for block in _lines_to_sentences(paragraph):
            parts = _BOUNDARY.split(block)
            merged: list[str] = []
            for part in parts:
                if merged and _ABBREVIATION.search(merged[-1]):
                    merged[-1] = f"{merged[-1]} {part}"
                else:
                    merged.append(part)
            out.extend(s for s in (_SPACE.sub(" ", m).strip() for m in merged) if s)
    return out


def words(text: str) -> list[str]:
    """Lower-case words (apostrophes kept: ``don't``), numbers left out."""
    return _WORD.findall(normalise(text).lower())


def counted_words(sentence: str) -> list[str]:
    """Words and numbers as a reader meets them, for sentence length and reading ease."""
    return _NUMBER_WORD.findall(sentence)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stem: ``charged``, ``charges`` and ``charging`` meet at
    ``charg``; ``cancelled`` and ``cancel`` at ``cancel``. Good enough for overlap, not for
    linguistics."""
    word = word.lower().removesuffix("'s").replace("'", "")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    word = _DOUBLE.sub(r"\1", word)
    if len(word) > 3 and word[-1] in "ey":
        word = word[:-1]
    return word


def content_stems(text: str) -> set[str]:
    """The stems of the words that carry meaning: no stop words, nothing shorter than three."""
    return {stem(w) for w in words(text) if len(w) >= 3 and w not in STOP_WORDS}


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_SILENT_E = re.compile(r"[^aeiouyl]e$|[^aeiouy]es$|[^aeiouydt]ed$")


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Syllables in ``word``: hyphenation points plus one, or the vowel groups (less a silent
    final e) where the dictionary leaves short words unsplit ("area", "every"). Numbers count one.
    """
    if not word.isalpha():
        return 1
    word = word.lower()
    hyphenated = len(_HYPHENATOR.positions(word)) + 1
    vowels = len(_VOWEL_GROUPS.findall(word)) - (1 if _SILENT_E.search(word) else 0)
    return max(hyphenated, vowels, 1)


def reading_ease(sentence_words: list[list[str]]) -> float:
    """Flesch reading ease over sentences given as word lists: 206.835 - 1.015 x words per
    sentence - 84.6 x syllables per word. 60 and above is plain English."""
    counted = [ws for ws in sentence_words if ws]
    total = sum(len(ws) for ws in counted)
    if not total:
        return 100.0
    syll = sum(syllables(w) for ws in counted for w in ws)
    return 206.835 - 1.015 * (total / len(counted)) - 84.6 * (syll / total)
