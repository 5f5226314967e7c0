"""Export and import: a zip of the YAML files; an import shows its plan and changes only when confirmed."""

from __future__ import annotations

import io
import re
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
    status, body = await admin.follow("/admin/import/apply", {"plan": plan})
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
