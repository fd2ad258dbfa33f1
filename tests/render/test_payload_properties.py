"""Property tests: for any user or DRS text, every payload is valid Block Kit, has a `text`,
holds no `<!`, `<@`, `<#` or `<http` the bot did not write, and lets nothing from outside format.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.domain.progress import Progress
from bot.domain.states import CardState
from bot.domain.watching import ReplyKind, WatchFacts
from bot.drs.responses import error_from_response
from bot.errors import DrsError, UsageError
from bot.render import answers
from bot.render.cards import CardView, ListItem, list_message, status_message, watch_card
from bot.render.message import Message
from bot.render.notes import first_check_failed
from bot.render.replies import render_reply
from bot.render.text import USER_ID
from bot.slack.grammar import parse_command, parse_mention
from bot.watcher.state import PolicyConfig

from .payloads import assert_safe_payload, formatting_outside_code

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
PERMALINK = "https://slack.example/archives/C0SANDBOX/p1"
PIECES = [
    "<!channel>", "<!here>", "<@U0EVIL>", "<#C0EVIL>", "<http://evil.example|click>",
    "<https://x>", "&amp;", "&lt;", "&gt;", "&", "<", ">", "|", "*", "_", "~", "`", ":", "!",
    "@", "#", "\n", "\t", " ", "a", "Z", "9", "é", "\u200b", "\u202e", "…", "```", "> ",
]  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=12).map("".join),
)
LONG = st.one_of(TEXT, st.lists(st.sampled_from(PIECES), min_size=200, max_size=900).map("".join))
USER = st.one_of(st.just("U0ASKER"), TEXT.filter(lambda s: not USER_ID.match(s)))
STATUS = st.one_of(st.none(), st.sampled_from(["success", "failed", "pending"]), TEXT)
PROGRESS = st.builds(
    Progress,
    job_id=st.just(JOB),
    send_success=st.one_of(st.none(), st.booleans()),
    process_status=STATUS,
    parsed_success_number=st.one_of(st.none(), st.integers(0, 10**12)),
    parsed_success_raw=st.one_of(st.none(), TEXT),
    observed_at=st.just(T0),
)
CONFIG = PolicyConfig()
FACTS = WatchFacts(
    created_at=T0, expires_at=T0 + timedelta(hours=24), requested_by="U0ASKER", joined_by=()
)
CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{1,20}$")  # the bot links these itself
KNOWN_CODES = ["DRS.10000010", "APIGW.0308", "DRS.M00261"]
FOREVER = settings(deadline=None, max_examples=150)


def reply(kind: ReplyKind, progress: Progress | None, error: str | None) -> Message:
    return render_reply(
        kind,
        job_id=JOB,
        progress=progress,
        facts=FACTS,
        now=T0 + timedelta(minutes=5),
        config=CONFIG,
        error_message=error,
        project_id="0123abcd",
        failures=3,
    )


@FOREVER
@given(
    progress=st.one_of(st.none(), PROGRESS),
    state=st.sampled_from([*CardState, None]),
    note=st.one_of(st.none(), LONG, LONG.map(first_check_failed)),
    requested_by=st.one_of(st.none(), USER),
    joined_by=st.lists(USER, max_size=12),
    job_type=st.one_of(st.none(), TEXT),
    state_raw=st.one_of(st.none(), TEXT),
)
def test_any_card_is_safe(
    progress: Progress | None,
    state: CardState | None,
    note: str | None,
    requested_by: str | None,
    joined_by: list[str],
    job_type: str | None,
    state_raw: str | None,
) -> None:
    view = CardView(
        JOB,
        state,
        progress,
        watch_id=7,
        requested_by=requested_by,
        joined_by=tuple(joined_by),
        checked_at=T0,
        note=note,
        job_type=job_type,
        state_raw=state_raw,
    )
    assert_safe_payload(watch_card(view))


@FOREVER
@given(progress=PROGRESS, job_type=st.one_of(st.none(), TEXT), command=TEXT)
def test_any_status_answer_is_safe(progress: Progress, job_type: str | None, command: str) -> None:
    assert_safe_payload(status_message(progress, job_type=job_type, command_name=command or "/x"))


@FOREVER
@given(
    items=st.lists(
        st.builds(
            ListItem,
            job_id=st.just(JOB),
            progress=st.one_of(st.none(), PROGRESS),
            permalink=st.one_of(st.none(), st.just(PERMALINK)),
            requested_by=st.one_of(st.none(), USER),
            thread=st.booleans(),
        ),
        max_size=60,
    )
)
def test_any_list_is_safe(items: list[ListItem]) -> None:
    assert_safe_payload(list_message(items, command_name="/drs-progress"))


@FOREVER
@given(
    kind=st.sampled_from(list(ReplyKind)),
    progress=st.one_of(st.none(), PROGRESS),
    error=st.one_of(st.none(), LONG),
)
def test_any_reply_is_safe(kind: ReplyKind, progress: Progress | None, error: str | None) -> None:
    assert_safe_payload(reply(kind, progress, error))


@FOREVER
@given(
    kind=st.sampled_from(list(ReplyKind)),
    status=TEXT,
    error=TEXT,
)
def test_drs_words_never_add_formatting_to_a_reply(
    kind: ReplyKind, status: str, error: str
) -> None:
    assume(status.strip().lower() not in ("success", "failed"))
    hostile = reply(kind, Progress(JOB, True, status, 5, "5", T0), error)
    plain = reply(kind, Progress(JOB, True, "x" if status.strip() else status, 5, "5", T0), "x")
    assert formatting_outside_code(hostile) == formatting_outside_code(plain)


@FOREVER
@given(status=TEXT, note=TEXT)
def test_drs_words_never_add_formatting_to_a_card(status: str, note: str) -> None:
    assume(status.strip().lower() not in ("success", "failed"))

    def card(status: str, note: str) -> Message:
        progress = Progress(JOB, True, status, 5, "5", T0)
        view = CardView(JOB, CardState.WATCHING, progress, watch_id=1, note=note)
        return watch_card(view)

    plain = card("x" if status.strip() else status, "x" if note.strip() else note)
    assert formatting_outside_code(card(status, note)) == formatting_outside_code(plain)


@FOREVER
@given(
    text=st.one_of(
        TEXT,
        st.lists(st.sampled_from([*PIECES, "--", "--type", JOB, "status"]), max_size=12).map(
            " ".join
        ),
    )
)
def test_any_usage_error_is_safe(text: str) -> None:
    for parse in (parse_command, parse_mention):
        try:
            parse(text)
        except UsageError as exc:
            assert_safe_payload(answers.usage_error_message(exc.user_message(), "/drs-progress"))
            assert_safe_payload(answers.error_message(exc))


@FOREVER
@given(
    status=st.sampled_from([400, 401, 403, 404, 429, 500, 503]),
    code=st.one_of(st.none(), st.sampled_from(KNOWN_CODES), TEXT),
    message=st.one_of(st.none(), LONG),
    request_id=st.one_of(st.none(), TEXT.map(lambda s: "".join(c for c in s if c.isprintable()))),
)
def test_any_drs_error_is_safe(
    status: int, code: str | None, message: str | None, request_id: str | None
) -> None:
    error = drs_error(status, code, message, request_id)
    # The same answer with plain words in DRS's place: formatting can only be the bot's own.
    plain = drs_error(
        status,
        code if code in KNOWN_CODES or not code else "x",
        "x" if message else message,
        "x" if request_id else request_id,
    )
    for shown, baseline in (
        (answers.drs_error_message(JOB, error), answers.drs_error_message(JOB, plain)),
        (answers.error_message(error), answers.error_message(plain)),
    ):
        assert_safe_payload(shown)
        assert formatting_outside_code(shown) == formatting_outside_code(baseline)


def drs_error(
    status: int, code: str | None, message: str | None, request_id: str | None
) -> DrsError:
    """What the client makes of DRS's error answer."""
    body = {"error_code": code, "error_msg": message}
    headers = {"X-Request-Id": request_id.encode("utf-8")} if request_id else {}
    return error_from_response(httpx.Response(status, json=body, headers=headers), JOB, T0)


@FOREVER
@given(
    channel=st.one_of(st.just("C0SANDBOX"), TEXT.filter(lambda s: not CHANNEL_ID.match(s))),
    bot=st.one_of(st.none(), st.just("UBOT")),
)
def test_any_invite_hint_is_safe(channel: str, bot: str | None) -> None:
    assert_safe_payload(answers.invite_hint(bot, channel or "C0SANDBOX"))
