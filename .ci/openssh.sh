#!/usr/bin/env bash
# Installs Debian's OpenSSH server and client for the tests that run a throwaway sshd and the real ssh
# client (portcullis-ssh). Idempotent; runs as root on Debian 12. Prints nothing on stdout.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

installed() {
  [[ -x /usr/sbin/sshd && -x /usr/bin/ssh && -x /usr/bin/ssh-keygen && -x /usr/bin/ssh-agent ]]
}

if ! installed; then
  # The tests start their own sshd on a free loopback port; keep the package from starting the system
  # service on port 22. A policy-rc.d that exits 101 tells invoke-rc.d "not allowed"; whatever was there
  # before is put back afterwards.
  policy=/usr/sbin/policy-rc.d
  saved=""
  if [[ -e "$policy" ]]; then
    saved="$(mktemp)"
    cp -p "$policy" "$saved"
  fi
  restore_policy() {
    if [[ -n "$saved" ]]; then
      mv -f "$saved" "$policy"
    else
      rm -f "$policy"
    fi
  }
  trap restore_policy EXIT
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 0755 "$policy"

  # Refresh the package lists when apt has none yet (a fresh machine), or when they are too stale to install from.
  if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
    apt-get update -qq >&2
  fi
  if ! apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null 2>&1; then
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends openssh-server openssh-client >&2
  fi
  installed || { echo "openssh: sshd, ssh, ssh-keygen or ssh-agent still missing" >&2; exit 1; }
fi

# sshd refuses to start without its privilege separation directory; /run is emptied at boot.
install -d -m 0755 /run/sshd
echo "openssh: ok ($(ssh -V 2>&1))" >&2
