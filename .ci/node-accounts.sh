#!/usr/bin/env bash
# Installs what the node agent's local-account tests (portcullis-node) run for real: useradd/userdel
# (passwd), visudo and sudo (sudo), getent (libc-bin) and pkill (procps). Idempotent; runs as root on
# Debian 12. Prints nothing on stdout.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

installed() {
  [[ -x /usr/sbin/useradd && -x /usr/sbin/userdel && -x /usr/sbin/visudo && -x /usr/bin/sudo \
    && -x /usr/bin/getent && -x /usr/bin/pkill && -d /etc/sudoers.d ]]
}

if ! installed; then
  # Refresh the package lists when apt has none yet (a fresh machine), or when they are too stale to install from.
  if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
    apt-get update -qq >&2
  fi
  if ! apt-get install -y -qq --no-install-recommends sudo passwd procps libc-bin >/dev/null 2>&1; then
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends sudo passwd procps libc-bin >&2
  fi
  installed || { echo "node-accounts: useradd, userdel, visudo, sudo, getent, pkill or /etc/sudoers.d still missing" >&2; exit 1; }
fi

# The agent's drop-ins only take effect when the main sudoers file reads the drop-in directory.
grep -Eq '^[@#]includedir[[:space:]]+/etc/sudoers\.d[[:space:]]*$' /etc/sudoers \
  || { echo "node-accounts: /etc/sudoers does not include /etc/sudoers.d" >&2; exit 1; }
/usr/sbin/visudo -c -q >&2 || { echo "node-accounts: the existing sudoers configuration is invalid" >&2; exit 1; }
echo "node-accounts: ok ($(/usr/bin/sudo -V 2>/dev/null | head -n 1))" >&2
