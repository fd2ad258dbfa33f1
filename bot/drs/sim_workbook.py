"""The simulator's template files: the blank workbook, reading an upload, marking its errors.

Rejection rule (deterministic, documented in the README): a row (xlsx) or an object (JSON)
whose table name is empty, or contains a space, is rejected with a reason; the parse fails
when any row is rejected or none is found. The table name is the column headed
`Source Table` (else the first header holding "table"; else the second column), or in JSON
the key `source_table` (else the first key holding "table").
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

HEADER = ("Source Database", "Source Table", "Target Database", "Target Table")
REASON_HEADER = "Error Reason"
REASON_KEY = "error_reason"
HOW_TO = (
    "Fill one row per table under the header, keep the header, save as .xlsx and upload it "
    "(drs-bot upload JOB_ID FILE, or in Slack: @drs-progress upload JOB_ID with the file)."
)


@dataclass
class Parsed:
    """What the simulated parse made of an upload."""

    rows: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    accepted: list[list[str]] = field(default_factory=list)
    marked: bytes = b""  # the upload with a reason beside each rejected row

    @property
    def status(self) -> str:
        return "failed" if self.rejected or not self.rows else "success"


def rejection(table: Any) -> str | None:
    """Why a table name is refused, or None when it is fine."""
    text = "" if table is None else str(table).strip()
    if not text:
        return "Table name is empty."
    if " " in text:
        return f"Table name {text!r} contains a space."
    return None


def workbook_bytes(title: str, header: tuple[str, ...], rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def blank_template(level: str) -> tuple[str, bytes]:
    """(file name, zip bytes): a zip holding one workbook with the header and a how-to sheet."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "objects"
    sheet.append(list(HEADER))
    notes = book.create_sheet("how to fill")
    notes.append([HOW_TO])
    notes.append([f"Level: {level}"])
    data = io.BytesIO()
    book.save(data)
    name = f"object_import_template_{level}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.xlsx", data.getvalue())
    return f"{name}.zip", out.getvalue()


def parse_upload(filename: str, data: bytes) -> Parsed:
    """Apply the rejection rule to an upload that passed DRS's checks."""
    ext = PurePosixPath(filename).suffix.lower()
    if ext == ".xlsx":
        return _parse_xlsx(data)
    if ext in (".json", ".txt"):
        return _parse_json(data)
    if ext == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            [info] = archive.infolist()
            parsed = _parse_json(archive.read(info))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(info.filename, parsed.marked)
        parsed.marked = out.getvalue()
        return parsed
    return Parsed(marked=data)  # .xls: not read by the simulator; the parse fails


def _table_column(header: list[Any]) -> int:
    names = [str(h or "").strip().lower() for h in header]
    if "source table" in names:
        return names.index("source table")
    for i, name in enumerate(names):
        if "table" in name:
            return i
    return 1


def _parse_xlsx(data: bytes) -> Parsed:
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = _table_column(header)
    reason_col = len(header) + 1
    sheet.cell(row=1, column=reason_col, value=REASON_HEADER)
    parsed = Parsed()
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if all(value is None or str(value).strip() == "" for value in row):
            continue
        parsed.rows += 1
        values = [("" if v is None else str(v)) for v in row]
        reason = rejection(row[column] if column < len(row) else None)
        if reason:
            parsed.rejected.append((number, reason))
            sheet.cell(row=number, column=reason_col, value=reason)
        else:
            parsed.accepted.append(values[: len(HEADER)])
    out = io.BytesIO()
    book.save(out)
    parsed.marked = out.getvalue()
    return parsed


def _items(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for value in document.values():
            if isinstance(value, list):
                return value
    return []


def _table_key(item: dict[str, Any]) -> str:
    if "source_table" in item:
        return "source_table"
    return next((k for k in item if "table" in k.lower()), "source_table")


def _parse_json(data: bytes) -> Parsed:
    document = json.loads(data.decode("utf-8-sig"))
    parsed = Parsed()
    for number, item in enumerate(_items(document), start=1):
        parsed.rows += 1
        if not isinstance(item, dict):
            parsed.rejected.append((number, "Not a JSON object."))
            continue
        reason = rejection(item.get(_table_key(item)))
        if reason:
            item[REASON_KEY] = reason
            parsed.rejected.append((number, reason))
        else:
            parsed.accepted.append([str(v) for v in item.values()][: len(HEADER)])
    parsed.marked = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return parsed
