"""English (en-us): the sentences of the errors (bot.errors), by key (as in the zh-cn one)."""

from __future__ import annotations

_SHAPE = (
    "a DRS job ID is 36 characters in groups of 8-4-4-4-12 letters and digits, "
    "like c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r"
)
_REINSTALL = (
    "The bot's Slack app needs the scopes `files:read` and `files:write`: ask a workspace admin "
    "to reinstall it (Slack app settings > Install App > Reinstall)."
)
_PROJECT = "set it to that region's project ID (console: My Credentials > API Credentials)."
_IAM_LOGIN = (
    "IAM at {host} refused the login: check IAM_USERNAME, IAM_PASSWORD and IAM_DOMAIN "
    "(the account name)"
)
_IAM_TOKEN = (
    "DRS refused the token IAM issued for IAM_USERNAME: check that this user may use DRS and "
    "that DRS_PROJECT_ID is a project of"
)
_NO_HOST = "does not exist (DNS: no such host)"
_REFUSED = "refused the connection (nothing listens there)"
_TIMEOUT = "did not answer in time"
_RETRY = " Try again in a few minutes."
_REGION_CHECK = ": check {setting} (e.g. ap-southeast-1), or set {other}."
_NOT_DRS = "{host} answered {status}, which is not an answer of the {service} API."
_NOT_DRS_ANSWER = "{host} answered an answer, which is not an answer of the {service} API."
_NOT_DRS_REGION = (
    " Region {region} may not offer this API: check DRS_REGION, or set {service}_ENDPOINT to the "
    "{service} endpoint (https://{name}.REGION.myhuaweicloud.com)."
)
_NOT_DRS_SETTING = (
    " Check {setting}: it should be the {service} endpoint of your region, "
    "e.g. https://{name}.ap-southeast-1.myhuaweicloud.com."
)
_NOT_FOUND = (
    "in this project (it may be deleted, or in another region or project). Check the ID on the "
    "DRS console and try again. [{describe}]"
)

