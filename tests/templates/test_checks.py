"""Every refusal DRS would make, made before sending: types, sizes, content, zips (incl. bombs)."""

from __future__ import annotations

import contextlib
import io
import json
import struct
import tracemalloc
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import (
    NotAWorkbook,
    NotJson,
    TemplateFileError,
    TemplateTooLarge,
    UnsupportedTemplateType,
    ZipMemberNotAllowed,
    ZipNotOneFile,
    ZipTooLargeUnpacked,
    ZipUnreadable,
    ZipUnsafePath,
)
from bot.templates.checks import MB, OLE2_MAGIC, UNPACKED_LIMIT, check_size, check_template
from tests.templates.helpers import xlsx, zipped

OBJECTS = json.dumps([{"source_table": "orders"}]).encode()


def test_accepted_files_pass() -> None:
    book = xlsx([["Source Table"], ["orders"]])
    assert check_template("Orders.XLSX", book).content_type.endswith("spreadsheetml.sheet")
    assert check_template("legacy.xls", OLE2_MAGIC + b"\0" * 512).extension == ".xls"
    assert check_template("o.json", OBJECTS).size == len(OBJECTS)
    assert check_template("o.txt", b"\xef\xbb\xbf" + OBJECTS).content_type == "text/plain"
    ok = check_template("o.zip", zipped(("objects.json", OBJECTS)))
    assert (ok.member, ok.unpacked_size) == ("objects.json", len(OBJECTS))


@pytest.mark.parametrize("name", ["orders.csv", "orders", "orders.xlsx.exe", "o.json ", "x.ZIPX"])
def test_other_types_refused(name: str) -> None:
    with pytest.raises(UnsupportedTemplateType) as caught:
        check_template(name, OBJECTS)
    assert ".xlsx" in caught.value.user_message()
    assert "Nothing was sent to DRS" in caught.value.user_message()


@pytest.mark.parametrize(
    ("name", "limit"),
    [("a.xlsx", 5 * MB), ("a.xls", 5 * MB), ("a.json", 5 * MB), ("a.txt", 5 * MB), ("a.zip", MB)],
)
def test_size_limits_at_the_byte(name: str, limit: int) -> None:
    assert check_size(name, limit) == name[1:]
    with pytest.raises(TemplateTooLarge) as caught:
        check_size(name, limit + 1)
    assert f"up to {limit // MB} MB" in caught.value.user_message()


def test_five_megabyte_json_checked() -> None:
    row = b'{"source_database": "db", "source_table": "orders_%06d"},'
    body = b"".join(row % i for i in range(5 * MB // len(row % 0) - 2))
    data = b"[" + body + b'{"source_table": "last"}]'
    assert len(data) <= 5 * MB
    assert check_template("big.json", data).size == len(data)


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("a.xlsx", b"not a zip at all", "not an .xlsx workbook"),
        ("a.xlsx", zipped(("hello.txt", b"hi")), "not an .xlsx workbook"),
        ("a.xlsx", OLE2_MAGIC + b"\0" * 64, "rename it to .xls"),
        ("a.xls", b"<html>table</html>", "not an Excel 97-2003 workbook"),
        ("a.xls", xlsx([["x"]]), "it is an .xlsx workbook"),
    ],
)
def test_workbook_content_must_match(name: str, data: bytes, fragment: str) -> None:
    with pytest.raises(NotAWorkbook) as caught:
        check_template(name, data)
    assert fragment in caught.value.user_message()


@pytest.mark.parametrize(
    "data", [b"", b"{'a': 1}", b"[1, 2", b"\xff\xfe[\x001\x00]\x00", b"PK\x03\x04"]
)
def test_json_must_parse(data: bytes) -> None:
    for name in ("a.json", "a.txt"):
        with pytest.raises(NotJson) as caught:
            check_template(name, data)
        assert "not valid JSON" in caught.value.user_message()


def test_zip_with_two_files_or_none_refused() -> None:
    with pytest.raises(ZipNotOneFile, match="holds 2 entries"):
        check_template("a.zip", zipped(("a.json", OBJECTS), ("b.json", OBJECTS)))
    with pytest.raises(ZipNotOneFile, match="holds 0 entries"):
        check_template("a.zip", zipped())


