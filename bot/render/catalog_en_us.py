"""English (en-us): every sentence the bot writes, by key (`catalog_zh_cn` has the same keys)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Formatting shared by every message (bot.render.text).
    "users.more": "{users} and {more} more",
    "date.plain": "{year}-{month:02d}-{day:02d} {time} UTC",
    "rows.unknown": "no row count yet",
    "rows.one": "{count} row",
    "rows.many": "{count} rows",
    "duration.under_minute": "under 1 min",
    "duration.minutes": "{minutes} min",
    "duration.hours": "{hours} h",
    "duration.hours_minutes": "{hours} h {minutes} min",
    "rows.field_unknown": "not known yet",
    "rows.field_none": "none yet",
    "upload.not_reported": "not reported",
    "upload.complete": "complete",
    "upload.incomplete": "not complete yet",
    "phase.uploading": "uploading",
    "phase.parsing": "parsing",
    "phase.succeeded": "succeeded",
    "phase.failed": "failed",
    "phase.with_status": "{phase} (DRS status {status})",
    # The watch card, status and list (bot.render.cards).
    "card.label.not_found": "job not found",
    "card.label.stopped": "stopped",
    "card.label.expired": "watch expired",
    "card.label.checking": "checking",
    "card.label.phase_stopped": "{phase}, stopped watching",
    "card.label.phase_expired": "{phase}, watch expired",
    "card.push": "{head}: {label}",
    "card.push_rows": "{head}: {label}, {rows}",
    "card.checking": "checking…",
    "card.field.phase": "Phase",
    "card.field.rows": "Rows parsed",
    "card.field.upload": "Upload",
    "card.field.drs_status": "DRS status",
    "card.field.type": "Type",
    "card.state.unknown": "Watch state {state}.",
    "card.state.finished": "Already finished when asked; not watched.",
    "card.state.not_found": "DRS has no such job in this project; not watched.",
    "card.state.stopped": "Stopped watching.",
    "card.state.expired": "Watch ended: it reached its time limit.",
    "card.state.undeliverable": "Watch ended: the bot can no longer post here.",
    "card.last_checked": "Last checked {when}",
    "card.region": "Region {region}",
    "card.uploaded_by": "{file} uploaded by {user}",
    "card.asked_by": "Asked by {user}",
    "card.following": "Also following: {users}",
    "card.button.stop": "Stop watching",
    "card.button.refresh": "Refresh",
    "card.heading": "*DRS template import* `{job_id}`",
    "status.checked": "Checked {when}",
    "status.private": "Only you can see this; not watched.",
    "status.to_watch": "To watch it here: `{form}`",
    "list.empty": (
        "No DRS jobs are watched in this channel. Start one with `{cmd} JOB_ID`, "
        "or mention me inside a thread: {bot} `watch JOB_ID`."
    ),
    "list.count_one": "{count} DRS job",
    "list.count_many": "{count} DRS jobs",
    "list.heading": "*Watching {count} in this channel*",
    "list.not_shown": "…and {more} more not shown.",
    "list.how_to_stop": "Stop one with `{cmd} stop JOB_ID`, or all with `{cmd} stop all`.",
    "list.push": "{count} watched here: {names}",
    "list.push_more": "{count} watched here: {names} and {more} more",
    "list.rows": "rows {rows}",
    "list.open_thread": "open thread",
    "list.open_card": "open card",
    "list.in_thread": "in a thread",
    "list.asked_by": "asked by {user}",
    # The watcher's thread replies (bot.render.replies).
    "reply.state.none": "no progress seen yet",
    "reply.state.uploading": "uploading the template",
    "reply.state.parsing_status": "parsing (status {status}), {rows}",
    "reply.state.phase": "{phase}, {rows}",
    "reply.with_who": "{text} {who}",
    "reply.phase.parsing": "{head}: upload complete, now {state}",
    "reply.phase": "{head}: now {state}",
    "reply.progress": "{head}: {state} so far",
    "reply.succeeded": "{head} parsed: {rows} in {took} ✅",
    "reply.failed": (
        "{head} parse failed after {took} ❌ ({rows} parsed). "
        "Download the import result to see the errors."
    ),
    "reply.failed.next": (
        "*Next step:* the import result is your uploaded file with each error marked. "
        "API: `GET /v5/{project}/jobs/{job_id}/db-object/template/result?type=detail`. "
        "Console: open the DRS task, go to its object import page and download the "
        "import result. Fix the marked rows, upload the template again, and watch it "
        "with `{cmd} {job_id}`."
    ),
    "reply.not_found": (
        "{head} no longer exists in DRS; stopped watching. It may have "
        "been deleted; check the job on the DRS console."
    ),
    "reply.not_found.said": (
        "{head} no longer exists in DRS (DRS: {said}); stopped watching. It may have "
        "been deleted; check the job on the DRS console."
    ),
    "reply.stalled": (
        "{head}: no change for {quiet} ({state}). Still watching; if this is "
        "unexpected, check the task on the DRS console."
    ),
    "reply.expired": (
        "{head}: stopped watching after {hours} (last seen: {state}). "
        "Type `{cmd} {job_id}` to watch it again."
    ),
    "reply.unreachable": "{head}: DRS is unreachable, still trying. Last seen: {state}.",
    "reply.unreachable.said": (
        "{head}: DRS is unreachable ({said}), still trying. Last seen: {state}."
    ),
    "reply.unreachable.tries": (
        "{head}: DRS is unreachable after {failures} failed checks, still trying. "
        "Last seen: {state}."
    ),
    "reply.unreachable.tries.said": (
        "{head}: DRS is unreachable after {failures} failed checks ({said}), still trying. "
        "Last seen: {state}."
    ),
    "reply.reachable_again": "{head}: DRS is reachable again; {state}.",
    "reply.credentials": (
        "{head}: DRS refused the bot's credentials, so progress cannot be checked. "
        "Operators: check DRS_AUTH_TOKEN, IAM_USERNAME/IAM_PASSWORD/IAM_DOMAIN or "
        "HUAWEICLOUD_SDK_AK/SK, and DRS_PROJECT_ID, then restart the bot; this watch "
        "carries on by itself."
    ),
    "reply.credentials.said": (
        "{head}: DRS refused the bot's credentials ({said}), so progress cannot be checked. "
        "Operators: check DRS_AUTH_TOKEN, IAM_USERNAME/IAM_PASSWORD/IAM_DOMAIN or "
        "HUAWEICLOUD_SDK_AK/SK, and DRS_PROJECT_ID, then restart the bot; this watch "
        "carries on by itself."
    ),
    # A card's note (bot.render.notes).
    "note.unreachable": "DRS is not answering; still trying.",
    "note.credentials": "DRS refused the bot's credentials; an operator must fix them.",
    "note.stalled": "No change for {minutes} min.",
    "note.not_found": "DRS no longer knows this job; stopped watching.",
    "note.expired": "Stopped watching after {hours} h.",
    "note.first_check_failed": "DRS could not be reached yet ({detail}); I keep trying.",
    # Answers to one person's command (bot.render.answers).
    "answer.checking": ":hourglass_flowing_sand: Checking {jobs} with DRS…",
    "help.text": (
        "How to use {cmd}: `{cmd} JOB_ID` watches a DRS template parse, "
        "`{cmd} status JOB_ID` checks once, `{cmd} help` shows more."
    ),
    "help.commands": (
        "*Watch DRS object-import template parses*\n"
        "`{cmd} {example}`: check now, post a card here and update it until the "
        "parse ends (up to 5 job IDs at once).\n"
        "`{cmd} status JOB_ID` (or `check`): check once; only you see the answer.\n"
        "`{cmd} stop JOB_ID` or `{cmd} stop all`: stop watching in this channel.\n"
        "`{cmd} list`: what this channel watches.\n"
        "`{cmd} help`: this message."
    ),
    "help.options": (
        "*Options* (for watching and `status`): `--type column` for a column-processing "
        "import, {others} for DRS messages in Chinese (default `{default}`). "
        "A phone turning `--` into `—` is fine: `{cmd} {example} —type column`."
    ),
    "help.threads": (
        "*Inside a thread* Slack does not run slash commands in threads, so mention me there: "
        "{bot} `watch JOB_ID` (or just {bot} `JOB_ID`), {bot} `status JOB_ID`, "
        "{bot} `stop` (this thread's watches). Updates then go to that thread. "
        "You can also use the message shortcut *Watch DRS job in thread* on a message "
        "that contains a job ID."
    ),
    "help.config": (
        "*Channel settings* `{cmd} config` shows them; `{cmd} config lang zh-cn` (or `en-us`) "
        "sets the language of this channel's messages; `{cmd} config region REGION` its region."
    ),
    "help.thread.text": (
        "How to use me in a thread: {bot} JOB_ID watches a DRS template parse here, "
        "{bot} status JOB_ID checks once, {bot} help shows more."
    ),
    "help.thread.commands": (
        "*Watch DRS object-import template parses in this thread*\n"
        "{bot} `{example}` (or {bot} `watch JOB_ID`): check now, post a card in "
        "this thread and update it until the parse ends (up to 5 job IDs at once).\n"
        "{bot} `status JOB_ID` (or `check`): check once; only you see the answer.\n"
        "{bot} `stop` or {bot} `stop JOB_ID`: stop this thread's watches.\n"
        "{bot} `template JOB_ID`: the job's blank import template as a file here; "
        "{bot} `upload JOB_ID` with the filled file attached uploads it and watches it.\n"
        "{bot} `list`: what this channel watches.\n"
        "{bot} `help`: this message."
    ),
    "help.thread.options": (
        "*Options* (for watching and `status`): `--type column` for a column-processing "
        "import, {others} for DRS messages in Chinese (default `{default}`): "
        "{bot} `{example} --type column`."
    ),
    "help.thread.channel": (
        "*In the channel itself* use `{cmd} JOB_ID`; Slack does not run slash commands in threads."
    ),
    "usage.see_help": "Type {form} for every command with examples.",
    "answer.could_not_check": "*Could not check* `{job_id}`",
    "answer.drs_error": "DRS {job}: {detail}",
    "answer.stale_button": "That button is not one of mine any more; use the command.",
    "answer.watch_gone": "This watch no longer exists; start a new one with the command.",
    "answer.watch_already_ended": "This watch has already ended.",
    "answer.card_not_accepted": ("Slack did not accept the card ({error}). Try again in a minute."),
    "answer.card_not_updated": "Could not update the card ({error}); try again in a minute.",
    "invite.text": (
        "I can't post in this channel because I'm not a member. Type /invite {bot} in "
        "the channel, then run the command again."
    ),
    "invite.body": (
        ":wave: I can't post in {channel} because I'm not a member of it, "
        "so nothing was watched.\n"
        "Type `/invite` {bot} in that channel (or open the channel details, *Integrations*, "
        "*Add apps*), then run your command again.\n"
        "Private channels need the invite too; in a direct message between other people I "
        "can't post at all, so use a channel."
    ),
    "answer.see_card": "See its card",
    "answer.already_watching": "`{job_id}` is already watched here.",
    "answer.already_watching.link": "`{job_id}` is already watched here. {link}.",
    "answer.already_watching.push": "DRS {job}: already watched here",
    "answer.and_more": "…and {more} more",
    "stopped.push": "Stopped watching {count}: {names}",
    "stopped.push_more": "Stopped watching {count}: {names} and {more} more",
    "stopped.body": "Stopped watching {count}:\n{lines}",
    "stop.nothing.job.push": "DRS {job} is not watched here, so there is nothing to stop.",
    "stop.nothing.job": (
        "`{job_id}` is not watched here, so there is nothing to stop. "
        "{form} shows what this channel watches."
    ),
    "stop.nothing.push": "Nothing is watched here, so there is nothing to stop.",
    "stop.nothing": (
        "Nothing is watched here, so there is nothing to stop. "
        "{form} shows what this channel watches."
    ),
    "short.many.push": "{shown} matches {count} watched jobs here; give the full job ID.",
    "short.many": (
        "{quoted} matches {count} jobs watched in this channel:\n{listed}"
        "\nGive the one you mean in full, e.g. {form}."
    ),
    "short.none.push": "No job watched here matches {shown}; give the full job ID.",
    "short.none": (
        "No job watched in this channel matches {quoted}. A short form "
        "works only for a job watched here; give the full job ID (36 characters, like "
        "`{example}`), e.g. {form}."
    ),
    "answer.no_job_id": (
        "I found no DRS job ID in that message. A job ID is 36 characters in groups "
        "of 8-4-4-4-12, like {example}; mention me in the thread with "
        "{thread_form}, or use {channel_form} in the channel."
    ),
    "answer.see_final_card": "See its final card",
    "answer.already_finished": "`{job_id}` has already finished; its card is here.",
    "answer.already_finished.link": "`{job_id}` has already finished; its card is here. {link}.",
    "answer.already_finished.push": "DRS {job}: already finished, card above",
    "upload.needs_one.none": (
        ":paperclip: That message names no DRS job ID; *Upload as DRS template* needs exactly "
        "one, beside the file. Or attach the file to {bot} `upload JOB_ID`. "
        "Nothing was sent to DRS."
    ),
    "upload.needs_one.many": (
        ":paperclip: That message names {found} DRS job IDs; *Upload as DRS template* needs "
        "exactly one, beside the file. Or attach the file to {bot} `upload JOB_ID`. "
        "Nothing was sent to DRS."
    ),
    # `config` (bot.render.settings).
    "language.en_us": "English ({code})",
    "language.zh_cn": "Simplified Chinese ({code})",
    "config.language.set": "{name}",
    "config.language.default": "{name}, the bot's default (not set here)",
    "config.region.set": "{region}",
    "config.region.default": "{region}, the bot's default (not set here)",
    "config.region.none": "the bot's own (not set here)",
    "config.show": (
        "*This channel's settings*\n"
        "Language of the bot's messages: {language}\n"
        "DRS region: {region}\n"
        "Change them with `{cmd} config lang zh-cn` (or `en-us`) and "
        "`{cmd} config region REGION`."
    ),
    "config.show.push": "This channel's settings: language {language}, region {region}",
    "config.language.changed": (
        "This channel now gets the bot's messages in {name}; new watches here follow it "
        "unless `--lang` is given. Back with `{cmd} config lang en-us`."
    ),
    "config.language.changed.watch": (
        "This channel now gets the bot's messages in {name}, including the watch already "
        "running here; new watches here follow it unless `--lang` is given. "
        "Back with `{cmd} config lang en-us`."
    ),
    "config.language.changed.watches": (
        "This channel now gets the bot's messages in {name}, including the {count} watches "
        "already running here; new watches here follow it unless `--lang` is given. "
        "Back with `{cmd} config lang en-us`."
    ),
    "config.region.changed": (
        "This channel's DRS region is now {region}. `{cmd} config` shows the channel's settings."
    ),
    # Lists, usage lines and "right form" sentences (bot.render.text, bot.render.usage).
    "list.or": "{first} or {second}",
    "usage.stop.slash": "{one} or {all}",
    "usage.line": (
        "Usage: {watch} to watch (up to {max_jobs} jobs), {status} "
        "for a private one-off check, {stop}, {list}, {help}. "
        "Options for watching and status: `--type column`, {langs}."
    ),
    "usage.did_you_mean": (
        "{quoted} is not a command I know; did you mean `{verb}`? Right form: {form}."
    ),
    "usage.option_needs_value": "The option {quoted} needs a value. Right form: {form}.",
    "usage.unknown_option": (
        "Unknown option {quoted}: the options are `--type column` and "
        "`--lang {languages}` (and `--level`, `--mapping` for `template` and "
        "`upload`). Right form: {form}."
    ),
    "usage.unknown_type": (
        "{quoted} is not a known `--type`; the only type is `column` (leave the option "
        "out for the default). Right form: {form}."
    ),
    "usage.unknown_value": "{quoted} is not a known `{option}`; use {values}. Right form: {form}.",
    "usage.takes.template": (
        "`{option}` does not apply to `{verb}`; it takes `--level` and `--lang`."
    ),
    "usage.takes.upload": (
        "`{option}` does not apply to `{verb}`; it takes `--level`, `--mapping`, `--lang`."
    ),
    "usage.takes.watch": "`{option}` does not apply to `{verb}`; it takes `--type` and `--lang`.",
    "usage.option_twice": "The option {quoted} is given twice with different values; give it once.",
    "usage.no_options": (
        "`{verb}` takes no options (`--type` and `--lang` apply to watching and status). "
        "Right form: {form}."
    ),
    "usage.config": (
        "`config` does not take {quoted}. Right form: {show} to see this channel's "
        "settings, {language} (or `en-us`), or {region}."
    ),
    "usage.config.language": (
        "{quoted} is not a language I write; use {values}. Right form: {form}."
    ),
    "usage.config.region": (
        "{quoted} is not a region: a region looks like `ap-southeast-1` or `cn-north-4`. "
        "Right form: {form}."
    ),
    # The App Home (bot.render.home).
    "home.heading": "*Your watches*",
    "home.none": "You are not watching any DRS job right now.",
    "home.ended": "*Recently ended*",
    "home.checked": "checked {when}",
    "home.not_checked": "not checked yet",
    "home.stop": "Stop",
    "home.outcome.succeeded": "succeeded",
    "home.outcome.failed": "failed",
    "home.outcome.not_found": "not found",
    "home.outcome.stopped": "stopped",
    "home.outcome.expired": "reached its time limit",
    "home.outcome.undeliverable": "could no longer post",
    "home.outcome.active": "active",
    "home.outcome.ended": "ended",
    "home.how_to": (
        "*How to watch a job:* `{cmd} JOB_ID` in a channel, {bot} "
        "`watch JOB_ID` in a thread, "
        "or send me the job ID (or a DRS console link) here in Messages. "
        "`status JOB_ID` checks once; `stop JOB_ID` ends a watch."
    ),
    # Link previews (bot.render.unfurls).
    "unfurl.watch": "Watch in thread",
    "unfurl.heading": "*DRS template import* {job_id}",
    "unfurl.checked": "Checked {when} · not watched",
    "unfurl.other_region": (
        "{job} is in region {region}; this bot reads DRS in region {ours}, "
        "so it cannot show this job."
    ),
    "unfurl.other_region.one": (
        "{job} is in region {region}; this bot reads DRS in one region, so it cannot show this job."
    ),
    "unfurl.other_region.push": "DRS {job_id}: another region ({region})",
    # Template files (bot.render.files).
    "files.template": (
        "Blank object import template for `{job_id}`. Fill it in, then send it back "
        "here: attach the file to a message saying {bot} `upload {job_id}`."
    ),
    "files.template_not_fetched": ":x: Could not get the template of `{job_id}`",
    "files.template_not_posted": ":x: Could not post the template of `{job_id}` here: {detail}",
    "files.needs_a_file": (
        ":paperclip: Attach the filled template to the message that says {bot} "
        "`upload {job_id}` (one file: .xlsx, .xls, .json, .txt or .zip). "
        "Nothing was sent to DRS."
    ),
    "files.one_at_a_time": (
        ":paperclip: That message carries {count} files; DRS takes one template at a time. "
        "Send each in its own message. Nothing was sent to DRS."
    ),
    "files.refused.drs": "DRS did not take {name}",
    "files.refused.upload": "Could not upload {name} to DRS",
    "files.refused.not_uploaded": "{name} was not uploaded",
    "files.interrupted": (
        ":warning: The upload of {name} to `{job_id}` was interrupted "
        "(the bot restarted) and is not repeated: it may or may not have reached DRS. Check "
        "with `status {job_id}`, and upload the file again if DRS did not get it."
    ),
    "files.result": "Import result of `{job}`, with each error marked.",
    "files.result.row": "• row {row}: {text}",
    "files.result.errors.one": "{head} 1 row carries an error:",
    "files.result.errors.many": "{head} {total} rows carry an error:",
    "files.result.errors.first.one": "{head} 1 row carries an error (first {shown} shown):",
    "files.result.errors.first.many": "{head} {total} rows carry an error (first {shown} shown):",
    "files.result.errors.column.one": "{head} 1 row carries an error in {column}:",
    "files.result.errors.column.many": "{head} {total} rows carry an error in {column}:",
    "files.result.errors.column.first.one": (
        "{head} 1 row carries an error in {column} (first {shown} shown):"
    ),
    "files.result.errors.column.first.many": (
        "{head} {total} rows carry an error in {column} (first {shown} shown):"
    ),
    "files.result_not_fetched": (
        "The marked result of `{job_id}` could not be fetched; get it from the "
        "DRS console: the job > Object import > Import result > Download (the file with each "
        "error marked)."
    ),
    # Engines and directions (bot.render.jobs).
    "jobs.out_of_cloud": "{engines}, out of the cloud",
    "help.thread.config": (
        "*Channel settings* {bot} `config` shows them; {bot} `config lang zh-cn` (or `en-us`) "
        "sets the language of this channel's messages; {bot} `config region REGION` its region."
    ),
}
