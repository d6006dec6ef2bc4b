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
#    from ssh -v and from sshd's debug log.
# 2. New sessions per second: bench/BastionLoad.java (Apache MINA SSHD's client, closed loop, WORKERS
#    workers) opening a NEW connection per session that runs `true` (through the bastion: a new bastion
#    connection plus a jump and a new inner connection, as ssh -J does); and new session channels per second
#    on CHANNEL_CONNECTIONS established connections (as ssh's ControlMaster does; each channel is still a new
#    session that the bastion authorizes, audits and relays to a new channel on the node). Slices of SLICE
#    seconds in ABBA order per round after a warm-up; CPU per session of the bastion JVM and of sshd (with
#    its per-connection children) from /proc; p50/p99 are medians of the slices' own percentiles.
# A run is invalid (exit 1) if a check fails, any session fails, or the audit log holds fewer session.end
# events for exec sessions than sessions were counted through the bastion.
#
# Usage: bench/bastion-vs-sshd.sh            (as root: it adds a throwaway account and runs sshd)
# Knobs (environment): BULK_MIB=256 BULK_RUNS=5 WARMUP=20 SLICE=5 ROUNDS=2 WORKERS=16 CHANNEL_WORKERS=16
#   CHANNEL_CONNECTIONS=2 SERVER_CPU=1 CLIENT_CPU=0 NICE=-10 TARGET_BULK=0.8 TARGET_SESSIONS=300
#   PORTCULLIS_JVM_FLAGS (replaces the defaults below), EXTRA_JVM_FLAGS (appended), KEEP_WORKDIR=1, JAVA_HOME,
#   QUIET_TIMEOUT=900 (seconds to wait for other benchmarks before each phase),
#   JFR=FILE (record the bastion's JVM with JFR's CPU-time sampler during the measured session slices and
#   print where its CPU went; JFR costs some throughput).
# Prints the tables and a summary with the ratios and whether the targets are met; exits 0 when the run was
# valid, whatever the ratios.
set -euo pipefail

BULK_MIB="${BULK_MIB:-256}"
BULK_RUNS="${BULK_RUNS:-5}"
WARMUP="${WARMUP:-20}"                 # seconds of bastion sessions before measuring: C2 compiles MINA's paths
SLICE="${SLICE:-5}"                    # seconds per measured slice ...
ROUNDS="${ROUNDS:-2}"                  # ... in this many ABBA rounds per mode (4 slices per path and mode)
WORKERS="${WORKERS:-16}"               # closed-loop workers, new connection per session
CHANNEL_WORKERS="${CHANNEL_WORKERS:-16}"
CHANNEL_CONNECTIONS="${CHANNEL_CONNECTIONS:-2}"
SERVER_CPU="${SERVER_CPU:-1}"
CLIENT_CPU="${CLIENT_CPU:-0}"
TARGET_BULK="${TARGET_BULK:-0.8}"
TARGET_SESSIONS="${TARGET_SESSIONS:-300}"
QUIET_TIMEOUT="${QUIET_TIMEOUT:-900}"
NICE="${NICE:--10}"
# As bench/proxy-vs-nginx.sh (see there why): Portcullis gets one core.
DEFAULT_JVM_FLAGS="-XX:+UseParallelGC -Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:ActiveProcessorCount=1"
DEFAULT_JVM_FLAGS+=" --sun-misc-unsafe-memory-access=allow"
JVM_FLAGS="${PORTCULLIS_JVM_FLAGS:-$DEFAULT_JVM_FLAGS} ${EXTRA_JVM_FLAGS:-}"
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

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
find_java() { # the same search as the ./portcullis launcher
  if [ -n "${JAVA_HOME:-}" ] && [ "$(java_major "$JAVA_HOME/bin/java" 2>/dev/null || echo 0)" -ge 25 ] 2>/dev/null; then
    echo "$JAVA_HOME/bin/java"; return
  fi
  # shellcheck disable=SC2012 # JDK directory names are plain
  for candidate in $(ls /usr/lib/jvm 2>/dev/null | sort -r); do
    if [ -x "/usr/lib/jvm/$candidate/bin/java" ] && [ "$(java_major "/usr/lib/jvm/$candidate/bin/java")" -ge 25 ] 2>/dev/null; then
      echo "/usr/lib/jvm/$candidate/bin/java"; return
    fi
  done
  if command -v java >/dev/null && [ "$(java_major java)" -ge 25 ] 2>/dev/null; then echo java; return; fi
  die "needs Java 25 or newer (set JAVA_HOME, or install one under /usr/lib/jvm)"
}
JAVA="$(find_java)"
JDK_BIN="$(dirname "$(readlink -f "$(command -v "$JAVA")")")" # jcmd and jfr of the same JDK
# Rebuild when missing or older than the sources (the same test as the ./portcullis launcher).
stale=yes
if [ -f "$jar" ]; then
  stale="$(find "$root" \( -path '*/src/main/*' -o -name pom.xml \) -not -path '*/target/*' \
    -not -path '*/node_modules/*' -newer "$jar" -print -quit)"
fi
if [ -n "$stale" ]; then
  log "building $jar (the first build downloads dependencies) ..."
  (cd "$root" && ./mvnw -q -B -DskipTests -pl portcullis-server -am package >&2)
fi
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
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ -n "$LOGIN" ] && getent passwd "$LOGIN" >/dev/null; then
    pkill -KILL -u "$LOGIN" 2>/dev/null # only the throwaway account's processes
    userdel "$LOGIN" 2>/dev/null || log "could not remove the account $LOGIN"
    getent group "$LOGIN" >/dev/null && groupdel "$LOGIN" 2>/dev/null
  fi
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
    [[ "$ancestors" == *" $pid "* ]] || ours "$pid" || echo "$pid"
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
[ -s "$HOST_CERT" ] && [ -s "$USER_CA" ] || die "join wrote no host certificate or user CA file:\n$(cat "$dropin")"
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
setsid nice -n "$NICE" taskset -c "$SERVER_CPU" /usr/sbin/sshd -D -e -f "$node/sshd_config" >"$work/sshd.log" 2>&1 &
sshd_pid="$!"
pids+=("$sshd_pid")
boost "$sshd_pid"
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
log "setup: Portcullis https 127.0.0.1:$PORT, bastion 127.0.0.1:$BASTION_PORT, node $NODE sshd 127.0.0.1:$NODE_PORT, login $LOGIN"
