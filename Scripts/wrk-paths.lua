-- wrk script: each request GETs a path drawn at random from the file named by the first
-- argument (one path per line), so a read benchmark touches many keys, not one cached answer.
--   wrk -t2 -c32 -d10s -s Scripts/wrk-paths.lua http://127.0.0.1:9080 -- /tmp/paths.txt
local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + (tonumber(tostring(paths):match("0x(%x+)"), 16) or 0))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("wrk: %d requests in %.1f s: %.0f/s, p50 %.2f ms, p99 %.2f ms, %d errors or non-2xx\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
