"""`drs-bot serve` in Socket Mode (SLACK_APP_TOKEN set): envelopes over a websocket, acks back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.drs.sim_jobs import SimJob
from bot.sandbox.harness import harness_env, stand_ins
from bot.sandbox.slack_standin import SlackStandIn
from bot.sandbox.socket_standin import SocketModeStandIn
from tests.test_serve import JOB, cards, clean_env, free_port, serve_process, wait_healthy


def slash(slack: SlackStandIn, text: str) -> dict[str, Any]:
    return {
        "command": "/drs-progress",
        "text": text,
        "team_id": "T0SANDBOX",
        "channel_id": "C0SANDBOX",
        "user_id": "U0USER",
        "response_url": slack.new_response_url(),
        "trigger_id": "1.2.sandbox",
    }


async def test_serve_in_socket_mode_answers_commands_and_posts_cards(tmp_path: Path) -> None:
    job = SimJob(JOB, [{"send_success": True, "parsed_success_number": "1234"}], step_seconds=60)
    async with stand_ins([job]) as (simulator, slack), SocketModeStandIn(slack) as socket:
        port = free_port()
        env = clean_env(
            **harness_env(simulator, slack, f"sqlite:///{tmp_path / 'bot.sqlite3'}"),
            SLACK_APP_TOKEN=socket.app_token,
            PORT=str(port),
        )
        env.pop("SLACK_SIGNING_SECRET")  # Socket Mode needs none
        async with serve_process(env, tmp_path) as bot:
            await wait_healthy(f"http://127.0.0.1:{port}", bot, tmp_path)
            await socket.wait_connected()
            usage = await socket.send("slash_commands", slash(slack, "help"))
            assert "/drs-progress status" in str(usage.get("blocks"))
            checking = await socket.send("slash_commands", slash(slack, JOB))
            assert "Checking" in str(checking.get("text"))
            await slack.wait_for(lambda: len(cards(slack)) == 1, timeout=15)
        assert socket.opened >= 1
        assert cards(slack)[0].text == "DRS c7debc9c…jb20r: parsing, 1,234 rows"
        log = (tmp_path / "serve.log").read_text()
        assert "Traceback" not in log and socket.app_token not in log
