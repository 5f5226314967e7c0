"""The TF-IDF index on its own: scores by shared features, unknown features lengthen the question,
an empty index answers with nothing."""

from __future__ import annotations

import numpy as np

from knowledge.features import features
from knowledge.index import TfidfIndex

TEXTS = ["where can i get free condoms", "the condom broke what now", "i need a lawyer for my papers"]


def test_the_closest_text_scores_highest() -> None:
    index = TfidfIndex(TEXTS, ["en"] * len(TEXTS))
    scores = index.scores(features("condom broke"))
    assert int(np.argmax(scores)) == 1
    assert scores[2] < scores[1] / 4


def test_words_the_index_never_saw_make_a_match_weaker() -> None:
    index = TfidfIndex(TEXTS, ["en"] * len(TEXTS))
    plain = index.scores(features("lawyer papers"))[2]
    padded = index.scores(features("lawyer papers qwzx vbnm plokij"))[2]
    assert 0 < padded < plain


def test_nothing_known_scores_zero_everywhere() -> None:
    index = TfidfIndex(TEXTS, ["en"] * len(TEXTS))
    assert not index.scores(features("qwzx vbnm")).any()
    assert TfidfIndex([], []).scores(features("condom")).shape == (0,)
