"""Service settings read from environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DATABASE_URL_ENV = "NOTES_DATABASE_URL"
LOG_LEVEL_ENV = "NOTES_LOG_LEVEL"
DEFAULT_DATABASE_URL = "sqlite:///notes.db"
DEFAULT_LOG_LEVEL = "INFO"


@dataclass(frozen=True)
class Settings:
    """Runtime configuration for the notes service."""

    database_url: str
    log_level: str


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from ``environ`` (defaults to ``os.environ``), falling back to defaults."""
    env = os.environ if environ is None else environ
    database_url = env.get(DATABASE_URL_ENV, "").strip() or DEFAULT_DATABASE_URL
    log_level = env.get(LOG_LEVEL_ENV, "").strip().upper() or DEFAULT_LOG_LEVEL
    return Settings(database_url=database_url, log_level=log_level)
