"""Template files DRS would refuse, found before anything is sent."""

from __future__ import annotations

from bot.errors.base import UsageError


class TemplateFileError(UsageError):
    """A template file DRS would refuse; checked before anything is sent."""

    def __init__(self, name: str, problem: str, fix: str) -> None:
        self.name = name
        self.problem = problem
        self.fix = fix
        super().__init__(self.user_message())

    def user_message(self) -> str:
        return f"{self.problem} {self.fix} Nothing was sent to DRS."


class UnsupportedTemplateType(TemplateFileError):
    """The file's extension is none of .xls, .xlsx, .json, .txt, .zip."""


class TemplateTooLarge(TemplateFileError):
    """The file is over DRS's size limit for its type."""


class NotAWorkbook(TemplateFileError):
    """An .xls/.xlsx whose content is not that kind of workbook."""


class NotJson(TemplateFileError):
    """A .json/.txt (or the file inside a zip) that is not one JSON document."""


class ZipRefused(TemplateFileError):
    """A .zip DRS would refuse."""


class ZipUnreadable(ZipRefused):
    """Not a zip, encrypted, or corrupt."""


class ZipNotOneFile(ZipRefused):
    """The zip does not hold exactly one entry."""


class ZipMemberNotAllowed(ZipRefused):
    """The one entry is a nested archive, a folder, or not .json/.txt."""


class ZipUnsafePath(ZipRefused):
    """The entry's path is absolute or climbs out (`..`)."""


class ZipTooLargeUnpacked(ZipRefused):
    """The entry unpacks past the limit (declared or found while unpacking)."""
