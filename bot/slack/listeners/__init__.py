"""Thin Bolt listeners, one module per surface, each with `register(app, runtime)`."""
