"""Turn normalised text into sparse features: whole words and character n-grams.

Character n-grams inside words make matching robust to typos, missing letters and word endings
(plurals, conjugations) in every language, and work for Thai, which has no spaces between words.
"""

from __future__ import annotations

from collections import Counter

from knowledge.normalize import has_thai, normalize

NGRAM_SIZES = (3, 4)
WORD_WEIGHT = 1.6  # a whole-word hit says more than a shared fragment


def features(text: str) -> Counter[str]:
    """Feature counts of `text` (raw user text; normalised here)."""
    counts: Counter[str] = Counter()
    for word in normalize(text).split():
        # A Thai "word" is a whole phrase (no spaces): as a feature it would never match.
        if len(word) > 1 and not word.isdigit() and not has_thai(word):
            counts["w " + word] += 1
        padded = f" {word} "
        for size in NGRAM_SIZES:
            for start in range(max(1, len(padded) - size + 1)):
                counts[padded[start : start + size]] += 1
    return counts


def feature_weight(feature: str) -> float:
    return WORD_WEIGHT if feature.startswith("w ") else 1.0
