"""Errors of looking a job up across several regions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.errors.base import UsageError
from bot.errors.drs import DrsError, JobNotFound


class JobNotInAnyRegion(JobNotFound):
    """No region the bot serves knows the job: those that answered said so, the others failed."""

    default_message = "No region knows this job."

    def __init__(
        self, job_id: str, *, asked: Sequence[str], failures: Mapping[str, DrsError]
    ) -> None:
        self.asked = tuple(asked)
        self.failures = dict(failures)
        super().__init__(
            f"No region knows this job (asked: {', '.join(self.asked)}).", job_id=job_id
        )

    def user_message(self) -> str:
        job = f" `{self.job_id}`" if self.job_id else ""
        answered = [r for r in self.asked if r not in self.failures]
        parts = []
        if answered:
            parts.append(f"DRS has no job{job} in {_regions(answered)}.")
        for region, error in self.failures.items():
            parts.append(f"Region {region} could not be asked: {error.user_message()}")
        parts.append(
            f"Regions asked: {', '.join(self.asked)}. Check the ID on the DRS console; if the "
            "job is in another region, add it to DRS_REGIONS."
        )
        return " ".join(parts)


def _regions(names: Sequence[str]) -> str:
    return f"region {names[0]}" if len(names) == 1 else f"regions {', '.join(names)}"


class UnknownRegion(UsageError):
    """`--region` named a region the bot does not serve."""

    def __init__(self, region: str, served: Sequence[str], *, form: str = "--region {}") -> None:
        self.region = region
        self.served = tuple(served)
        served_list = ", ".join(f"`{name}`" for name in self.served)
        example = form.format(self.served[0])
        super().__init__(
            f"I do not serve region `{region}`. The regions I serve: {served_list}; for example "
            f"`{example}`."
        )
        self.with_key("region.unknown", region=region, served=served_list, example=example)
