"""Redis storage: one Lua script decides and charges every window atomically, on Redis's clock.

Keys share a hash tag (``{client}``) so a cluster keeps a client's windows on one slot; each
window is a hash of bucket → count with a TTL of the window length.
"""

from __future__ import annotations

from collections.abc import Sequence

import redis

from kreyol_ia.ratelimit.windows import BUCKETS, Decision, WindowLimit, WindowState

# ARGV: cost, charge (1/0), buckets, then per window: seconds, limit.
# Returns: allowed, blocking index (0 = none), then per window: used, reset_ms, retry_ms.
SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local cost = tonumber(ARGV[1])
local charge = tonumber(ARGV[2])
local buckets = tonumber(ARGV[3])
local allowed = 1
local blocking = 0
local out = {}
local current = {}
for i = 1, #KEYS do
  local seconds = tonumber(ARGV[2 + i * 2])
  local limit = tonumber(ARGV[3 + i * 2])
  local width = seconds / buckets
  local cur = math.floor(now / width)
  current[i] = cur
  local oldest = cur - buckets + 1
  local data = redis.call('HGETALL', KEYS[i])
  local live = {}
  local used = 0
  for j = 1, #data, 2 do
    local id = tonumber(data[j])
    if id < oldest then
      redis.call('HDEL', KEYS[i], data[j])
    else
      local c = tonumber(data[j + 1])
      used = used + c
      live[#live + 1] = {id, c}
    end
  end
  table.sort(live, function(a, b) return a[1] < b[1] end)
  local reset = 0
  if #live > 0 then reset = (live[1][1] + buckets) * width - now end
  local retry = 0
  if used + cost > limit then
    if blocking == 0 then blocking = i end
    allowed = 0
    retry = seconds
    local freed = 0
    for _, bucket in ipairs(live) do
      freed = freed + bucket[2]
      if used - freed + cost <= limit then
        retry = (bucket[1] + buckets) * width - now
        break
      end
    end
  end
  out[i] = {used, reset, retry, seconds, width}
end
local result = {allowed, blocking}
for i = 1, #KEYS do
  local used, reset = out[i][1], out[i][2]
  if allowed == 1 and charge == 1 then
    redis.call('HINCRBY', KEYS[i], current[i], cost)
    redis.call('EXPIRE', KEYS[i], math.ceil(out[i][4]) + 1)
    used = used + cost
  end
  if allowed == 1 and reset <= 0 then reset = out[i][4] end
  result[#result + 1] = used
  result[#result + 1] = math.floor(math.max(reset, 0) * 1000)
  result[#result + 1] = math.floor(math.max(out[i][3], 0) * 1000)
end
return result
"""


class RedisBackend:
    """Shared limits for every process and machine that uses the same Redis."""

    name = "redis"

    def __init__(self, client: redis.Redis, namespace: str = "kreyol:rl"):
        self.client = client
        self.namespace = namespace
        self._script = client.register_script(SCRIPT)

    def _keys(self, key: str, windows: Sequence[WindowLimit]) -> list[str]:
        return [f"{self.namespace}:{{{key}}}:{w.name}" for w in windows]

    def hit(self, key: str, windows: Sequence[WindowLimit], cost: int) -> Decision:
        return self._run(key, windows, cost, charge=True)

    def peek(self, key: str, windows: Sequence[WindowLimit]) -> Decision:
        return self._run(key, windows, 0, charge=False)

    def reset(self, key: str) -> None:
        names = ("minute", "hour", "day")
        self.client.delete(*[f"{self.namespace}:{{{key}}}:{name}" for name in names])

    def _run(self, key: str, windows: Sequence[WindowLimit], cost: int, charge: bool) -> Decision:
        argv: list[int] = [cost, int(charge), BUCKETS]
        for window in windows:
            argv += [window.seconds, window.limit]
        raw = self._script(keys=self._keys(key, windows), args=argv)
        allowed, blocking = bool(raw[0]), int(raw[1])
        states = []
        for index, window in enumerate(windows):
            used, reset_ms, retry_ms = (int(v) for v in raw[2 + index * 3 : 5 + index * 3])
            states.append(
                WindowState(
                    window.name,
                    window.seconds,
                    window.limit,
                    used,
                    max(window.limit - used, 0),
                    reset_ms / 1000,
                    retry_ms / 1000 if not allowed else 0.0,
                )
            )
        name = windows[blocking - 1].name if blocking else None
        return Decision(allowed, tuple(states), name)
