"""The engine opens the SQLite file the URL names, the same one the checkpoint thread opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from storage.database import create_engine


@pytest.mark.parametrize("url", ["sqlite+aiosqlite://", "sqlite+aiosqlite:///:memory:"])
def test_sqlite_without_a_file_is_refused_with_the_form_to_use(url: str) -> None:
    with pytest.raises(ValueError, match=r"sqlite\+aiosqlite:///path/to/file.db"):
        create_engine(url)


async def test_the_file_opened_is_the_one_the_url_names_even_with_options(tmp_path: Path) -> None:
    named = tmp_path / "sub" / "bot.db"
    engine = create_engine(f"sqlite+aiosqlite:///{named}?timeout=10")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        assert engine.url.database == str(named)  # what storage/wal_checkpoint.py checkpoints
    finally:
        await engine.dispose()
    assert sorted(p.name for p in named.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == ["bot.db"]
