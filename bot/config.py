"""Settings from the environment (`VRAAGBAAK_*`) or a `.env` file, validated once at start-up."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.opening_hours import OpeningHours
from knowledge.languages import SUPPORTED_LANGUAGES

TELEGRAM_API = "https://api.telegram.org"
_TOKEN_RE = re.compile(r"^\d+:[\w-]{20,}$")
MIN_SECRET_LENGTH = 24
MIN_SECRET_DISTINCT = 10  # "aaaa…" or "abab…" is long but guessable


def _split_ints(value: object) -> object:
    if isinstance(value, str):
        return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
    if isinstance(value, int):
        return [value]
    return value


def _split_words(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every setting of the bot; `Settings()` reads them. Secrets stay SecretStr so they never print."""

    model_config = SettingsConfigDict(env_prefix="VRAAGBAAK_", env_file=".env", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_url: str = TELEGRAM_API
    data_dir: Path = Path("./data")
    database_url: str | None = None
    secret_key: SecretStr | None = None
    default_language: str = "en"
    fallback_languages: Annotated[list[str], NoDecode] = ["en"]
    counsellor_chat_id: int | None = None
    counsellor_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    editor_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    public_url: str | None = None
    redis_url: str | None = None
    # The web server (webhook, /admin, /healthz, /readyz, /metrics). In a container: 0.0.0.0.
    listen_host: str = "127.0.0.1"
    listen_port: int = Field(default=8080, ge=1, le=65535)
    webhook_secret: SecretStr | None = None  # default: derived from the installation secret
    # /metrics answers only with `Authorization: Bearer <this>`; unset, /metrics is off.
    metrics_token: SecretStr | None = None
    # Webhook deliveries Telegram keeps in flight at once, for the whole bot (all instances).
    # Telegram's default: room for updates that sleep out a flood-control backoff.
    webhook_max_connections: int = Field(default=40, ge=1, le=100)
    # Updates one instance works on at once; the others wait their turn in arrival order (bot/admission.py).
    # Each holds a database connection (pool: 40); an update also waits on Telegram while it holds its place.
    active_updates: int = Field(default=12, ge=1, le=32)
    knowledge_dir: Path | None = None
    # How long an ended conversation's record (no chat id, no words) and its forum topic are kept.
    conversation_grace_hours: int = Field(default=24, ge=0, le=24 * 30)
    unanswered_retention_days: int = Field(default=30, ge=1, le=365)
    # A person who has not written for this long is forgotten (their language, /wipe's window).
    inactive_people_days: int = Field(default=90, ge=1, le=3650)
    log_level: str = "INFO"
    # The bot's changes to its libraries' defaults (lazy aiogram types, uncached Update.event_type,
    # the collector's tuning, Admission, the renewed Redis chat lock; docs/architecture.md). Off:
    # the libraries as they come, for telling whether one of those is at fault.
    tuning: bool = True
    # Keep Telegram's flood limits (bot/outbound.py). Off only against a Bot API server that has none
    # (the test suite's stand-in, where the limits are not what a test is about).
    telegram_limits: bool = True
    # Opening hours in `timezone`, per weekday: "10:00-17:00" or "10:00-13:00,14:00-18:00"; empty = closed.
    opening_hours: dict[str, str] = Field(
        default_factory=lambda: {"mon": "10:00-17:00", "tue": "10:00-17:00", "wed": "10:00-17:00",
                                 "thu": "10:00-17:00", "fri": "10:00-17:00"}
    )
    closed_dates: Annotated[list[dt.date], NoDecode] = Field(default_factory=list)
    timezone: str = "Europe/Brussels"
    purge_interval_seconds: int = Field(default=600, ge=5)
    # Flood control: at most this many messages per person per minute; more get a polite notice.
    messages_per_minute: int = Field(default=20, ge=1)
    # The deploying organisation, named in the "about" answer, /privacy and /help (empty: a neutral text).
    operator_name: str = Field(default="", max_length=200)
    operator_contact: str = Field(default="", max_length=200)

    @field_validator("counsellor_ids", "editor_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        return _split_ints(value)

    @field_validator("closed_dates", mode="before")
    @classmethod
    def _dates(cls, value: object) -> object:
        return _split_words(value)

    @field_validator("opening_hours")
    @classmethod
    def _hours(cls, value: dict[str, str]) -> dict[str, str]:
        from bot.opening_hours import WEEKDAYS, parse_spans

        for day, spans in value.items():
            if day not in WEEKDAYS:
                raise ValueError(f"unknown day {day!r}; use {', '.join(WEEKDAYS)}")
            parse_spans(spans)
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("fallback_languages", mode="before")
    @classmethod
    def _languages(cls, value: object) -> object:
        return _split_words(value)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN_RE.match(value.get_secret_value()):
            raise ValueError("is not a Telegram bot token (expected 123456:ABC...)")
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @field_validator("fallback_languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [lang for lang in value if lang not in SUPPORTED_LANGUAGES]
        if unknown:
            raise ValueError(f"unknown language {unknown[0]!r}; use {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and -.
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", value.get_secret_value()):
            raise ValueError("must be 16-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("secret_key")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # It keys the pseudonyms and the encryption: a guessable one undoes both.
        if value is not None:
            key = value.get_secret_value()
            if not key:  # `VRAAGBAAK_SECRET_KEY=` as in .env.example: generated into DATA_DIR
                return None
            if len(key) < MIN_SECRET_LENGTH or len(set(key)) < MIN_SECRET_DISTINCT:
                raise ValueError(f"is too weak: use at least {MIN_SECRET_LENGTH} random characters "
                                 "(e.g. the output of `openssl rand -hex 32`)")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("telegram_api_url", "public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @model_validator(mode="after")
    def _database_default(self) -> Settings:
        if self.database_url is None:
            self.database_url = f"sqlite+aiosqlite:///{(self.data_dir / 'vraagbaak.db').resolve()}"
        return self

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @property
    def db_url(self) -> str:
        assert self.database_url is not None
        return self.database_url

    @property
    def conversation_grace(self) -> dt.timedelta:
        return dt.timedelta(hours=self.conversation_grace_hours)

    def hours(self) -> OpeningHours:
        return OpeningHours.from_settings(self.opening_hours, self.closed_dates, self.timezone)

    def is_counsellor(self, user_id: int) -> bool:
        return user_id in self.counsellor_ids

    def is_editor(self, user_id: int) -> bool:
        return user_id in self.editor_ids


class ConfigError(SystemExit):
    """Start-up stops with one line naming the bad setting (never its value: it may be a secret)."""


def load_settings(**overrides: object) -> Settings:
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "settings"
        name = f"VRAAGBAAK_{field.upper()}" if error["loc"] else "settings"
        message = error["msg"].removeprefix("Value error, ")
        raise ConfigError(f"configuration error: {name}: {message}") from None
