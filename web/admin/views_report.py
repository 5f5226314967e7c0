"""The report (/admin/report): aggregate figures for a period as simple server-drawn charts, and the
daily rows as CSV (/admin/report.csv). Only daily counts exist: there is no person in them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from aiohttp import web

from bot.parts import AppParts
from storage import stats
from storage.models import DailyCount
from web.admin.common import topic_title
from web.admin.render import SECURITY_HEADERS, page

QUESTION_METRICS = ("answered", "answer_menu", "no_answer")
WHY_ORDER = ("wrong_topic", "unclear", "out_of_date", "talk")  # flows.feedback.REASONS
WAIT_ORDER = ("<5m", "5-15m", "15-60m", "1-4h", ">4h")  # handoff.desk.wait_bucket
DEFAULT_DAYS = 30
MAX_DAYS = 731
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)  # date arithmetic far outside them overflows
CSV_COLUMNS = ("day", "metric", "language", "topic", "bucket", "count")


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    note: str = ""

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    @property
    def query(self) -> str:
        return f"from={self.first.isoformat()}&to={self.last.isoformat()}"


def period_of(request: web.Request, today: dt.date | None = None) -> Period:
    """`from`/`to` (YYYY-MM-DD, inclusive); by default the last 30 days. Nonsense is explained, not fatal."""
    today = today or dt.date.today()
    notes = []

    def parse(name: str) -> dt.date | None:
        value = request.query.get(name, "")
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            notes.append(f"{value!r} is not a date like 2026-01-31; used the default.")
            return None
        if not EARLIEST <= day <= LATEST:
            notes.append(f"{value} is not between {EARLIEST.year} and {LATEST.year}; used the default.")
            return None
        return day

    last = parse("to") or today
    first = parse("from") or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        first, last = last, first
        notes.append("The dates were the wrong way round; swapped them.")
    if (last - first).days >= MAX_DAYS:
        first = last - dt.timedelta(days=MAX_DAYS - 1)
        notes.append(f"At most {MAX_DAYS} days at once; showing the last {MAX_DAYS}.")
    return Period(first, last, " ".join(notes))


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: float  # of the largest bar, 0-100
    detail: str = ""


def bars(counts: Counter[str] | dict[str, int], labels: dict[str, str] | None = None,
         order: list[str] | None = None) -> list[Bar]:
    keys = order if order is not None else [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    top = max([counts.get(k, 0) for k in keys] + [1])
    return [Bar(k, counts.get(k, 0), 100 * counts.get(k, 0) / top, (labels or {}).get(k, "")) for k in keys]


@dataclass
class Figures:
    per_day: dict[dt.date, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    totals: Counter[str] = field(default_factory=Counter)
    topics: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    waiting: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    crisis: Counter[str] = field(default_factory=Counter)
    helpful_topics: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def questions(self) -> int:
        return sum(self.totals[m] for m in QUESTION_METRICS)

    @staticmethod
    def ratio(helpful: int, not_helpful: int) -> float | None:
        return helpful / (helpful + not_helpful) if helpful + not_helpful else None

    @property
    def helpful_ratio(self) -> float | None:
        return self.ratio(self.totals["helpful"], self.totals["not_helpful"])


def figures_of(rows: list[DailyCount]) -> Figures:
    f = Figures()
    for row in rows:
        f.totals[row.metric] += row.count
        if row.metric in QUESTION_METRICS:
            f.per_day[row.day][row.metric] += row.count
            f.languages[row.language or "?"] += row.count
            if row.topic:
                f.topics[row.topic] += row.count
        elif row.metric == "claimed":
            f.waiting[row.bucket or "?"] += row.count
        elif row.metric == "closed":
            f.outcomes[row.bucket or "?"] += row.count
        elif row.metric == "crisis":
            f.crisis[row.bucket or "?"] += row.count
        if row.metric in ("helpful", "not_helpful") and row.topic:
            f.helpful_topics[row.topic][row.metric] += row.count
        elif row.metric == "not_helpful_reason" and row.topic:  # what was wrong, after 👎 (flows/feedback.py)
            f.helpful_topics[row.topic][f"why:{row.bucket}"] += row.count
    return f


@dataclass(frozen=True)
class DayColumn:
    day: dt.date
    answered: int
    menu: int
    no_answer: int

    @property
    def total(self) -> int:
        return self.answered + self.menu + self.no_answer


class ReportViews:
    def __init__(self, parts: AppParts) -> None:
        self.parts = parts

    async def _rows(self, period: Period) -> list[DailyCount]:
        async with self.parts.sessions() as session:
            return await stats.rows_between(session, period.first, period.last)

    async def report(self, request: web.Request) -> web.Response:
        period = period_of(request)
        f = figures_of(await self._rows(period))
        days = [DayColumn(d, f.per_day[d]["answered"], f.per_day[d]["answer_menu"], f.per_day[d]["no_answer"])
                for d in period.days]
        titles = {t: topic_title(self.parts.kb, t) for t in set(f.topics) | set(f.helpful_topics)}
        waiting_order = [*WAIT_ORDER, *sorted(set(f.waiting) - set(WAIT_ORDER))]
        helpful_rows = sorted(
            ((t, c["helpful"], c["not_helpful"], Figures.ratio(c["helpful"], c["not_helpful"]),
              [c[f"why:{reason}"] for reason in WHY_ORDER])
             for t, c in f.helpful_topics.items()),
            key=lambda row: (row[3] if row[3] is not None else 2, -(row[1] + row[2])))
        return page(
            request, "report.html", period=period, f=f, days=days, day_max=max([d.total for d in days] + [1]),
            topic_bars=bars(f.topics, titles), language_bars=bars(f.languages),
            waiting_bars=bars(f.waiting, order=waiting_order), outcome_bars=bars(f.outcomes),
            crisis_bars=bars(f.crisis), helpful_rows=helpful_rows, titles=titles,
        )

    async def report_csv(self, request: web.Request) -> web.Response:
        period = period_of(request)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for row in await self._rows(period):
            writer.writerow([row.day.isoformat(), row.metric, row.language, row.topic, row.bucket, row.count])
        name = f"vraagbaak-report-{period.first.isoformat()}-to-{period.last.isoformat()}.csv"
        response = web.Response(text=out.getvalue(), content_type="text/csv", charset="utf-8",
                                headers={"Content-Disposition": f'attachment; filename="{name}"'})
        response.headers.update(SECURITY_HEADERS)
        return response


def setup(app: web.Application, parts: AppParts) -> None:
    views = ReportViews(parts)
    app.router.add_get("/admin/report", views.report)
    app.router.add_get("/admin/report.csv", views.report_csv)
