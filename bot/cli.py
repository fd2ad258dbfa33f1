"""Composition root and the `drs-bot` commands: builds settings, clients, engine and clock."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot import __version__
from bot.domain.commands import Language
from bot.drs.template_options import REGION_HELP
from bot.drs.template_options import add_commands as add_template_commands
from bot.errors import BotError, ConfigError

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line hint instead of a wall of usage on errors."""

    def error(self, message: str) -> None:  # type: ignore[override]  # argparse's NoReturn
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"drs-bot: {message}\nTry `{self.prog} --help`.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="drs-bot", description="Slack bot for Huawei Cloud DRS template imports.")
    parser.add_argument("--version", action="version", version=f"drs-bot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    serve = sub.add_parser("serve", help="run the bot (HTTP on $PORT, or Socket Mode)")
    serve.add_argument("--no-watcher", action="store_true", help="web only: do not poll DRS")
    serve.add_argument("--host", default="0.0.0.0", help="interface to listen on (default all)")

    check = sub.add_parser(
        "check",
        help="query one job's template-import progress",
        epilog=(
            "exit codes: 0 DRS answered (with --watch: the parse succeeded), 1 DRS or IAM "
            "gave an error, 2 usage or settings error, 3 with --watch: the parse failed"
        ),
    )
    check.add_argument("job_id", metavar="JOB_ID")
    check.add_argument("--type", dest="job_type", choices=["column"], default=None)
    check.add_argument("--lang", choices=[lang.value for lang in Language], default=None)
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument("--watch", action="store_true", help="poll until the parse ends")
    check.add_argument("--region", metavar="REGION", default=None, help=REGION_HELP)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", parser_class=_Parser)
    db_sub.add_parser("upgrade", help="bring the schema to the newest migration")
    db_sub.add_parser("current", help="print the schema revision")

    sim = sub.add_parser("simulator", help="run the local DRS simulator")
    sim.add_argument("--port", type=int, default=8089)
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--jobs", metavar="FILE", default=None)
    sim.add_argument(
        "--iam-projects",
        metavar="REGION:PROJECT,...",
        default=None,
        help="serve IAM's project listing (GET /v3/projects?name=REGION) for these regions",
    )

    add_template_commands(sub)  # template, upload, result

    sub.add_parser(
        "key-reset",
        help="sign with HUAWEICLOUD_SDK_AK again after DRS refused it twice (the key guard)",
    )
    doctor = sub.add_parser("doctor", help="check every setting against the real services")
    doctor.add_argument("--json", action="store_true", help="one JSON object")
    sandbox = sub.add_parser("sandbox", help="the whole bot locally, no Slack or cloud needed")
    sandbox.add_argument("--jobs", metavar="FILE", default=None)
    sandbox.add_argument("--script", metavar="FILE", default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return _dispatch(args, parser)
    except ConfigError as exc:
        print(exc.user_message(), file=sys.stderr)
        return EXIT_USAGE
    except BotError as exc:
        print(f"drs-bot: {exc.user_message()}", file=sys.stderr)
        return EXIT_API
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    # Imports are local so that each command loads (and demands) only what it uses.
    if args.command == "check":
        from bot.drs.checkcmd import run_check

        return asyncio.run(run_check(args))
    if args.command in ("template", "upload", "result"):
        from bot.drs import templatecmd

        run = {
            "template": templatecmd.run_template,
            "upload": templatecmd.run_upload,
            "result": templatecmd.run_result,
        }[args.command]
        return asyncio.run(run(args))
    if args.command == "simulator":
        from bot.drs.sim_cli import run_simulator

        return run_simulator(args)
    if args.command == "db":
        from bot.store.migrate import run_db_command

        if args.db_command is None:
            print("drs-bot db: say which action: upgrade or current.", file=sys.stderr)
            print("Try `drs-bot db --help`.", file=sys.stderr)
            return EXIT_USAGE
        return run_db_command(args)
    if args.command == "serve":
        from bot.server import run_serve

        return run_serve(args)
    if args.command == "doctor":
        from bot.doctor import run_doctor

        return run_doctor(args)
    if args.command == "key-reset":
        from bot.keyreset import run_key_reset

        return run_key_reset(args)
    if args.command == "sandbox":
        from bot.sandbox.run import run_sandbox

        return run_sandbox(args)
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
