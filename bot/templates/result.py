"""Error reasons quoted from an import result file, when a column or key plainly holds them."""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from bot.templates.checks import OLE2_MAGIC, UNPACKED_LIMIT, ZIP_MAGIC

logger = logging.getLogger(__name__)

QUOTED = 5
MAX_REASON = 300  # characters quoted per reason
MAX_ROWS = 200_000  # rows scanned per sheet; a result file is a marked-up upload
_REASON_NAME = re.compile(r"error|reason|错误|原因|失败", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ErrorReasons:
    """The first reasons (row number, text) and how many rows carry one; total 0 = none."""

    first: tuple[tuple[int, str], ...] = ()
    total: int = 0
    column: str | None = None  # the header or key the reasons came from

    @property
    def found(self) -> bool:
        return self.total > 0


NONE = ErrorReasons()


def _is_reason_name(value: Any) -> bool:
    return isinstance(value, str) and bool(_REASON_NAME.search(value))


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool | dict | list):
        return None
    text = " ".join(str(value).split())
    # DRS text reaches terminals and Slack: no control characters (escape sequences) get through
    text = "".join(ch if ch.isprintable() else "?" for ch in text[:MAX_REASON])
    return text or None


class _Collector:
    def __init__(self) -> None:
        self.first: list[tuple[int, str]] = []
        self.total = 0
        self.column: str | None = None

    def add(self, row: int, value: Any) -> None:
        text = _text(value)
        if text is None:
            return
        self.total += 1
        if len(self.first) < QUOTED:
            self.first.append((row, text))

    def result(self) -> ErrorReasons:
        return ErrorReasons(tuple(self.first), self.total, self.column if self.total else None)


def error_reasons(data: bytes) -> ErrorReasons:
    """Reasons from an xlsx, a JSON/TXT document or a zip of one; NONE for anything else."""
    try:
        if data.startswith(ZIP_MAGIC):
            return _from_zip(data)
        if data.startswith(OLE2_MAGIC):
            return NONE  # Excel 97-2003: not read; the file is still posted as it is
        return _from_json(data)
    except Exception:  # an odd file must never break the reply that quotes it
        logger.info("no error reasons read from a result file", exc_info=True)
        return NONE


def _from_zip(data: bytes) -> ErrorReasons:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "[Content_Types].xml" in names:
            return _from_xlsx(data)
        files = [i for i in archive.infolist() if not i.is_dir()]
        if len(files) != 1 or files[0].file_size > UNPACKED_LIMIT:
            return NONE
        with archive.open(files[0]) as member:
            inner = member.read(UNPACKED_LIMIT + 1)
    if len(inner) > UNPACKED_LIMIT or inner.startswith(ZIP_MAGIC):
        return NONE  # too large, or an archive inside the archive
    return _from_json(inner)


def _from_xlsx(data: bytes) -> ErrorReasons:
    from openpyxl import load_workbook  # only when a workbook shows up: it is a heavy import

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            found = _from_rows(sheet.iter_rows(values_only=True))
            if found.found:
                return found
    finally:
        book.close()
    return NONE


def _from_rows(rows: Any) -> ErrorReasons:
    collector, column = _Collector(), None
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            break
        if column is None:
            if number > 10:  # the header is near the top or there is none
                return NONE
            column = next((i for i, v in enumerate(row) if _is_reason_name(v)), None)
            if column is not None:
                collector.column = str(row[column]).strip()
            continue
        if column < len(row):
            collector.add(number, row[column])
    return collector.result()


def _keep_reasons(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Each object shrinks to its reason keys and lists as it is parsed: a result of thousands
    of rows never sits in memory whole."""
    return {
        k: v
        for k, v in pairs
        if isinstance(v, list) or (v not in ("", None) and _is_reason_name(k))
    }


def _from_json(data: bytes) -> ErrorReasons:
    document = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_keep_reasons)
    items: Any = document
    if isinstance(document, dict):
        items = next((v for v in document.values() if isinstance(v, list)), None)
    if not isinstance(items, list):
        return NONE
    collector = _Collector()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            continue
        key = next((k for k in item if _is_reason_name(k)), None)
        if key is not None:
            collector.column = collector.column or key
            collector.add(number, item[key])
    return collector.result()
