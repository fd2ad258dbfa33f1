"""The job-ID guard: the one place that finds job IDs in pasted text and checks each one.

Every entry point (slash command, mentions, the message shortcut, direct messages) finds IDs with
`job_ids_in` and nothing leaves here that has not passed `parse_job_id`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from string import ascii_lowercase, digits
from urllib.parse import parse_qsl, urlsplit

from bot.domain.quoting import quote_untrusted
from bot.errors import InvalidJobId
from bot.errors.base import Phrase

JOB_ID_PATTERN = r"[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}"
_JOB_ID_RE = re.compile(rf"^{JOB_ID_PATTERN}$")
# In free text, IDs are found case-insensitively between characters that cannot be part of one
# (`%` neither: an ID run into percent-encoding is refused, not cut out).
_FIND_RE = re.compile(rf"(?<![0-9A-Za-z%-])({JOB_ID_PATTERN})(?![0-9A-Za-z%-])", re.IGNORECASE)
EXPECTED_SHAPE = (
    "a DRS job ID is 36 characters in groups of 8-4-4-4-12 letters and digits, "
    "like c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
)
# Wrapping that chat clients and consoles add around pasted text.
_WRAPPERS = "`'\"‘’‚‛“”„‟«»‹›"
_MAX_INPUT = 200
# Phones and word processors turn hyphens into en or em dashes; only these two are undone.
_TYPOGRAPHIC_DASHES = {"–": "en dash", "—": "em dash"}
_UNDASH = str.maketrans(dict.fromkeys(_TYPOGRAPHIC_DASHES, "-"))
# URL parameters that name the job in DRS console links, tried first.
_ID_KEYS = ("jobid", "job_id", "id")
_SHAPE = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
_ELLIPSES = ("…", "...")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")  # `%3D` before an ID in an encoded fragment
_ID_CHARS = frozenset(ascii_lowercase + digits)
MAX_PREFIX = 18  # the first three groups; anything longer is a pasted ID cut short


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


def _dash_names(text: str) -> list[str]:
    return [f"{name}es ({dash})" for dash, name in _TYPOGRAPHIC_DASHES.items() if dash in text]


def parse_job_id(text: str) -> str:
    """Return the canonical (lower-case) job ID in `text`, or raise InvalidJobId saying why.

    En and em dashes between the groups are read as hyphens; when the rest is not an ID either,
    the refusal names the dashes.
    """
    if len(text) > _MAX_INPUT:
        raise InvalidJobId(
            f"{quote_input(text)} is not a job ID: it is {len(text)} characters long; "
            f"{EXPECTED_SHAPE}."
        ).with_key("error.job_id.too_long", quoted=quote_input(text), length=len(text))
    value = clean_token(text).translate(_UNDASH)
    # ASCII before lower(): some look-alikes lower-case to ASCII (KELVIN SIGN U+212A -> "k").
    if value.isascii() and _JOB_ID_RE.fullmatch(value.lower()):
        return value.lower()
    if not value:
        raise InvalidJobId(f"No job ID given: {EXPECTED_SHAPE}.").with_key("error.job_id.none")
    raise _not_a_job_id(text, value)


def _not_a_job_id(text: str, value: str) -> InvalidJobId:
    """Why `text` (read as `value`) is not a job ID: its length, the dashes it has."""
    reason, key = "", "error.job_id.invalid"
    if len(value) != 36:
        reason, key = f" (it has {len(value)} characters)", key + ".length"
    dashes = _dash_names(text)
    if dashes:
        reason += f"; it has {' and '.join(dashes)} where a job ID has hyphens (-)"
        key += ".dashes"
    kinds = [name.split()[0] for dash, name in _TYPOGRAPHIC_DASHES.items() if dash in text]
    extra = {"dashes": Phrase("error.job_id.dash." + "_".join(kinds))} if kinds else {}
    return InvalidJobId(
        f"{quote_input(text)} is not a DRS job ID{reason}: {EXPECTED_SHAPE}."
    ).with_key(key, quoted=quote_input(text), length=len(value), **extra)


def _found_in(text: str) -> list[str]:
    """IDs written in `text` in ASCII (en and em dashes read as hyphens), each checked."""
    found: list[str] = []
    for match in _FIND_RE.finditer(text.translate(_UNDASH)):
        if match.group(1).isascii():  # before lower(), as in parse_job_id
            found.append(parse_job_id(match.group(1)))
    return found


def _url_ids(word: str) -> list[str]:
    """IDs in a URL's query or fragment parameters (`?jobId=`, `#/path?id=`), named keys first."""
    start = word.find("http")
    if start < 0 or "://" not in word:
        return []
    try:
        parts = urlsplit(word[start:].split("|", 1)[0].rstrip(">)]"))
    except ValueError:  # e.g. `http://[`, an unclosed IPv6 host: no parameters to read
        return []
    fragment = parts.fragment.split("?", 1)[-1] if "?" in parts.fragment else parts.fragment
    params = parse_qsl(parts.query) + parse_qsl(fragment)
    named = [v for k, v in params if k.lower() in _ID_KEYS]
    others = [v for k, v in params if k.lower() not in _ID_KEYS]
    # only IDs written in the link itself (not assembled by percent-decoding) count
    written = word.lower()
    return [found for value in named + others for found in _found_in(value) if found in written]


