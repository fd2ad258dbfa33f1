"""`drs-bot sandbox` as a real process: clean env, scripts, the demo, timing, faults, bad files."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import re
import sys
import time
from pathlib import Path

import pytest

DRS_BOT = str(Path(sys.executable).with_name("drs-bot"))
OK_JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
BAD_JOB = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21"
SLOW_JOB = "5f6e7d8c-9b0a-4c1d-8e2f-a4b5c6d7jb10"


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment minus every Slack, DRS, IAM and database setting."""
    prefixes = ("SLACK_", "DRS_", "IAM_", "HUAWEICLOUD_", "DATABASE_", "LOG_LEVEL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(extra)
    return env


def exists(path: str) -> bool:
    return Path(path).exists()


async def sandbox(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        DRS_BOT,
        "sandbox",
        *args,
        env=env or clean_env(),
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 90)
    return int(proc.returncode or 0), out.decode()


def write_job(job_id: str, final: str, rows: str = "7") -> dict[str, object]:
    return {
        "job_id": job_id,
        "step_seconds": 1,
        "steps": [
            {"send_success": False},
            {"send_success": True, "parsed_success_number": "1200"},
            {"send_success": True, "process_status": final, "parsed_success_number": rows},
        ],
    }


def write_jobs(path: Path) -> Path:
    jobs = [write_job(OK_JOB, "success", "98765"), write_job(BAD_JOB, "failed", "7")]
    path.write_text(json.dumps({"jobs": jobs}))
    return path


async def test_script_shows_usage_a_success_with_rows_and_a_failure(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "jobs.json")
    script = tmp_path / "demo.txt"
    script.write_text(
        f"# comments and blank lines are skipped\n\n/drs-progress help\n"
        f"/drs-progress {OK_JOB}\n/drs-progress {BAD_JOB}   # trailing comment\n"
    )
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-real-looking-token",  # ignored: the sandbox sets its own
        DATABASE_URL=f"sqlite:///{tmp_path / 'must-not-exist.sqlite3'}",
    )
    started = time.monotonic()
    code, out = await sandbox("--jobs", str(jobs), "--script", str(script), cwd=tmp_path, env=env)
    assert time.monotonic() - started < 60
    assert code == 0, out
    assert "Traceback" not in out
    assert "/drs-progress status JOB_ID" in out  # the usage from help
    assert "(only visible to you)" in out
    assert "98,765 rows" in out and "succeeded" in out  # the success with its final rows
    assert "parse failed" in out  # the failure
    assert "\x1b[" not in out  # no ANSI codes when stdout is not a terminal
    assert sorted(os.listdir(tmp_path)) == ["demo.txt", "jobs.json"]  # DATABASE_URL ignored
    temp_db_dir = re.search(r"SQLite in (\S+)", out)
    assert temp_db_dir is not None and not exists(temp_db_dir.group(1))


def all_files(paths: list[str]) -> bool:
    return all(Path(path).is_file() for path in paths)


async def test_without_a_terminal_or_script_it_runs_the_demo(tmp_path: Path) -> None:
    code, out = await sandbox(cwd=tmp_path)
    assert code == 0, out
    assert "Traceback" not in out
    assert "/drs-progress help" in out
    assert "500 rows" in out and "parse failed" in out  # demo success and failure
    assert "Watching 2 DRS jobs" in out  # list
    assert "↳ #" in out and "you › @drs-bot watch" in out  # a mention in a thread
    assert "done:" in out
    # The template round trip: blank template, a bad file's quoted error, the fixed file.
    assert "📎 drs-template-0a1b2c3d-table.zip" in out
    assert "`bad-orders.xlsx` uploaded by @you" in out
    assert "row 3: Table name 'order items' contains a space." in out
    assert "📎 drs-result-0a1b2c3d.xlsx" in out
    assert "`orders.xlsx` uploaded by @you" in out and "parsed: 2 rows" in out
    saved = [line.rsplit("saved as ", 1)[1] for line in out.splitlines() if "saved as " in line]
    assert saved and all_files(saved)


async def test_a_bad_script_line_gets_the_bots_private_answer(tmp_path: Path) -> None:
    script = tmp_path / "bad.txt"
    script.write_text("/drs-progress status not-a-job-id\n/drs-progress frobnicate\n")
    code, out = await sandbox("--script", str(script), cwd=tmp_path)
    assert code == 0, out
    assert "Traceback" not in out
    private = [line for line in out.splitlines() if "(only visible to you)" in line]
    assert any("not a DRS job ID" in line for line in private)
    assert any("frobnicate" in line for line in private)


@pytest.mark.parametrize("option", ["--jobs", "--script"])
async def test_a_missing_file_is_a_clear_message_and_exit_2(tmp_path: Path, option: str) -> None:
    code, out = await sandbox(option, str(tmp_path / "nope.txt"), cwd=tmp_path)
    assert code == 2
    assert "nope.txt" in out and "Traceback" not in out
    assert ("jobs file" in out) if option == "--jobs" else ("script file" in out)


