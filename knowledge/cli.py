"""`vraagbaak kb check | match | export`: the knowledge base from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from knowledge.engine import AnswerEngine
from knowledge.loader import load_knowledge
from knowledge.translation_check import check_translations


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kb = subparsers.add_parser("kb", help="check, query or export the knowledge base")
    kb.add_argument("--dir", type=Path, default=None, help="knowledge folder (default: the shipped one)")
    sub = kb.add_subparsers(dest="kb_command", required=True)
    check = sub.add_parser("check", help="validate every content file; exit 1 on problems")
    check.add_argument("--allow-incomplete", action="store_true", help="missing translations are not errors")
    check.add_argument("--quiet", action="store_true", help="only the summary line")
    sub.add_parser("match", help='read {"text", "lang"?} JSON lines on stdin, print one match per line')
    sub.add_parser("export", help="print the whole knowledge base as JSON")


def run(args: argparse.Namespace) -> int:
    if args.kb_command == "check":
        return _check(args.dir, args.allow_incomplete, args.quiet)
    if args.kb_command == "match":
        return _match(args.dir)
    return _export(args.dir)


def _check(root: Path | None, allow_incomplete: bool, quiet: bool) -> int:
    result = load_knowledge(root)
    # Phone numbers, figures, services and commands must match the English text in every language.
    result.problems.extend(check_translations(result.kb, root.resolve().name if root else "knowledge"))
    failing = {"error"} if allow_incomplete else {"error", "incomplete"}
    bad = [p for p in result.problems if p.severity in failing]
    if not quiet:
        for problem in result.problems:
            print(problem, file=sys.stderr if problem.severity in failing else sys.stdout)
    kb = result.kb
    n_translations = sum(len(by_lang) for by_lang in kb.translations.values())
    counts = {
        sev: sum(p.severity == sev for p in result.problems) for sev in ("error", "incomplete", "warning")
    }
    print(
        f"knowledge base: {len(kb.topic_ids)} topics, {n_translations} translations, {len(kb.services)} services, "
        f"{len(kb.crisis)} crisis lexicons; {counts['error']} errors, {counts['incomplete']} missing, "
        f"{counts['warning']} warnings"
    )
    return 1 if bad else 0


def _match(root: Path | None) -> int:
    engine, result = AnswerEngine.load(root)
    if result.errors:
        print(f"knowledge base has {len(result.errors)} errors; run `vraagbaak kb check`", file=sys.stderr)
    for line_no, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text, lang = str(item["text"]), item.get("lang")
        except (ValueError, KeyError, TypeError) as exc:
            print(f'line {line_no}: expected {{"text": ..., "lang": ...}}: {exc}', file=sys.stderr)
            return 2
        reply = engine.ask(text, lang)
        out = {
            "entry": reply.answer.topic_id if reply.answer else None,
            "score": reply.match.score,
            "lang": reply.lang,
            "crisis": reply.crisis is not None,
            # No answer: the plausible topics; an answer: a second need the message also states.
            "suggest": list(reply.match.suggestions),
            "abroad": reply.abroad,
            "danger_check": reply.danger_check is not None,
        }
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def _export(root: Path | None) -> int:
    kb = load_knowledge(root).kb
    entries = [
        {
            "id": topic_id,
            "translations": {
                lang: {
                    "title": tr.title,
                    "questions": list(tr.questions),
                    "answer": tr.answer,
                    "status": tr.status,
                }
                for lang, tr in sorted(kb.translations[topic_id].items())
            },
        }
        for topic_id in kb.topic_ids
    ]
    json.dump({"entries": entries}, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0
