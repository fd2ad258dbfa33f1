"""The simulator's jobs: the CONTRACT.md jobs-file format, built-in demo jobs, fault switches."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.drs.jobid import parse_job_id
from bot.errors import InvalidJobId, UsageError

JOBS_FILE_EXAMPLE = (
    '{"jobs": [{"job_id": "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r", "step_seconds": 5, '
    '"steps": [{"send_success": false}, {"send_success": true, "process_status": "success", '
    '"parsed_success_number": "500"}]}]}'
)


@dataclass
class SimJob:
    """A job whose answers walk through `steps` (200 bodies as the API sends them)."""

    job_id: str
    steps: list[dict[str, Any]]
    step_seconds: float = 5.0

    def step_at(self, elapsed: float, queries: int) -> dict[str, Any]:
        """The body for a query `elapsed` seconds after the first one (`queries` so far, >= 1).

        step_seconds <= 0 moves one step per query instead, which tests find handy.
        """
        if self.step_seconds <= 0:
            index = queries - 1
        else:
            index = math.floor(max(elapsed, 0.0) / self.step_seconds)
        return self.steps[min(index, len(self.steps) - 1)]


@dataclass
class Faults:
    """Switches that tests flip while the simulator runs; counters go down as they fire."""

    latency: float = 0.0  # seconds added to every progress answer
    fail_next: int = 0  # next N progress requests answer 500 with a DRS-style body
    throttle_next: int = 0  # next N answer 429 with Retry-After: retry_after
    retry_after: float = 1.0
    garbage_next: int = 0  # next N answer 200 with a body that is not JSON
    unauthorized_next: int = 0  # next N answer 401 APIGW.0301
    fired: dict[str, int] = field(default_factory=dict)  # how many of each fired

    def take(self, name: str) -> bool:
        """Consume one pending fault called `name` (fail_next, throttle_next, ...)."""
        left: int = getattr(self, name)
        if left <= 0:
            return False
        setattr(self, name, left - 1)
        self.fired[name] = self.fired.get(name, 0) + 1
        return True


def demo_jobs() -> list[SimJob]:
    """One job that succeeds, one that fails, one slow one (for the sandbox and demos)."""
    return [
        SimJob(
            "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r",
            [
                {"send_success": False},
                {"send_success": True, "parsed_success_number": "120"},
                {"send_success": True, "process_status": "success", "parsed_success_number": "500"},
            ],
            step_seconds=5,
        ),
        SimJob(
            "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21",
            [
                {"send_success": False},
                {"send_success": True, "parsed_success_number": "40"},
                {"send_success": True, "process_status": "failed", "parsed_success_number": "40"},
            ],
            step_seconds=5,
        ),
        SimJob(
            "5f6e7d8c-9b0a-4c1d-8e2f-a4b5c6d7jb10",
            [{"send_success": False}]
            + [
                {"send_success": True, "parsed_success_number": str(n * 25_000)}
                for n in range(1, 9)
            ]
            + [
                {
                    "send_success": True,
                    "process_status": "success",
                    "parsed_success_number": "212345",
                }
            ],
            step_seconds=30,
        ),
    ]


def _fail(path: Path | str, problem: str) -> UsageError:
    return UsageError(
        f"Simulator jobs file {str(path)!r}: {problem}. Expected JSON like {JOBS_FILE_EXAMPLE}"
    )


def parse_jobs(data: Any, source: Path | str = "<jobs>") -> list[SimJob]:
    """Validate a decoded jobs document (a {"jobs": [...]} object or a bare list)."""
    items = data.get("jobs") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise _fail(source, 'the top level must be an object with a "jobs" list')
    jobs: list[SimJob] = []
    for i, item in enumerate(items):
        where = f"jobs[{i}]"
        if not isinstance(item, dict):
            raise _fail(source, f"{where} must be an object")
        try:
            job_id = parse_job_id(str(item.get("job_id", "")))
        except InvalidJobId as exc:
            raise _fail(source, f"{where}.job_id: {exc}") from None
        steps = item.get("steps")
        if not isinstance(steps, list) or not steps:
            raise _fail(source, f"{where}.steps must be a non-empty list of response bodies")
        if not all(isinstance(s, dict) for s in steps):
            raise _fail(source, f"{where}.steps must hold JSON objects only")
        seconds = item.get("step_seconds", 5.0)
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise _fail(source, f"{where}.step_seconds must be a number >= 0")
        if any(j.job_id == job_id for j in jobs):
            raise _fail(source, f"{where}.job_id {job_id} appears twice")
        jobs.append(SimJob(job_id, [dict(s) for s in steps], float(seconds)))
    return jobs


def load_jobs_file(path: Path | str) -> list[SimJob]:
    """Read and validate a jobs file; UsageError says what is wrong and shows the format."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(path, f"is not JSON (line {exc.lineno}: {exc.msg})") from None
    return parse_jobs(data, path)
