"""The crisis model: a linear classifier over hashed character and word n-grams, served with numpy.

The lexicon finds stock phrases; this model generalises from the examples in `crisis/examples/` to
other tenses, word orders, spellings, dialects and indirect wording. It is trained by
`python -m knowledge.crisis_train` (scikit-learn) into `crisis/model.npz`, and served here with numpy
alone: importing scikit-learn costs ~90 MB and over a second in the serving process, the weights do
not. The artefact records a hash of the files it was trained on; a test fails when they changed and
the model was not retrained.

Features are hashed (crc32, stable across runs and machines) so that no vocabulary has to be kept:
the same function builds them for training and serving, so the two cannot drift apart.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.normalize import has_thai, normalize

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent / "crisis" / "model.npz"
EXAMPLES_DIR = Path(__file__).resolve().parent / "crisis" / "examples"
LEXICON_DIR = Path(__file__).resolve().parent / "crisis"
N_BUCKETS = 1 << 18
CALM = "calm"


def _grams(normalized: str) -> list[str]:
    """Character 2–5-grams inside each word (padded, so beginnings and endings count), the words, and
    pairs of neighbouring words. Thai is written without spaces: its n-grams run over the whole text."""
    words = normalized.split()
    grams: list[str] = []
    for word in words:
        padded = f" {word} "
        for n in range(2, 6):
            grams.extend("c" + padded[i : i + n] for i in range(len(padded) - n + 1))
        grams.append("w" + word)
    grams.extend(f"b{a} {b}" for a, b in itertools.pairwise(words))
    if has_thai(normalized):
        squeezed = normalized.replace(" ", "")
        for n in range(2, 5):
            grams.extend("t" + squeezed[i : i + n] for i in range(len(squeezed) - n + 1))
    return grams


def term_counts(text: str) -> dict[int, float]:
    """Sublinear term frequencies (1 + log count) of the message's hashed n-grams."""
    counts: dict[int, int] = {}
    for gram in _grams(normalize(text)):
        bucket = zlib.crc32(gram.encode()) % N_BUCKETS
        counts[bucket] = counts.get(bucket, 0) + 1
    return {bucket: 1.0 + math.log(n) for bucket, n in counts.items()}


def training_hash(examples_dir: Path = EXAMPLES_DIR, lexicon_dir: Path = LEXICON_DIR) -> str:
    """What the model was trained on: the example files and the lexicons."""
    digest = hashlib.sha256()
    for path in sorted(examples_dir.glob("*.yaml")) + sorted(lexicon_dir.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class CrisisModel:
    classes: tuple[str, ...]  # "calm" and the crisis kinds
    idf: np.ndarray  # per bucket
    coef: np.ndarray  # classes × buckets
    intercept: np.ndarray
    trained_on: str  # training_hash() at training time

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> CrisisModel | None:
        """None when the artefact is missing or unreadable: the lexicon then works alone."""
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(
                    classes=tuple(str(c) for c in data["classes"]),
                    idf=data["idf"].astype(np.float32),
                    coef=data["coef"].astype(np.float32),
                    intercept=data["intercept"].astype(np.float32),
                    trained_on=str(data["trained_on"]),
                )
        except (OSError, KeyError, ValueError) as exc:
            log.warning("crisis model not loaded, the lexicon works alone: %s", type(exc).__name__)
            return None

    def probabilities(self, text: str) -> dict[str, float]:
        counts = term_counts(text)
        if not counts:
            return {c: float(c == CALM) for c in self.classes}
        buckets = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float32, count=len(counts)) * self.idf[buckets]
        values /= np.linalg.norm(values) or 1.0
        scores = self.coef[:, buckets] @ values + self.intercept
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return dict(zip(self.classes, scores.tolist(), strict=True))
