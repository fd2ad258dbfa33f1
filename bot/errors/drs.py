"""Errors of the DRS API edge, each with advice that names the one setting to fix."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.domain.quoting import quote_untrusted
from bot.errors.base import BotError


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a request went and the setting that chose it, so a message names what to fix."""

    host: str  # host[:port] that was tried
    setting: str  # DRS_REGION, DRS_ENDPOINT or IAM_ENDPOINT
    service: str = "DRS"  # or "IAM" (password login)
    region: str | None = None  # DRS_REGION's value, when set
    credential: str | None = None  # the kind in use: "token", "iam" or "aksk"

    def chosen_by(self) -> str:
        """`DRS_REGION='xx-1'` or `DRS_ENDPOINT`: the setting to check, as an operator types it."""
        if self.setting == "DRS_REGION" and self.region:
            return f"DRS_REGION={self.region!r}"
        return self.setting


class DrsError(BotError):
    """The DRS API did not give a progress. Carries what DRS said, for logs and for users.

    What DRS said (message, code, request ID) is made unable to format as it is stored, so
    every sentence built from it can be shown in Slack once the renderer escapes it.
    """

    retryable = False
    default_message = "DRS did not answer the progress query."

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        job_id: str | None = None,
        retry_after: float | None = None,
        endpoint: Endpoint | None = None,
    ) -> None:
        self.message = quote_untrusted(message) if message else self.default_message
        self.status = status
        self.code = quote_untrusted(code, 80) if code else code
        self.request_id = quote_untrusted(request_id, 80) if request_id else request_id
        self.job_id = quote_untrusted(job_id, 80) if job_id else job_id
        self.retry_after = retry_after
        self.endpoint = endpoint
        super().__init__(self.describe())

    def details(self) -> str:
        """`(HTTP 401, APIGW.0301, request abc)`, or empty when nothing is known."""
        parts = []
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code:
            parts.append(self.code)
        if self.request_id:
            parts.append(f"request {self.request_id}")
        return f"({', '.join(parts)})" if parts else ""

    def describe(self) -> str:
        """One line with every known detail, safe to log (DRS never echoes secrets)."""
        details = self.details()
        return f"{self.message} {details}" if details else self.message

    def _said(self) -> str:
        """What DRS said, unless it is only our own default sentence."""
        return "" if self.message == self.default_message else self.message

    def _tail(self) -> str:
        """` [what DRS said (HTTP ..., code)]` for the end of a user message."""
        said, details = self._said(), self.details()
        if said:
            return f" [{said} {details}]" if details else f" [{said}]"
        return f" {details}" if details else ""

    def user_message(self) -> str:
        return self.describe()

    def catalogued(self) -> tuple[str, dict[str, Any]]:
        from bot.errors.drs_text import drs_catalogued

        return drs_catalogued(self)


class JobNotFound(DrsError):
    default_message = "DRS says this job does not exist."

    def user_message(self) -> str:
        job = f" `{self.job_id}`" if self.job_id else ""
        return (
            f"DRS has no job{job} in this project (it may be deleted, or in another region "
            f"or project). Check the ID on the DRS console and try again. [{self.describe()}]"
        )


class CredentialsRefused(DrsError):
    default_message = "DRS refused the bot's credentials."

    def user_message(self) -> str:
        return _credentials_advice(self) + self._tail()


class Throttled(DrsError):
    retryable = True
    default_message = "DRS is throttling requests."

    def user_message(self) -> str:
        return f"DRS is busy and asked us to slow down; try again in a minute. [{self.describe()}]"


class DrsUnavailable(DrsError):
    retryable = True
    default_message = "DRS is unreachable or answered with an error."

    def user_message(self) -> str:
        where = f" at {self.endpoint.host}" if self.endpoint else ""
        service = self.endpoint.service if self.endpoint else "DRS"
        return (
            f"{service}{where} could not be reached or answered with a server error; try "
            f"again in a few minutes.{self._tail()}"
        )


class HostNotFound(DrsUnavailable):
    """The host does not exist (DNS: no such name): a setting is wrong, waiting cannot help."""

    retryable = False
    default_message = "No such host."

    def user_message(self) -> str:
        return _network_advice(self, "does not exist (DNS: no such host)")


class DrsConnectionRefused(DrsUnavailable):
    """Nothing listens at the host and port: most often a wrong endpoint."""

    retryable = False
    default_message = "The connection was refused."

    def user_message(self) -> str:
        return _network_advice(self, "refused the connection (nothing listens there)")


class DrsTimeout(DrsUnavailable):
    """No answer in time: the one network failure a later try can fix."""

    default_message = "No answer in time."

    def user_message(self) -> str:
        return _network_advice(self, "did not answer in time") + " Try again in a few minutes."


