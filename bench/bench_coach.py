"""The reply coach's speed: draft replies checked per second on one core.

    python bench/bench_coach.py                      # 400 replies, 5 passes
    python bench/bench_coach.py --replies 1000 --passes 3

Customer messages are real complaints of 200+ characters (nearly all CFPB narratives, some
X-CI tweets), read at run time from ``../shared/data``; generated text without them, see
``texts.py``. For each one a draft reply is built deterministically (seeded) from the
customer's own words and a pool of reply sentences, good and bad, from a two-line note to a
long letter (3 to 40 sentences), so every check has work to do. The process is pinned to one
CPU where the OS allows it.

The first pass runs with cold caches (stems and syllables not yet seen); later passes show the
steady state of a long-running web process. Prints a table and writes
``bench/results/coach.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from common import REPO, RESULTS
from sysstats import machine
from texts import load_samples

sys.path.insert(0, str(REPO / "src"))

TARGET_PER_S = 200

GREETINGS = ["Dear Ms Patel,", "Hello Mr Evans,", "Hi Sam,", "Dear customer,", "Good afternoon,"]
GOOD = [
    "Thank you for getting in touch and for your patience.",
    "That must have been really stressful.",
    "I can understand how frustrating it is to chase this again and again.",
    "I am sorry that we did not get this right the first time.",
    "We apologise for the delay in replying to you.",
    "I have refunded the £{amount} to your account today.",
    "We will credit £{amount} to cover the extra costs you had.",
    "Our engineer will visit on {day} between 8am and 1pm.",
    "I will call you by {day} to check everything is sorted.",
    "You will receive the corrected statement within {n} working days.",
    "I have asked our billing team to remove the late fee, and they have confirmed it.",
    "If anything else goes wrong, reply to this email and it will come straight to me.",
]
WEAK = [
    "We are looking into your complaint.",
    "We will be in touch as soon as possible.",
    "We are sorry if you feel let down.",
    "We regret any inconvenience this may have caused.",
    "Your ticket has been escalated to tier 2 as per our escalation matrix.",
    "Pursuant to the aforementioned terms, the charge was applied correctly.",
    "As previously stated, company policy does not allow a refund in these circumstances.",
    "You should have checked your statement before contacting us.",
    "Unfortunately there is nothing further we can do at this point in time.",
    "Following a thorough review of the circumstances surrounding the administration of your "
    "account, including correspondence and call recordings, we have concluded that the correct "
    "procedures were followed throughout.",
]
SIGNOFFS = ["Kind regards,\nSam", "Best wishes,\nPriya", "Regards,\nCustomer Relations"]
DAYS = ["Friday", "Monday 8 December", "Tuesday", "3 December", "Thursday 11 December"]


def _restate(customer: str, rng: random.Random) -> str:
    words = customer.split()
    start = rng.randrange(0, max(1, len(words) - 14))
    clause = " ".join(words[start : start + rng.randint(8, 14)]).strip(" .,;:!?")
    return (
        f"{rng.choice(['You told us that', 'I understand that', 'You explained that'])} {clause}."
    )


def build_reply(customer: str, rng: random.Random) -> str:
    size = rng.choice([3, 5, 8, 12, 20, 40])
    pool = GOOD if rng.random() < 0.7 else GOOD + WEAK * 2
    filled = [
        rng.choice(pool).format(
            amount=f"{rng.randint(5, 400)}.{rng.randint(0, 99):02d}",
            day=rng.choice(DAYS),
            n=rng.randint(2, 10),
        )
        for _ in range(size - 1)
    ]
    filled.insert(rng.randrange(0, 3), _restate(customer, rng))
    paragraphs = [" ".join(filled[i : i + 3]) for i in range(0, len(filled), 3)]
    return "\n\n".join([rng.choice(GREETINGS), *paragraphs, rng.choice(SIGNOFFS)])


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def run(replies: int, passes: int, seed: int) -> dict[str, Any]:
    from amends.comms.coach import check_reply

    samples, source = load_samples(seed)
    # Complaint narratives rather than one-line tweets where there are enough of them.
    long_enough = [s for s in samples if len(s.text) >= 200]
    if len(long_enough) >= replies:
        samples = long_enough
        source += f"; the {len(long_enough)} of 200+ characters"
    rng = random.Random(seed)
    customers = [s.text for s in rng.sample(samples, min(replies, len(samples)))]
    while len(customers) < replies:
        customers.append(rng.choice(samples).text)
    pairs = [(build_reply(c, rng), c) for c in customers]
    per_pass = []
    latencies: list[float] = []
    scores: list[int] = []
    for n in range(passes):
        began = time.perf_counter()
        for reply, customer in pairs:
            t0 = time.perf_counter()
            report = check_reply(reply, customer)
            if n:
                latencies.append(time.perf_counter() - t0)
            else:
                scores.append(report.score)
        per_pass.append(len(pairs) / (time.perf_counter() - began))
    latencies.sort()
    reply_chars = [len(r) for r, _ in pairs]
    return {
        "source": source,
        "replies": len(pairs),
        "passes": passes,
        "reply_chars": {
            "min": min(reply_chars),
            "median": int(statistics.median(reply_chars)),
            "max": max(reply_chars),
        },
        "customer_chars_median": int(statistics.median(len(c) for _, c in pairs)),
        "cold_per_s": per_pass[0],
        "warm_per_s": statistics.median(per_pass[1:]) if passes > 1 else per_pass[0],
        "warm_p50_ms": latencies[len(latencies) // 2] * 1000 if latencies else None,
        "warm_p95_ms": latencies[int(len(latencies) * 0.95)] * 1000 if latencies else None,
        "score_mean": statistics.mean(scores),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replies", type=int, default=400)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default=str(RESULTS / "coach.json"))
    args = parser.parse_args(argv)
    pinned = pin_one_core()
    result = run(args.replies, max(1, args.passes), args.seed)
    result.update(pinned=pinned, machine=machine(), target_per_s=TARGET_PER_S)
    print(f"reply coach, {result['replies']} replies ({pinned}); {result['source']}")
    print(
        f"reply length {result['reply_chars']['min']}-{result['reply_chars']['max']} characters "
        f"(median {result['reply_chars']['median']}), customer message median "
        f"{result['customer_chars_median']}"
    )
    print("| pass | replies/s | p50 ms | p95 ms | target |")
    print("|---|---:|---:|---:|---:|")
    print(f"| first (cold caches) | {result['cold_per_s']:.0f} | | | {TARGET_PER_S} |")
    print(
        f"| later (median of {args.passes - 1}) | {result['warm_per_s']:.0f} "
        f"| {result['warm_p50_ms'] or 0:.2f} | {result['warm_p95_ms'] or 0:.2f} "
        f"| {TARGET_PER_S} |"
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    met = min(result["cold_per_s"], result["warm_per_s"]) >= TARGET_PER_S
    print(f"target {TARGET_PER_S} replies/s: {'met' if met else 'NOT met'}")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
