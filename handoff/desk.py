"""The help desk: opening a conversation in the counsellors' group, claiming, releasing, closing.

Counsellor-facing text is in the default language; person-facing text in the conversation's
language, whichever side triggered it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import statistics
from collections.abc import Iterator
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.metrics import WAIT_SECONDS
from bot.outbound_priority import Priority, outbound_priority
from handoff.access import CounsellorAccess
from handoff.aliases import new_alias
from handoff.notices import danger_label, marked, notice_buttons, notice_text, topic_name
from handoff.relay import copy
from knowledge.engine import KnowledgeHolder
from storage import conversations, stats
from storage.models import Conversation
from storage.secrets import Cipher, Pseudonymizer

log = logging.getLogger(__name__)
DEFAULT_WAIT_PER_PERSON = dt.timedelta(minutes=10)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def wait_bucket(wait: dt.timedelta) -> str:
    minutes = wait.total_seconds() / 60
    for limit, name in ((5, "<5m"), (15, "5-15m"), (60, "15-60m"), (240, "1-4h")):
        if minutes < limit:
            return name
    return ">4h"


@dataclass
class Desk:
    settings: Settings
    cipher: Cipher
    pseudonyms: Pseudonymizer
    i18n: I18n
    access: CounsellorAccess
    kb: KnowledgeHolder | None = None  # topic titles, /send's answers, /say's phrases

    @property
    def group_id(self) -> int | None:
        return self.settings.counsellor_chat_id

    @contextlib.contextmanager
    def counsellor_language(self) -> Iterator[None]:
        with self.i18n.context(), self.i18n.use_locale(self.settings.default_language):
            yield

    @contextlib.contextmanager
    def person_language(self, conversation: Conversation) -> Iterator[None]:
        lang = conversation.language if conversation.language in self.i18n.available_locales else self.settings.default_language
        with self.i18n.context(), self.i18n.use_locale(lang):
            yield

    def chat_id(self, conversation: Conversation) -> int | None:
        return self.cipher.decrypt_int(conversation.chat_cipher) if conversation.chat_cipher else None

    def topic_title(self, conversation: Conversation, language: str | None = None) -> str:
        """The human title of the topic the person asked about, in `language` (default: the
        counsellors'); empty when they asked about none."""
        if not conversation.topic:
            return ""
        if self.kb is None:
            return conversation.topic
        return self.kb.engine.kb.title(conversation.topic, [language or self.settings.default_language])

    def counsellor_name(self, conversation: Conversation) -> str | None:
        """The claiming counsellor's first name, as their colleagues see it; None if unknown."""
        plain = self.cipher.decrypt(conversation.counsellor_name_cipher) if conversation.counsellor_name_cipher else None
        return plain.decode() if plain is not None else None

    async def open(
        self, session: AsyncSession, bot: Bot, *, pseudonym: str, chat_id: int, language: str, topic: str, crisis: bool
    ) -> tuple[Conversation, bool]:
        """The person's open conversation, or a new one with its topic in the group. True if new."""
        existing = await conversations.open_for_person(session, pseudonym)
        if existing is not None:
            if existing.thread_id is None:  # left without a topic by a crash: open it now
                await self.open_missing_topic(session, bot, existing)
            if crisis:
                await self.escalate(session, bot, existing)
            return existing, False
        conversation = await conversations.create(
            session, alias=new_alias(), person=pseudonym, chat_cipher=self.cipher.encrypt_int(chat_id),
            language=language, topic=topic, crisis=crisis, now=now_utc(),
        )
        await session.commit()
        try:
            await self._open_topic(bot, conversation)
        except Exception:
            await self._abandon(session, bot, conversation)
            raise
        await stats.count(session, "handoff", language=language, topic=topic, bucket="crisis" if crisis else "")
        await session.commit()  # its topic and notice recorded at once
        log.info("conversation opened%s", " (crisis)" if crisis else "")
        return conversation, True

    async def open_missing_topic(self, session: AsyncSession, bot: Bot, conversation: Conversation) -> None:
        """A topic for a conversation that has none (deleted by hand, or never made: a crash between
        writing the conversation and opening its topic), recorded at once."""
        await self._open_topic(bot, conversation)
        await session.commit()

    async def _abandon(self, session: AsyncSession, bot: Bot, conversation: Conversation) -> None:
        """Its topic or notice could not be made: the new conversation goes again (it was committed
        before the call), so the person is not left in one no counsellor sees; they
        are told it failed and can ask again. Should this fail too, the next /talk or message opens the
        missing topic."""
        try:
            if self.group_id is not None and conversation.thread_id is not None:
                with contextlib.suppress(TelegramAPIError):  # a topic without a notice: nothing to claim
                    await bot.delete_forum_topic(self.group_id, conversation.thread_id)
            await session.delete(conversation)
            await session.commit()
        except SQLAlchemyError as exc:
            log.warning("a conversation without a topic could not be removed: %s", type(exc).__name__)

    async def escalate(self, session: AsyncSession, bot: Bot, conversation: Conversation) -> None:
        """Danger in an open conversation: first in the queue, and 🆘 in its topic's name and notice."""
        if conversation.crisis:
            return
        conversation.crisis = True
        await session.flush()  # the queue position shown next must count the escalation
        await session.commit()
        with outbound_priority(Priority.CRISIS):
            await self._rename(bot, conversation)

    async def _open_topic(self, bot: Bot, conversation: Conversation) -> None:
        if self.group_id is None:
            raise RuntimeError("VRAAGBAAK_COUNSELLOR_CHAT_ID is not set: no group to hand conversations to")
        # Before the group's relays: danger first, then a new conversation (bot/outbound.py).
        with outbound_priority(Priority.CRISIS if conversation.crisis else Priority.NOTICE):
            await self._post_topic_and_notice(bot, conversation)

    async def _post_topic_and_notice(self, bot: Bot, conversation: Conversation) -> None:
        assert self.group_id is not None
        topic = await bot.create_forum_topic(self.group_id, self._topic_name(conversation),
                                             icon_color=0xFF93B2 if conversation.crisis else 0x6FB9F0)
        conversation.thread_id = topic.message_thread_id
        with self.counsellor_language():
            notice = await bot.send_message(
                self.group_id, self._notice_text(conversation),
                message_thread_id=conversation.thread_id,
                reply_markup=notice_buttons(conversation, self.pseudonyms),
            )
        conversation.notice_message_id = notice.message_id

    def _notice_text(self, conversation: Conversation) -> str:
        return notice_text(conversation, self.settings.hours().timezone, self.topic_title(conversation),
                           self.counsellor_name(conversation))

    def _topic_name(self, conversation: Conversation) -> str:
        return topic_name(conversation, self.topic_title(conversation), self.counsellor_name(conversation))

    async def _rename(self, bot: Bot, conversation: Conversation) -> None:
        await self._retitle(bot, conversation)
        await self.refresh_notice(bot, conversation)

    async def _retitle(self, bot: Bot, conversation: Conversation) -> None:
        """The topic's name as the conversation is now (🆘, who has it)."""
        if self.group_id is not None and conversation.thread_id is not None:
            with contextlib.suppress(TelegramAPIError):  # "not modified" included: only its looks
                await bot.edit_forum_topic(self.group_id, conversation.thread_id, name=self._topic_name(conversation))

    async def flag_danger(self, bot: Bot, conversation: Conversation, kind: str, *, from_chat: int | None = None,
                          message_id: int | None = None) -> None:
        """Say in the topic which danger was seen, and copy in the message that raised it (never a
        forward: that would show who sent it). Without `message_id` the message is being relayed."""
        if self.group_id is None or conversation.thread_id is None:
            return
        with self.counsellor_language():
            if message_id is None:
                text = _("🆘 Danger: <b>{danger}</b>. The message that raised it follows.")
            else:
                text = _("🆘 Danger: <b>{danger}</b>. The message that raised it:")
            text = marked(text.format(danger=danger_label(kind)))
        with contextlib.suppress(TelegramAPIError):
            await bot.send_message(self.group_id, text, message_thread_id=conversation.thread_id)
        if message_id is not None and from_chat is not None:
            await copy(bot, to_chat=self.group_id, from_chat=from_chat, message_id=message_id,
                       thread_id=conversation.thread_id)

    async def reopen_closed_topic(self, bot: Bot, conversation: Conversation) -> bool:
        """The topic was closed by hand, the conversation was not: open the topic again. False if
        Telegram refuses."""
        if self.group_id is None or conversation.thread_id is None:
            return False
        try:
            await bot.reopen_forum_topic(self.group_id, conversation.thread_id)
        except TelegramBadRequest as exc:
            if "not_modified" not in exc.message.lower().replace(" ", "_"):  # open again already
                log.warning("a closed topic could not be opened again")
                return False
        except TelegramAPIError as exc:
            log.warning("a closed topic could not be opened again: %s", type(exc).__name__)
            return False
        log.info("a topic closed by hand was opened again for its open conversation")
        return True

    async def refresh_notice(self, bot: Bot, conversation: Conversation) -> None:
        if self.group_id is None or conversation.notice_message_id is None:
            return
        with self.counsellor_language():
            text = self._notice_text(conversation)
            markup = notice_buttons(conversation, self.pseudonyms)
        # Only the notice's looks: a claim, release or close stands even if Telegram refuses or fails here.
        try:
            await bot.edit_message_text(text, chat_id=self.group_id, message_id=conversation.notice_message_id,
                                        reply_markup=markup)
        except TelegramBadRequest as exc:
            if "not modified" not in exc.message:
                log.warning("the notice could not be updated")
        except TelegramAPIError as exc:
            log.warning("the notice could not be updated: %s", type(exc).__name__)

    async def show_in_notice(self, session: AsyncSession, bot: Bot, conversation: Conversation) -> bool:
        """Edit the notice to show the conversation's state; False if that state changed meanwhile.
        On SQLite each step is committed before the bot talks to Telegram, so a colleague's claim,
        release or close can land while Telegram makes this edit wait (429): the notice is then
        edited again to show what is true now."""
        seen = (conversation.status, conversation.counsellor)
        await self.refresh_notice(bot, conversation)
        await self._retitle(bot, conversation)
        now = await conversations.state_of(session, conversation.id)
        if now == seen:
            return True
        if now is not None:
            await session.refresh(conversation)
            await self._rename(bot, conversation)
        return False

    async def post_in_topic(self, bot: Bot, conversation: Conversation, text: str) -> None:
        if self.group_id is None or conversation.thread_id is None:
            return
        with contextlib.suppress(TelegramAPIError):
            await bot.send_message(self.group_id, marked(text), message_thread_id=conversation.thread_id)

    async def tell_person(self, bot: Bot, conversation: Conversation, text: str, **kwargs: object) -> bool:
        chat_id = self.chat_id(conversation)
        if chat_id is None:
            return False
        try:
            await bot.send_message(chat_id, text, **kwargs)  # type: ignore[arg-type]
        except TelegramAPIError:
            return False
        return True

    async def claim(self, session: AsyncSession, conversation: Conversation, counsellor_id: int, name: str) -> bool:
        now = now_utc()
        won = await conversations.claim(session, conversation.id, self.pseudonyms.token("counsellor", str(counsellor_id)),
                                        self.cipher.encrypt(name.encode()), now)
        if won:
            await session.refresh(conversation)
            waited = now - conversation.queued_at
            await stats.count(session, "claimed", language=conversation.language, bucket=wait_bucket(waited))
            WAIT_SECONDS.observe(waited.total_seconds())
        await session.commit()
        return won

    def is_open(self) -> bool:
        """Within opening hours now."""
        return self.settings.hours().is_open(now_utc())

    def is_claimer(self, conversation: Conversation, counsellor_id: int) -> bool:
        return conversation.counsellor == self.pseudonyms.token("counsellor", str(counsellor_id))

    async def release(self, session: AsyncSession, bot: Bot, conversation: Conversation) -> bool:
        if not await conversations.release(session, conversation.id, now_utc()):
            return False
        await session.refresh(conversation)
        await stats.count(session, "released", language=conversation.language)
        await session.commit()
        await self._notice_again(session, bot, conversation)
        return True

    async def _notice_again(self, session: AsyncSession, bot: Bot, conversation: Conversation) -> None:
        """Back in the queue: a fresh notice with the claim button at the bottom of the topic, where
        the counsellors are looking; the old one, far up, says where to look."""
        if self.group_id is None or conversation.thread_id is None:
            return
        old = conversation.notice_message_id
        with self.counsellor_language():
            text, markup = self._notice_text(conversation), notice_buttons(conversation, self.pseudonyms)
            old_text = marked(_("Handed back to the queue: claim it with the new notice below."))
        try:
            notice = await bot.send_message(self.group_id, text, message_thread_id=conversation.thread_id,
                                            reply_markup=markup)
        except TelegramAPIError as exc:  # the old notice at least can claim it again
            log.warning("a new notice could not be posted: %s", type(exc).__name__)
            await self.show_in_notice(session, bot, conversation)
            return
        conversation.notice_message_id = notice.message_id
        await session.flush()
        await self._retitle(bot, conversation)
        if old is not None:
            with contextlib.suppress(TelegramAPIError):
                await bot.edit_message_text(old_text, chat_id=self.group_id, message_id=old, reply_markup=None)

    async def close(self, session: AsyncSession, bot: Bot, conversation: Conversation, outcome: str,
                    topic_note: str | None = None, closer_id: int | None = None) -> bool:
        """`outcome`: person, counsellor, blocked. Posts `topic_note`, then closes the forum topic.
        `closer_id`: the counsellor closing it, who may close only a waiting conversation or their own."""
        closer = self.pseudonyms.token("counsellor", str(closer_id)) if closer_id is not None else None
        if not await conversations.close(session, conversation.id, now_utc(), self.settings.conversation_grace,
                                         closer):
            return False
        await session.refresh(conversation)
        await stats.count(session, "closed", language=conversation.language, bucket=outcome)
        await session.commit()
        await self.show_in_notice(session, bot, conversation)
        if topic_note:
            await self.post_in_topic(bot, conversation, topic_note)
        if self.group_id is not None and conversation.thread_id is not None:
            with contextlib.suppress(TelegramAPIError):
                await bot.close_forum_topic(self.group_id, conversation.thread_id)
        log.info("conversation closed (%s)", outcome)
        return True

    async def close_topic_after_forget(self, bot: Bot, conversation: Conversation) -> None:
        """/forget: the topic goes, with every message of the conversation in it. Should Telegram
        refuse (the bot lacks the right to delete messages), it is closed with a note instead."""
        if await self.delete_topic(bot, conversation.thread_id):
            return
        with self.counsellor_language():
            await self.post_in_topic(bot, conversation, _("The person used /forget: this conversation is deleted."))
        if self.group_id is not None and conversation.notice_message_id is not None:
            with contextlib.suppress(TelegramAPIError):  # nothing is left to claim
                await bot.edit_message_reply_markup(chat_id=self.group_id, message_id=conversation.notice_message_id,
                                                    reply_markup=None)
        if self.group_id is not None and conversation.thread_id is not None:
            with contextlib.suppress(TelegramAPIError):
                await bot.close_forum_topic(self.group_id, conversation.thread_id)

    async def delete_topic(self, bot: Bot, thread_id: int | None) -> bool:
        """Delete a conversation's topic and every message in it (/forget, the purge). True if it is
        gone (deleted now, or before by hand); False if Telegram refused or failed."""
        if self.group_id is None or thread_id is None:
            return True
        try:
            await bot.delete_forum_topic(self.group_id, thread_id)
        except TelegramBadRequest as exc:
            reason = exc.message.lower()
            if "topic_id_invalid" in reason or ("thread" in reason and "not found" in reason):
                return True  # deleted by hand already
            log.warning("a topic could not be deleted (telegram said bad request)")
            return False
        except TelegramAPIError as exc:
            log.warning("a topic could not be deleted: %s", type(exc).__name__)
            return False
        return True

    async def estimate_wait(self, session: AsyncSession, place: int) -> dt.timedelta:
        """Said to someone waiting while the desk is open: the typical wait of the past week's
        conversations that were also queued while it was open. A message left on Friday night and
        claimed on Monday says nothing about a wait now; the median keeps one long wait from
        swamping the rest."""
        hours = self.settings.hours()
        waits = sorted(wait for queued_at, wait in
                       await conversations.recent_waits(session, now_utc() - dt.timedelta(days=7))
                       if hours.is_open(queued_at))
        typical = statistics.median(waits) if waits else DEFAULT_WAIT_PER_PERSON
        return typical * max(place, 1)
