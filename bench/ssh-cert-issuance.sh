#!/usr/bin/env bash
# Portcullis versus OpenSSH's ssh-keygen at issuing SSH user certificates, in one run.
#
# Portcullis: wrk POSTs an Ed25519 public key to /.portcullis/api/v1/ssh/certificates over HTTPS
# keep-alive with a bearer token from /.portcullis/api/v1/login/local. Every call authenticates the token
# (HMAC + session lookup), checks the user's lock in the store, takes roles and logins from policy, signs
# an Ed25519 certificate with the CA key, writes the cert.issued audit event durably (SQLite commit with
# synchronous=FULL, then audit.jsonl forced to disk) and stores the user for nodes (another SQLite commit).
# Peer: plain OpenSSH, one `ssh-keygen -s CA -I id -n alice -V +1h key.pub` process per certificate, in a
# loop, with an Ed25519 CA key like Portcullis's. It signs only: no authentication, policy, audit or fsync.
#
# Layout on a 2-core box: Portcullis and the ssh-keygen loop on core 1 (never at once), wrk on core 0.
# The measured time is cut into slices taken in ABBA order (Portcullis, ssh-keygen, ssh-keygen,
# Portcullis, ...), so that load from other processes drifts over both alike. Before each slice the script
# waits until no other benchmark (bench/proxy-vs-nginx.sh or any wrk) runs. A run in which any response is
# not 2xx, any 2xx body holds no certificate, any socket error happens, or the audit log holds fewer
# cert.issued events than certificates were counted, is invalid: the script then fails.
#
# Usage: bench/ssh-cert-issuance.sh
# Knobs (environment): WARMUP=30 DURATION=30 ROUNDS=3 CONNECTIONS=16 THREADS=1 SERVER_CPU=1 CLIENT_CPU=0
#   TARGET=2000 (certificates/s Portcullis should reach), QUIET_TIMEOUT=900 (seconds to wait for other
#   benchmarks to finish before each slice; then the run fails), PORTCULLIS_JVM_FLAGS (replaces the
#   defaults in bench/lib/portcullis.sh), EXTRA_JVM_FLAGS (appended, e.g. -XX:StartFlightRecording=...),
#   KEEP_WORKDIR=1,
#   JAVA_HOME, NICE=-10 (default -10 as root, else 0; see bench/proxy-vs-nginx.sh),
#   DATA_ROOT (the directory Portcullis's data directory goes in; default: the run's directory under /tmp.
#   DATA_ROOT=/dev/shm puts the database and audit file on tmpfs, where a forced write costs nothing: a
#   diagnosis of what the durable writes cost, not a valid deployment),
#   JFR=FILE (record Portcullis with JFR's CPU-time sampler from the end of the warm-up to the end of the
#   last slice, then print its hottest frames and where its CPU time went; JFR costs some throughput).
# Prints a table and exits 0 when the run was valid, whatever the ratio; the TARGET line says whether the
# target was met.
set -euo pipefail

WARMUP="${WARMUP:-30}"          # Portcullis: after 20 s its first slice still ran 35-50% slower
DURATION="${DURATION:-30}"      # measured seconds per issuer ...
ROUNDS="${ROUNDS:-3}"           # ... taken in this many alternating slices
CONNECTIONS="${CONNECTIONS:-16}" # clients asking for certificates at once
THREADS="${THREADS:-1}"
SERVER_CPU="${SERVER_CPU:-1}"
CLIENT_CPU="${CLIENT_CPU:-0}"
TARGET="${TARGET:-2000}"
QUIET_TIMEOUT="${QUIET_TIMEOUT:-900}"
NICE="${NICE:-$([ "$(id -u)" -eq 0 ] && echo -10 || echo 0)}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/portcullis-server/target/portcullis.jar"
lua="$root/bench/ssh-cert-issuance.lua"

log() { echo "bench: $*" >&2; }
die() { printf "bench: FAILED: %b\n" "$*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------------------
install_missing() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v taskset >/dev/null || missing+=(util-linux)
  command -v curl >/dev/null || missing+=(curl)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v ssh-keygen >/dev/null || missing+=(openssh-client)
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}
install_missing

