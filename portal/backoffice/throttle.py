"""Failed logins: slow for whoever guesses, never a lock a stranger can put on an account.

Failures are counted per pair (the e-mail typed, the client's address) in growing windows
(LOGIN_LIMIT_PER_ACCOUNT_ADDRESS, "5 per 15 minutes;10 per hour;20 per day"): past one, that
address waits before trying that account again; nobody else does. A high ceiling per account
(LOGIN_LIMIT_PER_ACCOUNT) counts failures from every address: past it the account is under a
spread attack, and every address that has failed for it waits from its first failure on, while
an address that has not failed is still heard, so the owner's right password always opens.
Per address, whatever the account, views.py keeps its Flask-Limiter decorator.

Counters live in Flask-Limiter's storage (memory, or Redis with RATELIMIT_STORAGE_URI). When
that Redis does not answer, they go on in this process's memory until it does: a login never
fails with 500 for it, and guesses stay slowed down (per server).
"""

import logging
import time

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from ..extensions import limiter

log = logging.getLogger(__name__)
_fallback = FixedWindowRateLimiter(MemoryStorage())  # Flask-Limiter's default strategy


def _guarded(operation):
    """Run `operation(strategy)` on the shared storage, or on this process's memory when the
    shared one fails (Redis restarted, unreachable)."""
    try:
        return operation(limiter.limiter)
    except Exception:  # redis-py and limits raise several kinds; all mean "storage down"
        log.warning("login limit storage unreachable: counting in this process's memory")
        return operation(_fallback)


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def _pair(email: str) -> tuple[str, ...]:
    return ("login-pair", email, get_remote_address())


def _account(email: str) -> tuple[str, ...]:
    return ("login-ceiling", email)


def _wait(strategy, limit: RateLimitItem, key: tuple[str, ...]) -> int:
    reset_at = strategy.get_window_stats(limit, *key).reset_time
    return max(1, int(reset_at - time.time()) + 1)


def retry_after(email: str) -> int | None:
    """Seconds this client must wait before trying `email` again, or None: it may try now.
    Asked before the password is checked, so a refused guess is never evaluated."""
    if not limiter.enabled:
        return None
    return _guarded(lambda strategy: _retry_after(strategy, email))


def _retry_after(strategy, email: str) -> int | None:
    pair, account = _pair(email), _account(email)
    pair_limits = _limits("LOGIN_LIMIT_PER_ACCOUNT_ADDRESS")
    waits = [_wait(strategy, limit, pair) for limit in pair_limits
             if not strategy.test(limit, *pair)]
    if not waits:
        has_failed = any(strategy.get_window_stats(limit, *pair).remaining < limit.amount
                         for limit in pair_limits)
        if has_failed:
            waits = [_wait(strategy, limit, account) for limit in _limits("LOGIN_LIMIT_PER_ACCOUNT")
                     if not strategy.test(limit, *account)]
    return max(waits) if waits else None


def record_failure(email: str) -> None:
    if not limiter.enabled:
        return
    _guarded(lambda strategy: _record_failure(strategy, email))


def _record_failure(strategy, email: str) -> None:
    pair, account = _pair(email), _account(email)
    for limit in _limits("LOGIN_LIMIT_PER_ACCOUNT_ADDRESS"):
        strategy.hit(limit, *pair)
    for limit in _limits("LOGIN_LIMIT_PER_ACCOUNT"):
        strategy.hit(limit, *account)
