-- One request kind of the load mix for benchmarks/load.py, run by wrk (one process per kind,
-- so each kind gets its own latency histogram). Everything comes from the environment:
-- LOAD_KIND (list, weblist, page, evaluate, create), LOAD_TOKEN, LOAD_COOKIE, LOAD_CODES,
-- LOAD_RUN, LOAD_CREATED (file that receives "code<TAB>notes" for every acknowledged create),
-- and optionally LOAD_LIST_PATH / LOAD_WEBLIST_PATH (the API and web lists, filters and all).

local kind = os.getenv("LOAD_KIND")
local token = "Token " .. os.getenv("LOAD_TOKEN")
local profile = '"setting": "metastatic", "trastuzumab_response": "acquired_resistance", '
  .. '"prior_therapies": ["trastuzumab", "pertuzumab"], "her2_ihc": "3+", "er": "positive", '
  .. '"pik3ca": "mutated", "markers": {"MUC4": "high"}'
local codes, created, counter, threads = {}, nil, 0, 0

-- A number in letters: notes refuse long digit runs (they look like record numbers).
local function letters(number)
  local text = ""
  repeat
    text = string.char(97 + number % 26) .. text
    number = math.floor(number / 26)
  until number == 0
  return text
end

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  for code in string.gmatch(os.getenv("LOAD_CODES") or "", "[^,]+") do
    codes[#codes + 1] = code
  end
  if kind == "create" then
    created = assert(io.open(os.getenv("LOAD_CREATED"), "a"))
  end
end

function request()
  counter = counter + 1
  if kind == "list" then
    return wrk.format("GET", os.getenv("LOAD_LIST_PATH") or "/api/v1/cases/",
      {Authorization = token})
  elseif kind == "weblist" then
    return wrk.format("GET", os.getenv("LOAD_WEBLIST_PATH") or "/cases/",
      {Cookie = os.getenv("LOAD_COOKIE")})
  elseif kind == "page" then
    local code = codes[counter % #codes + 1]
    return wrk.format("GET", "/cases/" .. code .. "/", {Cookie = os.getenv("LOAD_COOKIE")})
  end
  local headers = {Authorization = token, ["Content-Type"] = "application/json"}
  if kind == "evaluate" then
    return wrk.format("POST", "/api/v1/evaluate/", headers, "{" .. profile .. "}")
  end
  local notes = "load " .. os.getenv("LOAD_RUN") .. " item " .. letters(counter) .. " "
    .. letters(id)
  return wrk.format("POST", "/api/v1/cases/", headers,
    "{" .. profile .. ', "notes": "' .. notes .. '"}')
end

function response(status, headers, body)
  if kind ~= "create" then
    return
  end
  local code = status == 201 and string.match(body, '"code":"(TB%-%w+)"')
  local notes = code and string.match(body, '"notes":"(load [%w ]+)"')
  if notes then
    created:write(code, "\t", notes, "\n")
    created:flush()
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"kind": "%s", "requests": %d, "seconds": %.3f, "errors": %d, '
      .. '"p50": %.1f, "p95": %.1f, "p99": %.1f}\n',
    kind, summary.requests, summary.duration / 1e6,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000
  ))
end
