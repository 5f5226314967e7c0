"""Routing stays on the event loop: aiogram runs any plain (non-async) filter or handler -- a magic
filter `F...` included -- in a worker thread, a thread hop per check on every update."""

from __future__ import annotations

from bot.routers import get_routers


def test_every_filter_and_handler_is_async() -> None:
    in_threads = []
    for router in get_routers():
        for name, observer in router.observers.items():
            for flt in observer._handler.filters or []:
                if not flt.awaitable:
                    in_threads.append(f"{router.name} {name} router filter {flt.callback!r}")
            for handler in observer.handlers:
                if not handler.awaitable:
                    in_threads.append(f"{router.name} {name} handler {handler.callback!r}")
                for flt in handler.filters or []:
                    if not flt.awaitable:
                        in_threads.append(
                            f"{router.name} {name} {handler.callback.__name__} {flt.callback!r}"
                        )
    assert in_threads == []
