"""What someone in the queue is told: their place, and a wait that grows with it, the same way for
everyone; two people in danger are not both "first"; numbers and units right in each language."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient

ALWAYS_OPEN = {d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


async def _told(client: PlaygroundClient, person: Person, text: str, phrase: str) -> str:
    return (await client.reply_to(person, text, containing=phrase))["text"]


async def test_places_and_waits_grow_together_with_the_right_plural_forms(
    settings: Settings, tmp_path: Path
) -> None:
    pg = Playground(settings.model_copy(update={"opening_hours": ALWAYS_OPEN}), tmp_path / "pg", port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            # No claims yet: each place ahead counts as the default ten minutes.
            arabic = [
                await _told(client, Person(id=340001 + i, language_code="ar"), "/talk", "رقمك")
                for i in range(3)
            ]
            assert "رقمك في قائمة الانتظار: 1. مدة الانتظار المتوقعة: حتى 10 دقائق." in arabic[0]
            assert "رقمك في قائمة الانتظار: 2. مدة الانتظار المتوقعة: من 10 إلى 20 دقيقة." in arabic[1]
            assert "رقمك في قائمة الانتظار: 3. مدة الانتظار المتوقعة: من 20 إلى 30 دقيقة." in arabic[2]
            russian = await _told(client, Person(id=340010, language_code="ru"), "/talk", "очереди")
            assert "Ваш номер в очереди: 4. Ожидаемое время ожидания: от 30 до 40 минут." in russian

            # Two in danger while waiting: the first to say so is first, the second second.
            first = await _told(client, Person(id=340002, language_code="ar"), "i want to die", "1813")
            assert "رقمك في قائمة الانتظار: 1." in first
            second = await _told(client, Person(id=340010, language_code="ru"), "i want to die", "1813")
            assert "Ваш номер в очереди: 2." in second
            assert "first in line" not in second and "первы" not in second
    finally:
        await pg.stop()
