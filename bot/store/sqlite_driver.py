"""aiosqlite with one trip to its thread per statement, for SQLAlchemy's aiosqlite dialect.

aiosqlite runs each sqlite3 call in the connection's own thread, and SQLAlchemy's adapter makes
four such calls per statement (open a cursor, execute, fetch all, close) and two per
transaction (commit, then the pool's rollback). Each trip wakes the thread and then the event
loop: on a small machine about 0.1 ms of CPU, many times what SQLite spends on the sweep's
statements. Here a statement is one trip (execute, fetch every row, close, in the thread) and
commit or rollback outside a transaction is none. What SQLite does is unchanged: the same
statements on the same sqlite3 connection, in its thread.

`dbapi()` is handed to the engine as its DBAPI module (`create_async_engine(module=...)`).
"""

from __future__ import annotations

import sqlite3
import types
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import aiosqlite
from aiosqlite import context as aiosqlite_context
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi

_Description = tuple[tuple[str, None, None, None, None, None, None], ...] | None
_Outcome = tuple[list[Any], _Description, int, int | None]


def _run(
    conn: sqlite3.Connection, sql: str, parameters: Any, many: bool
) -> _Outcome:  # pragma: no cover - runs in aiosqlite's thread (coverage does not follow it)
    """In the connection's thread: the statement, all its rows, and what the cursor reports."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return rows, cursor.description, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _in_thread(conn: aiosqlite.Connection, fn: Callable[..., Any], *args: Any) -> Awaitable[Any]:
    """`fn(*args)` in the connection's thread (aiosqlite's own queue, as its methods use)."""
    execute: Callable[..., Awaitable[Any]] = conn._execute  # untyped in aiosqlite
    return execute(fn, *args)


class Cursor(aiosqlite.Cursor):
    """A cursor whose statement runs in one trip; its rows are then read from memory."""

    def __init__(self, conn: Connection) -> None:  # no sqlite3 cursor is held between trips
        self.iter_chunk_size = conn._iter_chunk_size
        self._conn = conn
        self._rows: deque[Any] = deque()
        self._description: _Description = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    async def _trip(self, sql: str, parameters: Any, many: bool) -> Cursor:
        outcome: _Outcome = await _in_thread(
            self._conn, _run, self._conn._conn, sql, parameters, many
        )
        rows, self._description, self._rowcount, self._lastrowid = outcome
        self._rows = deque(rows)
        return self

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> Cursor:
        return await self._trip(sql, () if parameters is None else parameters, False)

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> Cursor:
        return await self._trip(sql, parameters, True)

    async def executescript(self, sql_script: str) -> Cursor:
        await _in_thread(self._conn, self._conn._conn.executescript, sql_script)
        return self

    async def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        count = self._arraysize if size is None else size
        return [self._rows.popleft() for _ in range(min(count, len(self._rows)))]

    async def fetchall(self) -> Sequence[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def close(self) -> None:
        self._rows.clear()

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    @property
    def description(self) -> Any:
        return self._description


class Connection(aiosqlite.Connection):
    """aiosqlite's connection, with `Cursor` and no trip for an idle commit or rollback."""

    @aiosqlite_context.contextmanager
    async def cursor(self) -> aiosqlite.Cursor:  # SQLAlchemy enters it, as aiosqlite's
        return Cursor(self)

    async def commit(self) -> None:
        if self._conn.in_transaction:  # a plain read opened none: nothing to commit
            await super().commit()

    async def rollback(self) -> None:
        if self._conn.in_transaction:  # the pool's reset after a commit: nothing to undo
            await super().rollback()


def connect(database: str, *, iter_chunk_size: int = 64, **kwargs: Any) -> Connection:
    """As `aiosqlite.connect`, returning our `Connection`."""

    def connector() -> sqlite3.Connection:
        made: sqlite3.Connection = sqlite3.connect(database, **kwargs)
        return made

    return Connection(connector, iter_chunk_size)


def dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """SQLAlchemy's aiosqlite DBAPI adapter over aiosqlite with our `connect`."""
    module = types.ModuleType("drs_aiosqlite")
    module.__dict__.update(vars(aiosqlite))
    module.connect = connect  # type: ignore[attr-defined]
    return AsyncAdapt_aiosqlite_dbapi(module, sqlite3)
