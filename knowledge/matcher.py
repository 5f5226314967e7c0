"""Find the topic a free-text question is about, or say honestly that there is none.

Two TF-IDF indexes (see `index.py`), over every language at once:
- examples: each example question and title is a document. A topic scores its best example, plus
  half the mean of its next two (several examples resembling the question are safer than one
  lucky near-duplicate);
- topics: all examples of a topic in one language form one document, which suits long, rambling
  questions that share a few words with many examples.
The topic's score is the sum. The matcher answers only when that score is high and clearly ahead
of the next topic: a wrong answer is worse than no answer.

Thresholds were tuned on the public question set and our own held-out set
(`benchmarks/heldout.jsonl`); `python -m benchmarks.matcher_quality` prints the figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from knowledge.features import features
from knowledge.index import TfidfIndex, feature_hashes
from knowledge.normalize import normalize
from knowledge.scope import EVERYDAY
from knowledge.sentences import questions
from knowledge.slang import SlangExpander, SlangLexicon
from knowledge.transliterate import mostly_latin, to_cyrillic, transliterable

ANSWER_THRESHOLD = 0.66  # below this, no answer
MIN_MARGIN = 0.02  # and the best topic must lead the next one by this much
AGREEMENT = 0.5  # weight of a topic's 2nd and 3rd best examples
TOPIC_WEIGHT = 1.5  # weight of the whole-topic document
TOP_DOCS = 64
# "Did you mean…?": when no topic is confident, those this close to the best are offered instead.
SUGGEST_FLOOR = 0.4
SUGGEST_RATIO = 0.75
MAX_SUGGESTIONS = 3
EVERYDAY_RATIO = 0.9
SECOND_NEED_MARGIN = 0.3  # a question read alone must clear the threshold by this to be offered


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
    # Without a confident topic: the plausible ones, best first. With one: a second need the message
    # also states, if any.
    suggestions: tuple[str, ...] = ()
    candidate: str | None = None  # the best topic, confident or not (EVERYDAY included)


class Matcher:
    def __init__(
        self,
        documents: Iterable[Document],
        slang: Mapping[str, SlangLexicon] | None = None,
        places: Iterable[str] = (),
    ) -> None:
        docs = list(documents)
        self._slang = SlangExpander(slang or {})
        # Place names say where, not what: "the weather in brussels" is not about our addresses.
        # They are left out of the question (the examples keep them: where they matter, as in
        # "soa test gent", the other words still carry the topic).
        self._places = frozenset(p for p in (normalize(place) for place in places) if p and " " not in p)
        self._topics = sorted({d.topic_id for d in docs})
        topic_index = {topic: i for i, topic in enumerate(self._topics)}
        self._everyday = topic_index.get(EVERYDAY, -1)
        self._doc_topic = np.array([topic_index[d.topic_id] for d in docs], dtype=np.int32)
        self._doc_lang = [d.lang for d in docs]
        self._examples = TfidfIndex([d.text for d in docs], self._doc_lang)
        grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
        for d in docs:
            grouped[(d.topic_id, d.lang)].append(d.text)
        keys = list(grouped)
        self._group_topic = np.array([topic_index[t] for t, _ in keys], dtype=np.int32)
        self._whole_topics = TfidfIndex(["\n".join(grouped[k]) for k in keys], [lang for _, lang in keys])

    def __len__(self) -> int:
        return len(self._doc_lang)

    def match(self, text: str, lang: str | None = None) -> Match:
        """The topic `text` is about; `lang`: the person's language when known (it decides how Latin
        letters are read and which slang lexicon applies)."""
        ranked, doc_lang = self._best_reading(text, lang)
        if not ranked:
            return Match(None, 0.0, None)
        best, best_score = ranked[0]
        runner_up, runner_score = ranked[1] if len(ranked) > 1 else (None, 0.0)
        # An everyday question that happens to share a word with a topic ("insurance", a city)
        # reads almost as well as an everyday one: then it is not confidently the topic.
        everyday = self._topics[best] == EVERYDAY or (
            runner_up == self._everyday and runner_score >= EVERYDAY_RATIO * best_score
        )
        confident = (
            best_score >= ANSWER_THRESHOLD and best_score - runner_score >= MIN_MARGIN and not everyday
        )
        if confident:
            # Two needs in one message: a question in it, read alone, confidently about something else.
            # (Alone, short questions like "is that normal?" match too easily to decide the answer.)
            parts = [self._best_reading(part, lang)[0] for part in questions(text)]
            others = {r[0][0] for r in parts if r and r[0][1] >= ANSWER_THRESHOLD + SECOND_NEED_MARGIN} - {
                self._everyday,
                best,
            }
            suggestions = tuple(self._topics[t] for t in sorted(others))[:1]
        elif everyday:
            suggestions = ()
        else:
            suggestions = tuple(
                self._topics[t]
                for t, score in ranked[:MAX_SUGGESTIONS]
                if t != self._everyday and score >= SUGGEST_FLOOR and score >= SUGGEST_RATIO * best_score
            )
        return Match(
            topic_id=self._topics[best] if confident else None,
            score=round(best_score, 4),
            lang=doc_lang,
            runner_up=self._topics[runner_up] if runner_up is not None else None,
            runner_up_score=round(runner_score, 4),
            suggestions=suggestions,
            candidate=self._topics[best],
        )

    def _best_reading(self, text: str, lang: str | None) -> tuple[list[tuple[int, float]], str | None]:
        """Topics ranked for the likeliest reading of `text`: as typed, or Latin letters read as Cyrillic."""
        readings = [self._without_places(self._slang.expand(text, lang))]
        if lang is not None and transliterable(lang) and mostly_latin(text):
            readings.append(self._without_places(self._slang.expand(to_cyrillic(text, lang), lang)))
        return max((self._rank(r) for r in readings), key=lambda r: r[0][0][1] if r[0] else 0.0)

    def _without_places(self, norm: str) -> str:
        words = norm.split()
        kept = [w for w in words if w not in self._places]
        return " ".join(kept) if kept else norm

    def _rank(self, text: str) -> tuple[list[tuple[int, float]], str | None]:
        counts = features(text)
        hashes = feature_hashes(list(counts))  # once, for both indexes
        example_scores = self._examples.scores(counts, hashes)
        touched = np.flatnonzero(example_scores)
        if touched.size == 0:
            return [], None
        top = touched[np.argsort(example_scores[touched])[::-1][:TOP_DOCS]]
        by_topic: dict[int, list[float]] = defaultdict(list)
        best_doc: dict[int, int] = {}
        # As Python numbers at once: indexing numpy arrays one element at a time costs ~1 µs each.
        for doc, topic, score in zip(
            top.tolist(), self._doc_topic[top].tolist(), example_scores[top].tolist(), strict=True
        ):
            by_topic[topic].append(score)
            best_doc.setdefault(topic, doc)
        group_scores = self._whole_topics.scores(counts, hashes)
        whole = np.zeros(len(self._topics), dtype=np.float32)
        np.maximum.at(whole, self._group_topic, group_scores)
        totals = {
            topic: hits[0]
            + AGREEMENT * (sum(hits[1:3]) / len(hits[1:3]) if len(hits) > 1 else 0.0)
            + TOPIC_WEIGHT * float(whole[topic])
            for topic, hits in by_topic.items()
        }
        ranked = sorted(totals.items(), key=lambda item: -item[1])
        return ranked, self._doc_lang[best_doc[ranked[0][0]]]


def documents_of(kb: object) -> list[Document]:
    """Every example question and title of a KnowledgeBase as matcher documents, and the everyday
    questions it does not answer (as topic EVERYDAY)."""
    from knowledge.base import KnowledgeBase

    assert isinstance(kb, KnowledgeBase)
    docs: list[Document] = []
    for topic_id, by_lang in kb.translations.items():
        for lang, tr in by_lang.items():
            docs.append(Document(topic_id, lang, tr.title))
            docs.extend(Document(topic_id, lang, q) for q in tr.questions)
    for lang, questions_ in kb.scope.everyday.items():
        docs.extend(Document(EVERYDAY, lang, q) for q in questions_)
    return docs
