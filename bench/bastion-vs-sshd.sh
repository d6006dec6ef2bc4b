#!/usr/bin/env bash
# The Portcullis SSH bastion (recording on) versus direct OpenSSH, in one run.
#
# One node: a real OpenSSH sshd on 127.0.0.1, enrolled with `portcullis tokens add` + `portcullis node join`
# (host certificate from the Portcullis host CA, TrustedUserCAKeys = the Portcullis user CA), one throwaway
# login. One user, alice, signed in with `portcullis login --user alice --password-stdin`; her role grants
# that login on the node and records sessions (record_sessions: true, the default). Every client uses her
# Portcullis key and certificate, and the config `portcullis ssh-config` prints, both ways:
#   direct:  client -> sshd
#   bastion: client -> bastion (outer hop, jump) -> bastion (inner hop: terminates, authorizes the login,
#            audits, records PTY sessions) -> bastion's own client with a 2-minute certificate -> sshd
# The node's sshd reads a static AuthorizedPrincipalsFile instead of join's AuthorizedPrincipalsCommand,
# which starts a JVM (~1 s) per login and would dominate session setup on BOTH paths (sshd still checks the
# certificate against the Portcullis user CA). It allows MaxStartups 200 and MaxSessions 100 so that neither
# path is refused by sshd's defaults (10 unauthenticated connections, 10 channels per connection).
#
# What is measured (servers on SERVER_CPU, clients on CLIENT_CPU, each in its own session at nice NICE):
# 1. Bulk: BULK_MIB MiB from /dev/urandom through `ssh ... 'cat > /dev/null' < file`, real OpenSSH ssh,
#    BULK_RUNS times per variant in rotating order, median MiB/s; the ciphers every hop negotiated are read
#    from ssh -v and from sshd's debug log. Then terminal output through a recorded PTY session (ssh -tt, the
#    node prints PTY_MIB MiB of zeros as base64), PTY_RUNS times each way: the bulk runs are exec sessions,
#    which the bastion relays and audits but does not record.
# 2. New sessions per second: bench/BastionLoad.java (Apache MINA SSHD's client, closed loop, WORKERS
#    workers) opening a NEW connection per session that runs `true` (through the bastion: a new bastion
#    connection plus a jump and a new inner connection, as ssh -J does); and new session channels per second
#    on CHANNEL_CONNECTIONS established connections (as ssh's ControlMaster does; each channel is still a new
#    session that the bastion authorizes, audits and relays to a new channel on the node). Slices of SLICE
#    seconds in ABBA order per round after a warm-up (channel-mode connections are made before a slice and
#    closed after it); CPU per session of the bastion JVM and of sshd (its whole process tree) from /proc;
#    sessions/s and p50/p99 count the sessions that ended within the slices; p50/p99 are medians of the
#    slices' own percentiles.
# A run is invalid (exit 1) if a check fails, any session fails, or the audit log holds fewer session.end
# events for exec sessions than sessions were counted through the bastion.
#
# Usage: bench/bastion-vs-sshd.sh            (as root: it adds a throwaway account and runs sshd)
# Knobs (environment): BULK_MIB=256 BULK_RUNS=5 PTY_MIB=32 PTY_RUNS=3 WARMUP=20 SLICE=6 ROUNDS=2 WORKERS=8 CHANNEL_WORKERS="32 64"
#   CHANNEL_CONNECTIONS=4 SERVER_CPU=1 CLIENT_CPU=0 NICE=-10 TARGET_BULK=0.8 TARGET_SESSIONS=300
#   BULK_VARIANTS (a subset of the bulk variants, e.g. "direct bastion_onehop"), BULK_ONLY=1 (print the bulk table
#   and stop: for experiments, not for the record),
#   PORTCULLIS_JVM_FLAGS (replaces the defaults in bench/lib/portcullis.sh), EXTRA_JVM_FLAGS (appended),
#   KEEP_WORKDIR=1, JAVA_HOME,
#   QUIET_TIMEOUT=900 (seconds to wait for other benchmarks before each phase),
#   REUSE_NODE_CONNECTIONS=true (the bastion's ssh.bastion.reuse_node_connections: false makes every connection
#   through the bastion log in to the node anew, as before that setting existed),
#   NODE_KEX (sshd's KexAlgorithms, e.g. curve25519-sha256: what the bastion's node hop would cost with another
#   key exchange than the sntrup761x25519 it negotiates with a stock sshd), LOAD_KEX (the load generator's key
#   exchanges, comma-separated MINA names; default OpenSSH 9.2's list without sntrup761x25519, see
#   bench/BastionLoad.java),
#   JFR=PREFIX (record the bastion's JVM with JFR's CPU-time sampler during the bulk runs, the PTY runs and the
#   measured session slices of each mode, into PREFIX-bulk.jfr, PREFIX-pty.jfr, PREFIX-connect.jfr and
#   PREFIX-channel.jfr, and print where its CPU went in each; JFR costs some throughput).
# Prints the tables and a summary with the ratios and whether the targets are met; exits 0 when the run was
# valid, whatever the ratios.
set -euo pipefail

BULK_MIB="${BULK_MIB:-256}"
BULK_RUNS="${BULK_RUNS:-5}"
PTY_MIB="${PTY_MIB:-32}"               # zeros, base64-encoded on the node: 4/3 as many bytes of terminal output
PTY_RUNS="${PTY_RUNS:-3}"
WARMUP="${WARMUP:-20}"                 # seconds of bastion sessions before measuring: C2 compiles MINA's paths
SLICE="${SLICE:-6}"                    # seconds per measured slice ...
ROUNDS="${ROUNDS:-2}"                  # ... in this many ABBA rounds per mode (4 slices per path and mode)
WORKERS="${WORKERS:-8}"                # closed-loop workers, new connection per session (both servers are CPU-bound
                                       # at 8; more only lengthens the queue and the drain after each slice)
# Closed-loop workers for new channels, a list: each count is measured on both paths. A channel through the bastion
# waits for its audit events and session record to be durable (group-committed fsyncs), so the bastion needs more
# sessions in flight than sshd alone to keep the core busy: 16 left it a quarter idle, 32 about a sixth. The summary
# compares each path's best rate over the list (saturation throughput), with the latency at that count.
CHANNEL_WORKERS="${CHANNEL_WORKERS:-32 64}"
CHANNEL_CONNECTIONS="${CHANNEL_CONNECTIONS:-4}"
for w in $CHANNEL_WORKERS; do
  [[ "$w" =~ ^[1-9][0-9]*$ ]] || { echo "bench: CHANNEL_WORKERS: '$w' is not a positive number" >&2; exit 2; }
  MOST_CHANNEL_WORKERS=$(( ${MOST_CHANNEL_WORKERS:-0} > w ? MOST_CHANNEL_WORKERS : w ))
done
[ -n "${MOST_CHANNEL_WORKERS:-}" ] || { echo "bench: CHANNEL_WORKERS is empty" >&2; exit 2; }
SERVER_CPU="${SERVER_CPU:-1}"
CLIENT_CPU="${CLIENT_CPU:-0}"
TARGET_BULK="${TARGET_BULK:-0.8}"
REUSE_NODE_CONNECTIONS="${REUSE_NODE_CONNECTIONS:-true}"
case "$REUSE_NODE_CONNECTIONS" in true | false) ;; *) echo "bench: REUSE_NODE_CONNECTIONS: '$REUSE_NODE_CONNECTIONS' (expected: true or false)" >&2; exit 2 ;; esac
TARGET_SESSIONS="${TARGET_SESSIONS:-300}"
QUIET_TIMEOUT="${QUIET_TIMEOUT:-900}"
NICE="${NICE:--10}"
# The load generator: a small heap is plenty; two cores' worth of threads would only fight over one.
LOAD_JVM_FLAGS="-XX:+UseParallelGC -Xms256m -Xmx256m -XX:ActiveProcessorCount=1"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/portcullis-server/target/portcullis.jar"
generator="$root/bench/BastionLoad.java"

