"""Every user-facing handler in one router, in the order the modules' routers list them.

aiogram walks router after router for every update, and each step (the router's outer middlewares
wrapped, the keyword arguments copied several times) cost more than the handler checks themselves:
with thirteen routers, ~12 % of the bot's time per update. Each module keeps its own router, which
says what it handles; the dispatcher gets one router with the same handlers in the same order, each
checking its module's router-wide filters first, as the module's router would have.

Each handler also answers the cheap questions its own filters ask (`GatedHandler`) before aiogram's
filter calls: a free-text message no longer makes a dozen command filters each prepare their
arguments and parse it, only to say no. The gates are exact: a gate says no only where the filter it
comes from would. The merged router's observers (`GatedObserver`) ask those gates before anything
else: aiogram's own walk awaits every handler's check with a fresh copy of the update's ~25 keyword
arguments, nineteen times for a free-text message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED, SkipHandler
from aiogram.dispatcher.event.handler import FilterObject, HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
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
        if not self.opens_for(args[0], kwargs):
            return False, kwargs
        return await self.check_rest(*args, **kwargs)

    def opens_for(self, event: Any, kwargs: dict[str, Any]) -> bool:
        """The gates' answer; what a gate hands the handler goes into `kwargs`."""
        for gate in self.gates:  # noqa: SIM110 -- all() over a generator costs more, on every update
            if not _passed(gate(event), kwargs):
                return False
        return True

    async def check_rest(self, *args: Any, **kwargs: Any) -> tuple[bool, dict[str, Any]]:
        """The filters after the gates, as aiogram calls them."""
        for event_filter in self.rest:
            if not _passed(await event_filter.call(*args, **kwargs), kwargs):
                return False, kwargs
        return True, kwargs


def _passed(answer: Any, kwargs: dict[str, Any]) -> bool:
    """A gate's or filter's answer; a dict also goes to the handler, as aiogram does with it."""
    if isinstance(answer, dict):
        kwargs.update(answer)
    return bool(answer)


class GatedObserver(TelegramEventObserver):
    """aiogram's observer, asking each gated handler's gates before its (awaited) check."""

    async def trigger(self, event: Any, **kwargs: Any) -> Any:
        # aiogram's `trigger`, the gates first: a handler they shut out is not checked at all.
        for handler in self.handlers:
            if isinstance(handler, GatedHandler):
                given: dict[str, Any] = {}
                if not handler.opens_for(event, given):
                    continue
                result, data = await handler.check_rest(event, **{**kwargs, "handler": handler, **given})
            else:
                result, data = await handler.check(event, **{**kwargs, "handler": handler})
            if result:
                kwargs.update(data)
                try:
                    wrapped_inner = self.outer_middleware.wrap_middlewares(self._resolve_middlewares(), handler.call)
                    return await wrapped_inner(event, kwargs)
                except SkipHandler:
                    continue
        return UNHANDLED


def merge_routers(routers: Sequence[Router], name: str = "vraagbaak") -> Router:
    merged = Router(name=name)
    for observer in merged.observers.values():
        # The same object (the router holds it under its event's name too), with the gated walk.
        observer.__class__ = GatedObserver
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
