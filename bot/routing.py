"""Every user-facing handler in one router, in the order the modules' routers list them.

aiogram walks router after router for every update, and each step (the router's outer middlewares
wrapped, the keyword arguments copied several times) cost more than the handler checks themselves:
with thirteen routers, ~12 % of the bot's time per update. Each module keeps its own router, which
says what it handles; the dispatcher gets one router with the same handlers in the same order, each
checking its module's router-wide filters first, as the module's router would have.

Each handler also answers the cheap questions its own filters ask (`GatedHandler`) before aiogram's
filter calls: a free-text message no longer makes a dozen command filters each prepare their
arguments and parse it, only to say no. The gates are exact: a gate says no only where the filter it
comes from would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject, HandlerObject
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery, Message

from flows.filters import Inline

Gate = Callable[[Any], Any]


def _command_gate(command: Command) -> Gate:
    """No unless the text (or caption) starts with one of the command's prefixes, as aiogram's
    Command filter reads it (`text.split()` drops leading white space)."""
    prefixes = command.prefix

    def gate(event: Any) -> bool:
        if not isinstance(event, Message):
            return False
        text = (event.text or event.caption or "").lstrip()
        return bool(text) and text[0] in prefixes

    return gate


def _callback_gate(flt: CallbackQueryFilter) -> Gate:
    """No unless the button's data starts with this kind of callback data's prefix."""
    prefix, separator = flt.callback_data.__prefix__, flt.callback_data.__separator__

    def gate(event: Any) -> bool:
        return isinstance(event, CallbackQuery) and bool(event.data) and \
            event.data.split(separator, 1)[0] == prefix

    return gate


def _gates(filters: Sequence[FilterObject]) -> tuple[list[Gate], list[FilterObject]]:
    """The handler's gates, and the filters still to be called after them. An `Inline` magic filter
    becomes a gate of its own (it is one already: a pure check on the event); Command and callback
    data filters keep their call, which also hands the handler what it parsed."""
    gates: list[Gate] = []
    rest: list[FilterObject] = []
    for flt in filters:
        if isinstance(flt.callback, Inline):
            gates.append(flt.callback.magic.resolve)
            continue
        if isinstance(flt.callback, Command):
            gates.append(_command_gate(flt.callback))
        elif isinstance(flt.callback, CallbackQueryFilter):
            gates.append(_callback_gate(flt.callback))
        rest.append(flt)
    return gates, rest


@dataclass
class GatedHandler(HandlerObject):
    """A handler whose pure, synchronous checks run first and directly on the event. `filters` keeps
    the whole list, as aiogram and the tests read it."""

    gates: list[Gate] = field(default_factory=list)
    rest: list[FilterObject] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.gates, self.rest = _gates(self.filters or [])

    async def check(self, *args: Any, **kwargs: Any) -> tuple[bool, dict[str, Any]]:
        event = args[0]
        for gate in self.gates:
            if not _passed(gate(event), kwargs):
                return False, kwargs
        for event_filter in self.rest:
            if not _passed(await event_filter.call(*args, **kwargs), kwargs):
                return False, kwargs
        return True, kwargs


def _passed(answer: Any, kwargs: dict[str, Any]) -> bool:
    """A gate's or filter's answer; a dict also goes to the handler, as aiogram does with it."""
    if isinstance(answer, dict):
        kwargs.update(answer)
    return bool(answer)


def merge_routers(routers: Sequence[Router], name: str = "vraagbaak") -> Router:
    merged = Router(name=name)
    for router in routers:
        if router.sub_routers:
            raise ValueError(f"{router.name}: routers with sub-routers are not merged")
        for event_name, observer in router.observers.items():
            if len(observer.outer_middleware) or len(observer.middleware):
                raise ValueError(f"{router.name}: middlewares on a router's {event_name} are not merged")
            router_wide = list(observer._handler.filters or [])
            for handler in observer.handlers:
                merged.observers[event_name].handlers.append(GatedHandler(
                    callback=handler.callback, filters=[*router_wide, *(handler.filters or [])],
                    flags=dict(handler.flags)))
    return merged
