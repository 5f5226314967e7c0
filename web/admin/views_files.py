"""Export (/admin/export: a zip of content/<lang>/<category>.yaml) and import (/admin/import: upload a
zip or YAML files, see the plan, then confirm). Uploaded content waits in the database under a random
id for 15 minutes (storage/pending_imports.py), so the confirming POST may reach any instance;
nothing changes before it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.app import AppParts
from knowledge.editing import Change, ImportPlan
from knowledge.languages import SUPPORTED_LANGUAGES
from knowledge.topics import CATEGORIES
from storage import pending_imports
from web.admin.common import editor_of, topic_title
from web.admin.diff import Diff, compare
from web.admin.render import SECURITY_HEADERS, page, redirect

UPLOAD_LIMIT = 5 * 1024 * 1024  # bytes of YAML in one upload, unpacked
ZIP_ENTRY_LIMIT = 500
SINGLE_NAME = re.compile(r"^([a-z]{2})[-_]([a-z]+)\.ya?ml$")


class UploadError(ValueError):
    pass


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(f"{name}: not UTF-8 text") from exc


def files_from_zip(name: str, data: bytes) -> dict[str, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UploadError(f"{name}: not a zip file") from exc
    entries = [i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith((".yaml", ".yml"))
               and not i.filename.startswith("__MACOSX/") and not i.filename.rsplit("/", 1)[-1].startswith(".")]
    if len(entries) > ZIP_ENTRY_LIMIT:
        raise UploadError(f"{name}: more than {ZIP_ENTRY_LIMIT} files")
    if sum(i.file_size for i in entries) > UPLOAD_LIMIT:
        raise UploadError(f"{name}: more than {UPLOAD_LIMIT // (1024 * 1024)} MB of text")
    if not entries:
        raise UploadError(f"{name}: no .yaml files inside (expected content/<lang>/<category>.yaml)")
    return {i.filename: _decode(i.filename, archive.read(i)) for i in entries}


def name_single(filename: str, lang: str, category: str) -> str:
    """`content/<lang>/<category>.yaml` for an uploaded YAML file: from the chosen language and category,
    or from a file name like `fr-health.yaml`, or `health.yaml` with the language chosen."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if match := SINGLE_NAME.match(base):
        lang, category = lang or match.group(1), category or match.group(2)
    elif base.rsplit(".", 1)[0] in CATEGORIES:
        category = category or base.rsplit(".", 1)[0]
    if lang not in SUPPORTED_LANGUAGES or category not in CATEGORIES:
        raise UploadError(f"{filename}: name it <lang>-<category>.yaml (e.g. fr-health.yaml) "
                          "or choose its language and category")
    return f"content/{lang}/{category}.yaml"


def uploaded_files(form: Any) -> dict[str, str]:
    lang = form.get("lang", "") if isinstance(form.get("lang", ""), str) else ""
    category = form.get("category", "") if isinstance(form.get("category", ""), str) else ""
    uploads = [f for f in form.getall("files", []) if isinstance(f, web.FileField)]
    if not uploads:
        raise UploadError("Choose a .zip or .yaml file to upload.")
    files: dict[str, str] = {}
    for upload in uploads:
        data = upload.file.read(UPLOAD_LIMIT + 1)
        if len(data) > UPLOAD_LIMIT:
            raise UploadError(f"{upload.filename}: larger than {UPLOAD_LIMIT // (1024 * 1024)} MB")
        if upload.filename.lower().endswith(".zip"):
            files.update(files_from_zip(upload.filename, data))
        elif upload.filename.lower().endswith((".yaml", ".yml")):
            files[name_single(upload.filename, lang, category)] = _decode(upload.filename, data)
        else:
            raise UploadError(f"{upload.filename}: upload a .zip or a .yaml file")
    return files


@dataclass(frozen=True)
class PlannedChange:
    change: Change
    title: str
    diff: Diff


class FilesViews:
    def __init__(self, parts: AppParts) -> None:
        self.parts = parts

    async def export(self, request: web.Request) -> web.Response:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in sorted(self.parts.editing.export_files().items()):
                archive.writestr(name, text)
        name = f"vraagbaak-content-{dt.date.today().isoformat()}.zip"
        response = web.Response(body=buffer.getvalue(), content_type="application/zip",
                                headers={"Content-Disposition": f'attachment; filename="{name}"'})
        response.headers.update(SECURITY_HEADERS)
        return response

    def _form(self, request: web.Request, *, error: str = "", status: int = 200) -> web.Response:
        applied = request.query.get("applied", "")
        return page(request, "import.html", status=status, error=error, categories=list(CATEGORIES),
                    applied=applied if applied.isdigit() else "")

    async def import_form(self, request: web.Request) -> web.Response:
        return self._form(request)

    async def _plan_page(self, request: web.Request, files: dict[str, str], plan: ImportPlan | None = None
                         ) -> web.Response:
        """The plan; the upload waits for confirmation only if the page offers it (changes, no errors)."""
        editing = self.parts.editing
        plan = plan or editing.plan_import(files)
        changes = [PlannedChange(c, topic_title(self.parts.kb, c.topic_id),
                                 compare(editing.current(c.topic_id, c.lang), c.new)) for c in plan.changes]
        errors = [p for p in plan.problems if p.severity == "error"]
        key = ""
        if changes and not errors:
            async with self.parts.sessions() as session:
                key = await pending_imports.put(session, editor_of(request).editor, files, dt.datetime.now(dt.UTC))
                await session.commit()
        return page(request, "import_plan.html", key=key, changes=changes, problems=plan.problems,
                    errors=errors, files=sorted(files))

    async def upload(self, request: web.Request) -> web.Response:
        try:
            files = uploaded_files(await request.post())
        except UploadError as exc:
            return self._form(request, error=str(exc), status=422)
        return await self._plan_page(request, files)

    async def apply(self, request: web.Request) -> web.Response:
        form = await request.post()
        key = form.get("plan", "")
        editor = editor_of(request).editor
        files = None
        if isinstance(key, str):
            async with self.parts.sessions() as session:
                files = await pending_imports.take(session, key, editor, dt.datetime.now(dt.UTC))
                await session.commit()
        if files is None:
            return self._form(request, status=410,
                              error="That upload is no longer waiting (15 minutes passed, or it was applied). "
                                    "Upload it again.")
        plan = self.parts.editing.plan_import(files)  # planned again: someone may have saved meanwhile
        if any(p.severity == "error" for p in plan.problems):
            return await self._plan_page(request, files, plan)
        count = await self.parts.editing.apply_import(plan, editor=editor_of(request).alias)
        return redirect(f"/admin/import?applied={count}")


def setup(app: web.Application, parts: AppParts) -> None:
    views = FilesViews(parts)
    app.router.add_get("/admin/export", views.export)
    app.router.add_get("/admin/import", views.import_form)
    app.router.add_post("/admin/import", views.upload)
    app.router.add_post("/admin/import/apply", views.apply)

