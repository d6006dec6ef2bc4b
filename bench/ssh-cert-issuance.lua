-- wrk script for bench/ssh-cert-issuance.sh: POSTs one SSH public key to the certificate API with a
-- bearer token, counts every response status and every 2xx body that holds no certificate, so that the
-- script can refuse a run in which anything but a certificate came back, and prints the figures on one
-- machine-readable line.
--
-- Arguments (after wrk's "--"): the bearer token, the file holding the public key line.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local token, key_file = args[1], args[2]
  if not token or not key_file then
    error("usage: wrk ... -s ssh-cert-issuance.lua URL -- TOKEN PUBLIC_KEY_FILE")
  end
  local f = assert(io.open(key_file, "r"))
  local key = f:read("*l")
  f:close()
  -- The key line is base64 plus a comment of [A-Za-z0-9@._-]; nothing in it needs JSON escaping.
  assert(key:match("^ssh%-ed25519 [A-Za-z0-9+/=]+ ?[%w@._-]*$"), "unexpected public key line: " .. key)
  wrk.method = "POST"
  wrk.body = '{"public_key":"' .. key .. '"}'
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
  statuses = {}
  no_certificate = 0
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 200 and status <= 299
      and not string.find(body, '"certificate":"ssh-ed25519-cert-v01@openssh.com ', 1, true) then
    no_certificate = no_certificate + 1
  end
end

function done(summary, latency, requests)
  local counts = {}
  local non2xx = 0
  local missing = 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
      if status < 200 or status > 299 then
        non2xx = non2xx + count
      end
    end
    missing = missing + thread:get("no_certificate")
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, status .. ":" .. count)
  end
  table.sort(parts)
  local errors = summary.errors
  io.write(string.format(
      "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d"
          .. " non2xx=%d no_certificate=%d socket_errors=%d statuses=%s\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      non2xx, missing, errors.connect + errors.read + errors.write + errors.timeout, table.concat(parts, ",")))
end
