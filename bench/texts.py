"""Realistic case text for seeding and for the load generator.

Real complaint text is read at run time from the shared public data sets when they are there
(``../shared/data``: the CFPB consumer complaint sample and the X-CI complaint tweets; see
docs/benchmarks.md for their sources). Nothing is copied into the repository. Without them, text
is generated from templates, so the benchmarks still run on a fresh clone.
"""

from __future__ import annotations

import csv
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

from common import REPO

SHARED_DATA = Path(os.environ.get("AMENDS_SHARED_DATA", REPO.parent / "shared" / "data"))
CFPB = SHARED_DATA / "cfpb_full_schema_sample_2019_2020" / "complaints_sample.csv"
TWEETS = SHARED_DATA / "complaint_tweets_xci" / "train.csv"
MAX_CHARS = 1500

_HANDLE = re.compile(r"(^|\s)@\w+")
_SPACE = re.compile(r"\s+")
_EDGES = "\"'()[]{}<>,.;:!?*"
# Words too common to be what an agent would search for.
# (PostgreSQL's English stop words among them match nothing there.)
STOP = frozenset(
    """about above after again against their theirs there these those which while would could
    should because before being below between other under until where whose yours yourself
    yourselves ourselves itself himself herself myself themselves having doing during further
    through ought""".split()  # noqa: SIM905 (a word list reads better as text)
)


@dataclass(frozen=True)
class Sample:
    text: str
    product: str
    complaint: bool


def _clip(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= MAX_CHARS:
        return text
    return text[:MAX_CHARS].rsplit(" ", 1)[0] + "..."


def _cfpb() -> list[Sample]:
    if not CFPB.exists():
        return []
    out = []
    with CFPB.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = (row.get("Consumer complaint narrative") or "").strip()
            if len(text) >= 40:
                product = row.get("Sub-product") or row.get("Product") or ""
                out.append(Sample(_clip(text), product[:200], True))
    return out


def _tweets() -> list[Sample]:
    if not TWEETS.exists():
        return []
    out = []
    with TWEETS.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = _HANDLE.sub(" ", row.get("tweet") or "").strip()
            if len(text) >= 20:
                domain = (row.get("domain") or "").replace("_", " ")
                out.append(Sample(_clip(text), domain[:200], row.get("label") == "1"))
    return out


_OPENINGS = [
    "I am writing to complain about",
    "I want to raise a problem with",
    "Nobody has been able to help me with",
    "For the third time I am chasing",
    "Please can someone look into",
    "I am very unhappy with",
]
_SUBJECTS = [
    "my broadband connection, which drops every evening",
    "a refund for a cancelled order that never arrived",
    "the boiler repair that was booked for last Tuesday",
    "an unexpected charge on my monthly statement",
    "the rude way I was spoken to in your Leeds branch",
    "a letter sent to my old address after I moved",
    "the mortgage payment holiday I was promised",
    "a parcel marked as delivered that I never received",
    "my energy bill, which doubled without explanation",
    "the damp and mould in my flat that keeps coming back",
]
_ENDINGS = [
    "I expect an apology and the money back.",
    "I have called four times and been cut off twice.",
    "This has caused me real stress and I want it fixed.",
    "Please call me back before Friday.",
    "I will go to the ombudsman if this is not resolved.",
    "Your website says this should take five days; it has been a month.",
]
_PRODUCTS = ["broadband", "energy", "mortgage", "current account", "insurance", "repairs"]


def _generated(rng: random.Random, count: int = 3000) -> list[Sample]:
    out = []
    for _ in range(count):
        text = (
            f"{rng.choice(_OPENINGS)} {rng.choice(_SUBJECTS)}. {rng.choice(_ENDINGS)} "
            f"{rng.choice(_ENDINGS)}"
        )
        out.append(Sample(text, rng.choice(_PRODUCTS), True))
    return out


def load_samples(seed: int = 7) -> tuple[list[Sample], str]:
    """The text pool and a line naming where it came from."""
    samples = _cfpb() + _tweets()
    if samples:
        return samples, f"{len(samples)} texts from {SHARED_DATA} (CFPB sample and X-CI tweets)"
    return _generated(random.Random(seed)), "generated text (shared data sets not found)"


def search_word(text: str, rng: random.Random) -> str | None:
    """A word of the text an agent might search for (five letters or more, not a stop word)."""
    # Whole words only: the two databases' parsers read "a/b", "x.com" or "e-mail" differently.
    words = [w.strip(_EDGES) for w in text.lower().split()]
    words = [w for w in words if w.isascii() and w.isalpha() and len(w) >= 5]
    words = [w for w in words if w not in STOP and "xx" not in w]
    return rng.choice(words) if words else None
