"""Whether an error means the database or Redis is unreachable or failing (an outage to wait out),
rather than a bug. The webhook answers 503 to those, and the background loops log them without a
traceback."""

from __future__ import annotations

import sys

from sqlalchemy.exc import SQLAlchemyError


def is_infrastructure_error(exc: BaseException) -> bool:
    """A refused connection is an OSError, not SQLAlchemy's error. Redis' errors are looked up only
    if the client was imported (with REDIS_URL), so an instance without Redis never imports it (6 MB)."""
    if isinstance(exc, (SQLAlchemyError, OSError)):
        return True
    redis_errors = sys.modules.get("redis.exceptions")
    return redis_errors is not None and isinstance(exc, redis_errors.RedisError)
