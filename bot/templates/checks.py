"""The checks DRS makes on an uploaded template, made before anything is sent (pure functions)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from bot.drs.jobid import quote_input
from bot.errors import (
    NotAWorkbook,
    NotJson,
    TemplateTooLarge,
    UnsupportedTemplateType,
    ZipMemberNotAllowed,
    ZipNotOneFile,
    ZipTooLargeUnpacked,
    ZipUnreadable,
    ZipUnsafePath,
)
from bot.templates.jsonscan import CHUNK, JsonScanner, JsonSyntaxError, check_json

MB = 1024 * 1024
# DRS's limits: Excel for Oracle to GaussDB; JSON (or a zip of one JSON) for the Kafka targets.
LIMITS = {".xls": 5 * MB, ".xlsx": 5 * MB, ".json": 5 * MB, ".txt": 5 * MB, ".zip": 1 * MB}
UNPACKED_LIMIT = 20 * MB
CONTENT_TYPES = {
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".txt": "text/plain",
    ".zip": "application/zip",
}
OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # the container of Excel 97-2003 files
ZIP_MAGIC = b"PK\x03\x04"
_JSON_INSIDE = (".json", ".txt")
_ARCHIVES = (".zip", ".gz", ".tgz", ".tar", ".rar", ".7z", ".bz2", ".xz", ".jar")
# What the standard library raises on corrupt archives (fuzzing found each of these).
_CORRUPT = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    IndexError,
    KeyError,
    struct.error,
)
ACCEPTED = "an .xlsx or .xls workbook, a .json or .txt file holding JSON, or a .zip holding one"


@dataclass(frozen=True, slots=True)
class TemplateFile:
    """A file that passed every check: what to tell DRS and the user about it."""

    name: str
    extension: str
    size: int
    member: str | None = None  # the file inside a zip
    unpacked_size: int | None = None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB" if size % MB else f"{size // MB} MB"


def extension_of(name: str) -> str:
    """The lower-cased extension DRS goes by; UnsupportedTemplateType when it takes none."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix not in LIMITS:
        raise UnsupportedTemplateType(
            name,
            f"{quote_input(name)} is not a file DRS imports.",
            f"Send {ACCEPTED}.",
        ).with_key("tpl.unsupported", name=quote_input(name))
    return suffix


def check_size(name: str, size: int) -> str:
    """Extension and size only (usable before downloading a file); returns the extension."""
    ext = extension_of(name)
    limit = LIMITS[ext]
    if size > limit:
        raise TemplateTooLarge(
            name,
            f"{quote_input(name)} is {_mb(size)}; DRS takes {ext} files up to {_mb(limit)}.",
            "Split the objects over several files, or zip a JSON file (up to 1 MB zipped)."
            if ext in (".json", ".txt")
            else "Split the objects over several files.",
        ).with_key(
            "tpl.too_large.json" if ext in (".json", ".txt") else "tpl.too_large",
            name=quote_input(name),
            size=_mb(size),
            ext=ext,
            limit=_mb(limit),
        )
    return ext


def check_template(name: str, data: bytes) -> TemplateFile:
    """Every check DRS makes, on the bytes of a file called `name`; raises TemplateFileError."""
    ext = check_size(name, len(data))
    if ext == ".xlsx":
        _check_xlsx(name, data)
    elif ext == ".xls":
        _check_xls(name, data)
    elif ext == ".zip":
        member, unpacked = _check_zip(name, data)
        return TemplateFile(name, ext, len(data), member, unpacked)
    else:
        _check_json(name, data)
    return TemplateFile(name, ext, len(data))


def _check_json(name: str, data: bytes, *, inside: str = "") -> None:
    try:
        check_json(data)
    except JsonSyntaxError as exc:
        raise _not_json(name, exc, inside) from None


def _not_json(name: str, exc: JsonSyntaxError, inside: str = "") -> NotJson:
    where = f"{quote_input(inside)} inside {quote_input(name)}" if inside else quote_input(name)
    return NotJson(
        name,
        f"{where} is not valid JSON: {exc.problem} (byte {exc.offset}).",
        "Save it as UTF-8 JSON (a JSON validator shows the exact spot).",
    ).with_key(
        "tpl.not_json.inside" if inside else "tpl.not_json",
        name=quote_input(name),
        inside=quote_input(inside),
        problem=exc.problem,
        offset=exc.offset,
    )


