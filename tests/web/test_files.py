"""Export and import: a zip of the YAML files; an import shows its plan and changes only when confirmed."""

from __future__ import annotations

import asyncio
import html
import io
import re
import struct
import time
import zipfile

import aiohttp
import yaml
from sqlalchemy import func, select

from playground.runner import Playground
from storage.models import PendingImport
from tests.e2e.client import Person, PlaygroundClient
from tests.web.conftest import Admin


async def _export(admin: Admin) -> dict[str, str]:
    async with admin.http.get(admin.url("/admin/export")) as response:
        assert response.status == 200
        assert response.content_type == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(await response.read()))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _bases(body: str) -> str:
    """The plan page's record of which version of each text its changes were planned against."""
    return html.unescape(re.search(r'name="bases" value="([^"]*)"', body).group(1))  # type: ignore[union-attr]


def _upload(name: str, data: bytes, **fields: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for key, value in fields.items():
        form.add_field(key, value)
    form.add_field("files", data, filename=name)
    return form


async def test_export_then_import_changes_nothing(playground: Playground, admin: Admin) -> None:
    files = await _export(admin)
    assert "content/en/health.yaml" in files and "content/ar/health.yaml" in files
    status, body, _ = await admin.post("/admin/import", _upload("vraagbaak-content.zip", _zip(files)))
    assert status == 200
    assert "Nothing would change" in body
    assert "/admin/import/apply" not in body
    assert playground.parts is not None
    assert await playground.parts.editing.history("health.pep", "en") == []


async def test_an_import_shows_its_plan_and_changes_the_answer_only_when_confirmed(
        playground: Playground, client: PlaygroundClient, admin: Admin) -> None:
    files = await _export(admin)
    health = yaml.safe_load(files["content/en/health.yaml"])
    health["health.pep"]["answer"] += "\nImported: ask for the PEP kit."
    changed = yaml.safe_dump(health, allow_unicode=True, sort_keys=False).encode()

    status, body, _ = await admin.post("/admin/import", _upload("en-health.yaml", changed))
    assert status == 200
    assert "1 text would change" in body
    assert "<code>health.pep</code> · en" in body and "Changes: answer" in body
    assert "Imported: ask for the PEP kit." in body  # the diff
    assert playground.parts is not None
    assert "PEP kit" not in playground.parts.editing.current("health.pep", "en").answer  # type: ignore[union-attr]

    plan = re.search(r'name="plan" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    status, body = await admin.follow("/admin/import/apply", {"plan": plan, "bases": _bases(body)})
    assert "Imported 1 change" in body
    reply = await client.reply_to(Person(id=100601, language_code="en"), "what is pep")
    assert "ask for the PEP kit" in reply["text"]

    status, body, _ = await admin.post("/admin/import/apply", {"plan": plan})  # once only
    assert status == 410 and "no longer waiting" in body


async def test_an_import_with_errors_cannot_be_applied(playground: Playground, admin: Admin) -> None:
    broken = yaml.safe_dump({"health.pep": {"status": "reviewed", "title": "PEP", "questions": ["pep?"],
                                            "answer": "<b>PEP"}}).encode()
    status, body, _ = await admin.post("/admin/import", _upload("health.yaml", broken, lang="fr"))
    assert status == 200
    assert "content/fr/health.yaml" in body and "is never closed" in body
    assert "/admin/import/apply" not in body
    assert playground.parts is not None
    async with playground.parts.sessions() as session:  # nothing waits for a confirmation never offered
        assert await session.scalar(select(func.count()).select_from(PendingImport)) == 0


async def test_a_yaml_file_needs_its_language_and_category(admin: Admin) -> None:
    status, body, _ = await admin.post("/admin/import", _upload("answers.yaml", b"{}"))
    assert status == 422 and "name it &lt;lang&gt;-&lt;category&gt;.yaml" in body
    status, body, _ = await admin.post("/admin/import", _upload("notes.txt", b"hello"))
    assert status == 422 and "upload a .zip or a .yaml file" in body


def _central_field(data: bytes, offset: int, value: int) -> bytes:
    """The zip with a 2-byte field of its (first) central directory entry changed."""
    at = data.index(b"PK\x01\x02") + offset
    return data[:at] + struct.pack("<H", value) + data[at + 2:]


def _garbled(data: bytes) -> bytes:
    """The zip with its first entry's compressed bytes replaced by nonsense."""
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    start = info.header_offset + 30 + len(info.filename)
    return data[:start] + b"\xff" * info.compress_size + data[start + info.compress_size:]


def _deflated(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


async def test_the_size_limit_counts_all_files_of_an_upload_together(playground: Playground, admin: Admin) -> None:
    filler = "".join(f"# filler line {i:08d} {'x' * 40}\n" for i in range(400 * 1024 // 64))  # 400 KB
    categories = ("health", "safety", "legal", "social", "work")
    form = aiohttp.FormData()
    for i, lang in enumerate(("en", "fr", "de")):  # 6 MB unpacked, each zip (2 MB) far below the limit
        form.add_field("files", _deflated({f"content/{lang}/{c}.yaml": filler for c in categories}),
                       filename=f"part{i}.zip")
    status, body, _ = await admin.post("/admin/import", form)
    assert status == 422 and "more than 5 MB of text in this upload" in body
    assert playground.parts is not None
    async with playground.parts.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(PendingImport)) == 0


async def test_a_large_import_is_planned_while_the_bot_keeps_answering(admin: Admin) -> None:
    """Ten content files of nearly the largest size, 4.8 MB in all: read between the bot's answers.
    (A file is read by libyaml in one piece that holds the interpreter; hence the per-file limit.)"""
    questions = "  - what is pep\n" * 31_000  # ~480 KB a file
    files = {f"content/{lang}/{category}.yaml": f"{category}.pep:\n  questions:\n{questions}"
             for lang in ("en", "nl", "fr", "es", "pt") for category in ("health", "safety")}
    upload = asyncio.create_task(admin.post("/admin/import", _upload("big.zip", _deflated(files))))
    stalled = 0.0  # the longest the event loop, shared by this test, the pages and the bot, did nothing else
    while not upload.done():
        started = time.monotonic()
        await asyncio.sleep(0.02)
        stalled = max(stalled, time.monotonic() - started - 0.02)
    status, body, _ = await upload
    assert status == 200 and "content/nl/safety.yaml" in body and "Field required" in body
    assert stalled < 1.0, f"everything waited {stalled:.1f} s for the import"


async def test_a_content_file_over_the_size_limit_is_refused_by_name(admin: Admin) -> None:
    big = ("health.pep:\n  questions:\n" + "  - what is pep\n" * 40_000).encode()  # 600 KB
    status, body, _ = await admin.post("/admin/import", _upload("en-health.yaml", big))
    assert status == 422 and "en-health.yaml: larger than 512 KB" in body
    status, body, _ = await admin.post("/admin/import", _upload("all.zip", _deflated({"content/en/health.yaml":
                                                                                      big.decode()})))
    assert status == 422 and "all.zip/content/en/health.yaml: larger than 512 KB" in body
