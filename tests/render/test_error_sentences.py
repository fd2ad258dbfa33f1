"""Every error's sentence from the catalogues: English exactly as raised, Chinese in Chinese."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.domain.commands import Language
from bot.drs.jobid import parse_job_id
from bot.errors import (
    BotError,
    CredentialsRefused,
    DownloadTooLarge,
    DrsConnectionRefused,
    DrsError,
    DrsRejected,
    DrsTimeout,
    DrsUnavailable,
    Endpoint,
    FileNotReadable,
    FileNotVisible,
    FileSizeMismatch,
    HostNotFound,
    InvalidJobId,
    JobNotFound,
    JobNotInAnyRegion,
    MissingScope,
    NotDrs,
    SlackFileTooLarge,
    StoreError,
    TemplateFileError,
    Throttled,
    UnknownRegion,
    UploadRefused,
    UploadUncertain,
    UsageError,
)
from bot.render.errors import error_text
from bot.slack.grammar import parse_command, parse_mention
from bot.templates.checks import MB, check_template

JOB = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
JOB2 = "0b5e7a11-1111-4a5d-8dd6-cc44f78jb21a"
REGION = Endpoint("drs.xx-1.example.com", "DRS_REGION", region="xx-1", credential="aksk")
GIVEN = Endpoint("drs.example.com:8443", "DRS_ENDPOINT", credential="token")
IAM = Endpoint("iam.example.com", "DRS_REGION", service="IAM", region="xx-1", credential="iam")
IAM_TOKEN = Endpoint("drs.example.com", "DRS_ENDPOINT", region="xx-1", credential="iam")


def _bad_job_id(text: str) -> InvalidJobId:
    with pytest.raises(InvalidJobId) as caught:
        parse_job_id(text)
    return caught.value


def _usage(text: str, *, mention: bool = False) -> UsageError:
    with pytest.raises(UsageError) as caught:
        (parse_mention if mention else parse_command)(text)
    return caught.value


def _zip(*entries: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


def _refused(name: str, data: bytes) -> TemplateFileError:
    with pytest.raises(TemplateFileError) as caught:
        check_template(name, data)
    return caught.value


def _templates() -> list[BotError]:
    big = b" " * (6 * MB)
    return [
        _refused("a.pdf", b"x"),
        _refused("a.json", big),
        _refused("a.xlsx", big),
        _refused("a.json", b"{"),
        _refused("a.xls", b"xx"),
        _refused("a.xls", _zip(("[Content_Types].xml", b"x"), ("xl/a.xml", b"x"))),
        _refused("a.xlsx", b"xx"),
        _refused("a.zip", b"PK\x03\x04 not really"),
        _refused("a.zip", _zip(("a.json", b"{}"), ("b.json", b"{}"))),
        _refused("a.zip", _zip(("../a.json", b"{}"))),
        _refused("a.zip", _zip(("a.zip", b"{}"))),
        _refused("a.zip", _zip(("a.exe", b"{}"))),
        _refused("a.zip", _zip(("a.json", b"{"))),
        _refused("a.zip", _zip(("a.json", b" " * (21 * MB)))),
    ]


def _errors() -> list[BotError]:
    drs: list[DrsError] = [
        DrsError(),
        DrsError("said", status=500, code="X.1", request_id="r1"),
        JobNotFound(job_id=JOB, status=404, code="DRS.10000010"),
        JobNotFound("gone"),
        CredentialsRefused(status=401, endpoint=GIVEN),
        CredentialsRefused("signature expired", status=401, endpoint=REGION),
        CredentialsRefused(status=401, code="APIGW.0301", endpoint=REGION),
        CredentialsRefused(status=400, endpoint=IAM),
        CredentialsRefused(status=401, endpoint=IAM),
        CredentialsRefused(status=401, endpoint=IAM_TOKEN),
        CredentialsRefused(status=403),
        CredentialsRefused(code="DRS.M00261", endpoint=REGION),
        CredentialsRefused(),
        Throttled(status=429),
        DrsUnavailable(status=503, endpoint=GIVEN),
        DrsUnavailable(),
        HostNotFound(endpoint=REGION),
        HostNotFound(endpoint=IAM),
        HostNotFound(),
        DrsConnectionRefused(endpoint=GIVEN),
        DrsTimeout(endpoint=REGION),
        DrsTimeout(endpoint=GIVEN),
        DrsTimeout(),
        DrsRejected("bad", status=400, code="DRS.1"),
        DrsRejected(),
        NotDrs(status=404, endpoint=REGION),
        NotDrs(endpoint=GIVEN),
        NotDrs(),
        UploadUncertain(job_id=JOB),
        UploadUncertain(),
        DownloadTooLarge(),
        UploadRefused("too big", status=413),
    ]
    nowhere = JobNotInAnyRegion(
        JOB, asked=["xx-1", "xx-2", "xx-3"], failures={"xx-3": DrsTimeout(endpoint=GIVEN)}
    )
    one = JobNotInAnyRegion(JOB, asked=["xx-1"], failures={})
    usage = [
        _usage(text)
        for text in ("list extra", "status", f"status {JOB} {JOB2}", "stop", f"stop {JOB} {JOB2}")
    ]
    usage += [_usage(t) for t in ("watch", "--type column", "frobnicate", "status not/an/id")]
    usage += [
        _usage(" ".join(f"{JOB[:-2]}{i:02d}" for i in range(6))),
        _usage(f"{JOB} --region MARS!"),
    ]
    usage += [_usage("stop", mention=False), _usage("watch", mention=True)]
    return [
        *drs,
        nowhere,
        one,
        UnknownRegion("xx-9", ["xx-1", "xx-2"]),
        UnknownRegion("xx-9", ["xx-1"], form="config region {}"),
        MissingScope("missing_scope", error="missing_scope"),
        FileNotReadable("x", name="a.xlsx"),
        FileNotVisible("x", name="a.xlsx"),
        FileSizeMismatch("x", name="a.xlsx"),
        SlackFileTooLarge("x", name="a.xlsx"),
        _bad_job_id("x" * 300),
        _bad_job_id(""),
        _bad_job_id("c7debc9c–8e09–4a5d–8dd6–cc44f78jb20r!"),
        _bad_job_id("c7debc9c—8e09–4a5d"),
        _bad_job_id("c7debc9c-8e09-4a5d-8dd6-cc44f78jb20?"),
        *usage,
        *_templates(),
        StoreError("could not create or find the watch; try again.").with_key("store.watch_race"),
    ]


@pytest.mark.parametrize("error", _errors(), ids=lambda e: type(e).__name__)
def test_the_english_sentence_is_the_one_raised(error: BotError) -> None:
    assert error.catalogued() is not None, error
    assert error_text(error, Language.EN_US) == error.user_message()


@pytest.mark.parametrize("error", _errors(), ids=lambda e: type(e).__name__)
def test_the_chinese_sentence_is_in_chinese(error: BotError) -> None:
    text = error_text(error, Language.ZH_CN)
    if type(error) is DrsError and error.message != error.default_message:
        assert text == error.user_message()  # only DRS's own words (in the language asked)
        return
    assert any("\u4e00" <= c <= "\u9fff" for c in text), text
    assert text != error.user_message()