. "$root/bench/lib/portcullis.sh" # JAVA, JDK_BIN, JVM_FLAGS
build_if_stale

# --- workspace and cleanup ---------------------------------------------------------------------------
work="$(mktemp -d /tmp/portcullis-bench-ssh.XXXXXX)"
data="$(mktemp -d "${DATA_ROOT:-$work}/portcullis-data.XXXXXX")"
pids=()
cleanup() {
  set +e # stop everything even when one step fails
  local pid
  for f in "$work/wrk.pid" "$work/keygen.pid"; do
    [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
  done
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${KEEP_WORKDIR:-0}" = 1 ]; then log "kept $work and $data"; else rm -rf "$work" "$data"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { # a port nobody listens on, from a high range
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 20000))
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
# Other benchmarks on this box would take the same cores; wait until none runs. Our own wrk is never
# running when this is called, and our ancestors do not count (a wrapper may name both benchmarks).
ancestors=" "
ancestor=$$
while [ "$ancestor" -gt 1 ] 2>/dev/null; do
  ancestors+="$ancestor "
  ancestor="$(sed 's/^.*) //' "/proc/$ancestor/stat" 2>/dev/null | awk '{ print $2 }')"
done
others() {
  local pid
  for pid in $(pgrep -f 'proxy-vs-nginx|wrk ' || true); do
    [[ "$ancestors" == *" $pid "* ]] || echo "$pid"
  done
}
waited_total=0
wait_quiet() {
  local waited=0
  while [ -n "$(others)" ]; do
    [ "$waited" = 0 ] && log "waiting for another benchmark to finish: $(ps -o args= -p "$(others | head -1)" | cut -c1-100)"
    [ "$waited" -ge "$QUIET_TIMEOUT" ] && die "another benchmark still runs after ${QUIET_TIMEOUT}s"
    sleep 2; waited=$((waited + 2))
  done
  waited_total=$((waited_total + waited))
}
disturbed=0
note_disturbance() { # after a slice: did another benchmark start while it ran?
  if [ -n "$(others)" ]; then disturbed=$((disturbed + 1)); log "another benchmark started during this slice"; fi
}

PORT="$(free_port)"
AUTH_HOST=portcullis.localhost
APP_HOST=app.localhost
base="https://$AUTH_HOST:$PORT/.portcullis/api/v1"

# --- keys: TLS, the user's SSH key (one key for every request, as a CLI would send), the peer's CA --------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$AUTH_HOST" \
  -addext "subjectAltName=DNS:$AUTH_HOST,DNS:$APP_HOST,DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
ssh-keygen -q -t ed25519 -N '' -C alice@bench -f "$work/user" >/dev/null
mkdir -p "$work/keygen"
ssh-keygen -q -t ed25519 -N '' -C peer-user-ca -f "$work/keygen/ca" >/dev/null
cp "$work/user.pub" "$work/keygen/user.pub"

# --- Portcullis: one local user whose role grants their own name as login --------------------------------
PASSWORD="bench-$RANDOM-$RANDOM"
HASH="$(printf '%s' "$PASSWORD" | "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$jar" hash-password 2>/dev/null | tail -1)"
[ -n "$HASH" ] || die "hash-password printed nothing"
cat >"$work/portcullis.yaml" <<EOF
server:
  listen: 127.0.0.1:$PORT
  public_url: https://$AUTH_HOST:$PORT
  data_dir: $data
  tls:
    cert_file: $work/tls.crt
    key_file: $work/tls.key
identity_providers:
  - name: local
    type: local
    users:
      - username: alice
        email: alice@example.com
        groups: [dev]
        password_hash: "$HASH"
roles:
  - name: dev
    allow:
      app_labels: {"*": ["*"]}
      node_labels: {"*": ["*"]}
      logins: ["{{internal.username}}"]
    options:
      max_session_ttl: 1h # certificates valid 1 h, like ssh-keygen -V +1h below
role_mappings:
  - everyone: true
    roles: [dev]
