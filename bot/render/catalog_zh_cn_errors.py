"""简体中文 (zh-cn): the sentences of the errors (bot.errors), by key."""

from __future__ import annotations

_SHAPE = (
    "DRS 任务 ID 共 36 个字符，由字母和数字按 8-4-4-4-12 分组，"
    "例如 c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
)
_REINSTALL = (
    "机器人的 Slack 应用需要 `files:read` 和 `files:write` 权限：请工作区管理员重新安装它"
    "（Slack 应用设置 > Install App > Reinstall）。"
)
_PROJECT = "请把它设为该区域的项目 ID（控制台：我的凭证 > API 凭证）。"
_IAM_LOGIN = "{host} 上的 IAM 拒绝了登录：请检查 IAM_USERNAME、IAM_PASSWORD 和 IAM_DOMAIN（账号名）"
_IAM_TOKEN = (
    "DRS 拒绝了 IAM 为 IAM_USERNAME 签发的令牌：请确认该用户可以使用 DRS，且 DRS_PROJECT_ID 是"
)
_NO_HOST = "不存在（DNS：没有这个主机）"
_REFUSED = "拒绝了连接（那里没有服务在监听）"
_TIMEOUT = "没有按时应答"
_RETRY = "请几分钟后再试。"
_REGION_CHECK = "：请检查 {setting}（例如 ap-southeast-1），或设置 {other}。"
_NOT_DRS = "{host} 返回了 {status}，这不是 {service} API 的应答。"
_NOT_DRS_ANSWER = "{host} 的应答不是 {service} API 的应答。"
_NOT_DRS_REGION = (
    "区域 {region} 可能不提供此 API：请检查 DRS_REGION，或把 {service}_ENDPOINT 设为 {service} "
    "终端节点（https://{name}.REGION.myhuaweicloud.com）。"
)
_NOT_DRS_SETTING = (
    "请检查 {setting}：它应是您所在区域的 {service} 终端节点，"
    "例如 https://{name}.ap-southeast-1.myhuaweicloud.com。"
)
_NOT_FOUND = "（可能已删除，或在其他区域或项目中）。请在 DRS 控制台核对 ID 后再试。[{describe}]"

