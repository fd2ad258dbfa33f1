"""Error reasons are quoted only when a column or key plainly holds them; odd files give none."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.templates.result import NONE, QUOTED, error_reasons
from tests.templates.helpers import xlsx, zipped


def test_xlsx_column_named_error_reason() -> None:
    rows: list[list[object]] = [["Source Table", "Target", "Error Reason"]]
    rows += [[f"t{i}", "x", f"bad {i}" if i % 2 else None] for i in range(20)]
    found = error_reasons(xlsx(rows))
    assert found.column == "Error Reason"
    assert found.total == 10
    assert len(found.first) == QUOTED
    assert found.first[0] == (3, "bad 1")  # spreadsheet row numbers, header is row 1


def test_chinese_header_below_a_title_row() -> None:
    rows: list[list[object]] = [
        ["对象导入结果"],
        ["源表名", "错误原因"],
        ["a", "表名为空"],
        ["b", ""],
    ]
    found = error_reasons(xlsx(rows))
    assert (found.column, found.total, found.first) == ("错误原因", 1, ((3, "表名为空"),))


@pytest.mark.parametrize(
    "document",
    [
        [{"source_table": "a"}, {"source_table": "", "error_reason": "Table name is empty."}],
        {
            "objects": [
                {"source_table": "a"},
                {"source_table": "", "失败原因": "Table name is empty."},
            ]
        },
    ],
)
def test_json_list_or_object_holding_a_list(document: object) -> None:
    found = error_reasons(json.dumps(document, ensure_ascii=False).encode())
    assert found.total == 1
    assert found.first == ((2, "Table name is empty."),)


def test_zip_of_one_json_and_reasons_are_flattened_and_cut() -> None:
    items = [{"table": "x", "Error": "line one\nline two " + "z" * 500}]
    found = error_reasons(zipped(("r.json", json.dumps(items).encode())))
    assert found.first[0][1].startswith("line one line two z")
    assert len(found.first[0][1]) == 300


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[1, 2, 3]",
        json.dumps([{"source_table": "a"}]).encode(),
        xlsx([["Source Table"], ["a"]]),
        zipped(("a.json", b"[]"), ("b.json", b"[]")),
        zipped(("inner.zip", zipped(("a.json", b"[]")))),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
        b"PK\x03\x04garbage",
    ],
)
def test_no_reasons_found_in_odd_files(data: bytes) -> None:
    assert error_reasons(data) == NONE
    assert not NONE.found


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_never_raises(data: bytes) -> None:
    assert error_reasons(data).total >= 0


def test_control_characters_never_reach_the_reply() -> None:
    items = [{"error_reason": "bad\x1b[31m red\x07 table"}]
    found = error_reasons(json.dumps(items).encode())
    assert found.first == ((1, "bad?[31m red? table"),)


def test_a_large_json_result_is_read_in_bounded_memory() -> None:
    items = [
        {"source_table": f"orders_{i:07d}", "topic": "t", "error_reason": "" if i % 10 else "bad"}
        for i in range(30_000)
    ]
    data = json.dumps(items).encode()
    del items
    tracemalloc.start()
    try:
        found = error_reasons(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (found.total, found.first[1]) == (3_000, (11, "bad"))
    assert peak < 3 * len(data)
