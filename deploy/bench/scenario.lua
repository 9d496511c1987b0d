-- wrk script for the Taskmesh benchmark scenarios; one file, the scenario chosen by argument:
--   wrk ... -s scenario.lua URL -- SCENARIO DATA_FILE
-- SCENARIO: R (first page of a list), V (today view), M (80% reads, 15% updates, 5% creates),
-- W (creates only), S (GET STATIC_PATH, the third argument: the ceilings), P (R in list order: the
-- warm-up of R, which has read every list once after as many requests as there are lists).
-- DATA_FILE has one "token listId taskId" line per list (from Seed.java). WRK_THREADS in the
-- environment: the -t given to wrk (P's shares).
-- Each request of the others picks a random line, so requests spread over users like real traffic.

local scenario, rows = "R", {}
local counter = 0

function setup(thread)
  -- A distinct seed per thread, so threads do not replay the same sequence. Only the thread being
  -- set up is touched: wrk starts each thread as soon as it is set up, and setting a value in an
  -- earlier, running thread from here corrupted its Lua state (wrk died with "attempt to index
  -- upvalue 'rows'" now and then). P learns the number of threads from WRK_THREADS instead.
  counter = counter + 1
  thread:set("thread_id", counter)
end

function init(args)
  scenario = args[1] or "R"
  static_path = args[3]
  for line in io.lines(args[2]) do
    local token, list, task = line:match("^(%S+) (%S+) (%S+)$")
    if token then rows[#rows + 1] = { auth = "Bearer " .. token, list = list, task = task } end
  end
  if #rows == 0 then error("no rows in " .. tostring(args[2])) end
  math.randomseed(os.time() * 1000 + (thread_id or 0))
  sent = 0
  -- P: each thread walks all lines from its own share's start, so together they cover every line first.
  walked = 0
  start = math.floor(((thread_id or 1) - 1) * #rows / (tonumber(os.getenv("WRK_THREADS")) or 1))
end

-- Clients name the site, as browsers do; an IP literal would make Tomcat's Host parser throw
-- (and catch) an exception on every request, a cost production does not pay. And they accept
-- compressed answers, as browsers and most HTTP libraries do (bench.sh sets the same value).
local host = "localhost"
local accept_encoding = os.getenv("BENCH_ACCEPT_ENCODING") or "gzip, deflate, br, zstd"

local function headers(row, body)
  local h = { ["Authorization"] = row.auth, ["Host"] = host, ["Accept-Encoding"] = accept_encoding }
  if body then h["Content-Type"] = "application/json" end
  return h
end

local function read(row)
  return wrk.format("GET", "/api/v1/lists/" .. row.list .. "/tasks", headers(row))
end

local function today(row)
  return wrk.format("GET", "/api/v1/tasks?view=today", headers(row))
end

local function update(row)
  sent = sent + 1
  return wrk.format("PATCH", "/api/v1/lists/" .. row.list .. "/tasks/" .. row.task, headers(row, true),
    '{"title":"Edited by the benchmark ' .. sent .. '"}')
end

local function create(row)
  sent = sent + 1
  return wrk.format("POST", "/api/v1/lists/" .. row.list .. "/tasks", headers(row, true),
    '{"title":"Created by the benchmark ' .. sent .. '"}')
end

function request()
  if scenario == "P" then
    walked = walked + 1
    return read(rows[(start + walked - 1) % #rows + 1])
  end
  local row = rows[math.random(#rows)]
  if scenario == "R" then return read(row) end
  if scenario == "V" then return today(row) end
  if scenario == "S" then return wrk.format("GET", static_path, headers(row)) end
  if scenario == "W" then return create(row) end
  local dice = math.random(100)
  if dice <= 80 then return read(row) end
  if dice <= 95 then return update(row) end
  return create(row)
end

-- One machine-readable line for the harness (latencies in microseconds).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d errors=%d status_errors=%d p50=%d p90=%d p99=%d max=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect + e.read + e.write + e.status + e.timeout,
    e.status, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
