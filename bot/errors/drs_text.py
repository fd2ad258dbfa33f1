"""The DRS errors' sentences as catalogue keys and values (the same cases as `user_message`)."""

from __future__ import annotations

from typing import Any

from bot.errors.base import Phrase
from bot.errors.drs import (
    _SKEW_RE,
    CredentialsRefused,
    DownloadTooLarge,
    DrsError,
    DrsRejected,
    DrsUnavailable,
    Endpoint,
    JobNotFound,
    NotDrs,
    Throttled,
    UploadRefused,
    UploadUncertain,
)

Catalogued = tuple[str, dict[str, Any]]

# The default sentence of each class (used when DRS said nothing), by class name.
DEFAULT_KEYS = {
    "DrsError": "drs.default.error",
    "JobNotFound": "drs.default.not_found",
    "JobNotInAnyRegion": "drs.default.no_region",
    "CredentialsRefused": "drs.default.credentials",
    "Throttled": "drs.default.throttled",
    "DrsUnavailable": "drs.default.unavailable",
    "HostNotFound": "drs.default.no_host",
    "DrsConnectionRefused": "drs.default.refused",
    "DrsTimeout": "drs.default.timeout",
    "DrsRejected": "drs.default.rejected",
    "NotDrs": "drs.default.not_drs",
    "UploadUncertain": "drs.default.upload_uncertain",
    "DownloadTooLarge": "drs.default.download_too_large",
    "UploadRefused": "drs.default.upload_refused",
}
_NETWORK = {
    "HostNotFound": "no_host",
    "DrsConnectionRefused": "refused",
    "DrsTimeout": "timeout",
}


def _said(err: DrsError) -> Any:
    """What DRS said, or the class's own default sentence (in the reader's language)."""
    if err.message != err.default_message:
        return err.message
    return Phrase(DEFAULT_KEYS.get(type(err).__name__, "drs.default.error"))


def described(err: DrsError) -> Phrase:
    """`describe()`: what DRS said and the details (HTTP status, code, request)."""
    details = err.details()
    key = "drs.describe.details" if details else "drs.describe"
    return Phrase(key, {"said": _said(err), "details": details})


def tail(err: DrsError) -> Phrase:
    """`_tail()`: ` [what DRS said (details)]`, empty when nothing is known."""
    said, details = err._said(), err.details()
    kind = ("said_details" if details else "said") if said else ("details" if details else "none")
    return Phrase(f"drs.tail.{kind}", {"said": said, "details": details})


def drs_catalogued(err: DrsError) -> Catalogued:
    """The key and values of `err.user_message()`."""
    if isinstance(err, JobNotFound):
        return _not_found(err)
    if isinstance(err, CredentialsRefused):
        key, values = credentials(err)
        return key, {**values, "tail": tail(err)}
    if isinstance(err, Throttled):
        return "drs.throttled", {"describe": described(err)}
    if isinstance(err, DrsUnavailable):
        return _unavailable(err)
    if isinstance(err, NotDrs):
        return _not_drs(err)
    if isinstance(err, UploadRefused):
        return "drs.upload_refused", {"describe": described(err)}
    if isinstance(err, DrsRejected):
        said = " ".join(p for p in (err._said(), err.details()) if p)
        return ("drs.rejected", {"said": said}) if said else ("drs.default.rejected", {})
    return described(err).key, described(err).values


def _not_found(err: JobNotFound) -> Catalogued:
    from bot.errors.regions import JobNotInAnyRegion

    if isinstance(err, JobNotInAnyRegion):
        return _no_region(err)
    key = "drs.not_found.job" if err.job_id else "drs.not_found"
    return key, {"job_id": err.job_id, "describe": described(err)}


def _no_region(err: Any) -> Catalogued:
    answered = [r for r in err.asked if r not in err.failures]
    parts: list[Any] = []
    if answered:
        where = "one" if len(answered) == 1 else "many"
        key = f"region.none.{where}" + (".job" if err.job_id else "")
        parts.append(Phrase(key, {"job_id": err.job_id, "regions": ", ".join(answered)}))
    for region, error in err.failures.items():
        parts.append(Phrase("region.failed", {"region": region, "error": error}))
    parts.append(Phrase("region.asked", {"regions": ", ".join(err.asked)}))
    return "region.not_in_any", {"parts": parts}


def _unavailable(err: DrsUnavailable) -> Catalogued:
    name = type(err).__name__
    if name in _NETWORK:
        return network(err, _NETWORK[name])
    if isinstance(err, UploadUncertain):
        return "drs.upload_uncertain", {"job": err.job_id or "JOB_ID", "describe": described(err)}
    if isinstance(err, DownloadTooLarge):
        return "drs.download_too_large", {"describe": described(err)}
    where = "drs.unavailable.at" if err.endpoint else "drs.unavailable"
    host = err.endpoint.host if err.endpoint else ""
    service = err.endpoint.service if err.endpoint else "DRS"
    return where, {"service": service, "host": host, "tail": tail(err)}


def network(err: DrsError, what: str) -> Catalogued:
    """`_network_advice`: the host, what happened, the setting to check."""
    ep = err.endpoint
    suffix = ".retry" if isinstance(err, DrsUnavailable) and what == "timeout" else ""
    if ep is None:
        return f"drs.network.{what}{suffix}", {}
    values = {"service": ep.service, "host": ep.host}
    if ep.setting == "DRS_REGION":
        other = "IAM_ENDPOINT" if ep.service == "IAM" else "DRS_ENDPOINT"
        return f"drs.network.{what}.region{suffix}", {
            **values,
            "setting": ep.chosen_by(),
            "other": other,
        }
    return f"drs.network.{what}.setting{suffix}", {**values, "setting": ep.setting}


def _not_drs(err: NotDrs) -> Catalogued:
    ep = err.endpoint or Endpoint("the server", "DRS_ENDPOINT")
    status = f"HTTP {err.status}" if err.status is not None else None
    values = {
        "host": ep.host,
        "status": status or "",
        "service": ep.service,
        "name": ep.service.lower(),
        "region": repr(ep.region),
        "setting": ep.setting,
    }
    kind = "region" if ep.setting == "DRS_REGION" else "setting"
    return f"drs.not_drs.{kind}" + ("" if status else ".answer"), values


def credentials(err: DrsError) -> Catalogued:
    """`_credentials_advice`: which setting to fix, for the credential kind in use."""
    ep = err.endpoint
    kind = ep.credential if ep else None
    region = {"region": repr(ep.region)} if ep and ep.region else {}
    where = "region" if region else "here"
    if err.code == "DRS.M00261" or (err.status == 403 and not err.code):
        return f"drs.credentials.project.{where}", region
    if kind == "iam" and ep is not None and ep.service == "IAM":
        scope = ".project." + where if err.status == 400 else ""
        return f"drs.credentials.iam_login{scope}", {"host": ep.host, **region}
    if kind == "iam":
        return f"drs.credentials.iam_token.{where}", region
    if kind == "aksk" and _SKEW_RE.search(err.message):
        return "drs.credentials.aksk_clock", {}
    if kind == "aksk":
        return "drs.credentials.aksk", {}
    if kind == "token":
        return "drs.credentials.token", {}
    return "drs.credentials.unknown", {}
