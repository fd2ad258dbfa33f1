"""简体中文 (zh-cn): why a template file is refused before anything is sent."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "tpl.unsupported": (
        "{name} 不是 DRS 能导入的文件。请发送 .xlsx 或 .xls 工作簿、装有 JSON 的 .json 或 .txt "
        "文件，或只装一个这样文件的 .zip。没有向 DRS 发送任何内容。"
    ),
    "tpl.too_large.json": (
        "{name} 有 {size}；DRS 接受的 {ext} 文件最大 {limit}。请把对象分到几个文件中，或把 "
        "JSON 文件压缩成 zip（压缩后最大 1 MB）。没有向 DRS 发送任何内容。"
    ),
    "tpl.too_large": (
        "{name} 有 {size}；DRS 接受的 {ext} 文件最大 {limit}。请把对象分到几个文件中。没有向 "
        "DRS 发送任何内容。"
    ),
    "tpl.not_json": (
        "{name} 不是有效的 JSON：{problem}（第 {offset} 字节）。请另存为 UTF-8 编码的 "
        "JSON（JSON 校验工具能指出确切位置）。没有向 DRS 发送任何内容。"
    ),
    "tpl.not_json.inside": (
        "{name} 中的 {inside} 不是有效的 JSON：{problem}（第 {offset} 字节）。请另存为 UTF-8 "
        "编码的 JSON（JSON 校验工具能指出确切位置）。没有向 DRS 发送任何内容。"
    ),
    "tpl.not_xls": (
        "{name} 不是 Excel 97-2003 工作簿。请在 Excel 中另存为 .xls 或 .xlsx。没有向 DRS "
        "发送任何内容。"
    ),
    "tpl.not_xls.xlsx": (
        "{name} 不是 Excel 97-2003 工作簿（它是 .xlsx 工作簿：请改扩展名）。请在 Excel "
        "中另存为 .xls 或 .xlsx。没有向 DRS 发送任何内容。"
    ),
    "tpl.not_xlsx": (
        "{name} 不是 .xlsx 工作簿。请在 Excel 中另存为 .xlsx（Excel 工作簿）。没有向 DRS "
        "发送任何内容。"
    ),
    "tpl.not_xlsx.xls": (
        "{name} 不是 .xlsx 工作簿（它是 Excel 97-2003 文件：请把扩展名改为 .xls）。请在 Excel "
        "中另存为 .xlsx（Excel 工作簿）。没有向 DRS 发送任何内容。"
    ),
    "tpl.zip_unreadable": (
        "{name} 不是可读的 zip（已损坏，或压缩方式不受支持）。请重新压缩 JSON 文件（标准 "
        "deflate）。没有向 DRS 发送任何内容。"
    ),
    "tpl.zip_entries": (
        "{name} 里有 {count} 个条目；DRS 只接受恰好装一个文件的 zip。请单独压缩一个 .json 或 "
        ".txt 文件（不带文件夹，不带其他文件）。没有向 DRS 发送任何内容。"
    ),
    "tpl.zip_unsafe": (
        "{name} 中的文件路径 {member} 不安全。请直接压缩文件本身，路径中不要有文件夹或 `..`。"
        "没有向 DRS 发送任何内容。"
    ),
    "tpl.zip_member.archive": (
        "{name} 中的 {member} 是压缩包中的压缩包。请只压缩一个 .json 或 .txt 文件。没有向 DRS "
        "发送任何内容。"
    ),
    "tpl.zip_member.other": (
        "{name} 中的 {member} 不是 .json 或 .txt 文件。请只压缩一个 .json 或 .txt 文件。没有向 "
        "DRS 发送任何内容。"
    ),
    "tpl.zip_password": ("{name} 有密码保护。请不加密码重新压缩。没有向 DRS 发送任何内容。"),
    "tpl.zip_too_large": (
        "{name} 中的文件解压后超过 {limit}；DRS 最多接受解压后 {limit}。"
        "请把对象分到几个文件中。没有向 DRS 发送任何内容。"
    ),
    "tpl.zip_too_large.size": (
        "{name} 中的文件解压后超过 {limit}（{size}）；DRS 最多接受解压后 {limit}。"
        "请把对象分到几个文件中。没有向 DRS 发送任何内容。"
    ),
}
