"""The root-cause analysis as the case page shows it, with the geometry of its fishbone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from amends.resolution.domain import CATEGORY_LABELS, CauseKind, IshikawaCategory
from amends.resolution.models import Cause

WIDTH, HEIGHT = 760, 360
SPINE_Y = HEIGHT // 2
HEAD_X = WIDTH - 150


def analysis(causes: Iterable[Cause], problem: str) -> dict[str, Any]:
    causes = list(causes)
    whys = [c for c in causes if c.kind == CauseKind.WHY]
    grouped: dict[IshikawaCategory, list[Cause]] = {}
    for cause in causes:
        if cause.kind == CauseKind.ISHIKAWA and cause.category:
            grouped.setdefault(IshikawaCategory(cause.category), []).append(cause)
    categories = [c for c in IshikawaCategory if c in grouped]
    bones = []
    slots = max(1, (len(categories) + 1) // 2)
    step = (HEAD_X - 60) / slots
    for i, category in enumerate(categories):
        top = i % 2 == 0
        x = 60 + step * (i // 2) + step * 0.75
        end_y = 40 if top else HEIGHT - 40
        bones.append(
            {
                "label": CATEGORY_LABELS[category],
                "x1": round(x - 70),
                "y1": end_y,
                "x2": round(x),
                "y2": SPINE_Y,
                "label_x": round(x - 70),
                "label_y": end_y - 10 if top else end_y + 22,
                "causes": [
                    {
                        "text": c.text if len(c.text) <= 38 else c.text[:37] + "…",
                        "root": c.is_root,
                        "x": round(x - 70 + 70 * (j + 1) / (len(grouped[category]) + 1)) + 6,
                        "y": round(
                            end_y + (SPINE_Y - end_y) * (j + 1) / (len(grouped[category]) + 1)
                        ),
                    }
                    for j, c in enumerate(grouped[category][:4])
                ],
            }
        )
    return {
        "whys": whys,
        "groups": [(CATEGORY_LABELS[c], grouped[c]) for c in categories],
        "root": next((c for c in causes if c.is_root), None),
        "bones": bones,
        "svg": {
            "width": WIDTH,
            "height": HEIGHT,
            "spine_y": SPINE_Y,
            "head_x": HEAD_X,
            "problem": problem if len(problem) <= 24 else problem[:23] + "…",
        },
        "categories": [(c.value, CATEGORY_LABELS[c]) for c in IshikawaCategory],
    }
