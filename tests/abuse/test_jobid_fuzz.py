"""Fuzzing the job-ID guard: only a canonical ASCII ID ever leaves it, and only such IDs ever
reach DRS (the simulator records every path it was asked for)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.drs.client import DrsClient
from bot.drs.jobid import find_job_ids, job_ids_in, parse_job_id
from bot.drs.retry import NO_RETRY
from bot.drs.sim_jobs import SimJob
from bot.drs.simulator import DrsSimulator
from bot.errors import DrsError, InvalidJobId

CANONICAL = re.compile(r"^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$")
ID = "c7debc9c-8e09-4a5d-8dd6-cc44f78kb20r"
PROJECT = "0123456789abcdef0123456789abcdef"
PATH = re.compile(rf"^/v5/{PROJECT}/jobs/([^/]+)/db-object/template/progress$")


def at(index: int, text: str) -> str:
    return ID[:index] + text + ID[index:]


def written(text: str) -> bytes:
    """The text as bytes, lower-cased, en and em dashes read as the hyphens they replace."""
    return text.replace("–", "-").replace("—", "-").encode("utf-8", "surrogatepass").lower()


TRICKS = {
    "path traversal": "../../v3/auth/tokens",
    "traversal inside": at(9, "../"),
    "encoded slash": ID.replace("-", "%2F", 1),
    "encoded dots": "%2e%2e%2f" + ID,
    "double encoded": ID[:35] + "%252e",
    "percent-encoded ID": "".join(f"%{ord(c):02x}" for c in ID),
    "query smuggling": ID[:35] + "?x=1",
    "fragment": ID[:35] + "#",
    "fullwidth digits": ID.replace("7", "\uff17").replace("8", "\uff18"),
    "arabic-indic digit": ID.replace("9", "\u0669"),
    "cyrillic c and e": ID.replace("c", "\u0441").replace("e", "\u0435"),
    "greek omicron": ID.replace("0", "\u03bf"),
    "kelvin sign lowers to k": ID.replace("k", "\u212a"),
    "dotted capital i": ID.replace("b", "\u0130", 1),
    "zero-width space": at(10, "\u200b")[:36] + ID[36:],
    "zero-width joiner": at(3, "\u200d"),
    "byte order mark": "\ufeff" + ID,
    "combining acute": at(1, "\u0301"),
    "combining over a digit": ID[:35] + "r\u0338",
    "right-to-left override": "\u202e" + ID,
    "left-to-right mark": ID + "\u200e",
    "fullwidth hyphen": ID.replace("-", "\uff0d"),
    "non-breaking hyphen": ID.replace("-", "\u2011"),
    "minus sign": ID.replace("-", "\u2212"),
    "NUL": ID[:35] + "\x00",
    "newline injection": ID + "\nX-Auth-Token: x",
    "space inside": at(8, " "),
    "very long": ID * 30_000,
    "long run of dashes": "-" * 10_000,
}


@pytest.mark.parametrize("text", TRICKS.values(), ids=TRICKS.keys())
def test_tricks_are_refused_with_a_short_message(text: str) -> None:
    with pytest.raises(InvalidJobId) as caught:
        parse_job_id(text)
    message = caught.value.user_message()
    assert "8-4-4-4-12" in message
    assert len(message) < 400  # a huge input is never echoed back whole


@pytest.mark.parametrize("text", TRICKS.values(), ids=TRICKS.keys())
def test_free_text_yields_only_ids_written_there_in_ascii(text: str) -> None:
    # bytes.lower() folds ASCII only: a look-alike can never produce a match here
    for found in find_job_ids(f"job {text} please"):
        assert CANONICAL.match(found)
        assert found.encode() in written(text)


def test_wrapping_is_trimmed_to_the_canonical_id() -> None:
    for text in (ID.upper(), f"`{ID}`", f"“{ID}”", f"<{ID}>", f"  {ID}\t"):
        assert parse_job_id(text) == ID


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(st.sampled_from([*ID, "\u212a", "\u0130", "\u200b", "%", "/", "."])).map("".join),
        st.builds(at, st.integers(0, 36), st.text(min_size=1, max_size=3)),
    )
)
def test_whatever_passes_the_guard_is_canonical_ascii(text: str) -> None:
    try:
        value = parse_job_id(text)
    except InvalidJobId:
        return
    assert CANONICAL.match(value) and value.isascii()
    # written there in ASCII (only wrapping and whitespace trimmed): no look-alike maps onto it
    assert value.encode() in written(text)
    for found in find_job_ids(text):
        assert CANONICAL.match(found)
        assert found.encode() in written(text)


@pytest.fixture
async def drs() -> AsyncIterator[tuple[DrsSimulator, DrsClient]]:
    async with DrsSimulator([SimJob(ID, [{"send_success": False}])], project_id=PROJECT) as sim:
        http = httpx.AsyncClient(base_url=sim.url)
        async with DrsClient(http, project_id=PROJECT, retry=NO_RETRY) as client:
            yield sim, client


async def test_no_trick_reaches_drs_through_the_client(
    drs: tuple[DrsSimulator, DrsClient],
) -> None:
    sim, client = drs
    for text in TRICKS.values():
        with pytest.raises(InvalidJobId):
            await client.query(text)
    assert sim.requests == []
    assert (await client.query(f"`{ID.upper()}`")).job_id == ID
    assert [PATH.match(r.path).group(1) for r in sim.requests] == [ID]  # type: ignore[union-attr]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.one_of(
        st.text(max_size=50),
        st.builds(at, st.integers(0, 36), st.text(min_size=1, max_size=3)),
        st.sampled_from([ID, ID.upper(), f"`{ID}`"]),
    )
)
async def test_only_canonical_ids_ever_reach_drs(
    drs: tuple[DrsSimulator, DrsClient], text: str
) -> None:
    sim, client = drs
    with contextlib.suppress(InvalidJobId, DrsError):
        await client.query(text)
    for request in sim.requests:
        match = PATH.match(request.path)
        assert match is not None, request.path
        assert CANONICAL.match(match.group(1)), request.path
        assert request.query == {}


def test_en_and_em_dashes_between_groups_are_read_as_hyphens() -> None:
    assert parse_job_id(ID.replace("-", "–")) == ID
    assert parse_job_id(ID.replace("-", "—", 2)) == ID
    assert job_ids_in(f"job {ID.replace('-', '—')}.") == [ID]


@pytest.mark.parametrize(
    "text",
    [
        f"https://console.huaweicloud.com/drs/#/detail?jobId={ID}%2e%2e",
        f"https://evil.example/?jobId=%2e%2e%2f{ID[:35]}",
        f"https://console.huaweicloud.com/drs/?id={'%' + ID}",
    ],
)
def test_links_yield_only_ids_written_there_and_checked(text: str) -> None:
    for found in job_ids_in(text):
        assert CANONICAL.match(found)
        assert found.encode() in written(text)
