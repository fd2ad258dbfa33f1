"""The Slack side: the Bolt app factory, command grammar, cards and listeners."""
