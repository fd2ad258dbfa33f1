"""The project's error tree; every library exception is turned into one of these at the edge.

    BotError                      anything the bot itself raises on purpose
    ├── ConfigError               settings missing or bad (lists every problem)
    ├── UsageError                a command the user typed is not understood
    │   └── InvalidJobId          text that is not a DRS job ID (8-4-4-4-12)
    ├── DrsError                  the DRS progress API did not answer with a progress
    │   ├── JobNotFound           DRS.10000010, DRS.M00289, DRS.M05003, DRS.M05004
    │   ├── CredentialsRefused    401/403, APIGW.0301/APIG.0301, DRS.M00100/M00102/M00103/M00261
    │   ├── Throttled             429, APIGW.0308/APIG.0308, DRS.M01503       (retried)
    │   ├── DrsUnavailable        5xx, timeouts, connection errors, bodies that are not the
    │   │                         documented JSON                               (retried)
    │   └── DrsRejected           any other 4xx
    ├── StoreError                the database did not answer or is behind its migrations
    │   └── SchemaBehind          the schema needs `drs-bot db upgrade`
    └── SlackError                the Slack Web API refused or failed a call
        └── DestinationGone       channel_not_found, is_archived, not_in_channel, ... (final)

Only listeners, the watcher and the CLI catch `BotError`; each turns it into a sentence that
says what went wrong and what to do next (`user_message`).
"""

from __future__ import annotations

from bot.domain.quoting import quote_untrusted


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
    ) -> None:
        self.message = quote_untrusted(message) if message else self.default_message
        self.status = status
        self.code = quote_untrusted(code, 80) if code else code
        self.request_id = quote_untrusted(request_id, 80) if request_id else request_id
        self.job_id = quote_untrusted(job_id, 80) if job_id else job_id
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
