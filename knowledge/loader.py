"""Read and validate the content files. Every problem names its file and field; nothing is skipped
silently, so an editor or translator can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.base import SERVICE_TOKEN, KnowledgeBase, render_answer
from knowledge.counsellor_phrases import load_phrases
from knowledge.languages import SUPPORTED_LANGUAGES
from knowledge.normalize import normalize
from knowledge.schema import (
    ANSWER_SOFT_LIMIT,
    MIN_QUESTIONS,
    TELEGRAM_TEXT_LIMIT,
    CrisisLexicon,
    Service,
    Translation,
)
from knowledge.scope import Scope, parse_scope
from knowledge.slang import SlangLexicon, parse_lexicon
from knowledge.telegram_html import TelegramHTMLError, check_html
from knowledge.topics import CATEGORIES, TOPIC_IDS, category_of

DEFAULT_DIR = Path(__file__).resolve().parent
M = TypeVar("M", bound=BaseModel)
Severity = Literal["error", "incomplete", "warning"]


@dataclass(frozen=True)
class Problem:
    """`error`: the content is broken; `incomplete`: something is missing (the bot still runs);
    `warning`: worth a look (e.g. a long answer)."""

    file: str
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class LoadResult:
    kb: KnowledgeBase
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def problem(self, path: Path, field_: str, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(self.rel(path), field_, message, severity))

    def yaml_mapping(self, path: Path) -> dict[str, Any] | None:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            self.problem(path, where, f"not valid YAML: {getattr(exc, 'problem', exc)}")
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(path, "", f"cannot be read: {exc}")
            return None
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(path, "", "must be a mapping of ids to entries")
            return None
        return data

    def validated(self, model: type[M], data: object, path: Path, prefix: str) -> M | None:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(part) for part in (prefix, *err["loc"]))
                self.problem(path, loc, err["msg"])
            return None


def load_knowledge(root: Path | None = None) -> LoadResult:
    """Load `root` (default: the shipped content) into a KnowledgeBase and the list of problems."""
    root = (root or DEFAULT_DIR).resolve()
    reader = _Reader(root)
    services = _load_services(reader, root / "services.yaml")
    translations = _load_translations(reader, root / "content", services)
    crisis = _load_crisis(reader, root / "crisis")
    slang = _load_slang(reader, root / "slang")
    scope = _load_scope(reader, root / "scope.yaml")
    phrases = load_phrases(reader, root / "phrases")
    kb = KnowledgeBase(translations=translations, services=services, crisis=crisis, slang=slang, scope=scope,
                       phrases=phrases)
    return LoadResult(kb=kb, problems=reader.problems)


def _load_services(reader: _Reader, path: Path) -> dict[str, Service]:
    if not path.exists():
        reader.problem(path, "", "the referral directory is missing")
        return {}
    data = reader.yaml_mapping(path) or {}
    services: dict[str, Service] = {}
    for service_id, entry in data.items():
        service = reader.validated(Service, entry, path, str(service_id))
        if service is not None:
            services[str(service_id)] = service
    return services


def _load_translations(
    reader: _Reader, content: Path, services: dict[str, Service]
) -> dict[str, dict[str, Translation]]:
    translations: dict[str, dict[str, Translation]] = {}
    for lang_dir in sorted(p for p in content.iterdir() if p.is_dir()) if content.exists() else []:
        lang = lang_dir.name
        if lang not in SUPPORTED_LANGUAGES:
            reader.problem(lang_dir, "", f"unknown language folder {lang!r}")
            continue
        seen_questions: dict[str, str] = {}
        for path in sorted(lang_dir.glob("*.y*ml")):
            category = path.stem
            if category not in CATEGORIES:
                reader.problem(path, "", f"unknown category {category!r}; use {', '.join(CATEGORIES)}")
                continue
            for topic_id, entry in (reader.yaml_mapping(path) or {}).items():
                topic_id = str(topic_id)
                if topic_id not in TOPIC_IDS:
                    reader.problem(path, topic_id, "unknown topic id (see shared/knowledge/topics.md)")
                    continue
                if category_of(topic_id) != category:
                    reader.problem(path, topic_id, f"belongs in {category_of(topic_id)}.yaml")
                    continue
                tr = reader.validated(Translation, entry, path, topic_id)
                if tr is None:
                    continue
                _check_translation(reader, path, topic_id, lang, tr, services, seen_questions)
                translations.setdefault(topic_id, {})[lang] = tr
    _check_completeness(reader, content, translations)
    return translations


def _check_translation(
    reader: _Reader,
    path: Path,
    topic_id: str,
    lang: str,
    tr: Translation,
    services: dict[str, Service],
    seen_questions: dict[str, str],
) -> None:
    for service_id in SERVICE_TOKEN.findall(tr.answer):
        if service_id not in services:
            reader.problem(path, f"{topic_id}.answer", f"names unknown service {{service:{service_id}}}")
    rendered = render_answer(tr.answer, lang, services)
    try:
        shown = check_html(rendered)
    except TelegramHTMLError as exc:
        reader.problem(path, f"{topic_id}.answer", f"Telegram would refuse this HTML: {exc}")
        shown = rendered
    if len(shown) > TELEGRAM_TEXT_LIMIT:
        reader.problem(path, f"{topic_id}.answer", f"{len(shown)} characters; Telegram allows {TELEGRAM_TEXT_LIMIT}")
    elif len(shown) > ANSWER_SOFT_LIMIT:
        reader.problem(path, f"{topic_id}.answer", f"{len(shown)} characters; keep it under ~{ANSWER_SOFT_LIMIT}", "warning")
    if len(tr.questions) < MIN_QUESTIONS:
        reader.problem(path, f"{topic_id}.questions", f"{len(tr.questions)} example questions; write at least {MIN_QUESTIONS}", "incomplete")
    for index, question in enumerate(tr.questions):
        key = normalize(question)
        owner = seen_questions.get(key)
        if owner and owner != topic_id:
            reader.problem(path, f"{topic_id}.questions[{index}]", f"{question!r} is also an example of {owner}")
        seen_questions.setdefault(key, topic_id)


def _check_completeness(reader: _Reader, content: Path, translations: dict[str, dict[str, Translation]]) -> None:
    for topic_id in TOPIC_IDS:
        have = translations.get(topic_id, {})
        for lang in SUPPORTED_LANGUAGES:
            if lang not in have:
                path = content / lang / f"{category_of(topic_id)}.yaml"
                reader.problem(path, topic_id, "translation missing", "incomplete")


def _load_crisis(reader: _Reader, folder: Path) -> dict[str, CrisisLexicon]:
    lexicons: dict[str, CrisisLexicon] = {}
    for path in sorted(folder.glob("*.y*ml")) if folder.exists() else []:
        lang = path.stem
        if lang not in SUPPORTED_LANGUAGES:
            reader.problem(path, "", f"unknown language {lang!r}")
            continue
        lexicon = reader.validated(CrisisLexicon, reader.yaml_mapping(path) or {}, path, lang)
        if lexicon is not None:
            lexicons[lang] = lexicon
    for lang in SUPPORTED_LANGUAGES:
        if lang not in lexicons:
            reader.problem(folder / f"{lang}.yaml", "", "crisis lexicon missing", "incomplete")
    return lexicons


def _load_slang(reader: _Reader, folder: Path) -> dict[str, SlangLexicon]:
    lexicons: dict[str, SlangLexicon] = {}
    for path in sorted(folder.glob("*.y*ml")) if folder.exists() else []:
        lang = path.stem
        if lang not in SUPPORTED_LANGUAGES:
            reader.problem(path, "", f"unknown language {lang!r}")
            continue
        data = reader.yaml_mapping(path)
        if data is None:
            continue  # reported by yaml_mapping
        lexicon, problems = parse_lexicon(lang, data)
        for field_, message in problems:
            reader.problem(path, field_, message)
        if lexicon is not None:
            lexicons[lang] = lexicon
    return lexicons


def _load_scope(reader: _Reader, path: Path) -> Scope:
    data = reader.yaml_mapping(path) if path.exists() else {}
    scope, problems = parse_scope(data if data is not None else {})
    for field_, message in problems:
        reader.problem(path, field_, message)
    return scope


def validate_translation(
    kb: KnowledgeBase, topic_id: str, lang: str, data: object,
    translations: dict[str, dict[str, Translation]] | None = None,
) -> tuple[Translation | None, list[Problem]]:
    """Check one edited translation as `kb check` would, against the rest of the knowledge base
    (`translations`: the rest as it will be, when several are changed at once)."""
    reader = _Reader(DEFAULT_DIR)
    path = DEFAULT_DIR / "content" / lang / f"{category_of(topic_id)}.yaml"
    if topic_id not in TOPIC_IDS or lang not in SUPPORTED_LANGUAGES:
        reader.problem(path, topic_id, "unknown topic or language")
        return None, reader.problems
    tr = reader.validated(Translation, data, path, topic_id)
    if tr is not None:
        others = {
            normalize(q): other
            for other, by_lang in (kb.translations if translations is None else translations).items()
            if other != topic_id and lang in by_lang
            for q in by_lang[lang].questions
        }
        _check_translation(reader, path, topic_id, lang, tr, kb.services, others)
    errors = [p for p in reader.problems if p.severity == "error"]
    return (tr if not errors else None), reader.problems
