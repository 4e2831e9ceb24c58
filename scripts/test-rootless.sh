#!/usr/bin/env bash
# The core of the integration suite once more, as an unprivileged user with rootless Podman — what
# most Linux and WSL users run. Setting that user up needs root; CI runs as root, so it runs there.
#
#   npm run test:rootless [-- vitest args]   (as root; `sudo -E npm run test:rootless` otherwise)
#
# It makes (once) the user poddesk-test with /etc/subuid and /etc/subgid ranges, gives it a runtime
# dir as a login would (/run/user/<uid>, its own, mode 0700), lets it open /dev/net/tun, and runs
# the vitest project "rootless" as that user. The user stays for the next run; what a run leaves
# (its processes, runtime dir, temporary files) is removed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

user=poddesk-test
if [ "$(id -u)" -ne 0 ]; then
  echo "test:rootless SKIPPED: the rootless run creates the user $user (with /etc/subuid and /etc/subgid" >&2
  echo "  ranges and /run/user/<uid>) and lets it open /dev/net/tun, which takes root. Run it as root" >&2
  echo "  (sudo -E npm run test:rootless); CI runs as root, so there it always runs." >&2
  exit 0
fi

# A home under /home, not /var/lib: Podman 4.3's rootless network namespace bind-mounts a folder of
# its own over /var/lib/cni — or over /var/lib itself where /var/lib/cni does not exist — and a
# home there vanishes for netavark: "unable to find network with name or ID …: network not found".
if ! id -u "$user" >/dev/null 2>&1; then
  useradd --create-home --home-dir "/home/$user" --shell /usr/sbin/nologin --comment 'PodDesk rootless tests' "$user"
fi
uid="$(id -u "$user")"
home="$(getent passwd "$user" | cut -d: -f6)"

# useradd gives a new user subordinate ids (login.defs SUB_UID_*); a user made otherwise may lack them.
next_free() { awk -F: 'BEGIN { e = 100000 } { if ($2 + $3 > e) e = $2 + $3 } END { print e }' "$1"; }
if ! grep -q "^$user:" /etc/subuid; then
  start="$(next_free /etc/subuid)"
  usermod --add-subuids "$start-$((start + 65535))" "$user"
fi
if ! grep -q "^$user:" /etc/subgid; then
  start="$(next_free /etc/subgid)"
  usermod --add-subgids "$start-$((start + 65535))" "$user"
fi

# slirp4netns (and so every published port and user-defined network) opens /dev/net/tun as the
# user. Debian's default mode is 0666 — what a TAP device can do is bounded by the user's own
# network namespace — so 0666 on a test machine is what users' machines have; some VM images
# ship it 0600, and then rootless Podman has no network but "none" and "host".
if [ ! -c /dev/net/tun ]; then
  echo "test:rootless: /dev/net/tun is missing (no tun module?): rootless networking cannot work here" >&2
  exit 1
fi
chmod 0666 /dev/net/tun

runtime="/run/user/$uid"
tmp=""
mounted=""

# Everything the test user runs exists for these tests: a run ends all of it (rootless Podman
# leaves its pause process and slirp4netns behind by design), by process id.
end_user_processes() {
  local pids
  pids="$(pgrep -u "$uid" || true)"
  [ -z "$pids" ] && return 0
  # shellcheck disable=SC2086 # one id per word
  kill $pids 2>/dev/null || true
  for _ in $(seq 50); do
    pgrep -u "$uid" >/dev/null || return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -9 $(pgrep -u "$uid") 2>/dev/null || true
}
clean_up() {
  cd /
  end_user_processes
  # Podman's fallbacks when a runtime dir is unusable: they would be this user's too.
  rm -rf "$runtime" "/tmp/podman-run-$uid" "/tmp/containers-user-$uid"
  [ -n "$tmp" ] && rm -rf "$tmp"
  if [ -n "$mounted" ]; then
    umount "$mounted" && rmdir "$mounted"
  fi
}
trap clean_up EXIT

# A run interrupted before may have left its processes and namespaces: start from nothing.
end_user_processes
rm -rf "$runtime"
install -d -m 0700 -o "$user" -g "$user" "$runtime"
tmp="$(mktemp -d /tmp/poddesk-rootless.XXXXXX)"
chown "$user:" "$tmp"

# The test user reads the repository and node_modules (root's clone; nothing in it is written:
# vitest's cache and every temporary file go to $tmp). Where a folder above the clone shuts
# others out (a clone under /root), the same tree is bind-mounted read-only where it can see it.
workdir="$repo"
if ! runuser -u "$user" -- test -r "$repo/package.json" -a -x "$repo/node_modules/.bin"; then
  mounted="$(mktemp -d /run/poddesk-rootless-repo.XXXXXX)"
  chmod 0755 "$mounted"
  mount --bind "$repo" "$mounted"
  mount -o remount,bind,ro "$mounted"
  workdir="$mounted"
  if ! runuser -u "$user" -- test -r "$workdir/package.json"; then
    echo "test:rootless: $user cannot read the repository even at $workdir (are its files readable by others?)" >&2
    exit 1
  fi
fi

echo "test:rootless: running the rootless project as $user (uid $uid, XDG_RUNTIME_DIR=$runtime)"
cd "$workdir"
# A clean environment: root's CONTAINER_HOST, DOCKER_HOST or XDG_RUNTIME_DIR must not lead the
# finders anywhere. --configLoader runner: the default loader writes the bundled config into
# node_modules, which is root's.
runuser -u "$user" -- env -i \
  PATH="$PATH" HOME="$home" USER="$user" LOGNAME="$user" LANG=C.UTF-8 \
  XDG_RUNTIME_DIR="$runtime" TMPDIR="$tmp" CI="${CI:-}" \
  PODDESK_ROOTLESS=1 VITE_CONFIG_NATIVE_IGNORE_WARNING=true \
  node node_modules/vitest/vitest.mjs run --configLoader runner --project rootless "$@"