log() { echo "bench: $*" >&2; }
die() { printf "bench: FAILED: %b\n" "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root: it adds a throwaway login account and runs sshd"

# --- tools -------------------------------------------------------------------------------------------
install_missing() {
  local missing=()
  command -v taskset >/dev/null || missing+=(util-linux)
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  command -v ssh >/dev/null || missing+=(openssh-client)
  command -v useradd >/dev/null || missing+=(passwd)
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}
install_missing

. "$root/bench/lib/portcullis.sh" # JAVA, JDK_BIN, JVM_FLAGS
build_if_stale
portcullis() { "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$jar" "$@"; } # CLI commands, not measured

# --- workspace and cleanup ---------------------------------------------------------------------------
# Under /var/lib, not /tmp: sshd reads AuthorizedPrincipalsFile only when no directory above it is writable
# by others than root (StrictModes), and /tmp is world-writable.
mkdir -p /var/lib/portcullis-bench
chmod 0755 /var/lib/portcullis-bench
work="$(mktemp -d /var/lib/portcullis-bench/bastion.XXXXXX)"
chmod 0755 "$work"
LOGIN=""
pids=()
cleanup() {
  set +e # stop everything even when one step fails
  local pid
  [ -n "${gen_pid:-}" ] && kill -TERM "$gen_pid" 2>/dev/null
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  # The account goes first, while nothing slow has happened yet.
  if [ -n "$LOGIN" ] && getent passwd "$LOGIN" >/dev/null; then
    pkill -KILL -u "$LOGIN" 2>/dev/null # only the throwaway account's processes
    for _ in $(seq 20); do userdel "$LOGIN" 2>/dev/null && break; sleep 0.1; done
    getent passwd "$LOGIN" >/dev/null && log "could not remove the account $LOGIN"
    getent group "$LOGIN" >/dev/null && groupdel "$LOGIN" 2>/dev/null
  fi
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${KEEP_WORKDIR:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
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
# Other benchmarks on this box would take the same cores; wait until none runs. Our own processes (children
# of this script, which share its command line) and our ancestors do not count.
ancestors=" "
ancestor=$$
while [ "$ancestor" -gt 1 ] 2>/dev/null; do
  ancestors+="$ancestor "
  ancestor="$(sed 's/^.*) //' "/proc/$ancestor/stat" 2>/dev/null | awk '{ print $2 }')"
done
ours() { # pid: is it this script or one of its descendants?
  local p="$1"
  while [ "$p" -gt 1 ] 2>/dev/null; do
    [ "$p" = $$ ] && return 0
    p="$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $2 }')"
  done
  return 1
}
others() {
  local pid
  for pid in $(pgrep -f 'proxy-vs-nginx|ssh-cert-issuance|bastion-vs-sshd|wrk ' || true); do
    # A subshell of ours that pgrep saw may be gone by now: only processes still running count.
    [[ "$ancestors" == *" $pid "* ]] || ours "$pid" || { [ -e "/proc/$pid" ] && echo "$pid"; } || true
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

PORT="$(free_port)"
BASTION_PORT="$(free_port)"
NODE_PORT="$(free_port)"
NODE=bench-node
random_letters() { local letters=abcdefghijklmnopqrstuvwxyz s="" i; for i in $(seq "$1"); do s+="${letters:RANDOM%26:1}"; done; echo "$s"; }
for _ in $(seq 20); do
  candidate="pcbench$(random_letters 6)"
  if ! getent passwd "$candidate" >/dev/null && ! getent group "$candidate" >/dev/null; then LOGIN="$candidate"; break; fi
done
[ -n "$LOGIN" ] || die "found no unused account name"

# --- the node's account: a throwaway login with its home in the work directory ------------------------
mkdir -p "$work/node/home"
# '*' (not '!'): without PAM, sshd refuses accounts whose password field marks them locked.
useradd --no-create-home --home-dir "$work/node/home" --shell /bin/sh --password '*' --user-group "$LOGIN" \
  || { LOGIN=""; die "useradd failed"; }
chown "$LOGIN:$LOGIN" "$work/node/home"

# --- Portcullis: the server with the bastion, one local user whose role grants that login --------------
PASSWORD="bench-$RANDOM-$RANDOM-$RANDOM"
HASH="$(printf '%s' "$PASSWORD" | portcullis hash-password 2>/dev/null | tail -1)"
[ -n "$HASH" ] || die "hash-password printed nothing"
mkdir -p "$work/portcullis-data"
cat >"$work/portcullis.yaml" <<EOF
server:
  listen: 127.0.0.1:$PORT
  public_url: https://127.0.0.1:$PORT
  data_dir: $work/portcullis-data
ssh:
  bastion:
    listen: 127.0.0.1:$BASTION_PORT
    reuse_node_connections: $REUSE_NODE_CONNECTIONS
identity_providers:
  - name: local
    type: local
    users:
      - username: alice
        email: alice@example.com
        groups: [bench]
        password_hash: "$HASH"
roles:
  - name: bench
    allow:
      node_labels: {env: [bench]}
      logins: [$LOGIN]
    options:
      max_session_ttl: 1h
      record_sessions: true # the default, spelled out: PTY sessions are recorded, exec/scp/sftp audited
      # Only so that plain OpenSSH can be the peer jump host (sshd honours the certificate's
      # permit-port-forwarding); no measured session through the bastion forwards a port.
      port_forwarding: true
role_mappings:
  - groups: [bench]
    roles: [bench]
EOF
# shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
setsid nice -n "$NICE" taskset -c "$SERVER_CPU" "$JAVA" $JVM_FLAGS --enable-native-access=ALL-UNNAMED \
  -jar "$jar" start --config "$work/portcullis.yaml" >"$work/portcullis.log" 2>&1 &
portcullis_pid="$!"
pids+=("$portcullis_pid")
boost "$portcullis_pid"
wait_for_port "$PORT" portcullis "$portcullis_pid"
wait_for_port "$BASTION_PORT" portcullis "$portcullis_pid"

# --- the node: enrolled with a join token, then served by a plain sshd with a static principals file ------
node="$work/node"
mkdir -p "$node/etc/sshd_config.d" "$node/state" "$node/principals"
ssh-keygen -q -t ed25519 -N '' -C "$NODE host key" -f "$node/etc/ssh_host_ed25519_key"
TOKEN="$(portcullis tokens add --type node --ttl 1h --config "$work/portcullis.yaml" 2>"$work/tokens.log" | head -1 | tr -d '[:space:]')"
[ -n "$TOKEN" ] || die "portcullis tokens add printed no token:\n$(cat "$work/tokens.log")"
sshd_common() { # the settings both sshd configurations share
  cat <<EOF
ListenAddress 127.0.0.1
Port $NODE_PORT
HostKey $node/etc/ssh_host_ed25519_key
AuthorizedKeysFile none
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
PrintMotd no
PrintLastLog no
PidFile $node/sshd.pid
EOF
}
{ echo "Include $node/etc/sshd_config.d/*.conf"; sshd_common; } >"$node/etc/sshd_config.join"
portcullis node join --token "$TOKEN" --proxy "https://127.0.0.1:$PORT" --insecure --name "$NODE" \
  --address "127.0.0.1:$NODE_PORT" --labels env=bench --sshd-config "$node/etc/sshd_config.join" \
  --sshd-config-dir "$node/etc/sshd_config.d" --host-key "$node/etc/ssh_host_ed25519_key.pub" \
  --user-ca-file "$node/etc/portcullis_user_ca.pub" --principals-user "$LOGIN" --state-dir "$node/state" \
  --no-reload >"$work/join.log" 2>&1 || die "portcullis node join failed:\n$(cat "$work/join.log")"
dropin="$node/etc/sshd_config.d/50-portcullis.conf"
HOST_CERT="$(awk '$1 == "HostCertificate" { print $2 }' "$dropin")"
USER_CA="$(awk '$1 == "TrustedUserCAKeys" { print $2 }' "$dropin")"
if [ ! -s "$HOST_CERT" ] || [ ! -s "$USER_CA" ]; then
  die "join wrote no host certificate or user CA file:\n$(cat "$dropin")"
fi
echo "$LOGIN" >"$node/principals/$LOGIN"
chmod -R go-w "$node"
sshd_config() { # log level
  sshd_common
  cat <<EOF
HostCertificate $HOST_CERT
TrustedUserCAKeys $USER_CA
AuthorizedPrincipalsFile $node/principals/%u
MaxStartups 200
MaxSessions 100
LogLevel $1
EOF
  [ -z "${NODE_KEX:-}" ] || echo "KexAlgorithms $NODE_KEX"
}
# DEBUG1 first, to read the algorithms each hop negotiates; INFO for the measurements.
sshd_config DEBUG1 >"$node/sshd_config"
/usr/sbin/sshd -t -f "$node/sshd_config" || die "sshd -t rejected the benchmark configuration"
# sshd runs as process 1 of its own pid namespace. After a login its monitor does not wait for the session
# process it forked; that orphan would be reparented to init, and its CPU (the session's cipher work) would never
# reach sshd's counters. As the namespace's init, sshd itself reaps every orphan, so /proc/PID/stat's reaped-
# children times hold all of its work.
setsid nice -n "$NICE" taskset -c "$SERVER_CPU" unshare --pid --fork --kill-child \
  /usr/sbin/sshd -D -e -f "$node/sshd_config" >"$work/sshd.log" 2>&1 &
unshare_pid="$!"
pids+=("$unshare_pid")
boost "$unshare_pid"
for _ in $(seq 100); do sshd_pid="$(pgrep -P "$unshare_pid" || true)"; [ -n "$sshd_pid" ] && break; sleep 0.05; done
[ -n "$sshd_pid" ] || die "sshd did not start:\n$(cat "$work/sshd.log")"
pids+=("$sshd_pid")
wait_for_port "$NODE_PORT" sshd "$sshd_pid"

# --- the user: portcullis login and ssh-config, as on a laptop ---------------------------------------------
export PORTCULLIS_HOME="$work/laptop"
unset SSH_AUTH_SOCK
printf '%s\n' "$PASSWORD" | portcullis login --proxy "https://127.0.0.1:$PORT" --insecure --user alice \
  --password-stdin >"$work/login.log" 2>&1 || die "portcullis login failed:\n$(cat "$work/login.log")"
portcullis ssh-config --hosts "$NODE" >"$work/ssh_config" 2>"$work/ssh-config.log" \
  || die "portcullis ssh-config failed:\n$(cat "$work/ssh-config.log")"
grep -q "ProxyJump 127.0.0.1:$BASTION_PORT" "$work/ssh_config" \
  || die "ssh-config wrote no ProxyJump to the bastion:\n$(cat "$work/ssh_config")"
KEY="$(awk '$1 == "IdentityFile" { print $2; exit }' "$work/ssh_config")"
CERT="$(awk '$1 == "CertificateFile" { print $2; exit }' "$work/ssh_config")"
KNOWN_HOSTS="$(awk '$1 == "UserKnownHostsFile" { print $2; exit }' "$work/ssh_config")"
# The same config file both ways: "Host 127.0.0.1" (the jump host's block: key, certificate, known hosts with
# the host CA, no ProxyJump) for direct, "Host bench-node" (the same settings plus ProxyJump) for the bastion.
SSH=(ssh -F "$work/ssh_config" -o BatchMode=yes -o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=10)
DIRECT=(-p "$NODE_PORT" "$LOGIN@127.0.0.1")
BASTION=("$LOGIN@$NODE")
# The bastion in one hop: no ProxyJump, the user name says the login and the node ("Host 127.0.0.1" block).
ONE_HOP=(-p "$BASTION_PORT" "$LOGIN@$NODE@127.0.0.1")
# The peer: plain OpenSSH as the jump host. The node's own sshd forwards to itself (ssh -J), so the client does
# the same double encryption as through the bastion, and nothing is terminated, recorded or audited on the way.
# The jump host gets a name of its own (ssh refuses a jump to the very host, port and user it is going to).
{
  printf 'Host openssh-jump\n    HostName 127.0.0.1\n    Port %s\n    IdentitiesOnly yes\n' "$NODE_PORT"
  printf '    IdentityFile %s\n    CertificateFile %s\n    UserKnownHostsFile %s\n' "$KEY" "$CERT" "$KNOWN_HOSTS"
  cat "$work/ssh_config"
} >"$work/ssh_config_jump"
SSH_JUMP=(ssh -F "$work/ssh_config_jump" "${SSH[@]:3}")
OPENSSH_JUMP=(-J "$LOGIN@openssh-jump" -p "$NODE_PORT" "$LOGIN@127.0.0.1")
log "setup: Portcullis https 127.0.0.1:$PORT, bastion 127.0.0.1:$BASTION_PORT, node $NODE sshd 127.0.0.1:$NODE_PORT, login $LOGIN"

# --- checks: both ways work, transfers arrive intact, refusals hold ------------------------------------------
# shellcheck disable=SC2016 # expanded by the node's shell
seen="$("${SSH[@]}" "${DIRECT[@]}" 'echo direct-$((6*7)) $(id -un)' 2>&1)" || die "direct ssh failed:\n$seen"
[ "$seen" = "direct-42 $LOGIN" ] || die "direct ssh printed: $seen"
first_through_bastion="$(wc -l <"$work/sshd.log")" # the first login to the node: see the node hop's algorithms
# shellcheck disable=SC2016 # expanded by the node's shell
seen="$("${SSH[@]}" "${BASTION[@]}" 'echo bastion-$((6*7)) $(id -un)' 2>&1)" || die "ssh through the bastion failed:\n$seen"
[ "$seen" = "bastion-42 $LOGIN" ] || die "ssh through the bastion printed: $seen"
head -c $((8 * 1048576)) /dev/urandom >"$work/check.bin"
want="$(sha256sum <"$work/check.bin" | cut -d' ' -f1)"
got="$("${SSH[@]}" "${DIRECT[@]}" sha256sum <"$work/check.bin" | cut -d' ' -f1)"
[ "$got" = "$want" ] || die "8 MiB sent direct arrived as $got (expected: $want)"
got="$("${SSH[@]}" "${BASTION[@]}" sha256sum <"$work/check.bin" | cut -d' ' -f1)"
[ "$got" = "$want" ] || die "8 MiB sent through the bastion arrived as $got (expected: $want)"
got="$("${SSH_JUMP[@]}" "${OPENSSH_JUMP[@]}" sha256sum <"$work/check.bin" | cut -d' ' -f1)"
[ "$got" = "$want" ] || die "8 MiB sent through the OpenSSH jump host arrived as $got (expected: $want)"
# shellcheck disable=SC2016 # expanded by the node's shell
seen="$("${SSH[@]}" "${ONE_HOP[@]}" 'echo one-hop-$((6*7)) $(id -un)' 2>&1)" || die "ssh through the bastion in one hop failed:\n$seen"
[ "$seen" = "one-hop-42 $LOGIN" ] || die "ssh through the bastion in one hop printed: $seen"
got="$("${SSH[@]}" "${ONE_HOP[@]}" sha256sum <"$work/check.bin" | cut -d' ' -f1)"
[ "$got" = "$want" ] || die "8 MiB sent through the bastion in one hop arrived as $got (expected: $want)"
seen="$("${SSH[@]}" -o "Hostname=no-such-node" "${BASTION[@]}" true 2>&1)" && die "the bastion let a jump to an unknown node through"
grep -q "Portcullis: no enrolled node is named 'no-such-node'" <<<"$seen" || die "unknown node refused without the reason:\n$seen"
seen="$("${SSH[@]}" "root@$NODE" true 2>&1)" && die "the bastion let root in"
grep -q "Portcullis: your certificate does not allow login 'root'" <<<"$seen" || die "root refused without the reason:\n$seen"
seen="$("${SSH[@]}" -p "$BASTION_PORT" "root@$NODE@127.0.0.1" true 2>&1)" && die "the bastion let root in, in one hop"
grep -q "Portcullis: your certificate does not allow login 'root'" <<<"$seen" || die "root refused in one hop without the reason:\n$seen"
log "checked: direct and the bastion (jump and one hop) run commands as $LOGIN; all four ways carry 8 MiB intact (sha256); the bastion refuses an unknown node and another login, with the reason"

# --- which algorithms each hop negotiates (sshd logs at DEBUG1 for this part only) -------------------------
mark() { wc -l <"$work/sshd.log"; }
since() { tail -n +"$(($1 + 1))" "$work/sshd.log"; }
kex_of() { # the Nth key exchange in ssh -v or sshd -d output on stdin -> "kex cipher mac"
  awk -v want="$1" '
    $2 == "kex:" && $3 == "algorithm:" { if (++k == want) kex = $4 }
    $2 == "kex:" && $3 == "client->server" { if (++c == want) { cipher = $5; mac = $7 } }
    END { if (mac == "<implicit>") mac = "(AEAD)"; print kex, cipher, mac }'
}
probe="$("${SSH[@]}" -v "${DIRECT[@]}" true 2>&1)" || die "ssh -v direct failed:\n$probe"
HOP_DIRECT="$(kex_of 1 <<<"$probe")"
probe="$("${SSH[@]}" -v "${BASTION[@]}" true 2>&1)" || die "ssh -v through the bastion failed:\n$probe"
HOP_OUTER="$(kex_of 1 <<<"$probe")"
HOP_INNER="$(kex_of 2 <<<"$probe")"
# Later connections may reuse the bastion's login to the node; the first through the bastion made one.
HOP_UPSTREAM="$(since "$first_through_bastion" | kex_of 1)"
read -r _ OUTER_CIPHER OUTER_MAC <<<"$HOP_OUTER"
for hop in "$HOP_DIRECT" "$HOP_OUTER" "$HOP_INNER" "$HOP_UPSTREAM"; do
  [ "$(wc -w <<<"$hop")" = 3 ] || die "could not read the negotiated algorithms (got '$hop'); ssh -v said:\n$probe"
done

# The load generator (a JVM on the client core), driven one command at a time through a pipe.
grep '^@cert-authority' "$KNOWN_HOSTS" | head -1 >"$work/host_ca.pub"
[ -s "$work/host_ca.pub" ] || die "no @cert-authority line in $KNOWN_HOSTS"
mkfifo "$work/gen.in"
# shellcheck disable=SC2086 # LOAD_JVM_FLAGS is a list of flags
setsid nice -n "$NICE" taskset -c "$CLIENT_CPU" env PORTCULLIS_LOG_LEVEL=ERROR BENCH_KEX="${LOAD_KEX:-}" "$JAVA" $LOAD_JVM_FLAGS -cp "$jar" \
  "$generator" "$KEY" "$CERT" "$work/host_ca.pub" "$LOGIN" "$NODE" "$NODE_PORT" "$BASTION_PORT" \
  <"$work/gen.in" >"$work/gen.out" 2>"$work/gen.err" &
gen_pid="$!"
exec 7>"$work/gen.in"
boost "$gen_pid"
ask() { # command, pattern of the line that ends the answer -> the answer's lines
  local before; before="$(wc -l <"$work/gen.out")"
  echo "$1" >&7
  for _ in $(seq 6000); do
    if tail -n +"$((before + 1))" "$work/gen.out" | grep -qE "$2|^ERROR"; then
      tail -n +"$((before + 1))" "$work/gen.out"
      return
    fi
    kill -0 "$gen_pid" 2>/dev/null || die "the load generator exited:\n$(tail -20 "$work/gen.err")"
    sleep 0.1
  done
  die "the load generator did not answer '$1' within 600 s"
}
m="$(mark)"
answer="$(ask check '^OK')"
grep -q '^OK' <<<"$answer" || die "the load generator's check failed:\n$answer\n$(tail -20 "$work/gen.err")"
sleep 0.5
HOP_GEN_DIRECT="$(sed -n 's/^HOP generator->sshd kex=\([^ ]*\) .* cipher=\([^ ]*\) mac=\([^ ]*\)$/\1 \2 \3/p' <<<"$answer")"
HOP_GEN_OUTER="$(sed -n 's/^HOP generator->bastion kex=\([^ ]*\) .* cipher=\([^ ]*\) mac=\([^ ]*\)$/\1 \2 \3/p' <<<"$answer")"
HOP_GEN_INNER="$(sed -n 's/^HOP generator->bastion-inner kex=\([^ ]*\) .* cipher=\([^ ]*\) mac=\([^ ]*\)$/\1 \2 \3/p' <<<"$answer")"
HOP_GEN_UPSTREAM="$(since "$m" | kex_of 2)" # the first is the generator's own direct connection
# With reuse, the generator's session may take the login to the node that the ssh checks left.
[ "$(wc -w <<<"$HOP_GEN_UPSTREAM")" = 3 ] || HOP_GEN_UPSTREAM="a reused login (as above)"
KEX_COST="$(ask kex-cost '^KEX x25519')"

# From here on sshd logs at INFO: a reload (SIGHUP; sshd re-executes itself in place, keeping its pid).
sshd_config INFO >"$node/sshd_config"
m="$(mark)"
kill -HUP "$sshd_pid"
for _ in $(seq 100); do since "$m" | grep -q "Server listening on 127.0.0.1 port $NODE_PORT" && break; sleep 0.1; done
since "$m" | grep -q "Server listening on 127.0.0.1 port $NODE_PORT" || die "sshd did not come back after SIGHUP:\n$(since "$m")"

# --- measuring helpers -----------------------------------------------------------------------------------
TICK_US=$((1000000 / $(getconf CLK_TCK)))
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; } # user+system, all threads
tree_ticks() { # pid: CPU ticks of the process and its live descendants, with everything each of them reaped
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '
    { pid = $1; rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")
      parent[pid] = f[2]; own[pid] = f[12] + f[13] + f[14] + f[15] }
    END { inside[root] = 1; total = own[root]
      do { more = 0; for (p in parent) if (!(p in inside) && (parent[p] in inside)) { inside[p] = 1; total += own[p]; more = 1 } } while (more)
      print total + 0 }'
}
core_ticks() { # busy and total ticks of the server core, whoever used it
  awk -v cpu="cpu$SERVER_CPU" '$1 == cpu { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}
sshd_settled() { # an ended connection's sshd processes count once reaped: wait until sshd's children settle
  # A login the bastion keeps for reuse (ssh.bastion.reuse_node_connections) keeps its process, whose CPU
  # tree_ticks counts live; the processes of ended connections go within milliseconds.
  local seen now
  seen="$( (pgrep -P "$sshd_pid" || true) | tr '\n' ' ')"
  for _ in $(seq 50); do
    sleep 0.1
    now="$( (pgrep -P "$sshd_pid" || true) | tr '\n' ' ')"
    [ "$now" = "$seen" ] && return
    seen="$now"
  done
}
declare -A SAMPLE
sample() { # name: bastion, sshd, clients (this shell's reaped children) and core ticks now
  local core; read -r -a core <<<"$(core_ticks)"
  SAMPLE[$1]="$(ticks "$portcullis_pid") $(tree_ticks "$sshd_pid") $(sed 's/^.*) //' "/proc/$$/stat" | awk '{ print $14 + $15 }') ${core[0]} ${core[1]} $(date +%s%N)"
}
delta() { # from, to -> "bastion_us=.. sshd_us=.. client_us=.. core_busy=.. core_total=.. wall_us=.."
  echo "${SAMPLE[$1]} ${SAMPLE[$2]}" | awk -v t="$TICK_US" '{ printf "bastion_us=%d sshd_us=%d client_us=%d core_busy=%d core_total=%d wall_us=%d",
    ($7 - $1) * t, ($8 - $2) * t, ($9 - $3) * t, $10 - $4, $11 - $5, ($12 - $6) / 1000 }'
}

jfr_start() { # phase: record the bastion JVM into PREFIX-phase.jfr
  [ -n "${JFR:-}" ] || return 0
  local file; file="$(readlink -f "$(dirname "$JFR")")/$(basename "$JFR")-$1.jfr"
  "$JDK_BIN/jcmd" "$portcullis_pid" JFR.start "name=$1" settings=profile 'jdk.CPUTimeSample#enabled=true' \
    'jdk.CPUTimeSample#throttle=1ms' "filename=$file" >/dev/null || die "jcmd could not start a JFR recording"
}
jfr_stop() { # phase
  [ -n "${JFR:-}" ] || return 0
  "$JDK_BIN/jcmd" "$portcullis_pid" JFR.stop "name=$1" >/dev/null || die "jcmd could not stop the JFR recording"
}

# --- 1. bulk transfer ------------------------------------------------------------------------------------
wait_quiet
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
log "bulk: ${BULK_MIB} MiB, $BULK_RUNS runs per variant"
head -c $((BULK_MIB * 1048576)) /dev/urandom >"$work/bulk.bin"
{ printf 'Host *\n    Ciphers aes128-gcm@openssh.com\n'; cat "$work/ssh_config"; } >"$work/ssh_config_gcm"
OUTER_MAC_OPTION=()
[ "$OUTER_MAC" = "(AEAD)" ] || OUTER_MAC_OPTION=(-m "$OUTER_MAC")
declare -A VARIANT_NAME
# Direct with ssh's defaults and with the cipher the client's hops to the bastion use; when that is not AES-GCM,
# also both ways with the client held to AES-GCM.
VARIANTS=(direct direct_as_bastion openssh_jump bastion bastion_onehop)
VARIANT_NAME[direct]="direct (ssh defaults)"
VARIANT_NAME[openssh_jump]="OpenSSH sshd as jump host (ssh -J)"
VARIANT_NAME[direct_as_bastion]="direct, -c $OUTER_CIPHER${OUTER_MAC_OPTION[*]:+ -m $OUTER_MAC}"
VARIANT_NAME[bastion]="bastion (ssh defaults)"
VARIANT_NAME[bastion_onehop]="bastion in one hop (LOGIN@NODE@bastion)"
if [ "$OUTER_CIPHER" != aes128-gcm@openssh.com ]; then
  VARIANTS=(direct direct_as_bastion direct_gcm openssh_jump bastion bastion_gcm bastion_onehop)
  VARIANT_NAME[direct_gcm]="direct, -c aes128-gcm@openssh.com"
  VARIANT_NAME[bastion_gcm]="bastion, client Ciphers aes128-gcm"
fi
if [ -n "${BULK_VARIANTS:-}" ]; then
  for v in $BULK_VARIANTS; do [ -n "${VARIANT_NAME[$v]:-}" ] || die "BULK_VARIANTS: no variant '$v' (expected: ${VARIANTS[*]})"; done
  read -r -a VARIANTS <<<"$BULK_VARIANTS"
fi
bulk_command() { # variant -> the ssh command in BULK_CMD
  case "$1" in
    direct) BULK_CMD=("${SSH[@]}" "${DIRECT[@]}") ;;
    direct_as_bastion) BULK_CMD=("${SSH[@]}" -c "$OUTER_CIPHER" "${OUTER_MAC_OPTION[@]}" "${DIRECT[@]}") ;;
    direct_gcm) BULK_CMD=("${SSH[@]}" -c aes128-gcm@openssh.com "${DIRECT[@]}") ;;
    openssh_jump) BULK_CMD=("${SSH_JUMP[@]}" "${OPENSSH_JUMP[@]}") ;;
    bastion) BULK_CMD=("${SSH[@]}" "${BASTION[@]}") ;;
    bastion_gcm) BULK_CMD=(ssh -F "$work/ssh_config_gcm" "${SSH[@]:3}" "${BASTION[@]}") ;;
    bastion_onehop) BULK_CMD=("${SSH[@]}" "${ONE_HOP[@]}") ;;
  esac
}
# One unmeasured transfer each way through the bastion first: its relay path is still interpreted code before it
# (a 64 MiB warm-up left the first measured run at half speed), and a long-running bastion has it compiled.
taskset -c "$CLIENT_CPU" "${SSH[@]}" "${BASTION[@]}" 'cat > /dev/null' <"$work/bulk.bin" \
  || die "the warm-up transfer through the bastion failed"
