#!/usr/bin/env bash
# Portcullis versus nginx as TLS reverse proxies in front of the same upstream, in one run.
#
# Both proxies serve HTTPS (HTTP/1.1, keep-alive) on 127.0.0.1 and forward over a keep-alive pool to
# one shared upstream (an nginx server block with a fixed ~200-byte body). Every Portcullis request
# carries a signed-in session cookie, so each one is authenticated (cookie HMAC + session lookup),
# authorized (policy engine) and forwarded with the signed X-Portcullis-Jwt-Assertion header.
#
# Layout on a 2-core box: the servers (upstream, nginx proxy, Portcullis) on core 1, wrk on core 0.
# The proxies are measured one after the other (never at once), each after a warm-up run, with the
# same wrk settings and the same request bytes (Host and Cookie headers included), in alternating
# slices so that background load drifts over both alike. A run in which any response
# is not 2xx, or any socket error happens, is invalid: the script then fails.
#
# Usage: bench/proxy-vs-nginx.sh
# Knobs (environment): WARMUP=25 NGINX_WARMUP=5 DURATION=20 ROUNDS=4 CONNECTIONS=50 THREADS=1
#   SERVER_CPU=1 CLIENT_CPU=0
#   PORTCULLIS_JVM_FLAGS (replaces the defaults in bench/lib/portcullis.sh), EXTRA_JVM_FLAGS (appended, e.g. a
#   JFR recording),
#   KEEP_WORKDIR=1 (keep configs and logs), JAVA_HOME,
#   NICE=-10 (default -10 as root, else 0: run servers and wrk at that nice value; on a shared box this keeps
#   other processes from stealing the pinned cores and makes req/s and p99 far less noisy). Each runs
#   in its own session, and with kernel.sched_autogroup_enabled the value goes to /proc/PID/autogroup
#   too, because with autogroups a plain nice only ranks processes within one session.
# Prints a table and exits 0 when the run was valid, whatever the ratio.
set -euo pipefail

WARMUP="${WARMUP:-25}"            # Portcullis: its JIT needs about 20 s of this load to settle
NGINX_WARMUP="${NGINX_WARMUP:-5}" # nginx has nothing to compile; this only warms caches and connections
DURATION="${DURATION:-20}"        # measured seconds per proxy ...
ROUNDS="${ROUNDS:-4}"             # ... taken in this many alternating slices
CONNECTIONS="${CONNECTIONS:-50}"
THREADS="${THREADS:-1}"
SERVER_CPU="${SERVER_CPU:-1}"
CLIENT_CPU="${CLIENT_CPU:-0}"
NICE="${NICE:-$([ "$(id -u)" -eq 0 ] && echo -10 || echo 0)}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/portcullis-server/target/portcullis.jar"
lua="$root/bench/status-count.lua"

log() { echo "bench: $*" >&2; }
die() { printf "bench: FAILED: %b\n" "$*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------------------
install_missing() {
  local missing=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v taskset >/dev/null || missing+=(util-linux)
  command -v curl >/dev/null || missing+=(curl)
  command -v openssl >/dev/null || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  # Newer Debian releases dropped nginx-light; plain nginx serves the same purpose.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
    || $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]/nginx-light/nginx}"
}
install_missing
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

. "$root/bench/lib/portcullis.sh" # JAVA, JDK_BIN, JVM_FLAGS
build_if_stale

