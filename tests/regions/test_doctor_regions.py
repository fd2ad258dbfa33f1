"""`drs-bot doctor` checks the endpoint of every region DRS_REGIONS serves."""

from __future__ import annotations

import socket

from bot.config import load_settings
from bot.doctor import endpoint_checks
from tests.regions.bot import AK, SK, simulator


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_doctor_checks_each_regions_endpoint() -> None:
    async with simulator("ap-southeast-1") as drs:
        settings = load_settings(
            {
                "HUAWEICLOUD_SDK_AK": AK,
                "HUAWEICLOUD_SDK_SK": SK,
                "DRS_REGIONS": "ap-southeast-1,ap-southeast-3",
                "DRS_ENDPOINTS": f"ap-southeast-1={drs.url},"
                f"ap-southeast-3=http://127.0.0.1:{closed_port()}",
            },
            drs=True,
        )
        checks = {c.name: c for c in await endpoint_checks(settings)}
    assert list(checks) == [
        "endpoint DRS_ENDPOINTS ap-southeast-1",
        "endpoint DRS_ENDPOINTS ap-southeast-3",
    ]
    assert checks["endpoint DRS_ENDPOINTS ap-southeast-1"].ok
    down = checks["endpoint DRS_ENDPOINTS ap-southeast-3"]
    assert not down.ok and down.fix.startswith("check DRS_ENDPOINTS")