taskset -c "$CLIENT_CPU" "${SSH[@]}" "${ONE_HOP[@]}" 'cat > /dev/null' <"$work/bulk.bin" \
  || die "the warm-up transfer through the bastion in one hop failed"
bulk_lines=""
jfr_start bulk
for run in $(seq "$BULK_RUNS"); do
  order=("${VARIANTS[@]}")
  if [ $((run % 2)) = 0 ]; then # every other run in reverse, so that drift over time hits all alike
    order=(); for ((i = ${#VARIANTS[@]} - 1; i >= 0; i--)); do order+=("${VARIANTS[i]}"); done
  fi
  for variant in "${order[@]}"; do
    bulk_command "$variant"
    sample before
    setsid nice -n "$NICE" taskset -c "$CLIENT_CPU" "${BULK_CMD[@]}" 'cat > /dev/null' <"$work/bulk.bin" \
      2>"$work/bulk.err" &
    client_pid="$!"
    boost "$client_pid"
    wait "$client_pid" || die "bulk $variant failed:\n$(cat "$work/bulk.err")"
    sample ended
    sshd_settled
    sample after
    wall="$(delta before ended | sed 's/.*wall_us=//')"
    bulk_lines+="variant=$variant run=$run bytes=$((BULK_MIB * 1048576)) transfer_us=$wall $(delta before after)"$'\n'
    log "bulk run $run $variant: $(awk -v b="$((BULK_MIB * 1048576))" -v w="$wall" 'BEGIN { printf "%.0f MiB/s", b / 1048576 / (w / 1e6) }')"
  done
done

jfr_stop bulk
if [ "${BULK_ONLY:-0}" = 1 ]; then
  printf '%s' "$bulk_lines" | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      v = f["variant"]; r[v] = r[v] " " sprintf("%.0f", f["bytes"] / 1048576 / (f["transfer_us"] / 1e6))
      mib[v] += f["bytes"] / 1048576; b[v] += f["bastion_us"]; s[v] += f["sshd_us"]; c[v] += f["client_us"]
      busy[v] += f["core_busy"]; tot[v] += f["core_total"] }
    END { for (v in r) printf "%-20s MiB/s:%s  client %.2f bastion %.2f sshd %.2f ms/MiB  CPU busy %.0f%%\n", v, r[v],
      c[v] / 1000 / mib[v], b[v] / 1000 / mib[v], s[v] / 1000 / mib[v], 100 * busy[v] / tot[v] }'
  exit 0
fi

# --- 1b. terminal output in a recorded PTY session -------------------------------------------------------
# `cat > /dev/null` is an exec session, relayed but not recorded. Here the node prints base64 text to a PTY
# (ssh -tt), which the bastion records (asciicast, sealed with gzip when the session ends).
# shellcheck disable=SC2017 # base64 output is 4 bytes per started group of 3: rounding up is the point
pty_bytes=$(((PTY_MIB * 1048576 + 2) / 3 * 4))
recordings_before="$(find "$work/portcullis-data/recordings" -name '*.cast*' 2>/dev/null | wc -l)"
pty_lines=""
jfr_start pty
for run in $(seq "$PTY_RUNS"); do
  targets="direct bastion"; [ $((run % 2)) = 0 ] && targets="bastion direct"
  for target in $targets; do
    if [ "$target" = direct ]; then dest=("${DIRECT[@]}"); else dest=("${BASTION[@]}"); fi
    sample before
    setsid nice -n "$NICE" taskset -c "$CLIENT_CPU" "${SSH[@]}" -tt "${dest[@]}" \
      "head -c $((PTY_MIB * 1048576)) /dev/zero | base64 -w 0" </dev/null >"$work/pty.out" 2>"$work/pty.err" &
    client_pid="$!"
    boost "$client_pid"
    wait "$client_pid" || die "PTY output $target failed:\n$(cat "$work/pty.err")"
    sample ended
    sshd_settled
    sample after
    got="$(wc -c <"$work/pty.out")"
    [ "$got" -ge "$pty_bytes" ] || die "PTY output $target: $got bytes arrived (expected: $pty_bytes)"
    wall="$(delta before ended | sed 's/.*wall_us=//')"
    pty_lines+="target=$target run=$run bytes=$got transfer_us=$wall $(delta before after)"$'\n'
    log "PTY run $run $target: $(awk -v b="$got" -v w="$wall" 'BEGIN { printf "%.0f MB/s", b / 1e6 / (w / 1e6) }')"
  done
done
sleep 1 # the bastion seals each recording after its session ends
recordings="$(($(find "$work/portcullis-data/recordings" -name '*.cast*' | wc -l) - recordings_before))"
[ "$recordings" -ge "$PTY_RUNS" ] || die "$recordings recordings for $PTY_RUNS recorded PTY sessions"
log "checked: $recordings new recordings for the $PTY_RUNS PTY sessions through the bastion"
jfr_stop pty

# --- 2. new sessions per second -----------------------------------------------------------------------------
run_slice() { # mode target seconds workers connections -> the generator's BENCH line plus server CPU
  local answer line
  if [ "$1" = channel ]; then # the connections are made before the slice and closed after it
    answer="$(ask "open $2 $5" '^OPENED')"
    grep -q '^OPENED' <<<"$answer" || die "could not open $5 connections to $2:\n$answer\n$(tail -20 "$work/gen.err")"
  fi
  sample before
  answer="$(ask "run $1 $2 $3 $4 $5" '^BENCH')"
  line="$(grep '^BENCH ' <<<"$answer")" || die "run $1 $2 failed:\n$answer\n$(tail -20 "$work/gen.err")"
  [ "$1" = channel ] || sshd_settled
  sample after
  [ "$1" != channel ] || ask close '^CLOSED' >/dev/null
  [[ "$line" == *" failures=0 "* ]] || die "sessions failed; the run is invalid:\n$line\n$(tail -20 "$work/gen.err")"
  echo "$line $(delta before after)"
}
warm_total=0
count_total() { sed -n 's/.* sessions_total=\([0-9]*\).*/\1/p' <<<"$1"; }
wait_quiet
log "sessions: warm-up ${WARMUP}s through the bastion (new connections), then $((WARMUP / 2))s of channels"
line="$(run_slice connect bastion "$WARMUP" "$WORKERS" 0)"; warm_total=$((warm_total + $(count_total "$line")))
line="$(run_slice channel bastion "$((WARMUP / 2))" "$MOST_CHANNEL_WORKERS" "$CHANNEL_CONNECTIONS")"
warm_total=$((warm_total + $(count_total "$line")))
run_slice connect direct 3 "$WORKERS" 0 >/dev/null
run_slice connect jump 3 "$WORKERS" 0 >/dev/null
run_slice channel direct 3 "$MOST_CHANNEL_WORKERS" "$CHANNEL_CONNECTIONS" >/dev/null
session_lines=""
for mode in connect channel; do
  jfr_start "$mode"
  for round in $(seq "$ROUNDS"); do
    targets="direct jump bastion onehop"; [ $((round % 2)) = 0 ] && targets="onehop bastion jump direct"
    for target in $targets; do
      [ "$mode" = connect ] || [ "$target" != jump ] || continue # a jump host is not involved in new channels
      wait_quiet
      log "sessions: $mode $target round $round/$ROUNDS, ${SLICE}s"
      if [ "$mode" = connect ]; then
        session_lines+="$(run_slice connect "$target" "$SLICE" "$WORKERS" 0)"$'\n'
      else
        for workers in $CHANNEL_WORKERS; do
          session_lines+="$(run_slice channel "$target" "$SLICE" "$workers" "$CHANNEL_CONNECTIONS")"$'\n'
        done
      fi
    done
  done
  jfr_stop "$mode"
done
echo quit >&7
wait "$gen_pid" || true
gen_pid=""

# Every session counted through the bastion must have ended in the audit log (exec sessions, exit 0).
sleep 1
counted="$(printf '%s\n' "$session_lines" | awk '/target=(bastion|onehop) / { for (i = 1; i <= NF; i++) if ($i ~ /^sessions_total=/) { split($i, kv, "="); s += kv[2] } } END { print s + 0 }')"
counted=$((counted + warm_total))
audited="$(grep '"type":"session.end"' "$work/portcullis-data/audit.jsonl" | grep -c '"kind":"exec".*"exit_status":"0"\|"exit_status":"0".*"kind":"exec"' || true)"
[ "$audited" -ge "$counted" ] || die "audit.jsonl holds $audited session.end events of exec sessions for $counted sessions counted"
log "checked: audit.jsonl holds $audited session.end events of exec sessions (exit 0) for the $counted counted through the bastion"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s' "$bulk_lines" >"$work/bulk.lines"
printf '%s' "$session_lines" >"$work/session.lines"
printf '%s' "$pty_lines" >"$work/pty.lines"

# --- report ----------------------------------------------------------------------------------------------
awk -v bulk="$bulk_lines" -v sessions="$session_lines" -v mib="$BULK_MIB" -v runs="$BULK_RUNS" \
    -v pty="$pty_lines" -v ptymib="$PTY_MIB" -v pruns="$PTY_RUNS" \
    -v slice="$SLICE" -v rounds="$ROUNDS" -v workers="$WORKERS" -v cworkers="$CHANNEL_WORKERS" \
    -v cconns="$CHANNEL_CONNECTIONS" -v warmup="$WARMUP" -v scpu="$SERVER_CPU" -v ccpu="$CLIENT_CPU" -v nv="$NICE" \
    -v jvm="$JVM_FLAGS" -v reuse="$REUSE_NODE_CONNECTIONS" -v load_start="$load_start" -v load_end="$load_end" -v waited="$waited_total" \
    -v target_bulk="$TARGET_BULK" -v target_sessions="$TARGET_SESSIONS" -v audited="$audited" -v counted="$counted" \
    -v names="$(for v in "${VARIANTS[@]}"; do printf '%s=%s|' "$v" "${VARIANT_NAME[$v]}"; done)" \
    -v order="${VARIANTS[*]}" -v sshd_version="$(ssh -V 2>&1 | cut -d, -f1)" \
    -v hop_direct="$HOP_DIRECT" -v hop_outer="$HOP_OUTER" -v hop_inner="$HOP_INNER" -v hop_up="$HOP_UPSTREAM" \
    -v gen_direct="$HOP_GEN_DIRECT" -v gen_outer="$HOP_GEN_OUTER" -v gen_inner="$HOP_GEN_INNER" \
    -v gen_up="$HOP_GEN_UPSTREAM" -v kexcost="$KEX_COST" '
function median(list,    a, n, i, j, x) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > x + 0; j--) a[j + 1] = a[j]; a[j + 1] = x }
  return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function fields(line, f,    parts, i, kv) {
  delete f
  split(line, parts, " ")
  for (i in parts) if (split(parts[i], kv, "=") == 2) f[kv[1]] = kv[2]
}
BEGIN {
  n = split(names, pairs, "|")
  for (i = 1; i <= n; i++) if (split(pairs[i], kv, "=") >= 2) name[kv[1]] = substr(pairs[i], length(kv[1]) + 2)
  # Bulk: MiB/s per run (median), CPU per MiB from the totals.
  n = split(bulk, rows, "\n")
  for (r = 1; r <= n; r++) {
    if (rows[r] == "") continue
    fields(rows[r], f); v = f["variant"]
    rate[v] = rate[v] " " (f["bytes"] / 1048576) / (f["transfer_us"] / 1e6)
    B_mib[v] += f["bytes"] / 1048576; B_bastion[v] += f["bastion_us"]; B_sshd[v] += f["sshd_us"]; B_client[v] += f["client_us"]
    B_busy[v] += f["core_busy"]; B_total[v] += f["core_total"]
  }
  printf "\nSSH bastion (Portcullis, recording on) vs direct OpenSSH sshd, one run\n"
  printf "servers (Portcullis JVM, %s sshd) on CPU %s, clients on CPU %s, nice %s; load average %s at start, %s at end;\n",
    sshd_version, scpu, ccpu, nv, load_start, load_end
  printf "waited %ds for other benchmarks. Portcullis JVM: %s\n", waited, jvm
  printf "ssh.bastion.reuse_node_connections: %s\n", reuse
  printf "\nalgorithms each hop negotiated (kex, cipher, MAC):\n"
  printf "  ssh -> sshd (direct)                      %s\n", hop_direct
  printf "  ssh -> bastion (outer hop: the jump)      %s\n", hop_outer
  printf "  ssh -> bastion (inner hop: the session)   %s\n", hop_inner
  printf "  bastion -> sshd (node hop)                %s\n", hop_up
  printf "  load generator -> sshd                    %s\n", gen_direct
  printf "  load generator -> bastion (outer, inner)  %s; %s\n", gen_outer, gen_inner
  printf "  bastion -> sshd (generator sessions)      %s\n", gen_up
  printf "key exchange CPU in this JVM (BouncyCastle KEMs as MINA uses them, JDK X25519):\n"
  m = split(kexcost, kl, "\n"); for (i = 1; i <= m; i++) if (kl[i] ~ /^KEX /) printf "  %s\n", substr(kl[i], 5)

  printf "\n1. Bulk: %d MiB from /dev/urandom through ssh ... '\''cat > /dev/null'\'' (OpenSSH ssh), median of %d runs\n", mib, runs
  printf "%-44s %8s %14s %15s %12s %7s\n", "variant", "MiB/s", "client ms/MiB", "bastion ms/MiB", "sshd ms/MiB", "CPU " scpu " %"
  nv2 = split(order, vs, " ")
  for (i = 1; i <= nv2; i++) {
    v = vs[i]; med[v] = median(rate[v])
    printf "%-44s %8.0f %14.2f %15.2f %12.2f %6.0f%%\n", name[v], med[v], B_client[v] / 1000 / B_mib[v],
      B_bastion[v] / 1000 / B_mib[v], B_sshd[v] / 1000 / B_mib[v], 100 * B_busy[v] / B_total[v]
  }
  printf "MiB/s per run:"; for (i = 1; i <= nv2; i++) printf " %s:%s;", vs[i], rate[vs[i]]; printf "\n"
  n = split(pty, rows, "\n")
  for (r = 1; r <= n; r++) {
    if (rows[r] == "") continue
    fields(rows[r], f); v = f["target"]
    P_rate[v] = P_rate[v] " " (f["bytes"] / 1e6) / (f["transfer_us"] / 1e6)
    P_mb[v] += f["bytes"] / 1e6; P_bastion[v] += f["bastion_us"]; P_sshd[v] += f["sshd_us"]; P_client[v] += f["client_us"]
    P_busy[v] += f["core_busy"]; P_total[v] += f["core_total"]
  }
  printf "\n   Terminal output through a PTY (ssh -tt), %d MiB of zeros as base64 (%.1f MB), recorded by the bastion; median of %d runs\n",
    ptymib, P_mb["direct"] / pruns, pruns
  printf "%-44s %8s %14s %15s %12s %7s\n", "target", "MB/s", "client ms/MB", "bastion ms/MB", "sshd ms/MB", "CPU " scpu " %"
  split("direct bastion", pt, " ")
  for (i = 1; i <= 2; i++) {
    v = pt[i]; P_med[v] = median(P_rate[v])
    printf "%-44s %8.0f %14.2f %15.2f %12.2f %6.0f%%\n", v (v == "bastion" ? " (recorded)" : ""), P_med[v],
      P_client[v] / 1000 / P_mb[v], P_bastion[v] / 1000 / P_mb[v], P_sshd[v] / 1000 / P_mb[v], 100 * P_busy[v] / P_total[v]
  }

  # Sessions: rate over the full-concurrency windows; CPU per session over every session (drain included).
  n = split(sessions, rows, "\n")
  for (r = 1; r <= n; r++) {
    if (rows[r] == "") continue
    fields(rows[r], f); k = f["mode"] " " f["target"] (f["mode"] == "channel" ? " " f["workers"] "w" : "")
    S_n[k] += f["sessions"]; S_win[k] += f["window_us"]; S_all[k] += f["sessions_total"]
    S_bastion[k] += f["bastion_us"]; S_sshd[k] += f["sshd_us"]; S_gen[k] += f["client_cpu_us"]
    S_busy[k] += f["core_busy"]; S_total[k] += f["core_total"]
    S_p50[k] = S_p50[k] " " f["p50_us"]; S_p99[k] = S_p99[k] " " f["p99_us"]
    S_slices[k] = S_slices[k] sprintf(" %.0f", f["sessions"] / (f["window_us"] / 1e6))
  }
  printf "\n2. New sessions running `true`: load generator bench/BastionLoad.java (MINA SSHD client), %d slices of %ds per line\n", rounds, slice
  printf "   connect: a new connection per session, %d workers; channel: a new session channel per session on %d connections,\n" \
    "   with each number of closed-loop workers (w) in turn: %s\n", workers, cconns, cworkers
  printf "%-20s %10s %7s %7s %15s %12s %17s %7s\n", "mode, target", "sessions/s", "p50 ms", "p99 ms", "bastion ms/sess", "sshd ms/sess",
    "generator ms/sess", "CPU " scpu " %"
  nk = split("connect direct|connect jump|connect bastion|connect onehop", keys, "|")
  nw = split(cworkers, ws, " ")
  for (i = 1; i <= nw; i++) {
    keys[++nk] = "channel direct " ws[i] "w"; keys[++nk] = "channel bastion " ws[i] "w"; keys[++nk] = "channel onehop " ws[i] "w"
  }
  for (i = 1; i <= nk; i++) {
    k = keys[i]; if (!(k in S_n)) continue
    S_rate[k] = S_n[k] / (S_win[k] / 1e6)
    printf "%-20s %10.1f %7.1f %7.1f %15.2f %12.2f %17.2f %6.0f%%\n", k, S_rate[k], median(S_p50[k]) / 1000, median(S_p99[k]) / 1000,
      S_bastion[k] / 1000 / S_all[k], S_sshd[k] / 1000 / S_all[k], S_gen[k] / 1000 / S_all[k], 100 * S_busy[k] / S_total[k]
  }
  # Saturation throughput of new channels: the best worker count of each path.
  for (i = 1; i <= nk; i++) {
    k = keys[i]; if (!(k in S_rate) || k !~ /^channel /) continue
    p = k; sub(/ [0-9]+w$/, "", p)
    if (!(p in best) || S_rate[k] > S_rate[best[p]]) best[p] = k
  }
  printf "sessions/s per slice:"; for (i = 1; i <= nk; i++) printf " %s:%s;", keys[i], S_slices[keys[i]]; printf "\n"
  printf "(ms/sess: CPU per session from /proc: the bastion JVM; sshd and all its processes; CPU %s %%: how busy\n" \
    " the server core was, with anything)\n", scpu

  bulk_ratio = med["bastion"] / med["direct"]; one_hop_ratio = med["bastion_onehop"] / med["direct"]
  printf "\nSUMMARY\n"
  printf "bulk          bastion in one hop (ssh -p PORT LOGIN@NODE@bastion) / direct = %.2fx (%.0f vs %.0f MiB/s); target >= %.2fx: %s\n",
    one_hop_ratio, med["bastion_onehop"], med["direct"], target_bulk, (one_hop_ratio >= target_bulk) ? "met" : "NOT met"
  printf "              bastion through ssh -J (ProxyJump) / direct = %.2fx (%.0f MiB/s); target >= %.2fx: %s\n", bulk_ratio,
    med["bastion"], target_bulk, (bulk_ratio >= target_bulk) ? "met" : "NOT met"
  printf "              bastion / direct with the cipher the bastion'\''s client hops use = %.2fx\n", med["bastion"] / med["direct_as_bastion"]
  printf "              peer: OpenSSH jump host / direct = %.2fx (%.0f MiB/s); bastion / OpenSSH jump host = %.2fx\n",
    med["openssh_jump"] / med["direct"], med["openssh_jump"], med["bastion"] / med["openssh_jump"]
  if ("bastion_gcm" in med) printf "              bastion with client Ciphers aes128-gcm / direct = %.2fx\n", med["bastion_gcm"] / med["direct"]
  printf "PTY output    bastion (recorded) / direct = %.2fx (%.0f vs %.0f MB/s)\n", P_med["bastion"] / P_med["direct"],
    P_med["bastion"], P_med["direct"]
  c = "connect bastion"; d = "connect direct"; cb = best["channel bastion"]; cd = best["channel direct"]
  printf "sessions/s    new connections: bastion %.1f, direct %.1f, ratio %.2fx; target >= %d through the bastion: %s\n",
    S_rate[c], S_rate[d], S_rate[c] / S_rate[d], target_sessions, (S_rate[c] >= target_sessions) ? "met" : "NOT met"
  j = "connect jump"
  printf "              peer: new connections through an OpenSSH jump host %.1f; bastion / OpenSSH jump host = %.2fx\n",
    S_rate[j], S_rate[c] / S_rate[j]
  printf "              new channels on open connections, each path at its best worker count: bastion %.1f (%s, p50 %.0f ms),\n" \
    "              direct %.1f (%s, p50 %.0f ms), ratio %.2fx; target >= %d through the bastion: %s\n",
    S_rate[cb], substr(cb, 17), median(S_p50[cb]) / 1000, S_rate[cd], substr(cd, 16), median(S_p50[cd]) / 1000,
    S_rate[cb] / S_rate[cd], target_sessions, (S_rate[cb] >= target_sessions) ? "met" : "NOT met"
  o = "connect onehop"; co = best["channel onehop"]
  printf "              in one hop (LOGIN@NODE@bastion): new connections %.1f (%.2fx direct), new channels %.1f (%s, %.2fx direct)\n",
    S_rate[o], S_rate[o] / S_rate[d], S_rate[co], substr(co, 16), S_rate[co] / S_rate[cd]
  printf "bastion CPU   %.1f ms per new connection (one core: at most %.0f/s with nothing else on it), %.1f ms per new channel (%.0f/s)\n",
    S_bastion[c] / 1000 / S_all[c], 1e6 / (S_bastion[c] / S_all[c]), S_bastion[cb] / 1000 / S_all[cb], 1e6 / (S_bastion[cb] / S_all[cb])
  printf "sshd CPU      %.1f ms per new connection, %.1f ms per new channel (it shares CPU %s with the bastion)\n",
    S_sshd[d] / 1000 / S_all[d], S_sshd[cd] / 1000 / S_all[cd], scpu
  printf "every check passed, no session failed; audit.jsonl holds %d session.end events of exec sessions for %d counted\n", audited, counted
}'

