"""Database tables. Nothing here holds a Telegram id, name, username or message text in plain form:
people are known by a pseudonym (keyed hash), a chat id needed to relay is stored encrypted and
deleted on schedule, statistics are counts without pseudonyms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.utc import UTCDateTime

PSEUDONYM_LEN = 64  # hex of HMAC-SHA256


class Base(DeclarativeBase):
    pass


class Person(Base):
    """What the bot remembers about someone between messages: only their chosen language."""

    __tablename__ = "people"

    pseudonym: Mapped[str] = mapped_column(String(PSEUDONYM_LEN), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(8))
    # Day precision is enough to purge inactive people and says less about when someone wrote.
    last_seen_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    # For /wipe: the first message id since the chat last lay silent for longer than Telegram's
    # 48-hour delete window (everything before it is beyond deleting), and when the chat was last
    # written in, to the hour. A message id alone says nothing about the person or what was written.
    wipe_from_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_written_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ProcessedUpdate(Base):
    """Telegram update ids already handled, so a redelivered update is not handled twice."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=func.now())


class DailyCount(Base):
    """Aggregate figures for the organisation's reports: per day, a metric by language and topic."""

    __tablename__ = "daily_counts"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True, default="")
    topic: Mapped[str] = mapped_column(String(48), primary_key=True, default="")
    bucket: Mapped[str] = mapped_column(String(16), primary_key=True, default="")
    count: Mapped[int] = mapped_column(Integer, default=0)


class SecretBlob(Base):
    """Small values kept with an expiry or for good: the key-check value that proves the secret key
    still matches the data (storage/key_check.py)."""

    __tablename__ = "secret_blobs"

    key: Mapped[str] = mapped_column(String(96), primary_key=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)


class Conversation(Base):
    """A person handed to a counsellor. The chat id needed to relay is kept only encrypted, and the
    whole row is deleted a grace period after the conversation ends."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alias: Mapped[str] = mapped_column(String(24))
    person: Mapped[str] = mapped_column(String(PSEUDONYM_LEN), index=True)
    chat_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    language: Mapped[str] = mapped_column(String(8))
    topic: Mapped[str] = mapped_column(String(48), default="")
    crisis: Mapped[bool] = mapped_column(default=False)
    # waiting → claimed → closed; a released conversation goes back to waiting.
    status: Mapped[str] = mapped_column(String(12), index=True, default="waiting")
    counsellor: Mapped[str | None] = mapped_column(String(PSEUDONYM_LEN))
    # Shown to the other counsellors ("Claimed by Sara"), so kept, but only encrypted like the chat id.
    counsellor_name_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    thread_id: Mapped[int | None] = mapped_column(BigInteger, index=True)  # a counsellor's message → its conversation
    notice_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    purge_after: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)


class RelayedMessage(Base):
    """Which copy the bot made of which relayed message, so that an edit can follow it to the copy.
    Message numbers only: no words, no user or chat id. Deleted with its conversation."""

    __tablename__ = "relayed_messages"

    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    to_person: Mapped[bool] = mapped_column(primary_key=True)  # a counsellor's message (else the person's)
    source_message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # in the chat it was written in
    copy_message_id: Mapped[int] = mapped_column(BigInteger)  # in the chat it was copied to


class KnowledgeRevision(Base):
    """An editor's saved version of one topic in one language; the newest one is what the bot uses,
    on top of the shipped files. Restoring an old version saves it again as the newest.

    `replaces`: the version it was made from (0: the shipped text). Unique per text, so of two editors
    saving on top of the same version only the first gets in, on any instance (None: saved before
    0008)."""

    __tablename__ = "kb_revisions"
    __table_args__ = (Index("uq_kb_revisions_replaces", "topic_id", "lang", "replaces", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic_id: Mapped[str] = mapped_column(String(48), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(120))
    questions: Mapped[str] = mapped_column(Text)  # JSON list
    answer: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    editor: Mapped[str] = mapped_column(String(32))  # an alias such as "Editor 3F2A", never an id
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    replaces: Mapped[int | None] = mapped_column(Integer, nullable=True)


class LoginToken(Base):
    """A one-time sign-in link for an editor: only its hash is kept."""

    __tablename__ = "login_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    editor: Mapped[str] = mapped_column(String(PSEUDONYM_LEN))
    alias: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AdminSession(Base):
    """A signed-in editor's browser session: only the hash of the cookie value is kept."""

    __tablename__ = "admin_sessions"

    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    editor: Mapped[str] = mapped_column(String(PSEUDONYM_LEN))
    alias: Mapped[str] = mapped_column(String(32))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class UnansweredQuestion(Base):
    """A question the bot could not answer (or whose answer got 👎), scrubbed of numbers, e-mail
    addresses, handles and links before it is stored, and purged after the retention period."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(16))  # no_answer | not_helpful
    topic: Mapped[str] = mapped_column(String(48), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    handled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Lease(Base):
    """Who runs a scheduled job (e.g. the purge) until when, among several instances."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class PendingImport(Base):
    """Content an editor uploaded, waiting for their confirmation (web/admin/views_files.py). In the
    database, not in one instance's memory: the confirming request may reach another instance."""

    __tablename__ = "pending_imports"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, shown only to that editor
    editor: Mapped[str] = mapped_column(String(PSEUDONYM_LEN))
    files: Mapped[str] = mapped_column(Text)  # JSON: {"content/<lang>/<category>.yaml": text}
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
