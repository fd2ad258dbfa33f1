"""The streaming JSON check agrees with the json module, wherever the chunks are cut."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.templates.jsonscan import MAX_DEPTH, JsonScanner, JsonSyntaxError, check_json

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def json_module_accepts(data: bytes) -> bool:
    def refuse(name: str) -> None:
        raise ValueError(name)  # NaN and Infinity are Python's, not JSON's

    try:
        json.loads(data.decode("utf-8"), parse_constant=refuse)
    except (ValueError, RecursionError):
        return False
    return True


def scan_in_pieces(data: bytes, cuts: list[int]) -> None:
    scanner = JsonScanner()
    start = 0
    for cut in sorted({c % (len(data) + 1) for c in cuts}):
        scanner.feed(data[start:cut])
        start = cut
    scanner.feed(data[start:])
    scanner.close()


def scanner_accepts(data: bytes, cuts: list[int]) -> bool:
    try:
        scan_in_pieces(data, cuts)
    except JsonSyntaxError:
        return False
    return True


@settings(max_examples=300)
@given(json_values, st.lists(st.integers(min_value=0), max_size=6), st.booleans())
def test_every_json_document_passes_in_any_chunking(
    value: object, cuts: list[int], pretty: bool
) -> None:
    data = json.dumps(value, indent=2 if pretty else None, ensure_ascii=False).encode()
    assert scanner_accepts(data, cuts)


@settings(max_examples=500)
@given(
    st.one_of(
        st.binary(max_size=40),
        st.text(alphabet='{}[]:,"\\ -+.0123456789eEtrufalsn\n\x01é', max_size=30).map(str.encode),
    ),
    st.lists(st.integers(min_value=0), max_size=4),
)
def test_agrees_with_the_json_module_on_arbitrary_bytes(data: bytes, cuts: list[int]) -> None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # the scanner allows a BOM, json.loads(str) does not
    assert scanner_accepts(data, cuts) == json_module_accepts(data)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "ends early"),
        (b'{"a": 1', "ends early"),
        (b'{"a" 1}', "':' was expected"),
        (b"[1,]", "a value was expected"),
        (b"[01]", "malformed number"),
        (b'"tab\there"', "control character"),
        (b"{} {}", "after the end"),
        (b"\xff", "not UTF-8"),
        (b"NaN", "a value was expected"),
    ],
)
def test_refusals_say_what_and_where(data: bytes, problem: str) -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        check_json(data)
    assert problem in caught.value.problem


def test_bom_accepted_and_depth_capped() -> None:
    check_json(b'\xef\xbb\xbf{"a": [1]}')
    check_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH)
    with pytest.raises(JsonSyntaxError, match="nested deeper"):
        check_json(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1))


def test_long_strings_cross_chunks_without_being_buffered() -> None:
    scanner = JsonScanner()
    scanner.feed(b'["' + b"x" * 100_000)
    for _ in range(50):
        scanner.feed(b"y" * 100_000)
        assert len(scanner._buf) == 0  # nothing carried for a string body
    scanner.feed(b'\\u00e9", ' + b"1" * 3)
    scanner.feed(b"23.5e1]")
    scanner.close()
