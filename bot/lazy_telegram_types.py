"""Build aiogram's Telegram types when first used, not all at import.

`import aiogram` ends by rebuilding every one of its ~400 pydantic models (aiogram/types/__init__.py),
each with its own copy of the validators of everything it nests: about 110 MB of a bot process
that uses a dozen of them. This runs that import with `model_rebuild` deferred for aiogram's
models: each keeps the namespace it would have been rebuilt with, and pydantic builds it the first
time it validates or serialises something (pydantic does that by itself for incomplete models).

It must run before anything imports aiogram: the command line applies it at start-up (bot/cli.py),
never on import. If aiogram was already imported, nothing changes: the models are then simply
built. tests/test_lazy_telegram_types.py builds every aiogram model under it, so an upgrade that
breaks it fails there, not in a handler.
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel

from bot.versions import checked_with

CHECKED_WITH = {"aiogram": ("3.31",), "pydantic": ("2.13",)}

# The namespace aiogram resolves its forward references with; generic responses need it too.
TYPES_NAMESPACE: dict[str, Any] = {}


def apply() -> bool:
    """Import aiogram with deferred model builds. False when aiogram was imported already, or these
    are not the versions it was checked with."""
    if "aiogram" in sys.modules or not checked_with("lazy aiogram types", CHECKED_WITH):
        return False
    original = BaseModel.__dict__["model_rebuild"]

    def deferred_rebuild(cls: type[BaseModel], *, force: bool = False, raise_errors: bool = True,
                         _parent_namespace_depth: int = 2, _types_namespace: Any = None) -> bool | None:
        if _types_namespace is not None and cls.__module__.startswith("aiogram.") and not cls.__pydantic_complete__:
            cls.__pydantic_parent_namespace__ = _types_namespace  # what pydantic resolves names with later
            TYPES_NAMESPACE.update(_types_namespace)
            return None
        return original.__func__(cls, force=force, raise_errors=raise_errors,
                                 _parent_namespace_depth=_parent_namespace_depth + 1,
                                 _types_namespace=_types_namespace)

    BaseModel.model_rebuild = classmethod(deferred_rebuild)  # type: ignore[method-assign,assignment]
    try:
        import aiogram.types  # noqa: F401
    finally:
        BaseModel.model_rebuild = original  # type: ignore[method-assign]
    # Models that nest a deferred one are incomplete too (the Bot API methods), and generic ones
    # (`Response[Message]`, made per call) inherit the namespace from their origin: give it to all.
    for model in aiogram_models():
        model.__pydantic_parent_namespace__ = TYPES_NAMESPACE
    return True


def aiogram_models() -> list[type[BaseModel]]:
    found, stack = [], list(BaseModel.__subclasses__())
    while stack:
        model = stack.pop()
        stack.extend(model.__subclasses__())
        if model.__module__.startswith("aiogram."):
            found.append(model)
    return found
