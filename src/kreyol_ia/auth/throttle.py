"""Failed-sign-in throttling, shared through Redis when present.

Three fixed-window counters: per (account, client IP) — the lock an attacker can only put on
himself —, per account across every IP (much higher, so locking someone out takes many
addresses) and per IP across accounts (password spraying). The per-account lock does not apply
to addresses the account signed in from recently, so even a distributed attack cannot lock the
owner out of their usual place. An attempt is *reserved* atomically
before the password is checked (a Lua script, or one lock in memory), so concurrent guesses can
never exceed a limit; a success gives its reservation back. Redis errors fall back to process
memory: a dead Redis weakens the limits to per-process but never fails a sign-in.
"""

from __future__ import annotations

import logging
import threading
import time

import redis

logger = logging.getLogger(__name__)
MAX_MEMORY_KEYS = 100_000
TOTAL, IP_COUNT = "all", "n"
KNOWN_IP_SECONDS = 30 * 24 * 3600  # an address stays "known" for 30 days after a sign-in
MAX_KNOWN_IPS = 20

# KEYS: account hash (fields "ip:<ip>" and "all"), IP hash (field "n"), account's known IPs.
# ARGV: window, pair field, pair limit, account limit, IP limit, IP.
# Returns 0 or seconds to wait.
RESERVE = """
local pair = redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
local total = redis.call('HINCRBY', KEYS[1], 'all', 1)
local by_ip = redis.call('HINCRBY', KEYS[2], 'n', 1)
for index = 1, 2 do
  if redis.call('TTL', KEYS[index]) < 0 then redis.call('EXPIRE', KEYS[index], ARGV[1]) end
end
local wait = -1
local over_account = total > tonumber(ARGV[4]) and not redis.call('ZSCORE', KEYS[3], ARGV[6])
if pair > tonumber(ARGV[3]) or over_account then wait = redis.call('TTL', KEYS[1]) end
if by_ip > tonumber(ARGV[5]) then wait = math.max(wait, redis.call('TTL', KEYS[2])) end
if wait < 0 then return 0 end
if redis.call('HINCRBY', KEYS[1], ARGV[2], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[2]) end
redis.call('HINCRBY', KEYS[1], 'all', -1)
redis.call('HINCRBY', KEYS[2], 'n', -1)
return math.max(wait, 1)
"""

# A success: the pair starts again, the account and IP totals get their reservation back, and
# the IP becomes known to the account. ARGV: pair field, IP, known seconds, most known IPs.
RELEASE = """
local now = tonumber(redis.call('TIME')[1])
redis.call('ZADD', KEYS[3], now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[3]))
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[4]) - 1)
redis.call('EXPIRE', KEYS[3], ARGV[3])
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  if redis.call('HINCRBY', KEYS[1], 'all', -1) < 0 then redis.call('HSET', KEYS[1], 'all', 0) end
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  if redis.call('HINCRBY', KEYS[2], 'n', -1) < 0 then redis.call('HSET', KEYS[2], 'n', 0) end
end
return 0
"""