MESSAGES: dict[str, str] = {
    # Job IDs (bot.drs.jobid) and the grammar's "right form" ending.
    "error.job_id.too_long": "{quoted} is not a job ID: it is {length} characters long; "
    + _SHAPE
    + ".",
    "error.job_id.none": "No job ID given: " + _SHAPE + ".",
    "error.job_id.invalid": "{quoted} is not a DRS job ID: " + _SHAPE + ".",
    "error.job_id.invalid.length": (
        "{quoted} is not a DRS job ID (it has {length} characters): " + _SHAPE + "."
    ),
    "error.job_id.invalid.dashes": (
        "{quoted} is not a DRS job ID; it has {dashes} where a job ID has hyphens (-): "
        + _SHAPE
        + "."
    ),
    "error.job_id.invalid.length.dashes": (
        "{quoted} is not a DRS job ID (it has {length} characters); it has {dashes} where a job "
        "ID has hyphens (-): " + _SHAPE + "."
    ),
    "error.job_id.dash.en": "en dashes (–)",
    "error.job_id.dash.em": "em dashes (—)",
    "error.job_id.dash.en_em": "en dashes (–) and em dashes (—)",
    # The grammar's usage errors (bot.slack.grammar, bot.slack.options).
    "usage.not_a_region": "{quoted} is not a region name. Right form: {form}.",
    "usage.list_args": "`list` takes nothing after it (got {got}). Right form: {form}.",
    "usage.one_job.none": "`{verb}` takes exactly one job ID (no job ID). Right form: {form}.",
    "usage.one_job.many": "`{verb}` takes exactly one job ID ({count} given). Right form: {form}.",
    "usage.stop.none": "`stop` needs a job ID or `all`. Right form: {one} or {all}.",
    "usage.stop.many": (
        "`stop` takes one job ID or `all` ({count} job IDs given). Right form: {one} or {all}."
    ),
    "usage.watch.none": "`watch` needs a job ID. Right form: {form}.",
    "usage.no_job_id": "No job ID given. Right form: {form}.",
    "usage.unknown_command": "{quoted} is not a command I know. {usage}",
    "usage.too_many": (
        "Too many job IDs: at most {max} at a time. Right form: {form} with up to {max} IDs; "
        "send the rest in another command."
    ),
    # The access policy's refusals (bot.render.access).
    "access.doing.watch": "watch jobs",
    "access.doing.status": "check jobs",
    "access.doing.upload": "upload templates",
    "access.doing.template": "download templates",
    "access.doing.result": "download import results",
    "access.doing.stop": "stop watches",
    "access.doing.stop_all": "stop all watches",
    "access.doing.list": "list watches",
    "access.doing.config": "change settings",
    "access.refused.rule": (
        ":no_entry: You may not {doing} here: the access policy's rule {rule} refuses it."
    ),
    "access.refused.none": (
        ":no_entry: You may not {doing} here: no rule of the access policy allows it."
    ),
    "access.hint": (
        "Ask whoever runs drs-progress (a workspace admin) to allow it in the access policy, "
        "or ask someone who may to do it for you."
    ),
    # The database (bot.store).
    "store.watch_race": "could not create or find the watch; try again.",
    "store.no_watch": "watch {watch_id} does not exist",
    "usage.right_form": "{sentence} Right form: {form}.",
    # What DRS said, or the bot's own sentence when it said nothing (bot.errors.drs).
    "drs.default.error": "DRS did not answer the progress query.",
    "drs.default.not_found": "DRS says this job does not exist.",
    "drs.default.no_region": "No region knows this job.",
    "drs.default.credentials": "DRS refused the bot's credentials.",
    "drs.default.throttled": "DRS is throttling requests.",
    "drs.default.unavailable": "DRS is unreachable or answered with an error.",
    "drs.default.no_host": "No such host.",
    "drs.default.refused": "The connection was refused.",
    "drs.default.timeout": "No answer in time.",
    "drs.default.rejected": "DRS rejected the request.",
    "drs.default.not_drs": "The server's answer is not a DRS answer.",
    "drs.default.upload_uncertain": "DRS did not confirm the upload.",
    "drs.default.download_too_large": "DRS sent a file larger than the bot accepts.",
    "drs.default.upload_refused": "DRS refused the uploaded file.",
    "drs.describe": "{said}",
    "drs.describe.details": "{said} {details}",
    "drs.tail.said_details": " [{said} {details}]",
    "drs.tail.said": " [{said}]",
    "drs.tail.details": " {details}",
    "drs.tail.none": "",
    # DRS errors (bot.errors.drs).
    "drs.not_found.job": "DRS has no job `{job_id}` " + _NOT_FOUND,
    "drs.not_found": "DRS has no job " + _NOT_FOUND,
    "drs.throttled": ("DRS is busy and asked us to slow down; try again in a minute. [{describe}]"),
    "drs.unavailable.at": (
        "{service} at {host} could not be reached or answered with a server error; try again "
        "in a few minutes.{tail}"
    ),
    "drs.unavailable": (
        "{service} could not be reached or answered with a server error; try again in a few "
        "minutes.{tail}"
    ),
    "drs.network.no_host": "DRS " + _NO_HOST + "; check DRS_REGION or DRS_ENDPOINT.",
    "drs.network.refused": "DRS " + _REFUSED + "; check DRS_REGION or DRS_ENDPOINT.",
    "drs.network.timeout.retry": "DRS " + _TIMEOUT + "; check DRS_REGION or DRS_ENDPOINT." + _RETRY,
    "drs.network.no_host.region": "{service} host {host} " + _NO_HOST + _REGION_CHECK,
    "drs.network.refused.region": "{service} host {host} " + _REFUSED + _REGION_CHECK,
    "drs.network.timeout.region.retry": (
        "{service} host {host} " + _TIMEOUT + _REGION_CHECK + _RETRY
    ),
    "drs.network.no_host.setting": "{service} host {host} " + _NO_HOST + ": check {setting}.",
    "drs.network.refused.setting": "{service} host {host} " + _REFUSED + ": check {setting}.",
    "drs.network.timeout.setting.retry": (
        "{service} host {host} " + _TIMEOUT + ": check {setting}." + _RETRY
    ),
    "drs.rejected": "DRS rejected the request: {said}",
    "drs.not_drs.region": _NOT_DRS + _NOT_DRS_REGION,
    "drs.not_drs.region.answer": _NOT_DRS_ANSWER + _NOT_DRS_REGION,
    "drs.not_drs.setting": _NOT_DRS + _NOT_DRS_SETTING,
    "drs.not_drs.setting.answer": _NOT_DRS_ANSWER + _NOT_DRS_SETTING,
    "drs.upload_uncertain": (
        "DRS did not confirm the upload; it may have arrived. Check the job's progress "
        "(`drs-bot check {job}`) before uploading again. [{describe}]"
    ),
    "drs.download_too_large": "{describe} Download it from the DRS console instead.",
    "drs.upload_refused": "DRS refused the file: {describe}. Fix the file and upload it again.",
    "drs.credentials.project.region": (
        "DRS says DRS_PROJECT_ID is not a project of region {region}: " + _PROJECT + "{tail}"
    ),
    "drs.credentials.project.here": (
        "DRS says DRS_PROJECT_ID is not a project of this region: " + _PROJECT + "{tail}"
    ),
    "drs.credentials.iam_login": _IAM_LOGIN + ".{tail}",
    "drs.credentials.iam_login.project.region": (
        _IAM_LOGIN + ", and that DRS_PROJECT_ID is a project of region {region}.{tail}"
    ),
    "drs.credentials.iam_login.project.here": (
        _IAM_LOGIN + ", and that DRS_PROJECT_ID is a project of this region.{tail}"
    ),
    "drs.credentials.iam_token.region": _IAM_TOKEN + " region {region}.{tail}",
    "drs.credentials.iam_token.here": _IAM_TOKEN + " this region.{tail}",
    "drs.credentials.aksk_clock": (
        "DRS refused the AK/SK signature as expired: this machine's clock is more than 15 "
        "minutes off; set it right (NTP). If it is right, check HUAWEICLOUD_SDK_AK and "
        "HUAWEICLOUD_SDK_SK.{tail}"
    ),
    "drs.credentials.aksk": (
        "DRS refused the AK/SK signature: check HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (and "
        "HUAWEICLOUD_SDK_SECURITY_TOKEN with temporary keys).{tail}"
    ),
    "drs.credentials.token": (
        "DRS refused DRS_AUTH_TOKEN: it is wrong or expired (IAM tokens live 24 hours); set a "
        "fresh one.{tail}"
    ),
    "drs.credentials.unknown": (
        "DRS refused the bot's credentials; the bot's operator needs to check its settings.{tail}"
    ),
    # Regions (bot.errors.regions).
    "region.not_in_any": "{parts}",
    "region.none.one.job": "DRS has no job `{job_id}` in region {regions}.",
    "region.none.one": "DRS has no job in region {regions}.",
    "region.none.many.job": "DRS has no job `{job_id}` in regions {regions}.",
    "region.none.many": "DRS has no job in regions {regions}.",
    "region.failed": "Region {region} could not be asked: {error}",
    "region.asked": (
        "Regions asked: {regions}. Check the ID on the DRS console; if the job is in another "
        "region, add it to DRS_REGIONS."
    ),
    "region.unknown": (
        "I do not serve region `{region}`. The regions I serve: {served}; for example `{example}`."
    ),
    # Slack (bot.errors.slack).
    "slack.missing_scope": "Slack refused the call for a missing permission. " + _REINSTALL,
    "slack.file.not_readable": (
        "Slack would not hand over {name}. " + _REINSTALL + " Nothing was sent to DRS."
    ),
    "slack.file.not_visible": (
        "The bot cannot see {name}: share the file in this channel (where the bot is a member) "
        "and try again. Nothing was sent to DRS."
    ),
    "slack.file.size_mismatch": (
        "{name} did not arrive whole from Slack (its size differs from what Slack announced); "
        "send it again. Nothing was sent to DRS."
    ),
    "slack.file.too_large": (
        "{name} is larger than any template DRS takes. Nothing was sent to DRS."
    ),
}
