"""The gateway's own database: API clients and their keys, and the sessions of
people signed in on the pages with a key."""

from __future__ import annotations

import time

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ApiClient(Base):
    """A branch system, partner institution, integrator or administrator. The key
    itself is never stored: only the SHA-256 of its secret part (keys are 256-bit
    random, so a slow password hash would add nothing but latency)."""

    __tablename__ = "api_clients"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    branch: Mapped[str | None] = mapped_column(String(20))
    partner: Mapped[str | None] = mapped_column(String(50))
    secret_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    # Requests per second allowed (a burst of twice that); 0 means no limit.
    rate_limit: Mapped[int] = mapped_column(Integer, nullable=False, default=20)
    created_at: Mapped[float] = mapped_column(Float, nullable=False, default=time.time)
    revoked_at: Mapped[float | None] = mapped_column(Float)


class PageSession(Base):
    """A librarian signed in on the pages (/masuk): their browser's cookie holds a
    random token, this row only its SHA-256, so neither a copy of the database nor
    a log holds anything that opens a page. It ends at `expires_at`, at sign-out,
    or with its key (revoked)."""

    __tablename__ = "page_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(
        String(16), ForeignKey("api_clients.key_id"), nullable=False, index=True
    )
    created_at: Mapped[float] = mapped_column(Float, nullable=False)
    expires_at: Mapped[float] = mapped_column(Float, nullable=False)
