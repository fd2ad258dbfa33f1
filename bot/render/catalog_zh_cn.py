"""简体中文 (zh-cn): every sentence the bot writes, by key (`catalog_en_us` has the same keys)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Formatting shared by every message (bot.render.text).
    "users.more": "{users} 等另外 {more} 人",
    "date.plain": "{year}年{month}月{day}日 {time} UTC",
    "rows.unknown": "尚无行数",
    "rows.one": "{count} 行",
    "rows.many": "{count} 行",
    "duration.under_minute": "不到 1 分钟",
    "duration.minutes": "{minutes} 分钟",
    "duration.hours": "{hours} 小时",
    "duration.hours_minutes": "{hours} 小时 {minutes} 分钟",
    "rows.field_unknown": "尚不知道",
    "rows.field_none": "暂无",
    "upload.not_reported": "未报告",
    "upload.complete": "已完成",
    "upload.incomplete": "尚未完成",
    "phase.uploading": "上传中",
    "phase.parsing": "解析中",
    "phase.succeeded": "已成功",
    "phase.failed": "已失败",
    "phase.with_status": "{phase}（DRS 状态 {status}）",
    # The watch card, status and list (bot.render.cards).
    "card.label.not_found": "找不到任务",
    "card.label.stopped": "已停止",
    "card.label.expired": "监视已到期",
    "card.label.checking": "查询中",
    "card.label.phase_stopped": "{phase}，已停止监视",
    "card.label.phase_expired": "{phase}，监视已到期",
    "card.push": "{head}：{label}",
    "card.push_rows": "{head}：{label}，{rows}",
    "card.checking": "查询中…",
    "card.field.phase": "阶段",
    "card.field.rows": "已解析行数",
    "card.field.upload": "上传",
    "card.field.drs_status": "DRS 状态",
    "card.field.type": "类型",
    "card.state.unknown": "监视状态 {state}。",
    "card.state.finished": "查询时已结束；未监视。",
    "card.state.not_found": "此项目中没有这个 DRS 任务；未监视。",
    "card.state.stopped": "已停止监视。",
    "card.state.expired": "监视已结束：达到时间上限。",
    "card.state.undeliverable": "监视已结束：机器人无法再在这里发消息。",
    "card.last_checked": "上次查询 {when}",
    "card.region": "区域 {region}",
    "card.uploaded_by": "{file} 由 {user} 上传",
    "card.asked_by": "发起人 {user}",
    "card.following": "同时关注：{users}",
    "card.button.stop": "停止监视",
    "card.button.refresh": "刷新",
    "card.heading": "*DRS 模板导入* `{job_id}`",
    "status.checked": "查询于 {when}",
    "status.private": "仅你可见；未监视。",
    "status.to_watch": "在这里监视：`{form}`",
    "list.empty": (
        "此频道没有监视中的 DRS 任务。用 `{cmd} JOB_ID` 开始监视，"
        "或在话题中提及我：{bot} `watch JOB_ID`。"
    ),
    "list.count_one": "{count} 个 DRS 任务",
    "list.count_many": "{count} 个 DRS 任务",
    "list.heading": "*此频道正在监视 {count}*",
    "list.not_shown": "…另有 {more} 个未显示。",
    "list.how_to_stop": "停止一个：`{cmd} stop JOB_ID`；全部停止：`{cmd} stop all`。",
    "list.push": "此处监视 {count}：{names}",
    "list.push_more": "此处监视 {count}：{names} 等另外 {more} 个",
    "list.rows": "{rows} 行",
    "list.open_thread": "打开话题",
    "list.open_card": "打开卡片",
    "list.in_thread": "在话题中",
    "list.asked_by": "发起人 {user}",
    # The watcher's thread replies (bot.render.replies).
    "reply.state.none": "尚未看到进度",
    "reply.state.uploading": "正在上传模板",
    "reply.state.parsing_status": "解析中（状态 {status}），{rows}",
    "reply.state.phase": "{phase}，{rows}",
    "reply.with_who": "{text} {who}",
    "reply.phase.parsing": "{head}：上传完成，现在{state}",
    "reply.phase": "{head}：现在{state}",
    "reply.progress": "{head}：目前{state}",
    "reply.succeeded": "{head} 解析完成：{rows}，用时 {took} ✅",
    "reply.failed": "{head} 解析失败，用时 {took} ❌（已解析 {rows}）。请下载导入结果查看错误。",
    "reply.failed.next": (
        "*下一步：* 导入结果就是你上传的文件，每个错误都已标出。"
        "API：`GET /v5/{project}/jobs/{job_id}/db-object/template/result?type=detail`。"
        "控制台：打开 DRS 任务，进入其对象导入页面，下载导入结果。"
        "修正标出的行，重新上传模板，并用 `{cmd} {job_id}` 监视。"
    ),
    "reply.not_found": (
        "{head} 在 DRS 中已不存在；已停止监视。它可能已被删除；请在 DRS 控制台检查该任务。"
    ),
    "reply.not_found.said": (
        "{head} 在 DRS 中已不存在（DRS：{said}）；已停止监视。"
        "它可能已被删除；请在 DRS 控制台检查该任务。"
    ),
    "reply.stalled": (
        "{head}：{quiet} 没有变化（{state}）。仍在监视；如果这不正常，请在 DRS 控制台检查该任务。"
    ),
    "reply.expired": (
        "{head}：监视 {hours} 后已停止（最后状态：{state}）。输入 `{cmd} {job_id}` 重新监视。"
    ),
    "reply.unreachable": "{head}：无法连接 DRS，仍在重试。最后状态：{state}。",
    "reply.unreachable.said": "{head}：无法连接 DRS（{said}），仍在重试。最后状态：{state}。",
    "reply.unreachable.tries": (
        "{head}：连续 {failures} 次查询失败，无法连接 DRS，仍在重试。最后状态：{state}。"
    ),
    "reply.unreachable.tries.said": (
        "{head}：连续 {failures} 次查询失败，无法连接 DRS（{said}），仍在重试。最后状态：{state}。"
    ),
    "reply.reachable_again": "{head}：DRS 已恢复连接；{state}。",
    "reply.credentials": (
        "{head}：DRS 拒绝了机器人的凭据，无法查询进度。"
        "运维人员：请检查 DRS_AUTH_TOKEN、IAM_USERNAME/IAM_PASSWORD/IAM_DOMAIN 或 "
        "HUAWEICLOUD_SDK_AK/SK，以及 DRS_PROJECT_ID，然后重启机器人；此监视会自动继续。"
    ),
    "reply.credentials.said": (
        "{head}：DRS 拒绝了机器人的凭据（{said}），无法查询进度。"
        "运维人员：请检查 DRS_AUTH_TOKEN、IAM_USERNAME/IAM_PASSWORD/IAM_DOMAIN 或 "
        "HUAWEICLOUD_SDK_AK/SK，以及 DRS_PROJECT_ID，然后重启机器人；此监视会自动继续。"
    ),
    # A card's note (bot.render.notes).
    "note.unreachable": "DRS 没有响应；仍在重试。",
    "note.credentials": "DRS 拒绝了机器人的凭据；需要运维人员修复。",
    "note.stalled": "{minutes} 分钟没有变化。",
    "note.not_found": "DRS 已不认识这个任务；已停止监视。",
    "note.expired": "监视 {hours} 小时后已停止。",
    "note.first_check_failed": "暂时无法连接 DRS（{detail}）；我会继续重试。",
    # Answers to one person's command (bot.render.answers).
    "answer.checking": ":hourglass_flowing_sand: 正在向 DRS 查询 {jobs}…",
    "help.text": (
        "{cmd} 用法：`{cmd} JOB_ID` 监视 DRS 模板解析，"
        "`{cmd} status JOB_ID` 查询一次，`{cmd} help` 查看更多。"
    ),
    "help.commands": (
        "*监视 DRS 对象导入模板的解析*\n"
        "`{cmd} {example}`：立即查询，在这里发一张卡片并持续更新，直到解析结束"
        "（一次最多 5 个任务 ID）。\n"
        "`{cmd} status JOB_ID`（或 `check`）：查询一次；只有你能看到回答。\n"
        "`{cmd} stop JOB_ID` 或 `{cmd} stop all`：停止在此频道的监视。\n"
        "`{cmd} list`：此频道监视的任务。\n"
        "`{cmd} help`：本帮助。"
    ),
    "help.options": (
        "*选项*（用于监视和 `status`）：`--type column` 用于列加工导入，"
        "{others} 让 DRS 消息使用中文（默认 `{default}`）。"
        "手机把 `--` 变成 `—` 也没关系：`{cmd} {example} —type column`。"
    ),
    "help.threads": (
        "*在话题中* Slack 不在话题中运行斜杠命令，请在话题里提及我："
        "{bot} `watch JOB_ID`（或只写 {bot} `JOB_ID`）、{bot} `status JOB_ID`、"
        "{bot} `stop`（停止此话题的监视）。更新会发到该话题。"
        "也可以对包含任务 ID 的消息使用消息快捷方式 *Watch DRS job in thread*。"
    ),
    "help.config": (
        "*频道设置* `{cmd} config` 显示设置；`{cmd} config lang zh-cn`（或 `en-us`）"
        "设置此频道消息的语言；`{cmd} config region REGION` 设置区域。"
    ),
    "help.thread.text": (
        "在话题中的用法：{bot} JOB_ID 在这里监视 DRS 模板解析，"
        "{bot} status JOB_ID 查询一次，{bot} help 查看更多。"
    ),
    "help.thread.commands": (
        "*在此话题中监视 DRS 对象导入模板的解析*\n"
        "{bot} `{example}`（或 {bot} `watch JOB_ID`）：立即查询，在此话题中发一张卡片并"
        "持续更新，直到解析结束（一次最多 5 个任务 ID）。\n"
        "{bot} `status JOB_ID`（或 `check`）：查询一次；只有你能看到回答。\n"
        "{bot} `stop` 或 {bot} `stop JOB_ID`：停止此话题的监视。\n"
        "{bot} `template JOB_ID`：在这里以文件形式发出任务的空白导入模板；"
        "{bot} `upload JOB_ID` 并附上填好的文件，即上传并监视。\n"
        "{bot} `list`：此频道监视的任务。\n"
        "{bot} `help`：本帮助。"
    ),
    "help.thread.options": (
        "*选项*（用于监视和 `status`）：`--type column` 用于列加工导入，"
        "{others} 让 DRS 消息使用中文（默认 `{default}`）："
        "{bot} `{example} --type column`。"
    ),
    "help.thread.channel": "*在频道本身* 使用 `{cmd} JOB_ID`；Slack 不在话题中运行斜杠命令。",
    "usage.see_help": "输入 {form} 查看所有命令及示例。",
    "answer.could_not_check": "*无法查询* `{job_id}`",
    "answer.drs_error": "DRS {job}：{detail}",
    "answer.stale_button": "这个按钮已经不是我的了；请使用命令。",
    "answer.watch_gone": "这个监视已不存在；请用命令重新开始。",
    "answer.watch_already_ended": "这个监视已经结束。",
    "answer.card_not_accepted": "Slack 没有接受卡片（{error}）。请一分钟后再试。",
    "answer.card_not_updated": "无法更新卡片（{error}）；请一分钟后再试。",
    "invite.text": (
        "我不是这个频道的成员，无法在这里发消息。请在频道中输入 /invite {bot}，然后重新运行命令。"
    ),
    "invite.body": (
        ":wave: 我不是 {channel} 的成员，无法在那里发消息，因此没有开始监视。\n"
        "请在该频道输入 `/invite` {bot}（或打开频道详情，*Integrations*，*Add apps*），"
        "然后重新运行命令。\n"
        "私有频道也需要邀请；在其他人之间的私信中我完全无法发消息，请使用频道。"
    ),
    "answer.see_card": "查看卡片",
    "answer.already_watching": "`{job_id}` 已在这里监视。",
    "answer.already_watching.link": "`{job_id}` 已在这里监视。{link}。",
    "answer.already_watching.push": "DRS {job}：已在这里监视",
    "answer.and_more": "…另有 {more} 个",
    "stopped.push": "已停止监视 {count}：{names}",
    "stopped.push_more": "已停止监视 {count}：{names} 等另外 {more} 个",
    "stopped.body": "已停止监视 {count}：\n{lines}",
    "stop.nothing.job.push": "DRS {job} 没有在这里监视，无需停止。",
    "stop.nothing.job": "`{job_id}` 没有在这里监视，无需停止。{form} 显示此频道监视的任务。",
    "stop.nothing.push": "这里没有监视任何任务，无需停止。",
    "stop.nothing": "这里没有监视任何任务，无需停止。{form} 显示此频道监视的任务。",
    "short.many.push": "{shown} 匹配这里监视的 {count} 个任务；请给出完整的任务 ID。",
    "short.many": (
        "{quoted} 匹配此频道监视的 {count} 个任务：\n{listed}\n请给出你要的完整 ID，例如 {form}。"
    ),
    "short.none.push": "这里没有监视的任务匹配 {shown}；请给出完整的任务 ID。",
    "short.none": (
        "此频道没有监视的任务匹配 {quoted}。简写只适用于在这里监视的任务；"
        "请给出完整的任务 ID（36 个字符，例如 `{example}`），例如 {form}。"
    ),
    "answer.no_job_id": (
        "那条消息中没有 DRS 任务 ID。任务 ID 有 36 个字符，按 8-4-4-4-12 分组，"
        "例如 {example}；请在话题中用 {thread_form} 提及我，或在频道中使用 {channel_form}。"
    ),
    "answer.see_final_card": "查看最终卡片",
    "answer.already_finished": "`{job_id}` 已经结束；它的卡片就在这里。",
    "answer.already_finished.link": "`{job_id}` 已经结束；它的卡片就在这里。{link}。",
    "answer.already_finished.push": "DRS {job}：已结束，卡片在上方",
    "upload.needs_one.none": (
        ":paperclip: 那条消息中没有 DRS 任务 ID；*Upload as DRS template* 需要文件旁边恰好有一个。"
        "或把文件附在 {bot} `upload JOB_ID` 消息上。没有向 DRS 发送任何内容。"
    ),
    "upload.needs_one.many": (
        ":paperclip: 那条消息中有 {found} 个 DRS 任务 ID；*Upload as DRS template* 需要文件旁边"
        "恰好有一个。或把文件附在 {bot} `upload JOB_ID` 消息上。没有向 DRS 发送任何内容。"
    ),
    # `config` (bot.render.settings).
    "language.en_us": "英语（{code}）",
    "language.zh_cn": "简体中文（{code}）",
    "config.language.set": "{name}",
    "config.language.default": "{name}，机器人的默认值（此处未设置）",
    "config.region.set": "{region}",
    "config.region.default": "{region}，机器人的默认值（此处未设置）",
    "config.region.none": "机器人自己的区域（此处未设置）",
    "config.show": (
        "*此频道的设置*\n"
        "机器人消息的语言：{language}\n"
        "DRS 区域：{region}\n"
        "用 `{cmd} config lang zh-cn`（或 `en-us`）和 `{cmd} config region REGION` 修改。"
    ),
    "config.show.push": "此频道的设置：语言 {language}，区域 {region}",
    "config.language.changed": (
        "此频道今后收到的机器人消息使用{name}；这里新建的监视也使用它，除非指定 `--lang`。"
        "改回英语：`{cmd} config lang en-us`。"
    ),
    "config.language.changed.watch": (
        "此频道今后收到的机器人消息使用{name}，包括这里已在运行的监视；"
        "这里新建的监视也使用它，除非指定 `--lang`。改回英语：`{cmd} config lang en-us`。"
    ),
    "config.language.changed.watches": (
        "此频道今后收到的机器人消息使用{name}，包括这里已在运行的 {count} 个监视；"
        "这里新建的监视也使用它，除非指定 `--lang`。改回英语：`{cmd} config lang en-us`。"
    ),
    "config.region.changed": "此频道的 DRS 区域现在是 {region}。`{cmd} config` 显示此频道的设置。",
    # Lists, usage lines and "right form" sentences (bot.render.text, bot.render.usage).
    "list.or": "{first} 或 {second}",
    "usage.stop.slash": "{one} 或 {all}",
    "usage.line": (
        "用法：{watch} 监视（最多 {max_jobs} 个任务），{status} 私下查询一次，"
        "{stop}，{list}，{help}。监视和 status 的选项：`--type column`，{langs}。"
    ),
    "usage.did_you_mean": "{quoted} 不是我认识的命令；你是想用 `{verb}` 吗？正确写法：{form}。",
    "usage.option_needs_value": "选项 {quoted} 需要一个值。正确写法：{form}。",
    "usage.unknown_option": (
        "未知选项 {quoted}：可用的选项是 `--type column` 和 `--lang {languages}`"
        "（`template` 和 `upload` 还有 `--level`、`--mapping`）。正确写法：{form}。"
    ),
    "usage.unknown_type": (
        "{quoted} 不是已知的 `--type`；唯一的类型是 `column`（默认值请省略该选项）。"
        "正确写法：{form}。"
    ),
    "usage.unknown_value": "{quoted} 不是已知的 `{option}`；请使用 {values}。正确写法：{form}。",
    "usage.takes.template": "`{option}` 不适用于 `{verb}`；它接受 `--level` 和 `--lang`。",
    "usage.takes.upload": "`{option}` 不适用于 `{verb}`；它接受 `--level`、`--mapping`、`--lang`。",
    "usage.takes.watch": "`{option}` 不适用于 `{verb}`；它接受 `--type` 和 `--lang`。",
    "usage.option_twice": "选项 {quoted} 给了两次且值不同；请只给一次。",
    "usage.no_options": (
        "`{verb}` 不接受选项（`--type` 和 `--lang` 用于监视和 status）。正确写法：{form}。"
    ),
    "usage.config": (
        "`config` 不接受 {quoted}。正确写法：{show} 查看此频道的设置，"
        "{language}（或 `en-us`），或 {region}。"
    ),
    "usage.config.language": "{quoted} 不是我使用的语言；请使用 {values}。正确写法：{form}。",
    "usage.config.region": (
        "{quoted} 不是区域：区域形如 `ap-southeast-1` 或 `cn-north-4`。正确写法：{form}。"
    ),
    # The App Home (bot.render.home).
    "home.heading": "*你的监视*",
    "home.none": "你目前没有监视任何 DRS 任务。",
    "home.ended": "*最近结束*",
    "home.checked": "查询于 {when}",
    "home.not_checked": "尚未查询",
    "home.stop": "停止",
    "home.outcome.succeeded": "已成功",
    "home.outcome.failed": "已失败",
    "home.outcome.not_found": "找不到",
    "home.outcome.stopped": "已停止",
    "home.outcome.expired": "达到时间上限",
    "home.outcome.undeliverable": "无法再发消息",
    "home.outcome.active": "进行中",
    "home.outcome.ended": "已结束",
    "home.how_to": (
        "*如何监视任务：* 在频道中用 `{cmd} JOB_ID`，在话题中用 {bot} `watch JOB_ID`，"
        "或在这里的消息中直接发给我任务 ID（或 DRS 控制台链接）。"
        "`status JOB_ID` 查询一次；`stop JOB_ID` 结束监视。"
    ),
    # Link previews (bot.render.unfurls).
    "unfurl.watch": "在话题中监视",
    "unfurl.heading": "*DRS 模板导入* {job_id}",
    "unfurl.checked": "查询于 {when} · 未监视",
    "unfurl.other_region": (
        "{job} 位于区域 {region}；此机器人读取的是区域 {ours} 的 DRS，无法显示此任务。"
    ),
    "unfurl.other_region.one": (
        "{job} 位于区域 {region}；此机器人只读取一个区域的 DRS，无法显示此任务。"
    ),
    "unfurl.other_region.push": "DRS {job_id}：其他区域（{region}）",
    # Template files (bot.render.files).
    "files.template": (
        "`{job_id}` 的空白对象导入模板。填好后发回这里："
        "把文件附在写有 {bot} `upload {job_id}` 的消息上。"
    ),
    "files.template_not_fetched": ":x: 无法获取 `{job_id}` 的模板",
    "files.template_not_posted": ":x: 无法在这里发出 `{job_id}` 的模板：{detail}",
    "files.needs_a_file": (
        ":paperclip: 请把填好的模板附在写有 {bot} `upload {job_id}` 的消息上"
        "（一个文件：.xlsx、.xls、.json、.txt 或 .zip）。没有向 DRS 发送任何内容。"
    ),
    "files.one_at_a_time": (
        ":paperclip: 那条消息带有 {count} 个文件；DRS 一次只接受一个模板。"
        "请每条消息发一个。没有向 DRS 发送任何内容。"
    ),
    "files.refused.drs": "DRS 没有接受 {name}",
    "files.refused.upload": "无法把 {name} 上传到 DRS",
    "files.refused.not_uploaded": "{name} 未上传",
    "files.interrupted": (
        ":warning: {name} 上传到 `{job_id}` 时被中断（机器人重启），不会重试："
        "它可能已到达 DRS，也可能没有。请用 `status {job_id}` 检查，"
        "如果 DRS 没有收到，请重新上传文件。"
    ),
    "files.result": "`{job}` 的导入结果，每个错误都已标出。",
    "files.result.row": "• 第 {row} 行：{text}",
    "files.result.errors.one": "{head} 1 行有错误：",
    "files.result.errors.many": "{head} {total} 行有错误：",
    "files.result.errors.first.one": "{head} 1 行有错误（显示前 {shown} 个）：",
    "files.result.errors.first.many": "{head} {total} 行有错误（显示前 {shown} 个）：",
    "files.result.errors.column.one": "{head} 1 行在 {column} 中有错误：",
    "files.result.errors.column.many": "{head} {total} 行在 {column} 中有错误：",
    "files.result.errors.column.first.one": (
        "{head} 1 行在 {column} 中有错误（显示前 {shown} 个）："
    ),
    "files.result.errors.column.first.many": (
        "{head} {total} 行在 {column} 中有错误（显示前 {shown} 个）："
    ),
    "files.result_not_fetched": (
        "无法获取 `{job_id}` 的标记结果；请在 DRS 控制台获取："
        "任务 > 对象导入 > 导入结果 > 下载（每个错误都已标出的文件）。"
    ),
    # Engines and directions (bot.render.jobs).
    "jobs.out_of_cloud": "{engines}，出云",
    "help.thread.config": (
        "*频道设置* {bot} `config` 显示设置；{bot} `config lang zh-cn`（或 `en-us`）"
        "设置此频道消息的语言；{bot} `config region REGION` 设置区域。"
    ),
}