apps:
  - name: app
    host: $APP_HOST
    upstream: http://127.0.0.1:9
EOF

# With kernel.sched_autogroup_enabled, each session is one scheduling group and a plain nice only ranks
# processes within it, so NICE goes to the autogroup of each process started with setsid as well. That
# must wait until setsid has run: until then /proc/PID/autogroup is this script's own group.
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
# shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
setsid nice -n "$NICE" taskset -c "$SERVER_CPU" "$JAVA" $JVM_FLAGS --enable-native-access=ALL-UNNAMED \
  -jar "$jar" start --config "$work/portcullis.yaml" >"$work/portcullis.log" 2>&1 &
pids+=("$!")
portcullis_pid="$!"
boost "$portcullis_pid"
wait_for_port "$PORT" portcullis "$portcullis_pid"

# --- sign in through the API and check that issuance really works ------------------------------------------
curl_k() { curl -sSk --resolve "$AUTH_HOST:$PORT:127.0.0.1" "$@"; }
json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; } # a string field of a one-line JSON body
login="$(curl_k -H 'Content-Type: application/json' \
  -d "{\"username\":\"alice\",\"password\":\"$PASSWORD\"}" "$base/login/local")"
TOKEN="$(json_field token <<<"$login")"
[ -n "$TOKEN" ] || die "login/local returned no token: ${login:0:300}"
request_body="{\"public_key\":\"$(cat "$work/user.pub")\"}"
issue() { # extra curl arguments -> body and status
  curl_k -w ' %{http_code}' -H 'Content-Type: application/json' -d "$request_body" "$@" "$base/ssh/certificates"
}
reply="$(issue)"
[ "${reply##* }" = 401 ] || die "without a token Portcullis answered: ${reply:0:300} (expected: 401)"
reply="$(issue -H "Authorization: Bearer ${TOKEN}x")"
[ "${reply##* }" = 401 ] || die "with a tampered token Portcullis answered: ${reply:0:300} (expected: 401)"
reply="$(issue -H "Authorization: Bearer $TOKEN")"
[ "${reply##* }" = 200 ] || die "with the token Portcullis answered: ${reply:0:300} (expected: 200)"
json_field certificate <<<"$reply" >"$work/user-cert.pub"
ca_line="$(curl_k "$base/ca" | sed -n 's/.*"ssh_user_ca":\["\([^"]*\)".*/\1/p')"
[ -n "$ca_line" ] || die "GET /ca named no user CA key"
printf '%s\n' "$ca_line" >"$work/portcullis-ca.pub"
check_certificate() { # certificate file, CA public key file, issuer name
  local listing ca_fp
  listing="$(ssh-keygen -L -f "$1" 2>&1)" || die "$3's certificate does not parse:\n$listing"
  ca_fp="$(ssh-keygen -l -f "$2" | awk '{ print $2 }')"
  grep -q 'Type: ssh-ed25519-cert-v01@openssh.com user certificate' <<<"$listing" || die "$3: not a user certificate:\n$listing"
  grep -q "Signing CA: ED25519 $ca_fp" <<<"$listing" || die "$3: not signed by its Ed25519 CA $ca_fp:\n$listing"
  grep -qx '[[:space:]]*alice' <<<"$listing" || die "$3: alice is not a principal:\n$listing"
  grep -q "Public key: ED25519-CERT $(ssh-keygen -l -f "$work/user.pub" | awk '{ print $2 }')" <<<"$listing" \
    || die "$3: the certificate is not for the user's key:\n$listing"
}
check_certificate "$work/user-cert.pub" "$work/portcullis-ca.pub" Portcullis
ssh-keygen -q -s "$work/keygen/ca" -I alice@local -n alice -V +1h "$work/keygen/user.pub" 2>/dev/null
check_certificate "$work/keygen/user-cert.pub" "$work/keygen/ca.pub" ssh-keygen
log "checked: no token and a tampered token get 401; the token gets 200 and an Ed25519 user certificate for alice"
log "         signed by the CA that GET /ca publishes; ssh-keygen -s makes the same kind of certificate"

# --- how long one durable write takes here: Portcullis does three per certificate, in turn -----------------
# dd with oflag=dsync makes each 512-byte write reach the disk before the next, like the SQLite WAL commit
# (synchronous=FULL) and the forced audit.jsonl append.
sync_probe="$(dd if=/dev/zero of="$data/sync-probe" bs=512 count=2000 oflag=dsync 2>&1 | tail -1)"
rm -f "$data/sync-probe"
sync_us="$(awk '{ for (i = 1; i <= NF; i++) if ($i == "s,") s = $(i - 1) } END { printf "%.0f", s * 1e6 / 2000 }' <<<"$sync_probe")"
log "a synchronous 512-byte write in the data directory takes ${sync_us} us"

# --- measure ---------------------------------------------------------------------------------------------
TICK_US=$((1000000 / $(getconf CLK_TCK)))
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; } # user+system, all threads
sys_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $13 }'; } # system: the kernel on its behalf
core_ticks() { # busy and total ticks of the server core, whoever used it (iowait counts as idle)
  awk -v cpu="cpu$SERVER_CPU" '$1 == cpu { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}
core_busy() { # ticks before, ticks after -> "core_busy=<busy ticks> core_total=<ticks>"
  echo "$1 $2" | awk '{ print "core_busy=" $3 - $1 " core_total=" $4 - $2 }'
}
run_portcullis() { # seconds -> the BENCH line plus CPU figures
  local out c0 s0 t0 k0 c1 s1 t1 k1 line
  c0="$(cpu_ticks "$portcullis_pid")"; s0="$(sys_ticks "$portcullis_pid")"; t0="$(date +%s%N)"; k0="$(core_ticks)"
  setsid nice -n "$NICE" taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${1}s" --latency -s "$lua" \
    -H "Host: $AUTH_HOST:$PORT" "https://127.0.0.1:$PORT/.portcullis/api/v1/ssh/certificates" \
    -- "$TOKEN" "$work/user.pub" >"$work/wrk.out" 2>&1 &
  local wrk_pid="$!"
  echo "$wrk_pid" >"$work/wrk.pid"
  boost "$wrk_pid"
  wait "$wrk_pid" || die "wrk failed: $(cat "$work/wrk.out")"
  rm -f "$work/wrk.pid"
  c1="$(cpu_ticks "$portcullis_pid")"; s1="$(sys_ticks "$portcullis_pid")"; t1="$(date +%s%N)"; k1="$(core_ticks)"
  out="$(cat "$work/wrk.out")"
  echo "$out" >>"$work/wrk.log"
  line="$(grep '^BENCH ' <<<"$out")" || die "wrk printed no BENCH line: $out"
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  [ "$(field non2xx)" = 0 ] || die "non-2xx responses ($(field statuses)); the run is invalid"
  [ "$(field no_certificate)" = 0 ] || die "$(field no_certificate) 2xx responses held no certificate; the run is invalid"
  [ "$(field socket_errors)" = 0 ] || die "socket errors; the run is invalid:\n$out"
  [ "$(field requests)" -gt 0 ] || die "no certificates issued"
  echo "$line cpu_us=$(((c1 - c0) * TICK_US)) sys_us=$(((s1 - s0) * TICK_US)) wall_us=$(((t1 - t0) / 1000))" \
    "$(core_busy "$k0" "$k1")"
}
# One ssh-keygen process per certificate, back to back on the server core, for the given seconds. The loop
# shell reports the count, the elapsed time, and the CPU it and its ssh-keygen children used.
run_keygen() { # seconds -> "BENCH requests=... duration_us=... cpu_us=..."
  # shellcheck disable=SC2016 # the loop's own variables expand in the inner shell
  setsid nice -n "$NICE" taskset -c "$SERVER_CPU" bash -c '
    cd "$1"; start=${EPOCHREALTIME/./}; end=$((start + $2 * 1000000)); n=0
    while :; do # the clock is read without forking, so nearly all the time goes to ssh-keygen
      ssh-keygen -q -s ca -I alice@local -n alice -V +1h user.pub 2>/dev/null || { echo "ssh-keygen failed" >&2; exit 1; }
      n=$((n + 1))
      now=${EPOCHREALTIME/./}; [ "$now" -lt "$end" ] || break
    done
    read -r -a stat </proc/$$/stat # utime stime cutime cstime are fields 14-17 (no spaces in "(bash)")
    echo "BENCH requests=$n duration_us=$((now - start)) cpu_ticks=$((stat[13] + stat[14] + stat[15] + stat[16]))" \
      "sys_ticks=$((stat[14] + stat[16]))"
  ' keygen-loop "$work/keygen" "$1" >"$work/keygen.out" 2>&1 &
  local k0; k0="$(core_ticks)"
  local keygen_pid="$!"
  echo "$keygen_pid" >"$work/keygen.pid"
  boost "$keygen_pid"
  wait "$keygen_pid" || die "the ssh-keygen loop failed: $(cat "$work/keygen.out")"
  rm -f "$work/keygen.pid"
  local line ticks sys
  line="$(grep '^BENCH ' "$work/keygen.out")" || die "the ssh-keygen loop printed no BENCH line"
  ticks="$(sed -n 's/.* cpu_ticks=\([0-9]*\).*/\1/p' <<<"$line")"
  sys="$(sed -n 's/.* sys_ticks=\([0-9]*\).*/\1/p' <<<"$line")"
  echo "${line% cpu_ticks=*} cpu_us=$((ticks * TICK_US)) sys_us=$((sys * TICK_US)) $(core_busy "$k0" "$(core_ticks)")"
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
wait_quiet
log "warm-up: Portcullis ${WARMUP}s, ssh-keygen 2s"
warm_line="$(run_portcullis "$WARMUP")"
run_keygen 2 >/dev/null
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${JFR:-}" ]; then
  "$JDK_BIN/jcmd" "$portcullis_pid" JFR.start name=bench settings=profile 'jdk.CPUTimeSample#enabled=true' \
    'jdk.CPUTimeSample#throttle=5ms' "filename=$(readlink -f "$(dirname "$JFR")")/$(basename "$JFR")" >/dev/null \
    || die "jcmd could not start a JFR recording"
fi
slice="$(awk -v d="$DURATION" -v r="$ROUNDS" 'BEGIN { s = d / r; print (s == int(s)) ? s : int(s) + 1 }')"
portcullis_lines=""; keygen_lines=""
for round in $(seq "$ROUNDS"); do
  order="portcullis keygen"; [ $((round % 2)) = 0 ] && order="keygen portcullis"
  for issuer in $order; do
    wait_quiet
    log "round $round/$ROUNDS: $issuer ${slice}s"
    if [ "$issuer" = portcullis ]; then
      portcullis_lines+="$(run_portcullis "$slice")"$'\n'
    else
      keygen_lines+="$(run_keygen "$slice")"$'\n'
    fi
    note_disturbance
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "${JFR:-}" ] || "$JDK_BIN/jcmd" "$portcullis_pid" JFR.stop name=bench >/dev/null || die "jcmd could not stop the JFR recording"

# Every certificate wrk counted must be in the audit log (requests in flight when wrk stopped may add more).
reply="$(issue -H "Authorization: Bearer $TOKEN")"
[ "${reply##* }" = 200 ] || die "after the run Portcullis answered: ${reply:0:300}"
counted="$(printf '%s\n%s\n' "$warm_line" "$portcullis_lines" | sed -n 's/.* requests=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 2 }')"
audited="$(grep -c '"cert.issued"' "$data/audit.jsonl" || true)"
[ "$audited" -ge "$counted" ] || die "audit.jsonl holds $audited cert.issued events for $counted certificates issued"
log "checked: audit.jsonl holds $audited cert.issued events for the $counted certificates counted"

# --- report ----------------------------------------------------------------------------------------------
# Certificates/s and CPU per certificate come from the totals over all slices; p50 and p99 are the medians
# of the slices' own percentiles (wrk cannot merge histograms across runs).
awk -v pl="$portcullis_lines" -v kl="$keygen_lines" -v w="$WARMUP" -v rounds="$ROUNDS" -v slice="$slice" \
    -v c="$CONNECTIONS" -v t="$THREADS" -v lb="$load_before" -v ls="$load_start" -v la="$load_after" \
    -v jvm="$JVM_FLAGS" -v scpu="$SERVER_CPU" -v ccpu="$CLIENT_CPU" -v nv="$NICE" -v target="$TARGET" \
    -v sync_us="$sync_us" -v waited="$waited_total" -v disturbed="$disturbed" -v audited="$audited" '
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
    F["requests"] += f["requests"]; F["duration_us"] += f["duration_us"]
    F["wall_us"] += (f["wall_us"] ? f["wall_us"] : f["duration_us"]); F["cpu_us"] += f["cpu_us"]; F["sys_us"] += f["sys_us"]
    F["core_busy"] += f["core_busy"]; F["core_total"] += f["core_total"]
    F["p50s"] = F["p50s"] " " f["p50_us"]; F["p99s"] = F["p99s"] " " f["p99_us"]
    F["slices"] = F["slices"] sprintf(" %.0f", f["requests"] / (f["duration_us"] / 1e6))
  }
  F["rps"] = F["requests"] / (F["duration_us"] / 1e6)
  F["p50"] = median(F["p50s"]); F["p99"] = median(F["p99s"])
  F["cpu"] = F["cpu_us"] / F["requests"]
  F["busy"] = 100 * F["cpu_us"] / F["wall_us"]
  F["core"] = 100 * F["core_busy"] / F["core_total"]
}
BEGIN {
  total(pl, P); total(kl, K)
  printf "\nSSH user certificate issuance: Portcullis API vs ssh-keygen -s, Ed25519 CA and user key;\n"
  printf "%ds measured per issuer in %d alternating slices of %ds, after a %ds Portcullis warm-up\n",
    rounds * slice, rounds, slice, w
  printf "Portcullis: wrk -t%d -c%d HTTPS keep-alive POST /.portcullis/api/v1/ssh/certificates (bearer token)\n", t, c
  printf "ssh-keygen: one process per certificate, back to back\n"
  printf "issuers on CPU %s, wrk on CPU %s, nice %s; load average at start %s, after warm-up %s, at end %s\n",
    scpu, ccpu, nv, lb, ls, la
  printf "waited %ds for other benchmarks; slices during which another benchmark started: %d\n", waited, disturbed
  printf "one synchronous 512-byte write in the data directory: %d us (Portcullis makes 3 per certificate)\n", sync_us
  printf "Portcullis JVM: %s\n\n", jvm
  printf "%-41s %8s %7s %7s %8s %11s %5s %9s %8s\n", "issuer", "certs/s", "p50 ms", "p99 ms", "certs", "CPU us/cert",
    "sys", "issuer %", "CPU " scpu " %"
  printf "%-41s %8.0f %7.2f %7.2f %8d %11.0f %4.0f%% %8.0f%% %7.0f%%\n", "Portcullis (auth+lock+policy+audit+store)",
    P["rps"], P["p50"] / 1000, P["p99"] / 1000, P["requests"], P["cpu"], 100 * P["sys_us"] / P["cpu_us"], P["busy"], P["core"]
  printf "%-41s %8.0f %7s %7s %8d %11.0f %4.0f%% %8.0f%% %7.0f%%\n", "ssh-keygen -s (sign only, 1 process/cert)",
    K["rps"], "-", "-", K["requests"], K["cpu"], 100 * K["sys_us"] / K["cpu_us"], K["busy"], K["core"]
  printf "(sys: share of that CPU spent in the kernel; issuer %%: share of CPU %s the issuer used;\n" \
    " CPU %s %%: how busy the core was, with anything)\n", scpu, scpu
  printf "certs/s per slice: Portcullis%s; ssh-keygen%s\n", P["slices"], K["slices"]
  printf "\ncerts/s ratio   Portcullis / ssh-keygen = %.2fx\n", P["rps"] / K["rps"]
  printf "CPU ratio       ssh-keygen / Portcullis CPU per certificate = %.2fx\n", K["cpu"] / P["cpu"]
  printf "target          Portcullis >= %d certs/s: %s (%.0f)\n", target, (P["rps"] >= target) ? "met" : "NOT met", P["rps"]
  if (P["core"] - P["busy"] > 10 || K["core"] - K["busy"] > 10)
    printf "WARNING: other processes took %.0f%% / %.0f%% of CPU %s during the Portcullis / ssh-keygen slices:\n" \
      "         certs/s are low by about that much; CPU us/cert is the steadier figure.\n",
      P["core"] - P["busy"], K["core"] - K["busy"], scpu
  if (P["core"] < 85)
    printf "NOTE: CPU %s was idle %.0f%% of the Portcullis slices: issuance waited on something other than the\n" \
      "      CPU (the durable writes, which take turns), so a faster core alone would not raise certs/s.\n",
      scpu, 100 - P["core"]
  printf "every response was 2xx with a certificate; no socket errors; audit.jsonl holds %d cert.issued events\n", audited
}'

