-- wrk script for bench/proxy-vs-nginx.sh: counts every response status so that the script can refuse a
-- run in which anything but 2xx came back (wrk's own "Non-2xx or 3xx" line lets a 302 to sign-in pass),
-- and prints the figures on one machine-readable line.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  local non2xx = 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
      if status < 200 or status > 299 then
        non2xx = non2xx + count
      end
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, status .. ":" .. count)
  end
  table.sort(parts)
  local errors = summary.errors
  io.write(string.format(
      "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d"
          .. " non2xx=%d socket_errors=%d statuses=%s\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      non2xx, errors.connect + errors.read + errors.write + errors.timeout, table.concat(parts, ",")))
end
