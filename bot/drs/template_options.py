"""The choices DRS takes for the template APIs, and the three commands' arguments (light)."""

from __future__ import annotations

from typing import Any

DOWNLOAD_LEVELS = ("table", "database", "partition")
UPLOAD_LEVELS = ("table", "database", "column", "partition", "compare_key")
MAPPINGS = ("table_mapping", "topic_mapping")
REGION_HELP = "the region to ask (one of DRS_REGIONS); default: the default region"
RESULT_TYPES = ("detail", "synchronized", "change", "compare", "compare_key_detail")


def add_commands(sub: Any) -> None:
    """Register the three commands on `drs-bot`'s subparsers."""
    template = sub.add_parser("template", help="download a job's blank object import template")
    template.add_argument("job_id", metavar="JOB_ID")
    template.add_argument("-o", "--output", metavar="FILE", default=None)
    template.add_argument("--level", choices=DOWNLOAD_LEVELS, default=None)
    template.add_argument("--lang", choices=["en-us", "zh-cn"], default=None)
    template.add_argument("--region", metavar="REGION", default=None, help=REGION_HELP)

    upload = sub.add_parser("upload", help="check a filled template as DRS would and upload it")
    upload.add_argument("job_id", metavar="JOB_ID")
    upload.add_argument("file", metavar="FILE")
    upload.add_argument("--level", choices=UPLOAD_LEVELS, default=None)
    upload.add_argument("--mapping", choices=MAPPINGS, default=None)
    upload.add_argument("--lang", choices=["en-us", "zh-cn"], default=None)
    upload.add_argument("--region", metavar="REGION", default=None, help=REGION_HELP)
    upload.add_argument("--watch", action="store_true", help="follow the parse until it ends")

    result = sub.add_parser("result", help="download a job's import result")
    result.add_argument("job_id", metavar="JOB_ID")
    result.add_argument("-o", "--output", metavar="FILE", default=None)
    result.add_argument("--type", dest="result_type", choices=RESULT_TYPES, default="detail")
    result.add_argument("--lang", choices=["en-us", "zh-cn"], default=None)
    result.add_argument("--region", metavar="REGION", default=None, help=REGION_HELP)
