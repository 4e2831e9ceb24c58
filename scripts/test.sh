#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian/Ubuntu machine, then runs every test layer.
# Idempotent: on a machine that has everything it only runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every package is named: --no-install-recommends leaves out what Podman only recommends, and a
# machine that happens to have it from an earlier install hides the gap (iptables: netavark's
# firewall; catatonit: the pause image of pods). nsis: makensis compiles the uninstaller's own script.
# openssh-server: the real sshd the ssh transport is tested against (the tests start their own on a
# loopback port; /usr/sbin/sshd, ssh-keygen, ssh-agent). podman-compose: the peer the Compose
# differential tests compare with.
# python3-requests, python3-flask, gunicorn: the "call this model from your code" Python snippet and
# the Flask template's app.py run for real against the test Ollama server (curl runs the curl one).
packages=(podman runc conmon busybox-static socat docker-registry chromium uidmap slirp4netns fuse-overlayfs netavark
  aardvark-dns iptables catatonit nsis openssh-server podman-compose python3-requests python3-flask gunicorn curl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Electron's binary cannot be downloaded on test machines and the tests do not need it.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

# npm test includes test:rootless (scripts/test-rootless.sh): the core integration files again as
# the unprivileged user poddesk-test with rootless Podman (uidmap and slirp4netns above are for it).
# Setting that user up takes root: run as root (as CI does) it always runs; otherwise it says it
# was skipped, and why.
npm test
