"""The project's error tree; every library exception is turned into one of these at the edge.

    BotError                      anything the bot itself raises on purpose
    ├── ConfigError               settings missing or bad (lists every problem)
    │   └── PolicyError           the access policy file does not parse (file and line)
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
    │   ├── InvalidJobId          text that is not a DRS job ID (8-4-4-4-12)
    │   └── UnknownRegion         `--region` names a region the bot does not serve
    ├── DrsError                  the DRS progress API did not answer with a progress
    │   ├── JobNotFound           DRS.10000010, DRS.M00289, DRS.M05003, DRS.M05004
    │   │   └── JobNotInAnyRegion no region served knows the job (or could be asked)
    │   ├── CredentialsRefused    401/403, APIGW.0301/APIG.0301, DRS.M00100/M00102/M00103/M00261
    │   ├── Throttled             429, APIGW.0308/APIG.0308, DRS.M01503       (retried)
    │   ├── DrsUnavailable        5xx, DNS failing for now, bodies that are not the
    │   │   │                     documented JSON                               (retried)
    │   │   ├── HostNotFound      no such host: DRS_REGION or DRS_ENDPOINT is wrong
    │   │   ├── DrsConnectionRefused  nothing listens at the host and port
    │   │   ├── DrsTimeout        no answer in time                             (retried)
    │   │   ├── UploadUncertain   an upload sent but not confirmed               (not retried)
    │   │   └── DownloadTooLarge  DRS sent a file larger than the bot takes     (not retried)
    │   └── DrsRejected           any other 4xx
    │       ├── NotDrs            a 404 or HTML that is no DRS answer: check DRS_ENDPOINT
    │       └── UploadRefused     400/413 to an upload: DRS refused the file itself
    ├── StoreError                the database did not answer or is behind its migrations
    │   └── SchemaBehind          the schema needs `drs-bot db upgrade`
    └── SlackError                the Slack Web API refused or failed a call
        ├── DestinationGone       channel_not_found, is_archived, not_in_channel, ... (final)
        ├── MissingScope          missing_scope: the app must be reinstalled with new scopes
        └── SlackFileError        a file shared in Slack that the bot could not fetch as is
            ├── FileNotReadable     Slack sent its sign-in page: `files:read` is missing
            ├── FileNotVisible      the bot cannot see the file: share it in the channel
            ├── FileSizeMismatch    the bytes differ in size from what Slack announced
            └── SlackFileTooLarge   larger than any template DRS takes

Only listeners, the watcher and the CLI catch `BotError`; each turns it into a sentence that
says what went wrong and what to do next (`user_message`). A DrsError made at the DRS edge
carries its `Endpoint` (host, the setting that chose it, the credential kind in use), so the
sentence names the one setting to fix.

The families live in submodules (`base`, `drs`, `slack`, `templates`); import them from here.
Each sentence is also a key of the render catalogues with its values (`catalogued()`; the DRS
ones in `drs_text`), so bot/render/errors.py writes it in the reader's language; `user_message()`
stays English for logs and the CLI.
"""

from __future__ import annotations

from bot.errors.base import (
    BotError,
    ConfigError,
    InvalidJobId,
    InvalidOption,
    PolicyError,
    SchemaBehind,
    StoreError,
    UsageError,
)
from bot.errors.drs import (
    CredentialsRefused,
    DownloadTooLarge,
    DrsConnectionRefused,
    DrsError,
    DrsRejected,
    DrsTimeout,
    DrsUnavailable,
    Endpoint,
    HostNotFound,
    JobNotFound,
    NotDrs,
    Throttled,
    UploadRefused,
    UploadUncertain,
)
from bot.errors.regions import JobNotInAnyRegion, UnknownRegion
from bot.errors.slack import (
    DestinationGone,
    FileNotReadable,
    FileNotVisible,
    FileSizeMismatch,
    MissingScope,
    SlackError,
    SlackFileError,
    SlackFileTooLarge,
)
from bot.errors.templates import (
    NotAWorkbook,
    NotJson,
    TemplateFileError,
    TemplateTooLarge,
    UnsupportedTemplateType,
    ZipMemberNotAllowed,
    ZipNotOneFile,
    ZipRefused,
    ZipTooLargeUnpacked,
    ZipUnreadable,
    ZipUnsafePath,
)

__all__ = [
    "BotError",
    "ConfigError",
    "CredentialsRefused",
    "DestinationGone",
    "DownloadTooLarge",
    "DrsConnectionRefused",
    "DrsError",
    "DrsRejected",
    "DrsTimeout",
    "DrsUnavailable",
    "Endpoint",
    "FileNotReadable",
    "FileNotVisible",
    "FileSizeMismatch",
    "HostNotFound",
    "InvalidJobId",
    "InvalidOption",
    "JobNotFound",
    "JobNotInAnyRegion",
    "MissingScope",
    "NotAWorkbook",
    "NotDrs",
    "NotJson",
    "PolicyError",
    "SchemaBehind",
    "SlackError",
    "SlackFileError",
    "SlackFileTooLarge",
    "StoreError",
    "TemplateFileError",
    "TemplateTooLarge",
    "Throttled",
    "UnknownRegion",
    "UnsupportedTemplateType",
    "UploadRefused",
    "UploadUncertain",
    "UsageError",
    "ZipMemberNotAllowed",
    "ZipNotOneFile",
    "ZipRefused",
    "ZipTooLargeUnpacked",
    "ZipUnreadable",
    "ZipUnsafePath",
]
