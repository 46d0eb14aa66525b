-- wrk script: participants voting on a consultation (POST /api/c/{SLUG}/votes), each request as one of the
-- participants whose tokens `townhall-bench consult-participants` wrote to TOKENS, on a random statement id
-- in FIRST..LAST, agree / disagree / pass at random.
local slug = os.getenv("SLUG") or "bench"
local first = tonumber(os.getenv("FIRST") or "1")
local last = tonumber(os.getenv("LAST") or "800")
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local counter = 0
local path = "/api/c/" .. slug .. "/votes"
local thread_id = 0
setup = function(thread)
  thread_id = thread_id + 1
  thread:set("offset", thread_id * 1000)
end
init = function(args)
  -- Each thread its own sequence, different on every run: new cells as well as re-votes.
  math.randomseed(os.time() + (offset or 0))
end
request = function()
  counter = counter + 1
  local token = tokens[(counter * 7 + (offset or 0)) % #tokens + 1]
  local body = string.format('{"statement_id":%d,"vote":%d}', math.random(first, last), math.random(-1, 1))
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["X-Participant"] = token,
  }, body)
end
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if bad <= 5 then io.stderr:write("status " .. status .. ": " .. body .. "\n") end
  end
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d in %.1f s = %.0f votes/s, errors %d (status %d)\n", summary.requests,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
  for _, p in ipairs({ 50, 90, 95, 99, 99.9 }) do
    io.write(string.format("p%s %.2f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max %.2f ms\n", latency.max / 1000))
end