# --- profile ---------------------------------------------------------------------------------------------
profile() { # phase, what it measured
  local file; file="$(readlink -f "$(dirname "$JFR")")/$(basename "$JFR")-$1.jfr"
  "$JDK_BIN/jfr" print --events jdk.CPUTimeSample --stack-depth 96 "$file" | awk -v title="$2" -v file="$file" '
function flush(    cat, leafy) {
  if (depth == 0) return
  samples++; leaf[frame[1]]++
  leafy = frame[1]
  # The first rule that matches names the work a sample was part of (the leaf for socket I/O, else the stack).
  if (leafy ~ /^sun\.nio\.ch\.(SocketDispatcher|IOUtil|EPoll|UnixDispatcher)/) cat = "socket I/O and epoll (kernel)"
  else if (stack ~ /ntruprime|SNTRUP761/) cat = "key exchange: sntrup761x25519 (BouncyCastle, Java)"
  else if (stack ~ /Upstream\.certifiedKey|issueUser/) cat = "minting the 2-minute certificate for the node hop"
  else if (stack ~ /SshSessions\.|StoreSessionLedger/) cat = "session records (ssh-sessions in SQLite)"
  else if (stack ~ /AuditLog|SessionAudit|AuditEventJson/) cat = "audit events (SQLite + audit.jsonl)"
  else if (stack ~ /NodeLogins|SshUsers|PolicySnapshot|OuterAuthenticator|InnerAuthenticator|JumpChannel\.doInit/) cat = "authorization (user lookup in SQLite, policy, logins)"
  else if (stack ~ /Recording|Recorder|LiveCast|CastLines/) cat = "recording"
  else if (stack ~ /org\.apache\.sshd\.(common|client|server)\.kex\.|X25519|rfc7748/) cat = "key exchange: X25519/ECDH, key derivation, host key signature"
  else if (stack ~ /Ed25519|eddsa/) cat = "Ed25519 signatures (user authentication, certificates)"
  else if (stack ~ /com\.sun\.crypto|sun\.security\.provider\.(SHA|Digest)|javax\.crypto|BaseCipher|BaseMac|BaseGCMCipher|BaseCTRCipher/) cat = "ciphers and MACs (packet encryption, decryption)"
  else if (stack ~ /org\.apache\.sshd|dev\.portcullis\.bastion/) cat = "MINA SSH: packets, channels, windows, relay, buffers"
  else cat = "other: JVM, GC, JIT, logging"
  work[cat]++
  depth = 0; stack = ""
}
/^  stackTrace = \[/ { inside = 1; depth = 0; stack = ""; next }
inside && /^  \]/ { inside = 0; flush(); next }
inside && !/^ *\.\.\.$/ { line = $0; sub(/^ +/, "", line); sub(/ +line: .*$/, "", line); frame[++depth] = line; stack = stack " " line }
END {
  if (samples == 0) { print "JFR: no CPU-time samples in " file; exit }
  printf "\nJFR CPU-time profile of the bastion JVM during %s (%d samples, %s)\n", title, samples, file
  print "where the CPU time went:"
  n = 0; for (k in work) keys[++n] = k
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (work[keys[j]] > work[keys[i]]) { t = keys[i]; keys[i] = keys[j]; keys[j] = t }
  for (i = 1; i <= n; i++) printf "  %5.1f%%  %s\n", 100 * work[keys[i]] / samples, keys[i]
  print "hottest frames (leaf):"
  n = 0; for (k in leaf) lk[++n] = k
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (leaf[lk[j]] > leaf[lk[i]]) { t = lk[i]; lk[i] = lk[j]; lk[j] = t }
  for (i = 1; i <= n && i <= 15; i++) printf "  %5.1f%%  %s\n", 100 * leaf[lk[i]] / samples, lk[i]
}'
}
[ -n "${JFR:-}" ] || exit 0
profile bulk "the bulk runs (all variants; only the bastion ones go through it)"
profile pty "the recorded PTY output runs (both targets; only the bastion ones go through it)"
profile connect "the measured slices of new connections (both targets; only the bastion ones go through it)"
profile channel "the measured slices of new channels (both targets; only the bastion ones go through it)"
