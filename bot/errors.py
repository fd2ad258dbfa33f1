"""The project's error tree; every library exception is turned into one of these at the edge.

    BotError                      anything the bot itself raises on purpose
    ├── ConfigError               settings missing or bad (lists every problem)
    ├── UsageError                a command the user typed is not understood
    │   ├── InvalidOption         a --level/--mapping/--type value DRS does not take
    │   ├── TemplateFileError     a template file DRS would refuse; nothing was sent
    │   │   ├── UnsupportedTemplateType   not .xls, .xlsx, .json, .txt or .zip
    │   │   ├── TemplateTooLarge          over DRS's size limit for its type
    │   │   ├── NotAWorkbook              .xls/.xlsx whose content is not that workbook
    │   │   ├── NotJson                   .json/.txt (or the file in a zip) that does not parse
    │   │   └── ZipRefused                a .zip DRS would refuse:
    │   │       ├── ZipUnreadable           not a zip, encrypted, corrupt
    │   │       ├── ZipNotOneFile           not exactly one entry
    │   │       ├── ZipMemberNotAllowed     a nested archive or not .json/.txt
    │   │       ├── ZipUnsafePath           an absolute path or `..` inside
    │   │       └── ZipTooLargeUnpacked     unpacks past the limit (zip bomb)
    │   └── InvalidJobId          text that is not a DRS job ID (8-4-4-4-12)
    ├── DrsError                  the DRS progress API did not answer with a progress
    │   ├── JobNotFound           DRS.10000010, DRS.M00289, DRS.M05003, DRS.M05004
    │   ├── CredentialsRefused    401/403, APIGW.0301/APIG.0301, DRS.M00100/M00102/M00103/M00261
    │   ├── Throttled             429, APIGW.0308/APIG.0308, DRS.M01503       (retried)
    │   ├── DrsUnavailable        5xx, timeouts, connection errors, bodies that are not the
    │   │                         documented JSON                               (retried)
    │   │   ├── UploadUncertain   an upload sent but not confirmed               (not retried)
    │   │   └── DownloadTooLarge  DRS sent a file larger than the bot takes     (not retried)
    │   └── DrsRejected           any other 4xx
    │       └── UploadRefused     400/413 to an upload: DRS refused the file itself
    ├── StoreError                the database did not answer or is behind its migrations
    │   └── SchemaBehind          the schema needs `drs-bot db upgrade`
    └── SlackError                the Slack Web API refused or failed a call
        └── DestinationGone       channel_not_found, is_archived, not_in_channel, ... (final)

Only listeners, the watcher and the CLI catch `BotError`; each turns it into a sentence that
says what went wrong and what to do next (`user_message`).
"""

from __future__ import annotations


class BotError(Exception):
    """Base of every error the bot raises on purpose."""

    def user_message(self) -> str:
        """A sentence for a person: what went wrong and what to do next."""
        return str(self)


class ConfigError(BotError):
    """Settings are missing or bad; `problems` holds one line per problem, each with its fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(self.user_message())

    def user_message(self) -> str:
        lines = ["drs-bot cannot start; fix these settings (environment variables):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class UsageError(BotError):
    """The user typed something the bot does not understand; the message shows the right form."""


class InvalidJobId(UsageError):
    """Text that is not a DRS job ID."""


class DrsError(BotError):
    """The DRS API did not give a progress. Carries what DRS said, for logs and for users."""

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
    ) -> None:
        self.message = message or self.default_message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.job_id = job_id
        self.retry_after = retry_after
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line with every known detail, safe to log (DRS never echoes secrets)."""
        parts = [self.message]
        details = []
        if self.status is not None:
            details.append(f"HTTP {self.status}")
        if self.code:
            details.append(self.code)
        if self.request_id:
            details.append(f"request {self.request_id}")
        if details:
            parts.append(f"({', '.join(details)})")
        return " ".join(parts)

    def user_message(self) -> str:
        return self.describe()


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
        return (
            "DRS refused the bot's credentials (token expired or wrong, bad AK/SK signature, "
            "or wrong DRS_PROJECT_ID). An operator must fix the bot's settings. "
            f"[{self.describe()}]"
        )


class Throttled(DrsError):
    retryable = True
    default_message = "DRS is throttling requests."

    def user_message(self) -> str:
        return f"DRS is busy and asked us to slow down; try again in a minute. [{self.describe()}]"


class DrsUnavailable(DrsError):
    retryable = True
    default_message = "DRS is unreachable or answered with an error."

    def user_message(self) -> str:
        return (
            "DRS could not be reached or answered with a server error; try again in a few "
            f"minutes. [{self.describe()}]"
        )


class DrsRejected(DrsError):
    default_message = "DRS rejected the request."

    def user_message(self) -> str:
        return f"DRS rejected the request: {self.describe()}"


class StoreError(BotError):
    """The database failed or is not usable."""


class SchemaBehind(StoreError):
    """The database schema is older than this code's newest migration."""


class SlackError(BotError):
    """A Slack Web API call failed."""

    def __init__(self, message: str, *, error: str | None = None) -> None:
        self.error = error
        super().__init__(message)


class DestinationGone(SlackError):
    """Slack says the destination can never receive messages again (archived, deleted, ...)."""


class InvalidOption(UsageError):
    """An option value outside the fixed set DRS takes (checked before anything is sent)."""


class TemplateFileError(UsageError):
    """A template file DRS would refuse; checked before anything is sent."""

    def __init__(self, name: str, problem: str, fix: str) -> None:
        self.name = name
        self.problem = problem
        self.fix = fix
        super().__init__(self.user_message())

    def user_message(self) -> str:
        return f"{self.problem} {self.fix} Nothing was sent to DRS."


class UnsupportedTemplateType(TemplateFileError):
    """The file's extension is none of .xls, .xlsx, .json, .txt, .zip."""


class TemplateTooLarge(TemplateFileError):
    """The file is over DRS's size limit for its type."""


class NotAWorkbook(TemplateFileError):
    """An .xls/.xlsx whose content is not that kind of workbook."""


class NotJson(TemplateFileError):
    """A .json/.txt (or the file inside a zip) that is not one JSON document."""


class ZipRefused(TemplateFileError):
    """A .zip DRS would refuse."""


class ZipUnreadable(ZipRefused):
    """Not a zip, encrypted, or corrupt."""


class ZipNotOneFile(ZipRefused):
    """The zip does not hold exactly one entry."""


class ZipMemberNotAllowed(ZipRefused):
    """The one entry is a nested archive, a folder, or not .json/.txt."""


class ZipUnsafePath(ZipRefused):
    """The entry's path is absolute or climbs out (`..`)."""


class ZipTooLargeUnpacked(ZipRefused):
    """The entry unpacks past the limit (declared or found while unpacking)."""


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
