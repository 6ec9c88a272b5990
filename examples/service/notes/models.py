"""SQLAlchemy ORM models for the notes service."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from notes.db import Base

TITLE_MAX_LENGTH = 200
TAG_MAX_LENGTH = 50


def utcnow() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(timezone.utc)


class Note(Base):
    """A short text note with an optional tag."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX_LENGTH))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    tag: Mapped[str | None] = mapped_column(String(TAG_MAX_LENGTH), index=True)

    def __repr__(self) -> str:
        return f"Note(id={self.id!r}, title={self.title!r})"