class DrsRejected(DrsError):
    default_message = "DRS rejected the request."

    def user_message(self) -> str:
        said = " ".join(p for p in (self._said(), self.details()) if p)
        return f"DRS rejected the request: {said}" if said else self.default_message


class NotDrs(DrsRejected):
    """The server answered, but not as DRS does (a 404 without a DRS error, an HTML page)."""

    default_message = "The server's answer is not a DRS answer."

    def user_message(self) -> str:
        ep = self.endpoint or Endpoint("the server", "DRS_ENDPOINT")
        service, name = ep.service, ep.service.lower()
        status = f"HTTP {self.status}" if self.status is not None else "an answer"
        head = f"{ep.host} answered {status}, which is not an answer of the {service} API."
        if ep.setting == "DRS_REGION":
            return (
                f"{head} Region {ep.region!r} may not offer this API: check DRS_REGION, or set "
                f"{service}_ENDPOINT to the {service} endpoint (https://{name}.REGION."
                "myhuaweicloud.com)."
            )
        return (
            f"{head} Check {ep.setting}: it should be the {service} endpoint of your region, "
            f"e.g. https://{name}.ap-southeast-1.myhuaweicloud.com."
        )


# The gateway's words for a signature made with a clock more than 15 minutes off.
_SKEW_RE = re.compile(r"expired|skew|x-sdk-date|request time", re.IGNORECASE)
_AKSK = "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK"


def _credentials_advice(err: DrsError) -> str:
    """Which setting to fix, for the credential kind in use (one sentence, no other kinds)."""
    ep = err.endpoint
    kind = ep.credential if ep else None
    region = f" region {ep.region!r}" if ep and ep.region else " this region"
    if err.code == "DRS.M00261" or (err.status == 403 and not err.code):
        return (
            f"DRS says DRS_PROJECT_ID is not a project of{region}: set it to that region's "
            "project ID (console: My Credentials > API Credentials)."
        )
    if kind == "iam" and ep is not None and ep.service == "IAM":
        scope = f", and that DRS_PROJECT_ID is a project of{region}" if err.status == 400 else ""
        return (
            f"IAM at {ep.host} refused the login: check IAM_USERNAME, IAM_PASSWORD and "
            f"IAM_DOMAIN (the account name){scope}."
        )
    if kind == "iam":
        return (
            "DRS refused the token IAM issued for IAM_USERNAME: check that this user may use "
            f"DRS and that DRS_PROJECT_ID is a project of{region}."
        )
    if kind == "aksk" and _SKEW_RE.search(err.message):
        return (
            "DRS refused the AK/SK signature as expired: this machine's clock is more than 15 "
            f"minutes off; set it right (NTP). If it is right, check {_AKSK}."
        )
    if kind == "aksk":
        return (
            f"DRS refused the AK/SK signature: check {_AKSK} (and "
            "HUAWEICLOUD_SDK_SECURITY_TOKEN with temporary keys)."
        )
    if kind == "token":
        return (
            "DRS refused DRS_AUTH_TOKEN: it is wrong or expired (IAM tokens live 24 hours); "
            "set a fresh one."
        )
    # No endpoint known (not made at the DRS edge): whoever runs the bot has to look.
    return "DRS refused the bot's credentials; the bot's operator needs to check its settings."


def _network_advice(err: DrsError, what_happened: str) -> str:
    """`{host} {what happened}: check {the setting that chose the host}.`"""
    ep = err.endpoint
    if ep is None:
        return f"DRS {what_happened}; check DRS_REGION or DRS_ENDPOINT."
    head = f"{ep.service} host {ep.host} {what_happened}"
    if ep.setting == "DRS_REGION":
        other = "IAM_ENDPOINT" if ep.service == "IAM" else "DRS_ENDPOINT"
        return f"{head}: check {ep.chosen_by()} (e.g. ap-southeast-1), or set {other}."
    return f"{head}: check {ep.setting}."


class UploadUncertain(DrsUnavailable):
    """An upload was sent but DRS did not confirm it: never retried, it may have arrived."""

    retryable = False
    default_message = "DRS did not confirm the upload."

    def user_message(self) -> str:
        job = self.job_id or "JOB_ID"
        return (
            "DRS did not confirm the upload; it may have arrived. Check the job's progress "
            f"(`drs-bot check {job}`) before uploading again. [{self.describe()}]"
        )


class DownloadTooLarge(DrsUnavailable):
    """DRS sent a file larger than the bot takes; retrying cannot help."""

    retryable = False
    default_message = "DRS sent a file larger than the bot accepts."

    def user_message(self) -> str:
        return f"{self.describe()} Download it from the DRS console instead."


class UploadRefused(DrsRejected):
    """DRS answered an upload with 400/413: it refused the file itself."""

    default_message = "DRS refused the uploaded file."

    def user_message(self) -> str:
        return f"DRS refused the file: {self.describe()}. Fix the file and upload it again."