async def test_interactive_prompt_answers_and_quits_cleanly(tmp_path: Path) -> None:
    """With a terminal on stdin: a prompt loop that answers as lines come, `quit` leaves."""
    leader, follower = pty.openpty()
    proc = await asyncio.create_subprocess_exec(
        DRS_BOT,
        "sandbox",
        env=clean_env(),
        cwd=tmp_path,
        stdin=follower,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    os.close(follower)
    try:
        assert proc.stdout is not None
        seen = ""
        async with asyncio.timeout(30):
            while "#sandbox is ready" not in seen:
                seen += (await proc.stdout.readline()).decode()
            os.write(leader, b"/drs-progress list\n")
            while "(only visible to you)" not in seen:
                seen += (await proc.stdout.readline()).decode()
            os.write(leader, b"quit\n")
            rest, _ = await proc.communicate()
    finally:
        os.close(leader)
    out = seen + rest.decode()
    assert proc.returncode == 0, out
    assert "No DRS jobs are watched in this channel" in out
    assert "bye" in out and "Traceback" not in out


async def test_start_lists_the_jobs_and_timing_from_the_env_is_honoured(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.json"
    never = {"job_id": OK_JOB, "step_seconds": 1, "steps": [{"send_success": True}]}
    jobs.write_text(json.dumps({"jobs": [never, write_job(BAD_JOB, "failed")]}))
    script = tmp_path / "stall.txt"
    script.write_text(f"/drs-progress {OK_JOB}\n!wait 4\n!stop #1   # the card's button\n")
    env = clean_env(STALL_MINUTES="0.02", DRS_AUTH_TOKEN="not-the-sandboxes")
    code, out = await sandbox("--jobs", str(jobs), "--script", str(script), cwd=tmp_path, env=env)
    assert code == 0, out
    assert f"{OK_JOB}  never finishes" in out and f"{BAD_JOB}  fails after about 2 s" in out
    assert "unknown: DRS answers that the job does not exist" in out
    assert "from your environment: STALL_MINUTES=0.02" in out
    assert "DRS_AUTH_TOKEN" not in out and "not-the-sandboxes" not in out
    assert "no change for" in out  # the stall notice, after 1.2 s instead of 30 min
    assert "done: 1 stopped" in out


async def test_a_jobs_file_fault_section_refuses_the_credentials(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.json"
    job = {"job_id": OK_JOB, "steps": [{"send_success": True}]}
    jobs.write_text(json.dumps({"jobs": [job], "faults": {"refuse_credentials": True}}))
    script = tmp_path / "check.txt"
    script.write_text(f"/drs-progress status {OK_JOB}\n")
    code, out = await sandbox("--jobs", str(jobs), "--script", str(script), cwd=tmp_path)
    assert code == 0, out
    assert "faults from the jobs file: {'refuse_credentials': True}" in out
    assert "DRS refused DRS_AUTH_TOKEN" in out  # the sandbox signs in with a token


@pytest.mark.parametrize(
    ("jobs", "env", "says"),
    [
        ({"jobs": [], "fault": {}}, {}, "fault is not a known key"),
        (
            {"jobs": [{"job_id": OK_JOB, "steps": [{}], "step_seconds": "1"}]},
            {},
            'jobs[0].step_seconds must be a number >= 0, not "1" (a string)',
        ),
        ({"jobs": []}, {"STALL_MINUTES": "soon"}, "STALL_MINUTES"),
    ],
)
async def test_bad_jobs_files_and_timing_values_exit_2(
    tmp_path: Path, jobs: dict[str, object], env: dict[str, str], says: str
) -> None:
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps(jobs))
    code, out = await sandbox("--jobs", str(path), cwd=tmp_path, env=clean_env(**env))
    assert code == 2, out
    assert says in out and "Traceback" not in out


async def test_interactive_buttons_are_pressed_with_bang_commands(tmp_path: Path) -> None:
    """At a terminal: the start lists the jobs and `!stop #1` presses the card's button."""
    leader, follower = pty.openpty()
    proc = await asyncio.create_subprocess_exec(
        DRS_BOT,
        "sandbox",
        env=clean_env(),
        cwd=tmp_path,
        stdin=follower,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    os.close(follower)
    try:
        assert proc.stdout is not None
        seen = ""
        async with asyncio.timeout(60):
            while "#sandbox is ready" not in seen:
                seen += (await proc.stdout.readline()).decode()
            os.write(leader, f"/drs-progress {SLOW_JOB}\n".encode())
            while "[Stop watching]" not in seen:
                seen += (await proc.stdout.readline()).decode()
            os.write(leader, b"!stop #1\n")
            while "Stopped watching." not in seen:
                seen += (await proc.stdout.readline()).decode()
            os.write(leader, b"quit\n")
            rest, _ = await proc.communicate()
    finally:
        os.close(leader)
    out = seen + rest.decode()
    assert proc.returncode == 0, out
    assert f"{SLOW_JOB}  slow: succeeds after about 4 min" in out
    assert "you › !stop #1" in out and "Traceback" not in out