# --- profile ---------------------------------------------------------------------------------------------
[ -n "${JFR:-}" ] || exit 0
"$JDK_BIN/jfr" print --events jdk.CPUTimeSample --stack-depth 64 "$JFR" | awk '
function flush(    cat) {
  if (depth == 0) return
  samples++; leaf[frame[1]]++
  # The first rule whose frame is anywhere on the stack names the work a sample was part of.
  if (stack ~ /SqliteAuditStore|JdbcAuditStore\.append/) cat = "audit: SQLite append (hash chain, commit, WAL fsync)"
  else if (stack ~ /JsonLinesAuditSink\.write/) cat = "audit: audit.jsonl append and force"
  else if (stack ~ /SshUsers\.remember/) cat = "ssh-users/<user> get and put (SshUsers.remember: commit, WAL fsync)"
  else if (stack ~ /JdbcStore\.put/) cat = "store put, other (session touch)"
  else if (stack ~ /JdbcStore\.(get|lambda\$get)/) cat = "store reads (session, lock)"
  else if (stack ~ /CertificateSigner\.sign/) cat = "Ed25519 certificate signing"
  else if (stack ~ /SshPublicKeys\./) cat = "public key parse and fingerprint"
  else if (stack ~ /SessionCookies\./) cat = "token HMAC check"
  else if (stack ~ /AuditLog/) cat = "audit: event building and logging"
  else if (stack ~ /ClientExchange\.respondLocal|ApiJson\./) cat = "response: JSON, HTTP, TLS write"
  else if (stack ~ /io\.netty|Http1ServerCodec/) cat = "request: TLS read, HTTP decode, event loop"
  else cat = "other: JVM, GC, JIT, virtual-thread scheduling"
  work[cat]++
  depth = 0; stack = ""
}
/^  stackTrace = \[/ { inside = 1; depth = 0; stack = ""; next }
inside && /^  \]/ { inside = 0; flush(); next }
inside && !/^ *\.\.\.$/ { line = $0; sub(/^ +/, "", line); sub(/ +line: .*$/, "", line); frame[++depth] = line; stack = stack " " line }
END {
  if (samples == 0) { print "JFR: no CPU-time samples in the recording"; exit }
  printf "\nJFR CPU-time profile of Portcullis during the measured slices (%d samples, %s)\n", samples, file
  print "where the CPU time went:"
  n = 0; for (k in work) keys[++n] = k
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (work[keys[j]] > work[keys[i]]) { t = keys[i]; keys[i] = keys[j]; keys[j] = t }
  for (i = 1; i <= n; i++) printf "  %5.1f%%  %s\n", 100 * work[keys[i]] / samples, keys[i]
  print "hottest frames (leaf):"
  n = 0; for (k in leaf) lk[++n] = k
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (leaf[lk[j]] > leaf[lk[i]]) { t = lk[i]; lk[i] = lk[j]; lk[j] = t }
  for (i = 1; i <= n && i <= 20; i++) printf "  %5.1f%%  %s\n", 100 * leaf[lk[i]] / samples, lk[i]
}' file="$JFR"