def _check_xls(name: str, data: bytes) -> None:
    if not data.startswith(OLE2_MAGIC):
        hint = " (it is an .xlsx workbook: rename it)" if _is_xlsx(data) else ""
        raise NotAWorkbook(
            name,
            f"{quote_input(name)} is not an Excel 97-2003 workbook{hint}.",
            "Save it from Excel as .xls or .xlsx.",
        ).with_key("tpl.not_xls.xlsx" if hint else "tpl.not_xls", name=quote_input(name))


def _is_xlsx(data: bytes) -> bool:
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except _CORRUPT:
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def _check_xlsx(name: str, data: bytes) -> None:
    if not _is_xlsx(data):
        hint = (
            " (it is an Excel 97-2003 file: rename it to .xls)"
            if data.startswith(OLE2_MAGIC)
            else ""
        )
        raise NotAWorkbook(
            name,
            f"{quote_input(name)} is not an .xlsx workbook{hint}.",
            "Save it from Excel as .xlsx (Excel Workbook).",
        ).with_key("tpl.not_xlsx.xls" if hint else "tpl.not_xlsx", name=quote_input(name))


def _unsafe(path: str) -> bool:
    parts = path.replace("\\", "/").split("/")
    return path.startswith(("/", "\\")) or ".." in parts or (len(path) > 1 and path[1] == ":")


def _check_zip(name: str, data: bytes) -> tuple[str, int]:
    try:
        return _open_zip(name, data)
    except _CORRUPT:
        raise ZipUnreadable(
            name,
            f"{quote_input(name)} is not a readable zip (corrupt, or an unsupported compression).",
            "Zip the JSON file again (standard deflate).",
        ).with_key("tpl.zip_unreadable", name=quote_input(name)) from None


def _open_zip(name: str, data: bytes) -> tuple[str, int]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) != 1:
            raise ZipNotOneFile(
                name,
                f"{quote_input(name)} holds {len(infos)} entries; "
                "DRS takes a zip of exactly one file.",
                "Zip one .json or .txt file alone (no folders, no other files).",
            ).with_key("tpl.zip_entries", name=quote_input(name), count=len(infos))
        info = infos[0]
        _check_member(name, info)
        return info.filename, _unpack_json(name, archive, info)


def _check_member(name: str, info: zipfile.ZipInfo) -> None:
    member = info.filename
    if _unsafe(member):
        raise ZipUnsafePath(
            name,
            f"The file inside {quote_input(name)} has an unsafe path {quote_input(member)}.",
            "Zip the file itself, without folders or `..` in its path.",
        ).with_key("tpl.zip_unsafe", name=quote_input(name), member=quote_input(member))
    suffix = PurePosixPath(member).suffix.lower()
    if not member or member.endswith("/") or suffix not in _JSON_INSIDE:
        what = "an archive inside an archive" if suffix in _ARCHIVES else "not a .json or .txt"
        raise ZipMemberNotAllowed(
            name,
            f"{quote_input(member)} inside {quote_input(name)} is {what}.",
            "Zip exactly one .json or .txt file.",
        ).with_key(
            "tpl.zip_member.archive" if suffix in _ARCHIVES else "tpl.zip_member.other",
            name=quote_input(name),
            member=quote_input(member),
        )
    if info.flag_bits & 0x1:
        raise ZipUnreadable(
            name, f"{quote_input(name)} is password-protected.", "Zip it without a password."
        ).with_key("tpl.zip_password", name=quote_input(name))
    if info.file_size > UNPACKED_LIMIT:
        raise _too_large(name, info.file_size)


def _too_large(name: str, size: int | None) -> ZipTooLargeUnpacked:
    found = f" ({_mb(size)})" if size is not None else ""
    return ZipTooLargeUnpacked(
        name,
        f"The file inside {quote_input(name)} unpacks to more than "
        f"{_mb(UNPACKED_LIMIT)}{found}; DRS takes at most {_mb(UNPACKED_LIMIT)} unpacked.",
        "Split the objects over several files.",
    ).with_key(
        "tpl.zip_too_large.size" if size is not None else "tpl.zip_too_large",
        name=quote_input(name),
        limit=_mb(UNPACKED_LIMIT),
        size=_mb(size) if size is not None else "",
    )


def _unpack_json(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Stream-decompress with a hard cap (declared sizes may lie) while checking the JSON."""
    scanner, total = JsonScanner(), 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                total += len(chunk)
                if total > UNPACKED_LIMIT:
                    raise _too_large(name, None)
                scanner.feed(chunk)
        scanner.close()
    except JsonSyntaxError as exc:
        raise _not_json(name, exc, info.filename) from None
    return total
