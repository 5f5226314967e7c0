"""The report: aggregate figures for a period, and the daily rows as CSV. No person in them."""

from __future__ import annotations

import csv
import datetime as dt
import io

from playground.runner import Playground
from storage import stats
from tests.web.conftest import Admin

DAY = dt.date(2026, 3, 10)


async def _counts(playground: Playground) -> None:
    assert playground.parts is not None
    async with playground.parts.sessions() as session:
        for day, metric, language, topic, bucket, amount in [
            (DAY, "answered", "en", "health.pep", "", 5),
            (DAY, "answered", "nl", "health.pep", "", 2),
            (DAY, "answer_menu", "fr", "health.prep", "", 3),
            (DAY, "no_answer", "en", "", "", 4),
            (DAY + dt.timedelta(days=1), "answered", "en", "health.prep", "", 1),
            (DAY, "helpful", "en", "health.pep", "", 3),
            (DAY, "not_helpful", "en", "health.pep", "", 1),
            (DAY, "handoff", "en", "health.pep", "", 2),
            (DAY, "claimed", "en", "", "5-15m", 2),
            (DAY - dt.timedelta(days=1), "answered", "en", "health.pep", "", 100),  # outside the period
        ]:
            await stats.count(session, metric, language=language, topic=topic, bucket=bucket, day=day, amount=amount)
        await stats.flush(session)
        await session.commit()


async def test_the_csv_has_the_daily_rows_of_the_period(playground: Playground, admin: Admin) -> None:
    await _counts(playground)
    async with admin.http.get(admin.url("/admin/report.csv?from=2026-03-10&to=2026-03-11")) as response:
        assert response.status == 200
        assert response.content_type == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert list(rows[0]) == ["day", "metric", "language", "topic", "bucket", "count"]
    assert len(rows) == 9
    answered = {(r["day"], r["language"], r["topic"]): int(r["count"]) for r in rows if r["metric"] == "answered"}
    assert answered == {("2026-03-10", "en", "health.pep"): 5, ("2026-03-10", "nl", "health.pep"): 2,
                        ("2026-03-11", "en", "health.prep"): 1}
    assert {"day": "2026-03-10", "metric": "claimed", "language": "en", "topic": "", "bucket": "5-15m",
            "count": "2"} in rows


async def test_the_report_adds_up_questions_helpfulness_and_handoffs(playground: Playground, admin: Admin) -> None:
    await _counts(playground)
    status, body = await admin.get("/admin/report?from=2026-03-10&to=2026-03-11")
    assert status == 200
    assert "<dt>Questions</dt><dd>15</dd>" in body  # 5 + 2 + 3 + 4 + 1
    assert "<dt>Found helpful</dt><dd>75%" in body
    assert "<dt>Handoffs to a counsellor</dt><dd>2" in body
    assert "2026-03-10: 14 (7 answered, 3 menu, 4 no answer)" in body  # the day's bar
    assert "<svg" in body and "<script" not in body.split("<main", 1)[1].split("</main>")[0]
    assert 'href="/admin/report.csv?from=2026-03-10&amp;to=2026-03-11"' in body


async def test_the_report_covers_the_last_30_days_by_default(playground: Playground, admin: Admin) -> None:
    today = dt.date.today()
    assert playground.parts is not None
    async with playground.parts.sessions() as session:
        await stats.count(session, "answered", language="en", topic="health.pep", day=today, amount=3)
        await stats.count(session, "answered", language="en", topic="health.pep", day=today - dt.timedelta(days=30),
                          amount=50)
        await stats.flush(session)
        await session.commit()
    status, body = await admin.get("/admin/report")
    assert f'value="{(today - dt.timedelta(days=29)).isoformat()}"' in body and f'value="{today.isoformat()}"' in body
    assert "<dt>Questions</dt><dd>3</dd>" in body
    status, body = await admin.get("/admin/report?from=nonsense")
    assert status == 200 and "is not a date" in body


async def test_a_date_far_outside_the_figures_falls_back_to_the_default_with_a_note(admin: Admin) -> None:
    today = dt.date.today()
    for query in ("to=0001-01-01", "from=0001-01-01&to=0001-01-01", "from=9999-12-31&to=9999-12-31"):
        status, body = await admin.get(f"/admin/report?{query}")
        assert status == 200, query
        assert "is not between 2000 and 2100; used the default" in body, query
        assert f'value="{today.isoformat()}"' in body, query
        async with admin.http.get(admin.url(f"/admin/report.csv?{query}")) as response:
            assert response.status == 200, query
            assert today.isoformat() in response.headers["Content-Disposition"], query
