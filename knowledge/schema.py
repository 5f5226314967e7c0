"""The shape of the content files, validated with pydantic so every problem names its field."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, field_validator

Status = Literal["draft", "reviewed"]
MIN_QUESTIONS = 6
ANSWER_SOFT_LIMIT = 900  # a phone screen; longer answers are reported, not refused
TELEGRAM_TEXT_LIMIT = 4096


class Translation(BaseModel):
    """One topic in one language, as written in `content/<lang>/<category>.yaml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Status
    title: StrictStr = Field(min_length=1, max_length=80)
    questions: list[StrictStr] = Field(min_length=1)
    answer: StrictStr = Field(min_length=1, max_length=TELEGRAM_TEXT_LIMIT)

    @field_validator("title", "answer")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("questions")
    @classmethod
    def _questions(cls, value: list[str]) -> list[str]:
        cleaned = [question.strip() for question in value]
        if any(not question for question in cleaned):
            raise ValueError("an example question is empty")
        return cleaned


class Service(BaseModel):
    """One entry of the referral directory (`services.yaml`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: StrictStr = Field(min_length=1)
    name_i18n: dict[str, StrictStr] = Field(default_factory=dict)
    kind: Literal["organisation", "helpline", "emergency", "public"]
    cities: list[StrictStr] = Field(default_factory=list)
    offers: list[StrictStr] = Field(default_factory=list)
    for_whom: StrictStr = ""
    for_whom_i18n: dict[str, StrictStr] = Field(default_factory=dict)
    phone: StrictStr = ""
    hours: StrictStr = ""
    hours_i18n: dict[str, StrictStr] = Field(default_factory=dict)
    address: StrictStr = ""
    website: StrictStr = ""
    languages: list[StrictStr] = Field(default_factory=list)
    anonymous: StrictBool | None = None
    free: StrictBool | None = None
    source: StrictStr = Field(min_length=1)

    def display_name(self, lang: str) -> str:
        return self.name_i18n.get(lang) or self.name

    def who(self, lang: str) -> str:
        return self.for_whom_i18n.get(lang) or self.for_whom

    def opening(self, lang: str) -> str:
        return self.hours_i18n.get(lang) or self.hours


class CrisisLexicon(BaseModel):
    """Phrases that signal danger now, for one language (`crisis/<lang>.yaml`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    violence_now: list[StrictStr] = Field(default_factory=list)
    held: list[StrictStr] = Field(default_factory=list)
    suicide: list[StrictStr] = Field(default_factory=list)
    medical: list[StrictStr] = Field(default_factory=list)  # overdose, pills taken, not waking up
    calm: list[StrictStr] = Field(default_factory=list)
