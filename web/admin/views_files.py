"""Export (/admin/export: a zip of content/<lang>/<category>.yaml) and import (/admin/import: upload a
zip or YAML files, see the plan, then confirm). Uploaded content waits in the database under a random
id for 15 minutes (storage/pending_imports.py), so the confirming POST may reach any instance;
nothing changes before it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.parts import AppParts
from knowledge.editing import Change, ImportPlan, content_file
from knowledge.languages import SUPPORTED_LANGUAGES
from knowledge.topics import CATEGORIES
from storage import pending_imports
from web.admin.common import editor_of, parse_id, topic_title
from web.admin.diff import Diff, compare
from web.admin.render import SECURITY_HEADERS, page, redirect

UPLOAD_LIMIT = 5 * 1024 * 1024  # bytes of YAML in one upload (all files together), unpacked
ZIP_ENTRY_LIMIT = 500  # YAML files in one upload
# One content file is one category in one language: the shipped ones are under 30 KB, so a far bigger
# one is a mistake (a wrong file, generated text), said plainly rather than planned for seconds.
FILE_LIMIT = 512 * 1024
SINGLE_NAME = re.compile(r"^([a-z]{2})[-_]([a-z]+)\.ya?ml$")
# What zip tools write by default. zipfile inflates bzip2 and LZMA a whole chunk at once, however large.
ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# What a damaged or encrypted zip (or entry) raises when opened or read.
UNPACK_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError)


class UploadError(ValueError):
    pass


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(f"{name}: not UTF-8 text") from exc


def content_path(name: str) -> str:
    """The `content/<lang>/<category>.yaml` a file fills (as knowledge.editing reads it), or the name itself."""
    found = content_file(name)
    return f"content/{found[0]}/{found[1]}.yaml" if found else name


class UploadContents:
    """The YAML files of one import request. The limits count them all together (many small zips must not
    unpack to gigabytes), and no two may fill the same content file: one would silently replace the other."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self._sources: dict[str, str] = {}  # content path → the uploaded file it came from
        self._bytes_left = UPLOAD_LIMIT
        self._files_left = ZIP_ENTRY_LIMIT

    def reserve(self, name: str, size: int, count: int = 1) -> None:
        """Make room for `count` files of `size` bytes in all, before reading or unpacking them."""
        if count > self._files_left:
            raise UploadError(f"{name}: more than {ZIP_ENTRY_LIMIT} files in this upload")
        if size > self._bytes_left:
            raise UploadError(f"{name}: more than {UPLOAD_LIMIT // (1024 * 1024)} MB of text in this upload "
                              "(unpacked, all files together)")
        self._files_left -= count
        self._bytes_left -= size

    def add(self, path: str, text: str, source: str) -> None:
        target = content_path(path)
        if (earlier := self._sources.get(target)) is not None:
            raise UploadError(f"{earlier} and {source} are both {target}: upload only one of them")
        self._sources[target] = source
        self.files[path] = text


def refuse_large_file(name: str, size: int) -> None:
    if size > FILE_LIMIT:
        raise UploadError(f"{name}: larger than {FILE_LIMIT // 1024} KB; a content file holds one category "
                          "in one language (the shipped ones are under 30 KB)")


