-- wrk script: every request carries the next user's token (distinct users, round robin).
-- TOKENS_FILE holds one JWT per line; EVENT is the event id.
local tokens = {}
local n = 0
local i = 0
local path

init = function(args)
  for line in io.lines(os.getenv("TOKENS_FILE")) do
    n = n + 1
    tokens[n] = line
  end
  path = "/api/v1/flash-sales/" .. os.getenv("EVENT") .. "/orders"
  -- each wrk thread starts at a different offset so threads do not send the same users
  i = math.random(0, n - 1)
end

request = function()
  i = (i % n) + 1
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. tokens[i],
                                   ["Content-Type"] = "application/json"}, '{"quantity":1}')
end

done = function(summary, latency, requests)
  io.write(string.format("WRK requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
