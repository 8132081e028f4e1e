from __future__ import annotations

from foundation import tokens
from foundation.throttle import Throttle


def test_the_eleventh_failure_is_throttled_with_a_wait() -> None:
    throttle = Throttle("10/15 minutes")
    account, address = ("account", "alice"), ("address", "127.0.0.1")
    waits = [throttle.hit(account, address) for _ in range(11)]

    assert waits[:10] == [None] * 10
    assert waits[10] is not None and 0 < waits[10] <= 15 * 60
    assert throttle.retry_after(account) is not None
    assert throttle.retry_after(("account", "bob")) is None


def test_clearing_an_account_leaves_the_address_counted() -> None:
    throttle = Throttle("2/minute")
    account, address = ("account", "alice"), ("address", "10.0.0.1")
    throttle.hit(account, address)
    throttle.hit(account, address)
    throttle.clear(account)

    assert throttle.retry_after(account) is None
    assert throttle.retry_after(address) is not None


def test_tokens_are_stored_as_digests() -> None:
    token = tokens.new_token()
    stored = tokens.digest(token)

    assert token not in stored and len(stored) == 64
    assert tokens.matches(token, stored)
    assert not tokens.matches(token + "x", stored)
