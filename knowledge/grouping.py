"""Group similar unanswered questions so editors see "asked 7 times" rather than seven rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from knowledge.features import features
from knowledge.index import TfidfIndex

SIMILAR = 0.45


@dataclass
class Group:
    members: list[int] = field(default_factory=list)  # indexes into the input, newest first


def group_similar(texts: Sequence[str], langs: Sequence[str]) -> list[Group]:
    """Greedy grouping: each question joins the first earlier group whose first question it resembles.
    Input order is kept (pass newest first to get groups ordered by their newest question)."""
    if not texts:
        return []
    index = TfidfIndex(list(texts), list(langs))
    groups: list[Group] = []
    leader_of: dict[int, Group] = {}
    for i, text in enumerate(texts):
        scores = index.scores(features(text))
        leaders = np.array(list(leader_of), dtype=np.int64)
        if leaders.size:
            best = int(leaders[int(np.argmax(scores[leaders]))])
            if scores[best] >= SIMILAR:
                leader_of[best].members.append(i)
                continue
        group = Group([i])
        groups.append(group)
        leader_of[i] = group
    return groups