MESSAGES: dict[str, str] = {
    "error.job_id.too_long": "{quoted} 不是任务 ID：它有 {length} 个字符；" + _SHAPE + "。",
    "error.job_id.none": "没有给出任务 ID：" + _SHAPE + "。",
    "error.job_id.invalid": "{quoted} 不是 DRS 任务 ID：" + _SHAPE + "。",
    "error.job_id.invalid.length": "{quoted} 不是 DRS 任务 ID（它有 {length} 个字符）："
    + _SHAPE
    + "。",
    "error.job_id.invalid.dashes": (
        "{quoted} 不是 DRS 任务 ID；其中有{dashes}，而任务 ID 用的是连字符（-）：" + _SHAPE + "。"
    ),
    "error.job_id.invalid.length.dashes": (
        "{quoted} 不是 DRS 任务 ID（它有 {length} 个字符）；其中有{dashes}，而任务 ID 用的是连字符"
        "（-）：" + _SHAPE + "。"
    ),
    "error.job_id.dash.en": "短破折号（–）",
    "error.job_id.dash.em": "长破折号（—）",
    "error.job_id.dash.en_em": "短破折号（–）和长破折号（—）",
    "usage.not_a_region": "{quoted} 不是区域名。正确写法：{form}。",
    "usage.list_args": "`list` 后面不接任何内容（收到了 {got}）。正确写法：{form}。",
    "usage.one_job.none": "`{verb}` 只接一个任务 ID（没有给出任务 ID）。正确写法：{form}。",
    "usage.one_job.many": "`{verb}` 只接一个任务 ID（给出了 {count} 个）。正确写法：{form}。",
    "usage.stop.none": "`stop` 需要一个任务 ID 或 `all`。正确写法：{one} 或 {all}。",
    "usage.stop.many": (
        "`stop` 只接一个任务 ID 或 `all`（给出了 {count} 个任务 ID）。正确写法：{one} 或 {all}。"
    ),
    "usage.watch.none": "`watch` 需要一个任务 ID。正确写法：{form}。",
    "usage.no_job_id": "没有给出任务 ID。正确写法：{form}。",
    "usage.unknown_command": "{quoted} 不是我认识的命令。{usage}",
    "usage.too_many": (
        "任务 ID 太多：一次最多 {max} 个。正确写法：{form}，最多 {max} 个 ID；"
        "其余的请在另一条命令中发送。"
    ),
    "access.doing.watch": "关注任务",
    "access.doing.status": "查询任务",
    "access.doing.upload": "上传模板",
    "access.doing.template": "下载模板",
    "access.doing.result": "下载导入结果",
    "access.doing.stop": "停止关注",
    "access.doing.stop_all": "停止全部关注",
    "access.doing.list": "列出关注",
    "access.doing.config": "更改设置",
    "access.refused.rule": ":no_entry: 你不能在这里{doing}：访问策略的规则 {rule} 拒绝了它。",
    "access.refused.none": ":no_entry: 你不能在这里{doing}：访问策略中没有允许它的规则。",
    "access.hint": (
        "请运行 drs-progress 的人（工作区管理员）在访问策略中允许它，或请有权限的人替你操作。"
    ),
    "store.watch_race": "无法创建或找到这个关注；请再试一次。",
    "store.no_watch": "关注 {watch_id} 不存在",
    "usage.right_form": "{sentence} 正确写法：{form}。",
    "drs.default.error": "DRS 没有应答进度查询。",
    "drs.default.not_found": "DRS 说这个任务不存在。",
    "drs.default.no_region": "没有哪个区域知道这个任务。",
    "drs.default.credentials": "DRS 拒绝了机器人的凭证。",
    "drs.default.throttled": "DRS 正在限流。",
    "drs.default.unavailable": "DRS 无法访问，或返回了错误。",
    "drs.default.no_host": "没有这个主机。",
    "drs.default.refused": "连接被拒绝。",
    "drs.default.timeout": "没有按时应答。",
    "drs.default.rejected": "DRS 拒绝了请求。",
    "drs.default.not_drs": "服务器的应答不是 DRS 的应答。",
    "drs.default.upload_uncertain": "DRS 没有确认这次上传。",
    "drs.default.download_too_large": "DRS 发来的文件超出了机器人接受的大小。",
    "drs.default.upload_refused": "DRS 拒绝了上传的文件。",
    "drs.describe": "{said}",
    "drs.describe.details": "{said} {details}",
    "drs.tail.said_details": " [{said} {details}]",
    "drs.tail.said": " [{said}]",
    "drs.tail.details": " {details}",
    "drs.tail.none": "",
    "drs.not_found.job": "此项目中没有 DRS 任务 `{job_id}`" + _NOT_FOUND,
    "drs.not_found": "此项目中没有这个 DRS 任务" + _NOT_FOUND,
    "drs.throttled": "DRS 正忙，要求放慢请求；请一分钟后再试。[{describe}]",
    "drs.unavailable.at": (
        "{host} 上的 {service} 无法访问或返回了服务器错误；请几分钟后再试。{tail}"
    ),
    "drs.unavailable": "{service} 无法访问或返回了服务器错误；请几分钟后再试。{tail}",
    "drs.network.no_host": "DRS " + _NO_HOST + "；请检查 DRS_REGION 或 DRS_ENDPOINT。",
    "drs.network.refused": "DRS " + _REFUSED + "；请检查 DRS_REGION 或 DRS_ENDPOINT。",
    "drs.network.timeout.retry": (
        "DRS " + _TIMEOUT + "；请检查 DRS_REGION 或 DRS_ENDPOINT。" + _RETRY
    ),
    "drs.network.no_host.region": "{service} 主机 {host} " + _NO_HOST + _REGION_CHECK,
    "drs.network.refused.region": "{service} 主机 {host} " + _REFUSED + _REGION_CHECK,
    "drs.network.timeout.region.retry": "{service} 主机 {host} "
    + _TIMEOUT
    + _REGION_CHECK
    + _RETRY,
    "drs.network.no_host.setting": "{service} 主机 {host} " + _NO_HOST + "：请检查 {setting}。",
    "drs.network.refused.setting": "{service} 主机 {host} " + _REFUSED + "：请检查 {setting}。",
    "drs.network.timeout.setting.retry": (
        "{service} 主机 {host} " + _TIMEOUT + "：请检查 {setting}。" + _RETRY
    ),
    "drs.rejected": "DRS 拒绝了请求：{said}",
    "drs.not_drs.region": _NOT_DRS + _NOT_DRS_REGION,
    "drs.not_drs.region.answer": _NOT_DRS_ANSWER + _NOT_DRS_REGION,
    "drs.not_drs.setting": _NOT_DRS + _NOT_DRS_SETTING,
    "drs.not_drs.setting.answer": _NOT_DRS_ANSWER + _NOT_DRS_SETTING,
    "drs.upload_uncertain": (
        "DRS 没有确认这次上传；文件可能已经送达。再次上传前请先查看任务进度"
        "（`drs-bot check {job}`）。[{describe}]"
    ),
    "drs.download_too_large": "{describe} 请改从 DRS 控制台下载。",
    "drs.upload_refused": "DRS 拒绝了这个文件：{describe}。请修正文件后重新上传。",
    "drs.credentials.project.region": (
        "DRS 说 DRS_PROJECT_ID 不是区域 {region} 的项目：" + _PROJECT + "{tail}"
    ),
    "drs.credentials.project.here": "DRS 说 DRS_PROJECT_ID 不是此区域的项目："
    + _PROJECT
    + "{tail}",
    "drs.credentials.iam_login": _IAM_LOGIN + "。{tail}",
    "drs.credentials.iam_login.project.region": (
        _IAM_LOGIN + "，并确认 DRS_PROJECT_ID 是区域 {region} 的项目。{tail}"
    ),
    "drs.credentials.iam_login.project.here": (
        _IAM_LOGIN + "，并确认 DRS_PROJECT_ID 是此区域的项目。{tail}"
    ),
    "drs.credentials.iam_token.region": _IAM_TOKEN + "区域 {region} 的项目。{tail}",
    "drs.credentials.iam_token.here": _IAM_TOKEN + "此区域的项目。{tail}",
    "drs.credentials.aksk_clock": (
        "DRS 认为 AK/SK 签名已过期：本机时钟偏差超过 15 分钟；请校准时间（NTP）。"
        "如果时间无误，请检查 HUAWEICLOUD_SDK_AK 和 HUAWEICLOUD_SDK_SK。{tail}"
    ),
    "drs.credentials.aksk": (
        "DRS 拒绝了 AK/SK 签名：请检查 HUAWEICLOUD_SDK_AK 和 HUAWEICLOUD_SDK_SK"
        "（使用临时密钥时还有 HUAWEICLOUD_SDK_SECURITY_TOKEN）。{tail}"
    ),
    "drs.credentials.token": (
        "DRS 拒绝了 DRS_AUTH_TOKEN：它有误或已过期（IAM 令牌有效期 24 小时）；"
        "请设置新的令牌。{tail}"
    ),
    "drs.credentials.unknown": "DRS 拒绝了机器人的凭证；需要由机器人的运维人员检查其设置。{tail}",
    "region.not_in_any": "{parts}",
    "region.none.one.job": "区域 {regions} 中没有 DRS 任务 `{job_id}`。",
    "region.none.one": "区域 {regions} 中没有这个 DRS 任务。",
    "region.none.many.job": "区域 {regions} 中都没有 DRS 任务 `{job_id}`。",
    "region.none.many": "区域 {regions} 中都没有这个 DRS 任务。",
    "region.failed": "无法询问区域 {region}：{error}",
    "region.asked": (
        "已询问的区域：{regions}。请在 DRS 控制台核对 ID；如果任务在其他区域，"
        "请把该区域加入 DRS_REGIONS。"
    ),
    "region.unknown": "我不服务区域 `{region}`。我服务的区域：{served}；例如 `{example}`。",
    "slack.missing_scope": "Slack 因缺少权限拒绝了调用。" + _REINSTALL,
    "slack.file.not_readable": "Slack 不肯交出 {name}。" + _REINSTALL + "没有向 DRS 发送任何内容。",
    "slack.file.not_visible": (
        "机器人看不到 {name}：请在本频道（机器人所在的频道）分享该文件后再试。"
        "没有向 DRS 发送任何内容。"
    ),
    "slack.file.size_mismatch": (
        "{name} 没有完整地从 Slack 传来（大小与 Slack 声明的不同）；请重新发送。"
        "没有向 DRS 发送任何内容。"
    ),
    "slack.file.too_large": "{name} 超过了 DRS 接受的任何模板的大小。没有向 DRS 发送任何内容。",
}
