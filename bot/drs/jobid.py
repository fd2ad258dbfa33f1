"""The job-ID guard: the one function every entry point uses before a job ID goes anywhere."""

from __future__ import annotations

import re

from bot.domain.quoting import quote_untrusted
from bot.errors import InvalidJobId

JOB_ID_PATTERN = r"[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}"
_JOB_ID_RE = re.compile(rf"^{JOB_ID_PATTERN}$")
# In free text (a message shortcut), IDs are found case-insensitively between non-word chars.
_FIND_RE = re.compile(rf"(?<![0-9A-Za-z-])({JOB_ID_PATTERN})(?![0-9A-Za-z-])", re.IGNORECASE)
EXPECTED_SHAPE = (
    "a DRS job ID is 36 characters in groups of 8-4-4-4-12 letters and digits, "
    "like c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
)
# Wrapping that chat clients and consoles add around pasted text.
_WRAPPERS = "`'\"‘’‚‛“”„‟«»‹›"
_MAX_INPUT = 200


def quote_input(text: str, limit: int = 40) -> str:
    """Quote untrusted text for a message: one line, shortened, in a code span it cannot leave."""
    return quote_untrusted(text, limit, code=True)


def clean_token(text: str) -> str:
    """Trim whitespace and chat wrapping (backticks, quotes, Slack's <...>) from one word."""
    value = text.strip()
    for _ in range(4):  # nested wrapping such as "`...`"
        before = value
        if value.startswith("<") and value.endswith(">"):
            value = value[1:-1]
            # Slack links look like <url|label>: keep the label
            if "|" in value:
                value = value.rsplit("|", 1)[1]
        value = value.strip().strip(_WRAPPERS).strip()
        if value == before:
            break
    return value


def parse_job_id(text: str) -> str:
    """Return the canonical (lower-case) job ID in `text`, or raise InvalidJobId saying why."""
    if len(text) > _MAX_INPUT:
        raise InvalidJobId(
            f"{quote_input(text)} is not a job ID: it is {len(text)} characters long; "
            f"{EXPECTED_SHAPE}."
        )
    value = clean_token(text)
    # ASCII before lower(): some look-alikes lower-case to ASCII (KELVIN SIGN U+212A -> "k").
    if value.isascii() and _JOB_ID_RE.fullmatch(value.lower()):
        return value.lower()
    if not value:
        raise InvalidJobId(f"No job ID given: {EXPECTED_SHAPE}.")
    reason = ""
    if len(value) != 36:
        reason = f" (it has {len(value)} characters)"
    raise InvalidJobId(f"{quote_input(text)} is not a DRS job ID{reason}: {EXPECTED_SHAPE}.")


def find_job_ids(text: str) -> list[str]:
    """Every job ID found in free text, in order, without repeats (for message shortcuts)."""
    seen: list[str] = []
    for match in _FIND_RE.finditer(text):
        job_id = match.group(1)
        if not job_id.isascii():  # before lower(), as in parse_job_id
            continue
        job_id = job_id.lower()
        if job_id not in seen:
            seen.append(job_id)
    return seen