@pytest.mark.parametrize(
    ("member", "fragment"),
    [
        ("inner.zip", "archive inside an archive"),
        ("a.xlsx", "not a .json"),
        ("dir/", "not a .json"),
    ],
)
def test_zip_member_must_be_json_or_txt(member: str, fragment: str) -> None:
    inner = zipped(("a.json", OBJECTS)) if member.endswith(".zip") else b""
    with pytest.raises(ZipMemberNotAllowed, match=fragment):
        check_template("a.zip", zipped((member, inner)))


@pytest.mark.parametrize(
    "member", ["../x.json", "a/../../x.json", "/etc/x.json", "C:/x.json", "..\\x.txt"]
)
def test_zip_unsafe_paths_refused(member: str) -> None:
    raw = _rename(zipped(("placeholder.json", OBJECTS)), member)
    with pytest.raises(ZipUnsafePath):
        check_template("a.zip", raw)


def _rename(raw: bytes, new: str) -> bytes:
    """zipfile will not write names like `../x`: write a same-length stand-in, then swap it."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        data = archive.read(archive.namelist()[0])
    stand_in = "n" * len(new.encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(stand_in, data)
    return out.getvalue().replace(stand_in.encode(), new.encode())


def bomb(size: int, *, declared: int | None = None) -> bytes:
    """A JSON string of `size` spaces' worth, deflated; optionally lying about its size."""
    payload = b'"' + b"a" * (size - 2) + b'"'
    raw = zipped(("bomb.json", payload))
    if declared is None:
        return raw
    real = struct.pack("<I", len(payload))
    return raw.replace(real, struct.pack("<I", declared))


def test_zip_bomb_refused_by_its_declared_size() -> None:
    data = bomb(UNPACKED_LIMIT + 10)
    assert len(data) < MB
    with pytest.raises(ZipTooLargeUnpacked, match="unpacks to more than 20 MB"):
        check_template("a.zip", data)


def test_zip_bomb_lying_about_its_size_refused_in_bounded_memory() -> None:
    data = bomb(UNPACKED_LIMIT * 5, declared=1000)  # 100 MB unpacked, says 1000 bytes
    tracemalloc.start()
    try:
        with pytest.raises((ZipTooLargeUnpacked, ZipUnreadable)):
            check_template("a.zip", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * MB  # never unpacked beyond a few chunks


def test_zip_at_the_unpacked_limit_passes() -> None:
    data = bomb(UNPACKED_LIMIT)
    assert check_template("a.zip", data).unpacked_size == UNPACKED_LIMIT


def test_zip_holding_bad_json_or_encrypted_refused() -> None:
    with pytest.raises(NotJson, match="inside"):
        check_template("a.zip", zipped(("a.txt", b"{nope}")))
    raw = bytearray(zipped(("a.json", OBJECTS)))
    raw[6] |= 0x1  # the encryption flag, local header
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 8] |= 0x1
    with pytest.raises(ZipUnreadable, match="password"):
        check_template("a.zip", bytes(raw))
    with pytest.raises(ZipUnreadable):
        check_template("a.zip", b"PK\x03\x04 truncated")


@settings(max_examples=300)
@given(st.binary(max_size=400), st.sampled_from(["a.zip", "a.xlsx", "a.xls", "a.json", "a.txt"]))
def test_any_bytes_pass_or_get_a_template_error(data: bytes, name: str) -> None:
    try:
        check_template(name, data)
    except TemplateFileError as exc:
        assert exc.user_message()


@settings(max_examples=200)
@given(st.binary(min_size=30, max_size=300), st.integers(min_value=0))
def test_corrupted_zips_pass_or_get_a_template_error(noise: bytes, where: int) -> None:
    raw = bytearray(zipped(("a.json", OBJECTS * 3)))
    start = where % len(raw)
    raw[start : start + len(noise)] = noise[: len(raw) - start]
    with contextlib.suppress(TemplateFileError):
        check_template("a.zip", bytes(raw))