def add_zip(contents: UploadContents, name: str, data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except UNPACK_ERRORS as exc:
        raise UploadError(f"{name}: not a zip file") from exc
    entries = [i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith((".yaml", ".yml"))
               and not i.filename.startswith("__MACOSX/") and not i.filename.rsplit("/", 1)[-1].startswith(".")]
    if not entries:
        raise UploadError(f"{name}: no .yaml files inside (expected content/<lang>/<category>.yaml)")
    for entry in entries:
        refuse_large_file(f"{name}/{entry.filename}", entry.file_size)
    # read_entry never unpacks more than an entry declares, so this is what memory will hold
    contents.reserve(name, sum(i.file_size for i in entries), len(entries))
    for entry in entries:
        contents.add(entry.filename, _decode(entry.filename, read_entry(name, archive, entry)),
                   f"{name}/{entry.filename}")


def read_entry(name: str, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    """At most the entry's declared size (and its checksum checked): `archive.read` would first inflate all of
    a zip bomb's data in one piece."""
    problem = f"{name}: {entry.filename} cannot be unpacked"
    if entry.compress_type not in ZIP_METHODS:
        raise UploadError(f"{problem} (unusual compression: make the zip with the usual settings)")
    try:
        with archive.open(entry) as unpacked:
            return unpacked.read(entry.file_size)
    except UNPACK_ERRORS as exc:
        raise UploadError(f"{problem} (damaged or encrypted)") from exc


def _said_by_name(base: str) -> tuple[str, str]:
    """The language and category a file name like `fr-health.yaml` or `health.yaml` says ('' where it does not)."""
    match = SINGLE_NAME.match(base)
    lang, category = match.groups() if match else ("", base.rsplit(".", 1)[0])
    return (lang if lang in SUPPORTED_LANGUAGES else "", category if category in CATEGORIES else "")


def name_single(filename: str, lang: str, category: str) -> str:
    """`content/<lang>/<category>.yaml` for an uploaded YAML file. The file name wins (`fr-health.yaml`); the
    chosen language and category only fill in what it does not say (`health.yaml`, `answers.yaml`)."""
    said_lang, said_category = _said_by_name(filename.replace("\\", "/").rsplit("/", 1)[-1].lower())
    lang, category = said_lang or lang, said_category or category
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
    contents = UploadContents()
    for upload in uploads:
        data = upload.file.read(UPLOAD_LIMIT + 1)
        if len(data) > UPLOAD_LIMIT:
            raise UploadError(f"{upload.filename}: larger than {UPLOAD_LIMIT // (1024 * 1024)} MB")
        if upload.filename.lower().endswith(".zip"):
            add_zip(contents, upload.filename, data)
        elif upload.filename.lower().endswith((".yaml", ".yml")):
            refuse_large_file(upload.filename, len(data))
            contents.reserve(upload.filename, len(data))
            path = name_single(upload.filename, lang, category)
            contents.add(path, _decode(upload.filename, data), upload.filename)
        else:
            raise UploadError(f"{upload.filename}: upload a .zip or a .yaml file")
    return contents.files


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

    async def _plan_page(self, request: web.Request, files: dict[str, str], plan: ImportPlan | None = None,
                         *, moved: list[str] | None = None) -> web.Response:
        """The plan; the upload waits for confirmation only if the page offers it (changes, no errors).
        `moved`: the titles of texts someone saved since the editor's last look at the plan."""
        editing = self.parts.editing
        plan = plan or await editing.plan_upload(files)
        changes = [PlannedChange(c, topic_title(self.parts.kb, c.topic_id),
                                 compare(editing.current(c.topic_id, c.lang), c.new)) for c in plan.changes]
        errors = [p for p in plan.problems if p.severity == "error"]
        key = ""
        if changes and not errors:
            async with self.parts.sessions() as session:
                key = await pending_imports.put(session, editor_of(request).editor, files, dt.datetime.now(dt.UTC))
                await session.commit()
        bases = ",".join(f"{c.topic_id}:{c.lang}:{c.base}" for c in plan.changes)
        return page(request, "import_plan.html", status=409 if moved else 200, key=key, changes=changes,
                    problems=plan.problems, errors=errors, files=sorted(files), bases=bases, moved=moved or [])

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
        plan = await self.parts.editing.plan_upload(files)  # again: someone may have saved meanwhile
        if any(p.severity == "error" for p in plan.problems):
            return await self._plan_page(request, files, plan)
        # What the editor approved must be what is saved: a text saved by someone since is shown again.
        seen = posted_bases(form.get("bases", ""))
        if moved := [c for c in plan.changes if seen.get((c.topic_id, c.lang)) != c.base]:
            return await self._plan_page(request, files, plan, moved=self._titles(moved))
        if moved := await self.parts.editing.apply_import(plan, editor=editor_of(request).alias):
            return await self._plan_page(request, files, moved=self._titles(moved))  # planned once more
        return redirect(f"/admin/import?applied={len(plan.changes)}")

    def _titles(self, changes: list[Change]) -> list[str]:
        return [f"{topic_title(self.parts.kb, c.topic_id)} ({c.lang})" for c in changes]


def posted_bases(value: object) -> dict[tuple[str, str], int]:
    """The plan page's `topic:lang:version,...`: which version of each text the editor saw the
    changes against. Anything malformed counts as not seen (the plan is shown again)."""
    bases: dict[tuple[str, str], int] = {}
    for item in value.split(",") if isinstance(value, str) else []:
        topic_id, _, rest = item.partition(":")
        lang, _, number = rest.partition(":")
        if (version := parse_id(number)) is not None:
            bases[(topic_id, lang)] = version
    return bases


def setup(app: web.Application, parts: AppParts) -> None:
    views = FilesViews(parts)
    app.router.add_get("/admin/export", views.export)
    app.router.add_get("/admin/import", views.import_form)
    app.router.add_post("/admin/import", views.upload)
    app.router.add_post("/admin/import/apply", views.apply)