class LoginThrottle:
    """Reserve an attempt before checking a password; ``reserve`` says how long to wait if not."""

    def __init__(
        self,
        max_per_user: int,
        max_per_ip: int,
        window_seconds: int,
        client: redis.Redis | None = None,
        namespace: str = "kreyol:login",
        max_per_account: int = 100,
    ):
        self.limits = (max_per_user, max(max_per_account, max_per_user), max_per_ip)
        self.window = window_seconds
        self.client = client
        self.namespace = namespace
        self._lock = threading.Lock()
        self._memory: dict[str, tuple[dict[str, int], float]] = {}
        self._known: dict[str, dict[str, float]] = {}
        self._warned = False
        self._reserve = client.register_script(RESERVE) if client is not None else None
        self._release = client.register_script(RELEASE) if client is not None else None

    def reserve(self, username: str, ip: str) -> int:
        """0 when one attempt is reserved for (username, ip); else seconds until one may be."""
        keys, field = self._keys(username, ip), f"ip:{ip}"
        if self._reserve is not None:
            try:
                args = [self.window, field, *self.limits, ip]
                return int(self._reserve(keys=keys, args=args))
            except redis.RedisError:
                self._redis_down()
        return self._reserve_in_memory(keys, field)

    def succeeded(self, username: str, ip: str) -> None:
        """The password was right: give the reservation back and restart the pair's count."""
        keys, field = self._keys(username, ip), f"ip:{ip}"
        if self._release is not None:
            try:
                self._release(keys=keys, args=[field, ip, KNOWN_IP_SECONDS, MAX_KNOWN_IPS])
                return
            except redis.RedisError:
                self._redis_down()
        with self._lock:
            self._remember(keys[0], ip)
            account, by_ip = (self._memory.get(key) for key in keys[:2])
            if account is not None:
                account[0].pop(field, None)
                account[0][TOTAL] = max(0, account[0].get(TOTAL, 0) - 1)
            if by_ip is not None:
                by_ip[0][IP_COUNT] = max(0, by_ip[0].get(IP_COUNT, 0) - 1)

    def unlock(self, username: str) -> None:
        """Forget every failed attempt on an account (an administrator's unlock)."""
        key = self._account_key(username)
        if self.client is not None:
            try:
                self.client.delete(key)
            except redis.RedisError:
                self._redis_down()
        with self._lock:
            self._memory.pop(key, None)

    def _account_key(self, username: str) -> str:
        return f"{self.namespace}:account:{username.lower()}"

    def _keys(self, username: str, ip: str) -> list[str]:
        account = self._account_key(username)
        return [account, f"{self.namespace}:ip:{ip}", f"{account}:known"]

    def _reserve_in_memory(self, keys: list[str], field: str) -> int:
        now = time.monotonic()
        pair_limit, account_limit, ip_limit = self.limits
        ip = field.removeprefix("ip:")
        with self._lock:
            account, by_ip = (self._live(key, now) for key in keys[:2])
            known = self._known.get(keys[0], {}).get(ip, 0.0) > now
            over_account = account[0].get(TOTAL, 0) >= account_limit and not known
            waits = []
            if account[0].get(field, 0) >= pair_limit or over_account:
                waits.append(account[1] - now)
            if by_ip[0].get(IP_COUNT, 0) >= ip_limit:
                waits.append(by_ip[1] - now)
            if waits:
                return max(1, int(max(waits)))
            account[0][field] = account[0].get(field, 0) + 1
            account[0][TOTAL] = account[0].get(TOTAL, 0) + 1
            by_ip[0][IP_COUNT] = by_ip[0].get(IP_COUNT, 0) + 1
            if len(self._memory) > MAX_MEMORY_KEYS:
                self._evict(now)
        return 0

    def _remember(self, account_key: str, ip: str) -> None:
        """Mark ``ip`` as one the account signed in from (under lock), keeping the newest few."""
        known = self._known.setdefault(account_key, {})
        known[ip] = time.monotonic() + KNOWN_IP_SECONDS
        while len(known) > MAX_KNOWN_IPS:
            del known[min(known, key=known.__getitem__)]
        if len(self._known) > MAX_MEMORY_KEYS:
            self._known.pop(next(iter(self._known)))

    def _live(self, key: str, now: float) -> tuple[dict[str, int], float]:
        """The key's counters and expiry, started afresh when its window is over (under lock)."""
        entry = self._memory.get(key)
        if entry is None or entry[1] <= now:
            entry = ({}, now + self.window)
            self._memory[key] = entry
        return entry

    def _evict(self, now: float) -> None:
        for key in [k for k, (_, expires) in self._memory.items() if expires <= now]:
            del self._memory[key]
        while len(self._memory) > MAX_MEMORY_KEYS:
            self._memory.pop(next(iter(self._memory)))

    def _redis_down(self) -> None:
        if not self._warned:
            logger.warning("Redis unreachable: login throttling falls back to this process")
            self._warned = True
