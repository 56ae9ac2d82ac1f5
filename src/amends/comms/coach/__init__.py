"""The reply coach: checks a handler's draft reply against the customer's last message.

``check_reply(text, customer_message)`` runs nine checks, in this order, each giving whether it
passed, the sentence that shows it, and one line of advice:

==================  ======  ====================================================================
check               weight  passes when
==================  ======  ====================================================================
paraphrase          15      a sentence restates the customer's problem: a restating cue ("you
                            told us", "I understand that you", "you were charged") with at least
                            two content words from their message, or, without a cue, a sentence
                            about "you" sharing four content words (half its own) with it
empathy             10      acknowledges the impact ("that must have been stressful")
apology             10      a sincere apology that owns something ("I am sorry that we ...",
                            "we apologise for ..."); conditional or impersonal ones fail it
solution            15      a concrete action done or promised ("we have refunded", "our
                            engineer will replace"); "we will look into it" is not one
next_steps_dated    15      someone does something by a date ("I will call you by Friday",
                            "within 5 working days", "on 3 December")
thanks              5       thanks the customer ("thanks to the delay" is not thanks)
plain_language      10      reading ease 50+, sentences at most 35 words (22 on average), no
                            jargon ("pursuant", "as per", "SLA", "support ticket")
no_blame            10      nothing blames the customer ("you should have", "you failed to")
tone                10      nothing defensive or dismissive ("as previously stated", "company
                            policy", "we cannot be held responsible")
==================  ======  ====================================================================

The score is the sum of the passed checks' weights (all passed: 100), capped at 50 when the draft
blames the customer or is defensive: one such sentence spoils an otherwise good letter.

Decisions:
- Apologies that hedge or do not own anything fail: "sorry if you feel", "sorry you feel",
  "sorry for any inconvenience", "we regret any inconvenience this may have caused", "sorry you
  were disappointed", and "sorry, but ...". "Sorry to hear" is sympathy: it counts for empathy,
  not as an apology. "I'm sorry you've had to chase us" counts: it is sorry for what happened.
- With no customer message, paraphrase cannot be compared: it passes only on an explicit
  restating cue over a substantial clause, and the advice says there was nothing to compare.
- "I understand" or "I understand your concerns" alone is not a paraphrase; "thanks to the
  delay" is not thanks; "you should have received" and "you should have been told" do not blame
  the customer; "£5 per month" and "train ticket" are not jargon.
- Evidence is the sentence as written (whitespace collapsed): for the positive checks the one
  that passes; for no_blame, tone and plain_language the offending one when failing; else None.

Pure Python; patterns compiled once at import (``rules.py``), words and syllables cached
(``text.py``). No network, no randomness: the same draft always gets the same report.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from amends.comms.coach import rules
from amends.comms.coach.text import (
    content_stems,
    counted_words,
    for_matching,
    reading_ease,
    sentences,
)

CHECK_IDS = (
    "paraphrase",
    "empathy",
    "apology",
    "solution",
    "next_steps_dated",
    "thanks",
    "plain_language",
    "no_blame",
    "tone",
)
WEIGHTS = {
    "paraphrase": 15,
    "empathy": 10,
    "apology": 10,
    "solution": 15,
    "next_steps_dated": 15,
    "thanks": 5,
    "plain_language": 10,
    "no_blame": 10,
    "tone": 10,
}
CAP_WHEN_HOSTILE = 50
MIN_READING_EASE = 50.0
MAX_SENTENCE_WORDS = 35
MAX_AVERAGE_WORDS = 22.0

_FUTURE = re.compile(r"\b(?:will|'ll|shall|going to)\b")
_YOU = re.compile(r"\byou(?:r|rs|'ve|'re|'d)?\b")
_REFUSED_FUTURE = re.compile(r"\b(?:will not|won't|cannot|can't|unable to|not be able)\b")


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    passed: bool
    evidence: str | None
    advice: str


@dataclass(frozen=True, slots=True)
class CoachReport:
    score: int
    checks: tuple[Check, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "checks": [asdict(c) for c in self.checks]}

    def check(self, check_id: str) -> Check:
        return next(c for c in self.checks if c.id == check_id)


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str
    low: str


def _first(found: list[_Sentence], pattern: re.Pattern[str]) -> _Sentence | None:
    return next((s for s in found if pattern.search(s.low)), None)


def _paraphrase(found: list[_Sentence], customer_message: str) -> Check:
    customer = content_stems(customer_message)
    if not customer:
        for s in found:
            if rules.RESTATE.search(s.low) and len(content_stems(s.low)) >= 4:
                return Check(
                    "paraphrase",
                    True,
                    s.text,
                    "There was no customer message to compare with; this sentence restates "
                    "their problem. Check it matches what they said.",
                )
        return Check(
            "paraphrase",
            False,
            None,
            "There is no customer message to compare with: start by saying back the problem in "
            'your own words ("You told us that ...").',
        )
    best: tuple[int, _Sentence] | None = None
    for s in found:
        own = content_stems(s.low)
        shared = len(own & customer)
        cue = rules.RESTATE.search(s.low) is not None
        restates = (cue and shared >= 2) or (
            not cue
            and shared >= 4
            and shared * 2 >= len(own)
            and _YOU.search(s.low) is not None
            and _FUTURE.search(s.low) is None
        )
        if restates and (best is None or shared + 2 * cue > best[0]):
            best = (shared + 2 * cue, s)
    if best is not None:
        return Check(
            "paraphrase",
            True,
            best[1].text,
            "You say back the customer's problem, so they know they were heard.",
        )
    return Check(
        "paraphrase",
        False,
        None,
        "Say back the customer's problem in your own words, with its details "
        '("You told us that you were charged twice for ...").',
    )


def _positive(
    check_id: str, found: list[_Sentence], pattern: re.Pattern[str], good: str, missing: str
) -> Check:
    hit = _first(found, pattern)
    if hit is None:
        return Check(check_id, False, None, missing)
    return Check(check_id, True, hit.text, good)


def _apology(found: list[_Sentence]) -> Check:
    hedged = False
    for s in found:
        if rules.NON_APOLOGY.search(s.low):
            hedged = hedged or "sorry to" not in s.low
            continue
        if rules.APOLOGY.search(s.low):
            return Check(
                "apology",
                True,
                s.text,
                "A sincere apology that owns what went wrong.",
            )
    if hedged:
        return Check(
            "apology",
            False,
            None,
            'Own the apology: "sorry if you feel" or "any inconvenience" sounds like no '
            'apology at all. Say what you are sorry for ("I am sorry that we ...").',
        )
    return Check(
        "apology",
        False,
        None,
        'Apologise for what went wrong, in plain words ("I am sorry that we ...").',
    )


def _next_steps(found: list[_Sentence]) -> Check:
    vague = False
    for s in found:
        actor = rules.DATED_ACTOR.search(s.low)
        if actor is None:
            continue
        if rules.WHEN.search(s.low) and not _REFUSED_FUTURE.search(s.low):
            return Check(
                "next_steps_dated",
                True,
                s.text,
                "The customer knows who does what next, and by when.",
            )
        vague = vague or rules.VAGUE_WHEN.search(s.low) is not None
    if vague:
        advice = (
            'Replace "as soon as possible" or "shortly" with a date: say who will do what '
            'by when ("I will call you by Friday 5 December").'
        )
    else:
        advice = 'Say who will do what next, and by when ("I will call you by Friday").'
    return Check("next_steps_dated", False, None, advice)


def _thanks(found: list[_Sentence]) -> Check:
    for s in found:
        if rules.THANKS.search(rules.NOT_THANKS.sub(" ", s.low)):
            return Check("thanks", True, s.text, "You thank the customer for getting in touch.")
    return Check(
        "thanks",
        False,
        None,
        "Thank the customer, for raising it or for their patience.",
    )


def _plain_language(found: list[_Sentence]) -> Check:
    lengths = [counted_words(s.text) for s in found]
    for s in found:
        term = rules.JARGON.search(s.low) or rules.JARGON_CASED.search(s.text)
        if term:
            return Check(
                "plain_language",
                False,
                s.text,
                f'Say "{term.group(0)}" in everyday words; the customer may not know it.',
            )
    counted = [ws for ws in lengths if ws]
    if not counted:
        return Check("plain_language", True, None, "Nothing to measure yet.")
    ease = reading_ease(counted)
    average = sum(len(ws) for ws in counted) / len(counted)
    longest = max(range(len(found)), key=lambda i: len(lengths[i]))
    if len(lengths[longest]) > MAX_SENTENCE_WORDS:
        return Check(
            "plain_language",
            False,
            found[longest].text,
            f"This sentence has {len(lengths[longest])} words: split it; aim for under 20.",
        )
    if ease < MIN_READING_EASE or average > MAX_AVERAGE_WORDS:
        worst = min(
            (i for i in range(len(found)) if len(lengths[i]) >= 6),
            key=lambda i: reading_ease([lengths[i]]),
            default=longest,
        )
        return Check(
            "plain_language",
            False,
            found[worst].text,
            f"Hard to read (reading ease {ease:.0f}, {average:.0f} words a sentence): use "
            "shorter sentences and everyday words, starting with this one.",
        )
    return Check(
        "plain_language",
        True,
        None,
        f"Reads plainly: reading ease {ease:.0f}, {average:.0f} words a sentence.",
    )


def _negative(
    check_id: str, found: list[_Sentence], pattern: re.Pattern[str], fine: str, advice: str
) -> Check:
    hit = _first(found, pattern)
    if hit is None:
        return Check(check_id, True, None, fine)
    return Check(check_id, False, hit.text, advice)


def check_reply(text: str, customer_message: str = "") -> CoachReport:
    """Check a draft reply against the customer's last message; see the module's docstring."""
    found = [_Sentence(s, for_matching(s)) for s in sentences(text)]
    checks = (
        _paraphrase(found, customer_message),
        _positive(
            "empathy",
            [s for s in found if not rules.NOT_EMPATHY.search(s.low)],
            rules.EMPATHY,
            "You acknowledge how this affected the customer.",
            'Acknowledge how this affected them ("That must have been stressful").',
        ),
        _apology(found),
        _positive(
            "solution",
            found,
            rules.SOLUTION,
            "A concrete action that puts things right.",
            'Say what you have done or will do to put it right ("We have refunded the £40").',
        ),
        _next_steps(found),
        _thanks(found),
        _plain_language(found),
        _negative(
            "no_blame",
            found,
            rules.BLAME,
            "Nothing in the reply blames the customer.",
            "This sentence blames the customer: explain what happens now instead.",
        ),
        _negative(
            "tone",
            found,
            rules.DEFENSIVE,
            "The tone is open, not defensive.",
            "This sounds defensive or dismissive: say what you can do rather than what you cannot.",
        ),
    )
    score = sum(WEIGHTS[c.id] for c in checks if c.passed)
    if not (checks[7].passed and checks[8].passed):
        score = min(score, CAP_WHEN_HOSTILE)
    return CoachReport(score=score, checks=checks)


__all__ = ["CHECK_IDS", "WEIGHTS", "Check", "CoachReport", "check_reply"]