# --- workspace and cleanup ---------------------------------------------------------------------------
work="$(mktemp -d /tmp/portcullis-bench.XXXXXX)"
pids=()
cleanup() {
  set +e # stop everything even when one step fails
  local pid
  [ -f "$work/wrk.pid" ] && kill -TERM "$(cat "$work/wrk.pid")" 2>/dev/null
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${KEEP_WORKDIR:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

taken_ports=" "
free_port() { # a port nobody listens on and not handed out yet, from a high range
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 20000))
    [[ "$taken_ports" == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found"
}
wait_for_port() { # port, name, pid
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return
    kill -0 "$3" 2>/dev/null || die "$2 exited while starting; see its log:\n$(tail -20 "$work/$2.log")"
    sleep 0.1
  done
  die "$2 did not listen on port $1 within 60 s"
}
UPSTREAM_PORT="$(free_port)"; taken_ports+="$UPSTREAM_PORT "
NGINX_PORT="$(free_port)"; taken_ports+="$NGINX_PORT "
PORTCULLIS_PORT="$(free_port)"
APP_HOST=bench.localhost
AUTH_HOST=portcullis.localhost

# One self-signed EC P-256 certificate for both proxies, so the TLS work per request is the same.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$APP_HOST" \
  -addext "subjectAltName=DNS:$APP_HOST,DNS:$AUTH_HOST,DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null

# --- upstream: nginx with a fixed 200-byte body --------------------------------------------------------
BODY="$(printf 'portcullis-bench-upstream-%0174d' 0)" # 200 bytes
mkdir -p "$work/upstream" "$work/nginx"
cat >"$work/upstream/nginx.conf" <<EOF
worker_processes 1;
pid $work/upstream/nginx.pid;
error_log $work/upstream.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/upstream/body;
  proxy_temp_path $work/upstream/proxy;
  fastcgi_temp_path $work/upstream/fastcgi;
  uwsgi_temp_path $work/upstream/uwsgi;
  scgi_temp_path $work/upstream/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    default_type text/plain;
    location = /assertion { return 200 "\$http_x_portcullis_jwt_assertion"; }
    location / { return 200 "$BODY"; }
  }
}
EOF

