-- wrk script: a responder's inbox traffic over a store built by `townhall-bench inbox-store`: their own queue,
-- their team's, all cases (first page and a random deep page), a random case, and the queue as JSON. Signed in
-- with the bearer token in TOKEN; CASES is the number of cases (for random ids and pages).
local token = os.getenv("TOKEN")
local cases = tonumber(os.getenv("CASES") or "100000")
local pages = math.floor(cases / 50)
local counter = 0
math.randomseed(7)
request = function()
  counter = counter + 1
  local kind = counter % 6
  local path
  if kind == 0 then path = "/inbox"
  elseif kind == 1 then path = "/inbox?view=team"
  elseif kind == 2 then path = "/inbox?view=all"
  elseif kind == 3 then path = "/inbox?view=all&page=" .. math.random(1, pages)
  elseif kind == 4 then path = "/cases/" .. math.random(1, cases)
  else path = "/api/cases?view=unassigned" end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. "\n")
  end
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors %d (status %d)\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
  for _, p in ipairs({ 50, 90, 95, 99 }) do
    io.write(string.format("p%d %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
