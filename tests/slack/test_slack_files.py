"""Files in Slack: the stand-in speaks files upload v2 as slack_sdk does, the gateway verifies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import FakeClock
from bot.domain.files import SharedFile
from bot.errors import (
    FileNotReadable,
    FileNotVisible,
    FileSizeMismatch,
    MissingScope,
    SlackFileTooLarge,
)
from bot.render import answers
from bot.sandbox.slack_standin import SlackStandIn
from bot.slack.gateway import SlackGateway, build_web_client

TOKEN = "xoxb-test-token"
CHANNEL = "C0SANDBOX"
THREAD = "1700000000.000100"
DATA = b"PK\x03\x04 pretend workbook bytes " * 100


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(bot_token=TOKEN, bot_user_id="U0DRSBOT", clock=FakeClock()) as s:
        yield s


@pytest.fixture
def gateway(standin: SlackStandIn) -> SlackGateway:
    return SlackGateway(build_web_client(TOKEN, standin.api_url))


def shared(standin: SlackStandIn, name: str = "orders.xlsx", **kwargs: object) -> SharedFile:
    stored = standin.add_user_file(name, DATA, **kwargs)  # type: ignore[arg-type]
    found = SharedFile.from_slack(standin.file_item(stored))
    assert found is not None
    return found


async def test_official_files_upload_v2_shares_into_the_thread(standin: SlackStandIn) -> None:
    client = AsyncWebClient(token=TOKEN, base_url=standin.api_url)
    response = await client.files_upload_v2(
        channel=CHANNEL,
        thread_ts=THREAD,
        filename="template.zip",
        content=DATA,
        initial_comment="Fill it in",
    )
    file_id = response["file"]["id"]
    assert standin.files[file_id].content == DATA
    [reply] = standin.thread(CHANNEL, THREAD)
    assert reply.text == "Fill it in"
    assert [f["name"] for f in reply.files] == ["template.zip"]
    info = await client.files_info(file=file_id)
    assert info["file"]["size"] == len(DATA)
    assert [f.name for f in standin.posted_files(CHANNEL)] == ["template.zip"]


async def test_file_urls_need_the_bot_token_else_the_login_page(standin: SlackStandIn) -> None:
    item = standin.file_item(standin.add_user_file("orders.xlsx", DATA))
    async with httpx.AsyncClient() as http:
        anonymous = await http.get(item["url_private_download"])
        with_token = await http.get(
            item["url_private_download"], headers={"Authorization": f"Bearer {TOKEN}"}
        )
    assert anonymous.status_code == 200
    assert anonymous.headers["content-type"].startswith("text/html")
    assert with_token.content == DATA


async def test_gateway_uploads_and_downloads(standin: SlackStandIn, gateway: SlackGateway) -> None:
    file_id = await gateway.upload_file(
        CHANNEL, THREAD, name="blank.zip", content=DATA, comment="here"
    )
    info = await gateway.file_info(file_id)
    assert (info.name, info.size) == ("blank.zip", len(DATA))
    assert await gateway.download_file(info, cap=len(DATA)) == DATA


async def test_a_login_page_is_not_the_file(standin: SlackStandIn, gateway: SlackGateway) -> None:
    standin.files_readable = False
    with pytest.raises(FileNotReadable) as caught:
        await gateway.download_file(shared(standin), cap=10**6)
    text = answers.error_message(caught.value).text
    assert "files:read" in text and "reinstall" in text


async def test_a_size_other_than_announced_is_refused(
    standin: SlackStandIn, gateway: SlackGateway
) -> None:
    with pytest.raises(FileSizeMismatch):
        await gateway.download_file(shared(standin, announced_size=len(DATA) + 1), cap=10**6)


async def test_a_file_the_bot_cannot_see(standin: SlackStandIn, gateway: SlackGateway) -> None:
    with pytest.raises(FileNotVisible) as caught:
        await gateway.download_file(shared(standin, hidden=True), cap=10**6)
    assert "share the file" in caught.value.user_message()
    with pytest.raises(FileNotVisible):
        await gateway.file_info("F99999999")


async def test_downloads_stop_at_the_cap(standin: SlackStandIn, gateway: SlackGateway) -> None:
    with pytest.raises(SlackFileTooLarge):
        await gateway.download_file(shared(standin), cap=100)
    lying = shared(standin, announced_size=10)  # Slack said small; more bytes come
    with pytest.raises(SlackFileTooLarge):
        await gateway.download_file(lying, cap=100)


async def test_missing_scope_says_reinstall(standin: SlackStandIn, gateway: SlackGateway) -> None:
    standin.error_next("files.getUploadURLExternal", "missing_scope")
    with pytest.raises(MissingScope) as caught:
        await gateway.upload_file(CHANNEL, THREAD, name="a.zip", content=DATA, comment="x")
    assert "files:write" in caught.value.user_message()
