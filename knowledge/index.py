"""An inverted TF-IDF index over short texts, in flat numpy arrays.

Scoring a question touches only the postings of its features, so a knowledge base fifty times
larger still answers in milliseconds, and the index costs arrays rather than Python objects.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections import Counter
from collections.abc import Sequence

import numpy as np

from knowledge.features import feature_weight, features

# Smallest document frequency considered, so that unseen and very rare features get a finite IDF.
_DF_FLOOR = 1e-3

# Features are known by their hash (see TfidfIndex): 32-bit hashes would collide among ~80,000.
if sys.hash_info.width < 64:
    raise ImportError("the matcher needs a 64-bit Python")


class TfidfIndex:
    def __init__(self, texts: Sequence[str], langs: Sequence[str]) -> None:
        # One pass over the texts into flat arrays (document, feature hash, count, feature weight);
        # the rest is done by numpy. The vocabulary is kept as the features' sorted 64-bit hashes, a
        # feature's id being its place among them, never as a dict of strings: ~80,000 feature
        # strings and their dict cost ~13 MB per index, the hashes under 1 MB. Two features sharing a
        # hash is a chance of about one in 10^9; hashes are only compared within this process, so
        # Python's per-process hash seed does not matter.
        doc_ids, hashes, counts, boosts = array("i"), array("q"), array("f"), array("d")
        for doc_id, text in enumerate(texts):
            for feature, count in features(text).items():
                doc_ids.append(doc_id)
                hashes.append(hash(feature))
                counts.append(count)
                boosts.append(feature_weight(feature))
        self.size = len(texts)
        self._hashes, inverse = np.unique(np.frombuffer(hashes, dtype=np.int64), return_inverse=True)
        d = np.frombuffer(doc_ids, dtype=np.int32)
        f = inverse.astype(np.int32)
        boost = np.ones(len(self._hashes))
        boost[f] = np.frombuffer(boosts, dtype=np.float64)
        self._idf = _inverse_document_frequency(langs, d, f, boost)
        weights = (1.0 + np.log(np.frombuffer(counts, dtype=np.float32))) * self._idf[f].astype(np.float32)
        norms = np.sqrt(np.bincount(d, weights=weights.astype(np.float64) ** 2, minlength=len(texts)))
        weights = weights / np.maximum(norms[d], 1e-9).astype(np.float32)
        order = np.argsort(f, kind="stable")
        self._post_docs = d[order]
        self._post_weights = weights[order].astype(np.float32)
        self._post_start = np.searchsorted(f[order], np.arange(len(self._hashes) + 1)).astype(np.int64)

    def _lookup(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each feature (by its hash): whether the index knows it, and (where it does) its id."""
        if not len(self._hashes):
            return np.zeros(len(hashes), dtype=bool), np.zeros(len(hashes), dtype=np.int64)
        ids = np.minimum(np.searchsorted(self._hashes, hashes), len(self._hashes) - 1)
        return self._hashes[ids] == hashes, ids

    def scores(self, counts: Counter[str], hashes: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity of a question's feature counts with every document. `hashes`: the
        features' `feature_hashes`, when the caller asks several indexes about one question."""
        scores = np.zeros(self.size, dtype=np.float32)
        question = list(counts)
        found, ids = self._lookup(feature_hashes(question) if hashes is None else hashes)
        if not found.any():
            return scores
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(question)))
        # Unknown features still count in the question's length: a question made mostly of words
        # the knowledge base has never seen should not look like a close match.
        unseen_idf = math.log(1.0 / _DF_FLOOR) + 1.0
        unknown = sum((weight * feature_weight(feature) * unseen_idf) ** 2
                      for feature, weight, known in zip(question, tf.tolist(), found.tolist(), strict=True)
                      if not known)
        fids = ids[found]
        weighted = tf[found] * self._idf[fids]
        norm = math.sqrt(float(weighted @ weighted) + unknown) or 1.0
        # All postings of the question's features at once (one gather and one bincount, not one
        # numpy call per feature): the positions of each feature's postings, back to back.
        starts, lengths = self._post_start[fids], self._post_start[fids + 1] - self._post_start[fids]
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        contributions = self._post_weights[offsets] * np.repeat(weighted / norm, lengths)
        return np.bincount(self._post_docs[offsets], weights=contributions, minlength=self.size).astype(np.float32)


def feature_hashes(features: Sequence[str]) -> np.ndarray:
    """How the index keys features (it keeps no strings); in the order given."""
    return np.fromiter((hash(feature) for feature in features), dtype=np.int64, count=len(features))


def _inverse_document_frequency(
    langs: Sequence[str], doc_ids: np.ndarray, feat_ids: np.ndarray, boost: np.ndarray
) -> np.ndarray:
    """IDF from the feature's highest document frequency within any one language, times its boost.

    Over all languages together every English word would look rare (most documents are in other
    languages), and "where can i get" would weigh as much as "legal advice".
    """
    n_features = len(boost)
    names = sorted(set(langs))
    lang_of_doc = np.array([names.index(lang) for lang in langs] or [0], dtype=np.int64)
    per_lang_docs = np.bincount(lang_of_doc[: len(langs)], minlength=len(names)).astype(np.float64)
    lang_of_pair = lang_of_doc[doc_ids]
    ratio = np.zeros(n_features)
    # One language at a time (each (document, feature) pair occurs once, so counting a language's
    # pairs per feature is its df): a languages x features matrix would briefly take ~12 MB.
    for lang in range(len(names)):
        df = np.bincount(feat_ids[lang_of_pair == lang], minlength=n_features)
        np.maximum(ratio, df / max(per_lang_docs[lang], 1.0), out=ratio)
    return (np.log(1.0 / (ratio + _DF_FLOOR)) + 1.0) * boost
