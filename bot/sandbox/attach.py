"""Sandbox files: `<PATH` attaches a local file to a typed message; posted files are saved."""

from __future__ import annotations

from pathlib import Path

from bot.drs.sim_workbook import HEADER, workbook_bytes
from bot.sandbox.slack_standin import SlackStandIn, StoredFile

MAX_ATTACHMENT = 20 * 1024 * 1024  # a bigger local file is refused before it is read
# The demo's samples: one rejected row (a table name with a space), then the same file fixed.
SAMPLES = {
    "bad-orders.xlsx": [["shop", "orders", "shop", "orders"], ["shop", "order items", "shop", "x"]],
    "orders.xlsx": [["shop", "orders", "shop", "orders"], ["shop", "order_items", "shop", "x"]],
}


def split_attachment(words: str) -> tuple[str, str | None]:
    """(the words without it, the path) for a last word `<PATH`; a mention `<@U1>` is no path."""
    head, _, last = words.strip().rpartition(" ")
    if last.startswith("<") and not last.startswith("<@") and len(last) > 1:
        return head.strip(), last[1:]
    return words.strip(), None


def find_file(path: str, folder: Path | None) -> Path | None:
    """The file `path` names: as given (from the current folder), else in the sandbox's folder."""
    for candidate in (Path(path), (folder / path) if folder else None):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def attach(slack: SlackStandIn, path: Path, user: str) -> StoredFile:
    """Share the local file in the stand-in as `user` would (its bytes, its name)."""
    if path.stat().st_size > MAX_ATTACHMENT:
        raise ValueError(f"{path} is over {MAX_ATTACHMENT // (1024 * 1024)} MB")
    return slack.add_user_file(path.name, path.read_bytes(), user=user)


def save(folder: Path, stored: StoredFile) -> Path:
    """Write a file the bot posted into `folder` (numbered by its ID, so none overwrites)."""
    target = folder / f"{stored.id}-{Path(stored.name).name}"
    target.write_bytes(stored.content or b"")
    return target


def write_samples(folder: Path) -> None:
    """The demo's filled templates, made with a real spreadsheet library."""
    for name, rows in SAMPLES.items():
        (folder / name).write_bytes(workbook_bytes("objects", HEADER, rows))
