"""Local stand-ins for the sandbox and tests: a recording Slack and Slack-signed requests."""
