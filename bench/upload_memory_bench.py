"""Memory while checking and uploading a 5 MB template: peak RSS above idle, as x file size.

The simulator runs in a child process so that only the bot side is measured; the upload is
AK/SK-signed over the production transport. Goal: under 3x the file size above idle.

    python bench/upload_memory_bench.py [--kind json|xlsx] [--mb 5]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil
from pydantic import SecretStr

from bot.drs.credentials import AkSkAuth
from bot.drs.templates import TemplateClient
from bot.drs.transport import AiohttpTransport
from bot.templates.checks import MB, check_template

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
PROJECT = "054ba152d480d55b2f5dc0069e7ddef0"
AK, SK = "BENCHAK0000000000000", "bench-secret"
GOAL = 3.0


def make_file(folder: Path, kind: str, size: int) -> Path:
    """A realistic filled template just under `size` bytes."""
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("objects")
        sheet.append(["Source Database", "Source Table", "Target Database", "Target Table"])
        path = folder / "objects.xlsx"
        for i in range(size // 40):
            sheet.append(["sales_db", f"orders_{i:07d}", "sales_dw", f"orders_{i:07d}"])
        book.save(path)
        return path
    row = b'{"source_database": "sales_db", "source_table": "orders_%07d", "topic": "t"},\n'
    count = (size - 64) // len(row % 0)
    path = folder / "objects.json"
    with path.open("wb") as out:
        out.write(b"[\n")
        for i in range(count):
            out.write(row % i)
        out.write(b'{"source_table": "last"}\n]\n')
    return path


class PeakSampler:
    """Samples this process's RSS every millisecond in a thread; keeps the highest."""

    def __init__(self) -> None:
        self._proc = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            time.sleep(0.001)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)


def start_simulator() -> tuple[subprocess.Popen[str], str]:
    env = {
        **os.environ,
        "DRS_PROJECT_ID": PROJECT,
        "HUAWEICLOUD_SDK_AK": AK,
        "HUAWEICLOUD_SDK_SK": SK,
    }
    for name in ("DRS_AUTH_TOKEN", "IAM_USERNAME", "IAM_PASSWORD"):
        env.pop(name, None)
    script = Path(sys.executable).with_name("drs-bot")
    proc = subprocess.Popen(
        [str(script), "simulator", "--port", "0"], env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line.rsplit(" ", 1)[-1].strip()


async def measure(path: Path, url: str) -> tuple[int, int, int]:
    auth = AkSkAuth(SecretStr(AK), SecretStr(SK), project_id=PROJECT)
    async with httpx.AsyncClient(base_url=url, auth=auth, transport=AiohttpTransport()) as http:
        client = TemplateClient(http, project_id=PROJECT)
        warm = b'[{"source_table": "warm"}]'  # imports, connection, signing: all warmed up
        await client.upload(JOB, check_template("warm.json", warm), warm)
        gc.collect()
        idle = psutil.Process().memory_info().rss
        with PeakSampler() as sampler:
            content = await asyncio.to_thread(path.read_bytes)
            checked = await asyncio.to_thread(check_template, path.name, content)
            await client.upload(JOB, checked, content)
            size = len(content)
            del content
        return idle, sampler.peak, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kind", choices=["json", "xlsx"], default="json")
    parser.add_argument("--mb", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = make_file(Path(folder), args.kind, int(args.mb * MB))
        gc.collect()
        proc, url = start_simulator()
        try:
            idle, peak, size = asyncio.run(measure(path, url))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    ratio = (peak - idle) / size
    verdict = "OK" if ratio < GOAL else "OVER GOAL"
    print(
        f"{args.kind} file {size / MB:.2f} MB: idle RSS {idle / MB:.1f} MB, "
        f"peak {peak / MB:.1f} MB, above idle {(peak - idle) / MB:.1f} MB = "
        f"{ratio:.2f}x the file (goal < {GOAL:g}x) {verdict}"
    )
    return 0 if ratio < GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
