"""A job's name and engines in words: `orders-to-kafka · MySQL → Kafka`, and the push head."""

from __future__ import annotations

from bot.domain.commands import Language
from bot.render.catalog import t
from bot.render.text import EN, literal, short_job_id

# DRS engine_type words; a value not listed is shown as DRS sent it.
_ENGINES = {
    "mysql": "MySQL",
    "taurus": "TaurusDB",
    "gaussdbv5": "GaussDB Distributed",
    "gaussdbv5ha": "GaussDB Primary/Standby",
    "gaussdb": "GaussDB",
    "oracle": "Oracle",
    "kafka": "Kafka",
    "redis": "Redis",
    "rediscluster": "Redis Cluster",
    "gaussredis": "GeminiDB Redis",
    "postgresql": "PostgreSQL",
    "mongodb": "MongoDB",
    "ddm": "DDM",
    "sqlserver": "SQL Server",
}
_MAX_NAME = 60


def engines_words(
    engine_type: str | None, job_direction: str | None = None, *, lang: Language = EN
) -> str | None:
    """`MySQL → Kafka` (plus `, out of the cloud` for `down`), as plain text before escaping;
    an engine pair this version does not know is given verbatim; None when DRS gave none."""
    given = (engine_type or "").strip()
    if not given:
        return None
    source, sep, target = given.lower().partition("-to-")
    if sep and source in _ENGINES and target in _ENGINES:
        words = f"{_ENGINES[source]} → {_ENGINES[target]}"
    else:
        words = given
    if job_direction == "down":
        words = t(lang, "jobs.out_of_cloud", engines=words)
    return words


def job_summary(
    engine_type: str | None, job_direction: str | None = None, *, lang: Language = EN
) -> str | None:
    """The engines in words for a view's `job_summary` field (escaped when rendered)."""
    return engines_words(engine_type, job_direction, lang=lang)


def name_text(job_name: str) -> str:
    """A job's name as safe mrkdwn (it is user text)."""
    return literal(job_name, _MAX_NAME)


def head(job_id: str, job_name: str | None) -> str:
    """`DRS orders-to-kafka` when the name is known, else `DRS c7debc9c…jb20r`."""
    return f"DRS {name_text(job_name)}" if job_name else f"DRS {short_job_id(job_id)}"


def title(job_name: str | None, job_summary: str | None) -> str | None:
    """`orders-to-kafka · MySQL → Kafka` as safe mrkdwn, or None when neither is known."""
    parts = [name_text(job_name)] if job_name else []
    if job_summary:
        # Our arrow is not user text; each side may be (an engine pair shown verbatim).
        parts.append(" → ".join(literal(side, 60) for side in job_summary.split(" → ")))
    return " · ".join(parts) or None
