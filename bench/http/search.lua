-- wrk script: every request searches the next query of bench/search-queries.txt (URL-encoded), first page
-- of 20, signed in with the bearer token in the TOKEN environment variable.
local queries = {}
for line in io.lines("bench/search-queries.txt") do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    local encoded = line:gsub("([^%w%-%._~])", function(c) return string.format("%%%02X", string.byte(c)) end)
    table.insert(queries, "/api/search?limit=20&q=" .. encoded)
  end
end
local counter = 0
local token = os.getenv("TOKEN")
request = function()
  counter = counter + 1
  local path = queries[(counter % #queries) + 1]
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
