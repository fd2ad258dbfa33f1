"""The simulator's job details API: a job's name, status and engines, from the jobs file."""

from __future__ import annotations

from typing import Any

from bot.drs.sim_jobs import SimJob

# What a job without these keys in the jobs file says about itself.
_DEFAULTS = {
    "engine_type": "mysql-to-kafka",
    "job_direction": "up",
    "status": "FULL_TRANSFER_STARTED",
}


def is_details_path(method: str, parts: list[str]) -> bool:
    """`GET /v5/{project_id}/jobs/{job_id}` (the path split on `/`)."""
    return method == "GET" and len(parts) == 5 and parts[:2] == ["", "v5"] and parts[3] == "jobs"


def detail_body(job: SimJob) -> dict[str, Any]:
    """The 200 body of `?type=detail`, shaped as DRS sends it (only the parts the bot reads)."""
    given = {**_DEFAULTS, **job.details}
    base: dict[str, Any] = {
        "engine_type": given["engine_type"],
        "job_direction": given["job_direction"],
        "job_type": "sync",
        "task_type": "FULL_INCR_TRANS",
    }
    if "name" in given:
        base["name"] = given["name"]
    return {
        "job": {
            "id": job.job_id,
            "status": given["status"],
            "base_info": base,
            "source_endpoint": [],
            "target_endpoint": [],
        }
    }