def job_ids_in(text: str) -> list[str]:
    """Every job ID in pasted text, in order, without repeats: the rule for every surface.

    Finds IDs in DRS console URLs (query or fragment parameters, percent-encoded or not), in
    Slack and Markdown links, between commas, quotes and brackets, and in prose.
    """
    seen: list[str] = []
    for word in text.split():
        # inside a link, `%3D` and `%26` around an ID separate it like `=` and `&`
        plain = _PERCENT.sub(" ", word) if "://" in word else word
        for job_id in _url_ids(word) + _found_in(plain):
            if job_id not in seen:
                seen.append(job_id)
    return seen


def find_job_ids(text: str) -> list[str]:
    """Every job ID found in free text (kept for callers; the same rule as `job_ids_in`)."""
    return job_ids_in(text)


@dataclass(frozen=True)
class ShortRef:
    """A job ID typed back shortened: a prefix (`c7debc9c`) or the notification form
    (`c7debc9c…jb20r`). It names a job only through the watches it matches."""

    head: str
    tail: str = ""

    def matches(self, job_id: str) -> bool:
        return job_id.startswith(self.head) and job_id.endswith(self.tail)

    def __str__(self) -> str:
        return f"{self.head}…{self.tail}" if self.tail else self.head


def _fits(part: str, shape: str) -> bool:
    return all(
        (want == "-") == (ch == "-") and (ch == "-" or ch in _ID_CHARS)
        for ch, want in zip(part, shape, strict=True)
    )


def parse_short_ref(text: str) -> ShortRef | None:
    """A shortened job ID (a prefix of 4 to 18 characters with a digit, or head…tail), or None."""
    value = clean_token(text).translate(_UNDASH)
    if value != value.lower():
        value = value.lower() if value.isascii() else ""  # no look-alike lower-cases into a ref
    for ellipsis in _ELLIPSES:
        if ellipsis in value:
            head, _, tail = value.partition(ellipsis)
            ok = 0 < len(head) <= MAX_PREFIX and 0 < len(tail) <= 12
            if ok and _fits(head, _SHAPE[: len(head)]) and _fits(tail, _SHAPE[-len(tail) :]):
                return ShortRef(head, tail)
            return None
    # A digit tells a prefix from a word: IDs start like hex, so nearly every prefix has one.
    plausible = 4 <= len(value) <= MAX_PREFIX and any(ch.isdigit() for ch in value)
    if plausible and _fits(value, _SHAPE[: len(value)]):
        return ShortRef(value)
    return None


# A job as typed: a checked full ID, or a short form resolved against this channel's watches.
JobRef = str | ShortRef


def _near_id(word: str) -> bool:
    """A word in prose that is a job ID gone wrong (cut short, a character too many)."""
    return word.count("-") + word.count("—") + word.count("–") >= 2 or len(word) >= 20


def job_refs(words: list[str]) -> list[JobRef]:
    """The jobs a command's words name, by the rule every surface uses (`job_ids_in`).

    Words that name no job are prose and skipped once a full ID is found, unless one is an ID
    gone wrong; short forms count only when every word names a job.
    """
    refs: list[JobRef] = []
    prose: list[str] = []
    for word in words:
        found = job_ids_in(word)
        short = None if found else parse_short_ref(word)
        refs.extend(found or ([short] if short else []))
        if not found and short is None:
            prose.append(word)
    if not prose:
        return _unique(refs)
    wrong = [w for w in prose if _near_id(w)] or ([] if refs else prose)
    # parse_job_id raises InvalidJobId saying what is wrong with the first such word
    checked = [parse_job_id(w) for w in wrong]
    return _unique([r for r in refs if isinstance(r, str)] + checked)


def _unique(refs: Sequence[JobRef]) -> list[JobRef]:
    return list(dict.fromkeys(refs))
