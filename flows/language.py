"""/language and the language picker's buttons: the choice is kept under the person's pseudonym."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from flows.callbacks import LanguageChoice
from flows.filters import PRESS_IN_PRIVATE_CHAT, PRIVATE_CHAT
from flows.in_place import edit_in_place
from flows.keyboards import language_picker, main_menu
from flows.texts import main_menu_text
from knowledge.languages import SUPPORTED_LANGUAGES, native_name
from storage import people


async def ask_language(message: Message, i18n_locale: str | None = None) -> None:
    await message.answer(_("Choose your language:"), reply_markup=language_picker(i18n_locale))


async def show_picker(query: CallbackQuery, i18n_locale: str | None = None) -> None:
    await edit_in_place(query, _("Choose your language:"), language_picker(i18n_locale))
    await query.answer()


async def choose_language(
    query: CallbackQuery, callback_data: LanguageChoice, session: AsyncSession, pseudonym: str, i18n: I18n, bot: Bot
) -> None:
    code = callback_data.code
    if code not in SUPPORTED_LANGUAGES:
        await query.answer(_("This button is no longer valid."), show_alert=False)
        return
    await people.set_language(session, pseudonym, code)
    with i18n.use_locale(code):
        text = _("Language: {language}").format(language=native_name(code)) + "\n\n" + main_menu_text()
        markup = main_menu()
        await query.answer()
    await edit_in_place(query, text, markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.filter(PRESS_IN_PRIVATE_CHAT)
    router.message.register(ask_language, Command("language"), PRIVATE_CHAT)
    router.callback_query.register(show_picker, LanguageChoice.filter(F.code == "?"))
    router.callback_query.register(choose_language, LanguageChoice.filter())
    return router
