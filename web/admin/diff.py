"""What changed between two versions of a translation, in a form a page can show: the title old → new,
example questions added and removed, the answer's changed lines, the review state."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from knowledge.schema import Translation


@dataclass(frozen=True)
class Line:
    kind: str  # "added", "removed", "same" (context) or "gap" (unchanged lines left out)
    text: str


@dataclass
class Diff:
    title: tuple[str, str] | None = None
    status: tuple[str, str] | None = None
    questions_added: list[str] = field(default_factory=list)
    questions_removed: list[str] = field(default_factory=list)
    answer: list[Line] = field(default_factory=list)
    new: bool = False  # there was nothing before

    @property
    def empty(self) -> bool:
        return not (self.title or self.status or self.questions_added or self.questions_removed or self.answer
                    or self.new)


def answer_lines(old: str, new: str, context: int = 1) -> list[Line]:
    """Changed lines with `context` unchanged lines around them; a gap shows as a "…" line."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[Line] = []
    for group in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(Line("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(Line("same", text) for text in a[i1:i2])
                continue
            lines.extend(Line("removed", text) for text in a[i1:i2])
            lines.extend(Line("added", text) for text in b[j1:j2])
    return lines


def compare(old: Translation | None, new: Translation) -> Diff:
    if old is None:
        return Diff(new=True, answer=[Line("added", text) for text in new.answer.splitlines()],
                    questions_added=list(new.questions))
    return Diff(
        title=(old.title, new.title) if old.title != new.title else None,
        status=(old.status, new.status) if old.status != new.status else None,
        questions_added=[q for q in new.questions if q not in old.questions],
        questions_removed=[q for q in old.questions if q not in new.questions],
        answer=answer_lines(old.answer, new.answer) if old.answer != new.answer else [],
    )
