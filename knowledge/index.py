"""An inverted TF-IDF index over short texts, in flat numpy arrays.

Scoring a question touches only the postings of its features, so a knowledge base fifty times
larger still answers in milliseconds, and the index costs arrays rather than Python objects.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Sequence

import numpy as np

from knowledge.features import feature_weight, features

# Smallest document frequency considered, so that unseen and very rare features get a finite IDF.
_DF_FLOOR = 1e-3


class TfidfIndex:
    def __init__(self, texts: Sequence[str], langs: Sequence[str]) -> None:
        # One pass over the texts into flat arrays (document, feature, count); the weighting is
        # then done by numpy.
        vocab: dict[str, int] = {}
        doc_ids, feat_ids, counts = array("i"), array("i"), array("f")
        for doc_id, text in enumerate(texts):
            for feature, count in features(text).items():
                doc_ids.append(doc_id)
                feat_ids.append(vocab.setdefault(feature, len(vocab)))
                counts.append(count)
        self.size = len(texts)
        self._vocab = vocab
        d = np.frombuffer(doc_ids, dtype=np.int32)
        f = np.frombuffer(feat_ids, dtype=np.int32)
        self._idf = _inverse_document_frequency(langs, d, f, vocab)
        weights = (1.0 + np.log(np.frombuffer(counts, dtype=np.float32))) * self._idf[f].astype(np.float32)
        norms = np.sqrt(np.bincount(d, weights=weights.astype(np.float64) ** 2, minlength=len(texts)))
        weights = weights / np.maximum(norms[d], 1e-9).astype(np.float32)
        order = np.argsort(f, kind="stable")
        self._post_docs = d[order]
        self._post_weights = weights[order].astype(np.float32)
        self._post_start = np.searchsorted(f[order], np.arange(len(vocab) + 1)).astype(np.int64)

    def scores(self, counts: Counter[str]) -> np.ndarray:
        """Cosine similarity of a question's feature counts with every document."""
        scores = np.zeros(self.size, dtype=np.float32)
        known = {self._vocab[f]: 1.0 + math.log(c) for f, c in counts.items() if f in self._vocab}
        if not known:
            return scores
        # Unknown features still count in the question's length: a question made mostly of words
        # the knowledge base has never seen should not look like a close match.
        unseen_idf = math.log(1.0 / _DF_FLOOR) + 1.0
        unknown = sum(((1.0 + math.log(c)) * feature_weight(f) * unseen_idf) ** 2
                      for f, c in counts.items() if f not in self._vocab)
        fids = np.fromiter(known, dtype=np.int64, count=len(known))
        weighted = np.fromiter(known.values(), dtype=np.float64, count=len(known)) * self._idf[fids]
        norm = math.sqrt(float(weighted @ weighted) + unknown) or 1.0
        # All postings of the question's features at once (one gather and one bincount, not one
        # numpy call per feature): the positions of each feature's postings, back to back.
        starts, lengths = self._post_start[fids], self._post_start[fids + 1] - self._post_start[fids]
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        contributions = self._post_weights[offsets] * np.repeat(weighted / norm, lengths)
        return np.bincount(self._post_docs[offsets], weights=contributions, minlength=self.size).astype(np.float32)


def _inverse_document_frequency(
    langs: Sequence[str], doc_ids: np.ndarray, feat_ids: np.ndarray, vocab: dict[str, int]
) -> np.ndarray:
    """IDF from the feature's highest document frequency within any one language.

    Over all languages together every English word would look rare (most documents are in other
    languages), and "where can i get" would weigh as much as "legal advice".
    """
    names = sorted(set(langs))
    lang_of_doc = np.array([names.index(lang) for lang in langs] or [0], dtype=np.int64)
    per_lang_docs = np.bincount(lang_of_doc[: len(langs)], minlength=len(names)).astype(np.float64)
    # Each (document, feature) pair occurs once, so counting pairs per (language, feature) is df.
    pair = lang_of_doc[doc_ids] * len(vocab) + feat_ids
    df = np.bincount(pair, minlength=len(names) * len(vocab)).reshape(len(names), len(vocab))
    ratio = (df / np.maximum(per_lang_docs, 1)[:, None]).max(axis=0) if names else np.zeros(len(vocab))
    boost = np.ones(len(vocab))
    for feature, fid in vocab.items():
        if feature.startswith("w "):
            boost[fid] = feature_weight(feature)
    return (np.log(1.0 / (ratio + _DF_FLOOR)) + 1.0) * boost
