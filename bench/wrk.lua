-- wrk script of bench/run.sh: cycles through the query file (env BENCH_QUERIES, lines of
-- bench/queries.txt) as GET /api/search requests, each wrk thread starting at another
-- offset, and prints the result as one JSON line prefixed "BENCH_JSON " (latencies in ms).

local function url_encode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function load_paths(file)
  local paths = {}
  local handle = assert(io.open(file, "r"), "cannot open query file " .. tostring(file))
  for line in handle:lines() do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      local parts = {}
      for pair in line:gmatch("[^&]+") do
        local name, value = pair:match("^([^=]+)=(.*)$")
        assert(name, "bad query line: " .. line)
        parts[#parts + 1] = name .. "=" .. url_encode(value)
      end
      paths[#paths + 1] = "/api/search?" .. table.concat(parts, "&")
    end
  end
  handle:close()
  assert(#paths > 0, "no queries in " .. file)
  return paths
end

local thread_count = 0
function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

local paths, next_index
function init(args)
  paths = load_paths(os.getenv("BENCH_QUERIES"))
  next_index = ((thread_index or 0) * 7) % #paths
end

function request()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_s":%.3f,"rps":%.2f,"p50_ms":%.3f,"p95_ms":%.3f,' ..
    '"p99_ms":%.3f,"mean_ms":%.3f,"max_ms":%.3f,"errors":%d,"non_2xx":%d,"bytes":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, summary.bytes))
end
