-- One endpoint under wrk for benchmarks/endpoint_bench.py: ENDPOINT_PATH, and for an API call
-- ENDPOINT_TOKEN and ENDPOINT_BODIES (a file of JSON bodies, one a line, posted in turn).
-- Prints one JSON line when done; a status other than 2xx/3xx counts as an error.

local path = os.getenv("ENDPOINT_PATH")
local token = os.getenv("ENDPOINT_TOKEN") or ""
local source = os.getenv("ENDPOINT_BODIES") or ""
local bodies, counter = {}, 0

function init(args)
  if source ~= "" then
    for line in io.lines(source) do
      if line ~= "" then
        bodies[#bodies + 1] = line
      end
    end
  end
end

function request()
  if #bodies == 0 then
    return wrk.format("GET", path)
  end
  counter = counter + 1
  local headers = {Authorization = "Token " .. token, ["Content-Type"] = "application/json"}
  return wrk.format("POST", path, headers, bodies[counter % #bodies + 1])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "p50": %.2f, "p99": %.2f}\n',
    summary.requests, summary.duration / 1e6,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000
  ))
end