# --- peer: nginx as TLS reverse proxy with an upstream keep-alive pool -----------------------------------
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  # No per-connection request cap: Portcullis has none either, so neither pays for TLS re-handshakes.
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  upstream backend {
    server 127.0.0.1:$UPSTREAM_PORT;
    keepalive 64;
    keepalive_requests 10000000;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    ssl_certificate $work/tls.crt;
    ssl_certificate_key $work/tls.key;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF

# --- Portcullis: one local user, one app in front of the upstream ----------------------------------------
PASSWORD="bench-$RANDOM-$RANDOM"
HASH="$(printf '%s' "$PASSWORD" | "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$jar" hash-password 2>/dev/null | tail -1)"
[ -n "$HASH" ] || die "hash-password printed nothing"
cat >"$work/portcullis.yaml" <<EOF
server:
  listen: 127.0.0.1:$PORTCULLIS_PORT
  public_url: https://$AUTH_HOST:$PORTCULLIS_PORT
  data_dir: $work/data
  tls:
    cert_file: $work/tls.crt
    key_file: $work/tls.key
identity_providers:
  - name: local
    type: local
    users:
      - username: bench
        email: bench@example.com
        groups: [bench]
        password_hash: "$HASH"
roles:
  - name: bencher
    allow:
      app_labels: {"*": ["*"]}
role_mappings:
  - groups: [bench]
    roles: [bencher]
apps:
  - name: bench
    host: $APP_HOST
    upstream: http://127.0.0.1:$UPSTREAM_PORT
    labels: {env: bench}
    rules:
      allow:
        - groups: [bench]
EOF

# With kernel.sched_autogroup_enabled, each session is one scheduling group and a plain nice only ranks
# processes within it, so NICE goes to the autogroup of each process started with setsid as well. That
# must wait until setsid has run: until then /proc/PID/autogroup is this script's own group, and writing
# it would renice the script's session instead of the server's (the same fix as bench/ssh-cert-issuance.sh).
boost() { # pid
  [ "$NICE" != 0 ] && [ -w "/proc/$1/autogroup" ] || return 0
  for _ in $(seq 100); do
    if [ "$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $4 }')" = "$1" ]; then # session id = pid
      echo "$NICE" >"/proc/$1/autogroup" 2>/dev/null || log "could not set the autogroup nice of $1"
      return 0
    fi
    sleep 0.01
  done
  log "process $1 did not start its own session; its autogroup keeps nice 0"
}
start() { # name, command...
  local name="$1"; shift
  setsid nice -n "$NICE" taskset -c "$SERVER_CPU" "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
  boost "$!"
}
start upstream "$NGINX" -p "$work/upstream" -c "$work/upstream/nginx.conf" -g 'daemon off;'
wait_for_port "$UPSTREAM_PORT" upstream "${pids[-1]}"
start nginx "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;'
wait_for_port "$NGINX_PORT" nginx "${pids[-1]}"
# shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
start portcullis "$JAVA" $JVM_FLAGS --enable-native-access=ALL-UNNAMED -jar "$jar" start --config "$work/portcullis.yaml"
wait_for_port "$PORTCULLIS_PORT" portcullis "${pids[-1]}"

# --- sign in as the local user, the way a browser does ----------------------------------------------------
curl_k() {
  curl -sSk --resolve "$APP_HOST:$PORTCULLIS_PORT:127.0.0.1" --resolve "$AUTH_HOST:$PORTCULLIS_PORT:127.0.0.1" "$@"
}
jar_file="$work/cookies.txt"
sign_in_url="https://$AUTH_HOST:$PORTCULLIS_PORT/.portcullis/sign_in/local"
csrf="$(curl_k -c "$jar_file" -b "$jar_file" "$sign_in_url" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
[ -n "$csrf" ] || die "the sign-in form has no csrf field"
landing="$(curl_k -L -c "$jar_file" -b "$jar_file" --data-urlencode "csrf=$csrf" --data-urlencode "username=bench" \
  --data-urlencode "password=$PASSWORD" --data-urlencode "return=https://$APP_HOST:$PORTCULLIS_PORT/" "$sign_in_url")"
[ "$landing" = "$BODY" ] || die "sign-in did not end at the upstream; got: ${landing:0:300}"
session="$(awk -v host="$APP_HOST" '{ sub(/^#HttpOnly_/, "", $1) } $1 == host && $6 == "_portcullis" { print $7 }' "$jar_file")"
[ -n "$session" ] || die "no _portcullis cookie for $APP_HOST in the cookie jar"

# --- check that every request is really authenticated and forwarded -----------------------------------------
app_url="https://$APP_HOST:$PORTCULLIS_PORT"
status="$(curl_k -o /dev/null -w '%{http_code}' "$app_url/")"
[ "$status" = 302 ] || [ "$status" = 401 ] || die "without a session Portcullis answered $status (expected: 302 or 401)"
status="$(curl_k -o /dev/null -w '%{http_code}' -H "Cookie: _portcullis=${session}x" "$app_url/")"
[ "$status" = 302 ] || [ "$status" = 401 ] || die "with a tampered cookie Portcullis answered $status (expected: 302 or 401)"
reply="$(curl_k -w ' %{http_code}' -H "Cookie: _portcullis=$session" "$app_url/")"
[ "$reply" = "$BODY 200" ] || die "with the session Portcullis answered: ${reply:0:300} (expected: the upstream body and 200)"
assertion="$(curl_k -H "Cookie: _portcullis=$session" "$app_url/assertion")"
[[ "$assertion" =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] \
  || die "the upstream did not receive an X-Portcullis-Jwt-Assertion; got: ${assertion:0:200}"
claims="$(cut -d. -f2 <<<"$assertion" | tr '_-' '/+')"
while [ $((${#claims} % 4)) -ne 0 ]; do claims+="="; done
claims="$(base64 -d <<<"$claims" 2>/dev/null || true)"
[[ "$claims" == *'"email":"bench@example.com"'* && "$claims" == *"$APP_HOST"* ]] \
  || die "the assertion does not name the bench user and app; its claims: ${claims:0:300}"
reply="$(curl -sSk -w ' %{http_code}' "https://127.0.0.1:$NGINX_PORT/")"
[ "$reply" = "$BODY 200" ] || die "nginx answered: ${reply:0:300} (expected: the upstream body and 200)"
log "checked: no cookie and a tampered cookie are refused; the session gets 200, the upstream body and an assertion"

# --- measure -------------------------------------------------------------------------------------------
# Both proxies get the same request: same Host and Cookie header bytes (nginx just forwards the cookie).
# Besides wrk's figures, the CPU time the proxy and the upstream used is read from /proc before and after,
# so that CPU per request can be compared even when other processes steal time from the servers' core.
upstream_pid="${pids[0]}"; nginx_pid="${pids[1]}"; portcullis_pid="${pids[2]}"
TICK_US=$((1000000 / $(getconf CLK_TCK)))
cpu_ticks() { # pid: user+system ticks of the process and its children (nginx workers), all threads
  local pid total=0
  for pid in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}
run_wrk() { # url, port, seconds, proxy pid -> the BENCH line plus CPU figures
  local out p0 u0 t0 p1 u1 t1
  p0="$(cpu_ticks "$4")"; u0="$(cpu_ticks "$upstream_pid")"; t0="$(date +%s%N)"
  setsid nice -n "$NICE" taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${3}s" --latency -s "$lua" \
    -H "Host: $APP_HOST:$2" -H "Cookie: _portcullis=$session" "$1" >"$work/wrk.out" 2>&1 &
  local wrk_pid="$!"
  echo "$wrk_pid" >"$work/wrk.pid"
  boost "$wrk_pid"
  wait "$wrk_pid" || die "wrk failed: $(cat "$work/wrk.out")"
  out="$(cat "$work/wrk.out")"
  p1="$(cpu_ticks "$4")"; u1="$(cpu_ticks "$upstream_pid")"; t1="$(date +%s%N)"
  echo "$out" >>"$work/wrk.log"
  local line
  line="$(grep '^BENCH ' <<<"$out")" || die "wrk printed no BENCH line: $out"
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  [ "$(field non2xx)" = 0 ] || die "$1: non-2xx responses ($(field statuses)); the run is invalid"
  [ "$(field socket_errors)" = 0 ] || die "$1: socket errors; the run is invalid:\n$out"
  [ "$(field requests)" -gt 0 ] || die "$1: no requests completed"
  echo "$line proxy_cpu_us=$(((p1 - p0) * TICK_US)) upstream_cpu_us=$(((u1 - u0) * TICK_US)) wall_us=$(((t1 - t0) / 1000))"
}
nginx_args=("https://127.0.0.1:$NGINX_PORT/" "$NGINX_PORT" "$nginx_pid")
portcullis_args=("https://127.0.0.1:$PORTCULLIS_PORT/" "$PORTCULLIS_PORT" "$portcullis_pid")
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
log "warm-up: nginx ${NGINX_WARMUP}s, Portcullis ${WARMUP}s"
run_wrk "${nginx_args[0]}" "${nginx_args[1]}" "$NGINX_WARMUP" "${nginx_args[2]}" >/dev/null
run_wrk "${portcullis_args[0]}" "${portcullis_args[1]}" "$WARMUP" "${portcullis_args[2]}" >/dev/null
# The measured time is cut into slices taken in ABBA order (nginx, Portcullis, Portcullis, nginx, ...),
# so that load which other processes put on the box drifts over both proxies alike.
slice="$(awk -v d="$DURATION" -v r="$ROUNDS" 'BEGIN { s = d / r; print (s == int(s)) ? s : int(s) + 1 }')"
nginx_lines=""; portcullis_lines=""
for round in $(seq "$ROUNDS"); do
  order="nginx portcullis"; [ $((round % 2)) = 0 ] && order="portcullis nginx"
  for proxy in $order; do
    log "round $round/$ROUNDS: $proxy ${slice}s"
    if [ "$proxy" = nginx ]; then
      nginx_lines+="$(run_wrk "${nginx_args[0]}" "${nginx_args[1]}" "$slice" "${nginx_args[2]}")"$'\n'
    else
      portcullis_lines+="$(run_wrk "${portcullis_args[0]}" "${portcullis_args[1]}" "$slice" "${portcullis_args[2]}")"$'\n'
    fi
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# Portcullis must still be answering with the session (no sign-in redirect crept in).
reply="$(curl_k -w ' %{http_code}' -H "Cookie: _portcullis=$session" "$app_url/")"
[ "$reply" = "$BODY 200" ] || die "after the run Portcullis answered: ${reply:0:300}"

# --- report ----------------------------------------------------------------------------------------------
# req/s and CPU per request come from the totals over all slices; p50 and p99 are the medians of the
# slices' own percentiles (wrk cannot merge histograms across runs).
awk -v nl="$nginx_lines" -v pl="$portcullis_lines" -v d="$DURATION" -v w="$WARMUP" -v nw="$NGINX_WARMUP" \
    -v rounds="$ROUNDS" -v slice="$slice" -v c="$CONNECTIONS" -v t="$THREADS" -v lb="$load_before" \
    -v la="$load_after" -v jvm="$JVM_FLAGS" -v scpu="$SERVER_CPU" -v ccpu="$CLIENT_CPU" -v nv="$NICE" '
function median(list,    a, n, i, j, x) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > x + 0; j--) a[j + 1] = a[j]; a[j + 1] = x }
  return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function total(lines, F,    rows, r, n, parts, i, kv, f) {
  n = split(lines, rows, "\n")
  for (r = 1; r <= n; r++) {
    if (rows[r] == "") continue
    delete f
    split(rows[r], parts, " ")
    for (i in parts) if (split(parts[i], kv, "=") == 2) f[kv[1]] = kv[2]
    F["requests"] += f["requests"]; F["duration_us"] += f["duration_us"]; F["wall_us"] += f["wall_us"]
    F["proxy_cpu_us"] += f["proxy_cpu_us"]; F["upstream_cpu_us"] += f["upstream_cpu_us"]
    F["p50s"] = F["p50s"] " " f["p50_us"]; F["p99s"] = F["p99s"] " " f["p99_us"]
    F["slices"] = F["slices"] sprintf(" %.0f", f["rps"])
  }
  F["rps"] = F["requests"] / (F["duration_us"] / 1e6)
  F["p50"] = median(F["p50s"]); F["p99"] = median(F["p99s"])
  F["cpu"] = (F["proxy_cpu_us"] + F["upstream_cpu_us"]) / F["requests"]
  F["busy"] = 100 * (F["proxy_cpu_us"] + F["upstream_cpu_us"]) / F["wall_us"]
}
function row(name, F) {
  printf "%-34s %9.0f %8.2f %8.2f %10d %11.1f %11.1f %9.0f%%\n", name, F["rps"], F["p50"] / 1000, F["p99"] / 1000,
    F["requests"], F["proxy_cpu_us"] / F["requests"], F["upstream_cpu_us"] / F["requests"], F["busy"]
}
BEGIN {
  total(nl, N); total(pl, P)
  printf "\nPortcullis vs nginx, HTTPS keep-alive, wrk -t%d -c%d; %ds measured per proxy in %d alternating slices of %ds,\n",
    t, c, rounds * slice, rounds, slice
  printf "after a warm-up of %ds (nginx) and %ds (Portcullis)\n", nw, w
  printf "servers on CPU %s, wrk on CPU %s, nice %s; load average before %s, after %s\n", scpu, ccpu, nv, lb, la
  printf "Portcullis JVM: %s\n\n", jvm
  printf "%-34s %9s %8s %8s %10s %11s %11s %10s\n", "proxy", "req/s", "p50 ms", "p99 ms", "requests",
    "proxy us/r", "upstr us/r", "CPU " scpu " used"
  row("nginx (keep-alive pool)", N)
  row("Portcullis (auth+policy+assertion)", P)
  printf "req/s per slice: nginx%s; Portcullis%s\n", N["slices"], P["slices"]
  rps = P["rps"] / N["rps"]
  printf "\nreq/s ratio  Portcullis / nginx = %.3fx (target >= 0.80x: %s)\n", rps, (rps >= 0.8) ? "met" : "NOT met"
  printf "p99 ratio    nginx / Portcullis = %.2fx  (Portcullis p99 is %.2fx nginx p99; higher ratio = better)\n",
    N["p99"] / P["p99"], P["p99"] / N["p99"]
  printf "CPU ratio    nginx / Portcullis CPU per request (proxy + upstream) = %.2fx\n", N["cpu"] / P["cpu"]
  printf "             (the req/s ratio to expect when nothing else runs on CPU %s)\n", scpu
  if (N["busy"] < 80 || P["busy"] < 80)
    printf "WARNING: the servers got only %.0f%% / %.0f%% of CPU %s: other processes competed for it, so req/s and\n" \
      "         p99 are noisy; the CPU ratio is the steadier figure.\n", N["busy"], P["busy"], scpu
  printf "every response was 2xx; no socket errors\n"
}'
