"""The simulator's jobs: the jobs-file format (strictly checked), demo jobs, fault switches."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bot.drs.jobid import parse_job_id
from bot.errors import InvalidJobId, UsageError

SLOW_SECONDS = 60.0  # a job taking this long to finish is listed as slow
# Valid in form and in no demo: what DRS answers for a job it does not know.
UNKNOWN_JOB_ID = "deadbeef-0000-4000-8000-00000000jb99"
JOBS_FILE_EXAMPLE = (
    '{"jobs": [{"job_id": "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r", "step_seconds": 5, '
    '"steps": [{"send_success": false}, {"send_success": true, "process_status": "success", '
    '"parsed_success_number": "500"}]}]}'
)


@dataclass
class SimJob:
    """A job whose answers walk through `steps` (200 bodies as the API sends them).

    `details` holds the job's optional descriptive keys (name, engine_type, ...) as given.
    """

    job_id: str
    steps: list[dict[str, Any]]
    step_seconds: float = 5.0
    details: dict[str, str] = field(default_factory=dict)

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
    down: bool = False  # every progress request answers 500 until turned off
    refuse_credentials: bool = False  # every progress request answers 401 until turned off
    details_down: bool = False  # every job details request answers 500 until turned off
    fired: dict[str, int] = field(default_factory=dict)  # how many of each fired

    def take(self, name: str) -> bool:
        """Consume one pending fault called `name` (fail_next, throttle_next, ...)."""
        left: int = getattr(self, name)
        if left <= 0:
            return False
        setattr(self, name, left - 1)
        self.fired[name] = self.fired.get(name, 0) + 1
        return True

    def active(self) -> dict[str, Any]:
        """The switches set away from their defaults (what the simulator will do wrong)."""
        default = Faults()
        names = [f.name for f in fields(self) if f.name != "fired"]
        return {n: getattr(self, n) for n in names if getattr(self, n) != getattr(default, n)}

    def holds(self, name: str) -> bool:
        """Whether the switch `name` (down, refuse_credentials) is on; counted when it is."""
        if not getattr(self, name):
            return False
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
            details={"name": "orders-to-kafka", "engine_type": "mysql-to-kafka"},
        ),
        SimJob(
            "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3bjb21",
            [
                {"send_success": False},
                {"send_success": True, "parsed_success_number": "40"},
                {"send_success": True, "process_status": "failed", "parsed_success_number": "40"},
            ],
            step_seconds=5,
            details={"name": "billing-to-gaussdb", "engine_type": "oracle-to-gaussdbv5"},
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
            details={"name": "events-to-kafka", "engine_type": "taurus-to-kafka"},
        ),
    ]


@dataclass
class JobsSpec:
    """What a jobs file holds: the jobs and the faults the simulator starts with."""

    jobs: list[SimJob]
    faults: Faults = field(default_factory=Faults)


_TEXT = "a string"
_NUMBER = "a number >= 0"
_COUNT = "a whole number >= 0"
_SWITCH = "true or false"
_STEPS = "a non-empty list of JSON objects (response bodies)"
_OBJECT = "a JSON object"
_LIST = "a list of job objects"
TOP_KEYS = {"jobs": _LIST, "faults": _OBJECT}
JOB_KEYS = {
    "job_id": _TEXT,
    "steps": _STEPS,
    "step_seconds": _NUMBER,
    "name": _TEXT,
    "engine_type": _TEXT,
    "job_direction": _TEXT,
    "status": _TEXT,
    "project_id": _TEXT,
}
FAULT_KEYS = {
    "latency": _NUMBER,
    "fail_next": _COUNT,
    "throttle_next": _COUNT,
    "retry_after": _NUMBER,
    "garbage_next": _COUNT,
    "unauthorized_next": _COUNT,
    "down": _SWITCH,
    "refuse_credentials": _SWITCH,
    "details_down": _SWITCH,
}
_JSON_TYPES = {bool: "true/false", int: "a number", float: "a number", str: "a string"}


def _fail(path: Path | str, problem: str) -> UsageError:
    return UsageError(
        f"Simulator jobs file {str(path)!r}: {problem}. Expected JSON like {JOBS_FILE_EXAMPLE}"
    )


def _fits(value: Any, kind: str) -> bool:
    if kind == _TEXT:
        return isinstance(value, str)
    if kind == _SWITCH:
        return isinstance(value, bool)
    if kind == _OBJECT:
        return isinstance(value, dict)
    if kind == _LIST:
        return True  # `parse_jobs_spec` says what a "jobs" list must look like
    if kind == _STEPS:
        return isinstance(value, list) and bool(value) and all(isinstance(s, dict) for s in value)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return False  # JSON's true/false must not pass for 1/0
    return kind != _COUNT or float(value).is_integer()


def _shown(value: Any) -> str:
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "an object"
    return f"{json.dumps(value)[:40]} ({_JSON_TYPES.get(type(value), 'null')})"


def _checked(source: Path | str, where: str, item: Any, keys: dict[str, str]) -> dict[str, Any]:
    """`item` as an object whose keys are all known and whose values have their types."""
    if not isinstance(item, dict):
        raise _fail(source, f"{where} must be a JSON object, not {_shown(item)}")
    prefix = f"{where}." if where else ""
    for key, value in item.items():
        if key not in keys:
            raise _fail(
                source,
                f"{prefix}{key} is not a known key (known at {where or 'the top level'}: "
                f"{', '.join(keys)})",
            )
        if not _fits(value, keys[key]):
            raise _fail(source, f"{prefix}{key} must be {keys[key]}, not {_shown(value)}")
    return item


def _job(source: Path | str, where: str, raw: Any) -> SimJob:
    item = _checked(source, where, raw, JOB_KEYS)
    if "steps" not in item:
        raise _fail(source, f"{where}.steps is missing: it must be {_STEPS}")
    try:
        job_id = parse_job_id(str(item.get("job_id", "")))
    except InvalidJobId as exc:
        raise _fail(source, f"{where}.job_id: {exc}") from None
    details = {k: str(v) for k, v in item.items() if k not in ("job_id", "steps", "step_seconds")}
    steps = [dict(s) for s in item["steps"]]
    return SimJob(job_id, steps, float(item.get("step_seconds", 5.0)), details)


def parse_jobs_spec(data: Any, source: Path | str = "<jobs>") -> JobsSpec:
    """Validate a decoded jobs document ({"jobs": [...], "faults": {...}} or a bare list)."""
    top = {"jobs": data} if isinstance(data, list) else _checked(source, "", data, TOP_KEYS)
    items = top.get("jobs")
    if not isinstance(items, list):
        found = "missing" if items is None else _shown(items)
        raise _fail(source, f'the top level must be an object with a "jobs" list (jobs: {found})')
    jobs: list[SimJob] = []
    for i, raw in enumerate(items):
        job = _job(source, f"jobs[{i}]", raw)
        if any(j.job_id == job.job_id for j in jobs):
            raise _fail(source, f"jobs[{i}].job_id {job.job_id} appears twice")
        jobs.append(job)
    faults = _checked(source, "faults", top.get("faults", {}), FAULT_KEYS)
    switches = Faults()
    for key, value in faults.items():
        setattr(switches, key, int(value) if FAULT_KEYS[key] == _COUNT else value)
    return JobsSpec(jobs, switches)


def parse_jobs(data: Any, source: Path | str = "<jobs>") -> list[SimJob]:
    """The jobs of a decoded jobs document (see `parse_jobs_spec`)."""
    return parse_jobs_spec(data, source).jobs


def load_jobs_spec(path: Path | str) -> JobsSpec:
    """Read and validate a jobs file; UsageError names the wrong key and shows the format."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(path, f"is not JSON (line {exc.lineno}: {exc.msg})") from None
    return parse_jobs_spec(data, path)


def load_jobs_file(path: Path | str) -> list[SimJob]:
    """The jobs of a jobs file (see `load_jobs_spec`)."""
    return load_jobs_spec(path).jobs


def _duration(seconds: float) -> str:
    return f"about {seconds:.0f} s" if seconds < 120 else f"about {seconds / 60:.0f} min"


def job_plan(job: SimJob) -> str:
    """What the job will do when watched, in a few words (the sandbox lists these at start)."""
    status = str(job.steps[-1].get("process_status") or "")
    if job.step_seconds <= 0:
        when = f"after {len(job.steps)} queries"
    else:
        when = f"after {_duration(job.step_seconds * (len(job.steps) - 1))}"
    slow = job.step_seconds * (len(job.steps) - 1) >= SLOW_SECONDS
    if status == "success":
        plan = f"succeeds {when}"
    elif status == "failed":
        plan = f"fails {when}"
    else:
        return "never finishes: holds its last step until you stop watching it"
    return f"slow: {plan}" if slow else plan
