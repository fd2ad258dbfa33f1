"""English (en-us): why a template file is refused before anything is sent."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "tpl.unsupported": (
        "{name} is not a file DRS imports. Send an .xlsx or .xls workbook, a .json or .txt "
        "file holding JSON, or a .zip holding one. Nothing was sent to DRS."
    ),
    "tpl.too_large.json": (
        "{name} is {size}; DRS takes {ext} files up to {limit}. Split the objects over several "
        "files, or zip a JSON file (up to 1 MB zipped). Nothing was sent to DRS."
    ),
    "tpl.too_large": (
        "{name} is {size}; DRS takes {ext} files up to {limit}. Split the objects over several "
        "files. Nothing was sent to DRS."
    ),
    "tpl.not_json": (
        "{name} is not valid JSON: {problem} (byte {offset}). Save it as UTF-8 JSON (a JSON "
        "validator shows the exact spot). Nothing was sent to DRS."
    ),
    "tpl.not_json.inside": (
        "{inside} inside {name} is not valid JSON: {problem} (byte {offset}). Save it as UTF-8 "
        "JSON (a JSON validator shows the exact spot). Nothing was sent to DRS."
    ),
    "tpl.not_xls": (
        "{name} is not an Excel 97-2003 workbook. Save it from Excel as .xls or .xlsx. Nothing "
        "was sent to DRS."
    ),
    "tpl.not_xls.xlsx": (
        "{name} is not an Excel 97-2003 workbook (it is an .xlsx workbook: rename it). Save it "
        "from Excel as .xls or .xlsx. Nothing was sent to DRS."
    ),
    "tpl.not_xlsx": (
        "{name} is not an .xlsx workbook. Save it from Excel as .xlsx (Excel Workbook). "
        "Nothing was sent to DRS."
    ),
    "tpl.not_xlsx.xls": (
        "{name} is not an .xlsx workbook (it is an Excel 97-2003 file: rename it to .xls). "
        "Save it from Excel as .xlsx (Excel Workbook). Nothing was sent to DRS."
    ),
    "tpl.zip_unreadable": (
        "{name} is not a readable zip (corrupt, or an unsupported compression). Zip the JSON "
        "file again (standard deflate). Nothing was sent to DRS."
    ),
    "tpl.zip_entries": (
        "{name} holds {count} entries; DRS takes a zip of exactly one file. Zip one .json or "
        ".txt file alone (no folders, no other files). Nothing was sent to DRS."
    ),
    "tpl.zip_unsafe": (
        "The file inside {name} has an unsafe path {member}. Zip the file itself, without "
        "folders or `..` in its path. Nothing was sent to DRS."
    ),
    "tpl.zip_member.archive": (
        "{member} inside {name} is an archive inside an archive. Zip exactly one .json or .txt "
        "file. Nothing was sent to DRS."
    ),
    "tpl.zip_member.other": (
        "{member} inside {name} is not a .json or .txt. Zip exactly one .json or .txt file. "
        "Nothing was sent to DRS."
    ),
    "tpl.zip_password": (
        "{name} is password-protected. Zip it without a password. Nothing was sent to DRS."
    ),
    "tpl.zip_too_large": (
        "The file inside {name} unpacks to more than {limit}; DRS takes at most {limit} "
        "unpacked. Split the objects over several files. Nothing was sent to DRS."
    ),
    "tpl.zip_too_large.size": (
        "The file inside {name} unpacks to more than {limit} ({size}); DRS takes at most "
        "{limit} unpacked. Split the objects over several files. Nothing was sent to DRS."
    ),
}
