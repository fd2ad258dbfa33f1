"""Durable state: models, engine, watches (`repo`), where a poll is stored (`leases`)."""
