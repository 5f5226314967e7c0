"""Who runs this bot: the deploying organisation's name and contact, from the settings
(VRAAGBAAK_OPERATOR_NAME, VRAAGBAAK_OPERATOR_CONTACT). The knowledge base never names it, so one
text serves every deployment; unset, the bot says so rather than guess."""

from __future__ import annotations

import html

from aiogram.utils.i18n import gettext as _

from bot.config import Settings


def operator_text(settings: Settings) -> str:
    name = html.escape(settings.operator_name.strip(), quote=False)
    contact = html.escape(settings.operator_contact.strip(), quote=False)
    if not name:
        return _(
            "The organisation that runs this service has not added its name here yet. A counsellor can tell "
            "you: /talk"
        )
    if not contact:
        return _("This service is run by {organisation}.").format(organisation=name)
    return _("This service is run by {organisation}. Contact: {contact}").format(
        organisation=name, contact=contact
    )
