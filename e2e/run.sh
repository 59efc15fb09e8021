#!/usr/bin/env bash
# End-to-end accessibility and layout test of the gongkai portal in headless
# Chromium. Usage, from anywhere in the repo:
#
#   cargo build -p gongkai-app && bash e2e/run.sh
#
# Needs: node >= 20 with npm, python3, and Debian's chromium at /usr/bin/chromium
# (`apt-get install -y --no-install-recommends chromium`; fonts-noto-cjk for
# real Chinese glyph metrics). No browser is downloaded through playwright.
# Env: GONGKAI_BIN (default target/debug/gongkai, relative to the repo root),
#      CHROMIUM_PATH (default /usr/bin/chromium).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bin="${GONGKAI_BIN:-target/debug/gongkai}"
if [[ ! -x "$bin" ]]; then
  echo "e2e: gongkai binary not found or not executable at '$bin' (relative to $root)." >&2
  echo "e2e: build it with 'cargo build -p gongkai-app', or set GONGKAI_BIN." >&2
  exit 1
fi
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
  echo "e2e: Chromium not found at '$chromium': apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi

if [[ ! -d e2e/node_modules ]]; then
  echo "e2e: installing node dependencies (npm ci)"
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

tmpdir="$(mktemp -d -t gongkai-e2e.XXXXXX)"
server_pid=""
cleanup() {
  local rc=$?
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ $rc -ne 0 && -s "$tmpdir/server.log" ]]; then
    echo "e2e: last lines of the server log:" >&2
    tail -n 30 "$tmpdir/server.log" >&2 || true
  fi
  rm -rf "$tmpdir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free loopback port: the kernel picks one, we release it and use it at once.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
url="http://127.0.0.1:$port"

echo "e2e: starting $bin on $url (data: $tmpdir)"
"$bin" --data "$tmpdir" serve --demo --addr "127.0.0.1:$port" >"$tmpdir/server.log" 2>&1 &
server_pid=$!

deadline=$((SECONDS + 30))
until [[ "$(python3 - "$url/healthz" <<'PY'
import sys, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=2).status)
except Exception:
    print(0)
PY
)" == 200 ]]; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "e2e: the server exited before becoming healthy" >&2
    exit 1
  fi
  if (( SECONDS >= deadline )); then
    echo "e2e: GET /healthz did not answer 200 within 30 s" >&2
    exit 1
  fi
  sleep 0.2
done
echo "e2e: server healthy; running the browser suite"

GONGKAI_URL="$url" CHROMIUM_PATH="$chromium" node --test e2e/portal.test.mjs
