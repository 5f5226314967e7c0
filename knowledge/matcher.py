"""Find the topic a free-text question is about, or say honestly that there is none.

Every example question and title, in every language, is a document. A question is compared with all
of them by cosine similarity of TF-IDF-weighted features (see `features.py`), through an inverted
index of numpy arrays so that a knowledge base fifty times larger still answers in milliseconds.
A topic's score is its best document's score. The matcher answers only when that score is high and
clearly ahead of the next topic's: a wrong answer is worse than no answer.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from knowledge.features import feature_weight, features

# Tuned on the public question set and on held-back questions of our own; see benchmarks/ and tests.
ANSWER_THRESHOLD = 0.5  # below this, no answer
CONFIDENT_THRESHOLD = 1.0  # at or above this, answer even when another topic is close
MIN_MARGIN = 0.1  # otherwise the best topic must lead the next one by this much
TOP_DOCS = 64
AGREEMENT = 0.5


@dataclass(frozen=True)
class Document:
    topic_id: str
    lang: str
    text: str


@dataclass(frozen=True)
class Match:
    topic_id: str | None
    score: float
    lang: str | None  # the language of the best-matching example
    runner_up: str | None = None
    runner_up_score: float = 0.0


class Matcher:
    def __init__(self, documents: Iterable[Document]) -> None:
        docs = list(documents)
        self._topics = sorted({d.topic_id for d in docs})
        topic_index = {topic: i for i, topic in enumerate(self._topics)}
        self._doc_topic = np.fromiter((topic_index[d.topic_id] for d in docs), dtype=np.int32, count=len(docs))
        self._doc_lang = [d.lang for d in docs]
        self._build(docs)

    def __len__(self) -> int:
        return len(self._doc_lang)

    def _build(self, docs: list[Document]) -> None:
        # One pass over the texts into flat arrays (document, feature, count); the weighting is then
        # done by numpy, so a large knowledge base costs arrays, not millions of Python objects.
        vocab: dict[str, int] = {}
        doc_ids, feat_ids, counts = array("i"), array("i"), array("f")
        for doc_id, doc in enumerate(docs):
            for feature, count in features(doc.text).items():
                doc_ids.append(doc_id)
                feat_ids.append(vocab.setdefault(feature, len(vocab)))
                counts.append(count)
        self._vocab = vocab
        d = np.frombuffer(doc_ids, dtype=np.int32)
        f = np.frombuffer(feat_ids, dtype=np.int32)
        self._idf = self._inverse_document_frequency(docs, d, f, vocab)
        weights = (1.0 + np.log(np.frombuffer(counts, dtype=np.float32))) * self._idf[f].astype(np.float32)
        norms = np.sqrt(np.bincount(d, weights=weights.astype(np.float64) ** 2, minlength=len(docs)))
        weights = weights / np.maximum(norms[d], 1e-9).astype(np.float32)
        # Inverted index: postings sorted by feature, with each feature's start offset.
        order = np.argsort(f, kind="stable")
        self._post_docs = d[order]
        self._post_weights = weights[order].astype(np.float32)
        self._post_start = np.searchsorted(f[order], np.arange(len(vocab) + 1)).astype(np.int64)

    def _inverse_document_frequency(
        self, docs: list[Document], doc_ids: np.ndarray, feat_ids: np.ndarray, vocab: dict[str, int]
    ) -> np.ndarray:
        """IDF from the feature's highest document frequency within any one language.

        Over all languages together every English word would look rare (most documents are in
        other languages), and "where can i get" would weigh as much as "legal advice".
        """
        langs = sorted({doc.lang for doc in docs})
        lang_of_doc = np.array([langs.index(doc.lang) for doc in docs] or [0], dtype=np.int64)
        per_lang_docs = np.bincount(lang_of_doc[: len(docs)], minlength=len(langs)).astype(np.float64)
        # Each (document, feature) pair appears once, so counting pairs per (language, feature) is df.
        pair = lang_of_doc[doc_ids] * len(vocab) + feat_ids
        df = np.bincount(pair, minlength=len(langs) * len(vocab)).reshape(len(langs), len(vocab))
        ratio = (df / np.maximum(per_lang_docs, 1)[:, None]).max(axis=0) if langs else np.zeros(len(vocab))
        boost = np.ones(len(vocab))
        for feature, fid in vocab.items():
            if feature.startswith("w "):
                boost[fid] = feature_weight(feature)
        return (np.log(1.0 / (ratio + 1e-3)) + 1.0) * boost

    def scores(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Cosine similarity of `text` with every document; also the ids of documents it touched."""
        counts = features(text)
        query = {self._vocab[f]: (1.0 + math.log(c)) for f, c in counts.items() if f in self._vocab}
        scores = np.zeros(len(self._doc_lang), dtype=np.float32)
        if not query:
            return scores, np.empty(0, dtype=np.int32)
        # Unknown features still count in the query's length: a question made mostly of words the
        # knowledge base has never seen should not look like a close match.
        unknown = [
            (1.0 + math.log(c)) * feature_weight(f) * self._unseen_idf for f, c in counts.items() if f not in self._vocab
        ]
        weighted = {fid: tf * self._idf[fid] for fid, tf in query.items()}
        norm = math.sqrt(sum(w * w for w in weighted.values()) + sum(w * w for w in unknown)) or 1.0
        for fid, w in weighted.items():
            lo, hi = self._post_start[fid], self._post_start[fid + 1]
            scores[self._post_docs[lo:hi]] += self._post_weights[lo:hi] * np.float32(w / norm)
        return scores, np.flatnonzero(scores)

    @property
    def _unseen_idf(self) -> float:
        return float(np.log(1.0 / 1e-3) + 1.0)

    def match(self, text: str) -> Match:
        scores, touched = self.scores(text)
        return self.decide(scores, touched)

    def decide(self, scores: np.ndarray, touched: np.ndarray) -> Match:
        """The confident topic from document scores, or none."""
        if touched.size == 0:
            return Match(None, 0.0, None)
        top = touched[np.argsort(scores[touched])[::-1][:TOP_DOCS]]
        by_topic: dict[int, list[tuple[float, int]]] = {}
        for doc in top:
            by_topic.setdefault(int(self._doc_topic[doc]), []).append((float(scores[doc]), int(doc)))
        # A topic whose other examples also resemble the question is a safer answer than one
        # lucky near-duplicate: add half the mean of its next two best examples.
        best_by_topic = {
            topic: (hits[0][0] + AGREEMENT * (sum(s for s, _ in hits[1:3]) / len(hits[1:3]) if len(hits) > 1 else 0.0),
                    hits[0][1])
            for topic, hits in by_topic.items()
        }
        ranked = sorted(best_by_topic.items(), key=lambda item: -item[1][0])
        best_topic, (best_score, best_doc) = ranked[0]
        runner_up, runner_score = (self._topics[ranked[1][0]], ranked[1][1][0]) if len(ranked) > 1 else (None, 0.0)
        confident = best_score >= CONFIDENT_THRESHOLD or (
            best_score >= ANSWER_THRESHOLD and best_score - runner_score >= MIN_MARGIN
        )
        return Match(
            topic_id=self._topics[best_topic] if confident else None,
            score=round(best_score, 4),
            lang=self._doc_lang[best_doc],
            runner_up=runner_up,
            runner_up_score=round(runner_score, 4),
        )


def documents_of(kb: object) -> list[Document]:
    """Every example question and title of a KnowledgeBase as matcher documents."""
    from knowledge.base import KnowledgeBase

    assert isinstance(kb, KnowledgeBase)
    docs: list[Document] = []
    for topic_id, by_lang in kb.translations.items():
        for lang, tr in by_lang.items():
            docs.append(Document(topic_id, lang, tr.title))
            docs.extend(Document(topic_id, lang, q) for q in tr.questions)
    return docs
