"""Errors in the reader's language, over real HTTP: bad job IDs, usage, DRS and the policy."""

from __future__ import annotations

from pathlib import Path

from .conftest import JOB_A, World, parsing, sim_job
from .test_languages_live import DM, Live, chinese, live

ZH = "U0ZHREADER"
EN = "U0ENREADER"
UNKNOWN = "0b5e7a11-2222-4a5d-8dd6-cc44f78jb29z"
POLICY = """\
[[rules]]
name = "no-status-checks"
effect = "deny"
actions = ["status"]

[[rules]]
name = "everyone-else"
effect = "allow"
actions = ["watch", "upload", "template", "stop", "list"]
"""


async def _answers(bot: Live, user: str, *texts: str) -> list[str]:
    """Send each text as a DM from `user`; the bot's answers, one per text, in order."""
    for i, text in enumerate(texts):
        before = len(bot.h.slack.messages(DM))
        await bot.dm(text, user=user, ts=f"17000000{i:02d}.000100")
        await bot.h.slack.wait_for(lambda n=before: len(bot.h.slack.messages(DM)) > n)  # type: ignore[misc]
    return [f"{m.text} {m.blocks}" for m in bot.h.slack.messages(DM)][-len(texts) :]


async def test_a_chinese_reader_gets_errors_in_chinese_and_english_stays(world: World) -> None:
    async with live(world, [sim_job(JOB_A, parsing(10))]) as bot:
        bot.h.slack.locales[ZH] = "zh-CN"
        bot.h.slack.locales[EN] = "en-US"
        bad_id = "c7debc9c-8e09-4a5d-8dd6"
        said = await _answers(bot, ZH, f"status {bad_id}", "list extra", f"status {UNKNOWN}")
        assert all(chinese(text) for text in said), said
        assert "不是 DRS 任务 ID" in said[0] and "正确写法" in said[0] and bad_id in said[0]
        assert "is not" not in said[0] and "Right form" not in said[0]
        assert "`list` 后面不接任何内容" in said[1] and "extra" in said[1]
        assert UNKNOWN in said[2] and "DRS has no job" not in said[2]
        assert "没有" in said[2] and "try again" not in said[2]

        said = await _answers(bot, EN, f"status {bad_id}", "list extra", f"status {UNKNOWN}")
        assert not any(chinese(text) for text in said), said
        assert f"`{bad_id}` is not a DRS job ID (it has 23 characters)" in said[0]
        assert "Right form:" in said[0]
        assert "`list` takes nothing after it (got `extra`)" in said[1]
        assert f"DRS has no job `{UNKNOWN}`" in said[2]

        typed = await bot.slash("list extra", user=ZH)  # the slash command's private answer
        assert "`list` 后面不接任何内容" in typed and "正确写法" in typed
        typed = await bot.slash(f"{bad_id} --lang fr", user=ZH)
        assert chinese(typed) and "`fr`" in typed and "is not" not in typed
        typed = await bot.slash("list extra", user=EN)
        assert "`list` takes nothing after it (got `extra`). Right form:" in typed


async def test_a_chinese_reader_is_refused_by_the_policy_in_chinese(
    world: World, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    async with live(world, [sim_job(JOB_A, parsing(10))], ACCESS_POLICY=str(policy)) as bot:
        bot.h.slack.locales[ZH] = "zh-CN"
        bot.h.slack.locales[EN] = "en-US"
        (refused,) = await _answers(bot, ZH, f"status {JOB_A}")
        assert "你不能在这里查询任务" in refused and "`no-status-checks`" in refused
        assert "工作区管理员" in refused and "You may not" not in refused
        (refused,) = await _answers(bot, EN, f"status {JOB_A}")
        assert "You may not check jobs here" in refused and not chinese(refused)
        assert "`no-status-checks` refuses it" in refused
