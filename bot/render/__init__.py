"""Everything the bot says, as plain data in and a `Message` (text + Block Kit blocks) out.

The only place that escapes Slack mrkdwn. It imports `bot.domain` and nothing else of the bot
but the error tree's user messages: never the store, Bolt, the Slack SDK, the watcher or slack.

- `message`: `Message` and `escape`.
- `text`: the formatting every message shares (rows, users, dates, durations, phases).
- `blocks`: Block Kit primitives and Slack's limits.
- `cards`: the watch card, `status` and `list`; `views` builds a card's view from stored rows.
- `answers`: help, usage and DRS errors, stop confirmations, invites.
- `replies`: the watcher's thread replies; `notes`: the line under a card that is not moving.
"""
