#!/usr/bin/env bash
# Foundation benchmark for gongkai (see BENCHMARKS.md).
#
# Measures, on this machine:
#   1. cold start: spawning `gongkai --data <fresh empty dir> serve` until the
#      first HTTP 200 from GET /healthz (creates the SQLite database and runs
#      the migrations), repeated RUNS times, each with a fresh folder;
#   2. resident memory (VmRSS) ~2 s after healthy with no other request, and
#      again right after the wrk run;
#   3. GET /healthz requests per second and latency p50/p99 with wrk on
#      loopback, and, in the same run, nginx serving a static JSON file of the
#      same size (our rps is reported as a ratio of nginx's).
#
# Usage: bash bench/foundation.sh
# Environment (all optional):
#   GONGKAI_BIN   use this binary instead of building the release binary
#   RUNS          cold-start repetitions (default 15, at least 10)
#   POLL_MS       /healthz poll interval during cold start, ms (default 2)
#   WRK_THREADS   wrk -t (default 2)
#   WRK_CONNS     wrk -c (default 64)
#   WRK_DURATION  wrk -d (default 10s)
#   WRK_WARMUP    unrecorded wrk run before each measured one (default 2s; 0 = none)
#   BENCH_NOTE    free text shown next to GONGKAI_BIN in the report (e.g. the commit)
#
# Prints progress to stderr and a Markdown report to stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-15}"
POLL_MS="${POLL_MS:-2}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNS="${WRK_CONNS:-64}"
WRK_DURATION="${WRK_DURATION:-10s}"
WRK_WARMUP="${WRK_WARMUP:-2s}"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# --- processes and temp dirs we own; the trap ends them all ---------------
WORK=""
SERVER_PID=""
NGINX_PID=""
CHILD_PID=""

stop_pid() { # stop_pid PID: SIGTERM, wait up to 5 s, then SIGKILL
    local pid="$1" i
    [[ -n "$pid" ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_pid "$CHILD_PID"
    stop_pid "$SERVER_PID"
    stop_pid "$NGINX_PID"
    if [[ -n "$WORK" && -d "$WORK" ]]; then rm -rf "$WORK"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- prerequisites ---------------------------------------------------------
missing=()
for tool in wrk nginx curl python3; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
    die "missing: ${missing[*]}. On Debian/Ubuntu: apt-get update && apt-get install -y wrk nginx curl python3"
fi
((RUNS >= 10)) || die "RUNS must be at least 10"

if [[ -n "${GONGKAI_BIN:-}" ]]; then
    BIN="$GONGKAI_BIN"
else
    log "building: cargo build --release -p gongkai-app"
    (cd "$ROOT" && cargo build --release -p gongkai-app >&2)
    BIN="$ROOT/target/release/gongkai"
fi
[[ -x "$BIN" ]] || die "not an executable: $BIN"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gongkai-bench.XXXXXX")"
chmod 755 "$WORK" # nginx workers may run as an unprivileged user

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_healthy URL PID: polls until HTTP 200 (30 s max), failing if PID exits.
wait_healthy() {
    local url="$1" pid="$2" i
    for i in $(seq 6000); do
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null || true)" == 200 ]]; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.005
    done
    return 1
}

# cpu_jiffies: "IDLE TOTAL" summed over all CPUs, from /proc/stat
cpu_jiffies() { awk '$1 == "cpu" {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
mb() { awk -v kb="$1" 'BEGIN {printf "%.1f", kb / 1024}'; }

# proc_ticks PID...: CPU time (utime + stime, clock ticks) of these processes, all threads
proc_ticks() {
    local t=0 p v
    for p in "$@"; do
        v="$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null || echo 0)"
        t=$((t + v))
    done
    echo "$t"
}
# children_ticks FILE: CPU time, in clock ticks, of the finished children of this
# shell, from a `times` output saved in FILE (`times` must run in this shell,
# not in a $(...) subshell, whose counters start at zero)
children_ticks() {
    awk -v hz="$(getconf CLK_TCK)" 'NR == 2 {
        n = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); n += a[1] * 60 + a[2] }
        printf "%.0f", n * hz }' "$1"
}

# in_background CMD...: runs CMD as a child we can end from the trap (bash runs
# traps only between foreground commands, but at once during `wait`)
in_background() {
    "$@" &
    CHILD_PID=$!
    wait "$CHILD_PID"
    CHILD_PID=""
}

# run_wrk NAME URL PID...: optional warm-up, then the measured run; output in
# $WORK/wrk-NAME.txt. Also records in $WORK/cpu-NAME.txt the share of all CPU
# time, during the measured run, used by the server (PIDs), by wrk, and by
# everything else (other processes; interrupts) as "SERVER WRK OTHER" percent.
run_wrk() {
    local name="$1" url="$2"
    shift 2
    if [[ "$WRK_WARMUP" != 0 ]]; then
        in_background wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"$WRK_WARMUP" "$url" >/dev/null
    fi
    local i0 t0 s0 w0 i1 t1 s1 w1
    read -r i0 t0 < <(cpu_jiffies); s0="$(proc_ticks "$@")"; times >"$WORK/times0"
    in_background wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"$WRK_DURATION" --latency "$url" >"$WORK/wrk-$name.txt"
    read -r i1 t1 < <(cpu_jiffies); s1="$(proc_ticks "$@")"; times >"$WORK/times1"
    w0="$(children_ticks "$WORK/times0")"; w1="$(children_ticks "$WORK/times1")"
    awk -v t=$((t1 - t0)) -v i=$((i1 - i0)) -v s=$((s1 - s0)) -v w=$((w1 - w0)) \
        'BEGIN {o = t - i - s - w; if (o < 0) o = 0; printf "%.0f %.0f %.0f\n", 100 * s / t, 100 * w / t, 100 * o / t}' >"$WORK/cpu-$name.txt"
    cat "$WORK/wrk-$name.txt" >&2
    log "CPU share during the run (server / wrk / other): $(cat "$WORK/cpu-$name.txt")"
}
# wrk_field FILE rps|p50|p99|errors|non2xx  (latencies in ms)
wrk_field() {
    awk -v want="$2" '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /m$/)  return substr(v, 1, length(v) - 1) * 60000
            if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
            return v + 0
        }
        want == "rps" && $1 == "Requests/sec:" { printf "%.0f", $2 }
        want == "p50" && $1 == "50%"           { printf "%.2f", ms($2) }
        want == "p99" && $1 == "99%"           { printf "%.2f", ms($2) }
        want == "errors" && $1 == "Socket"     { sub(/^ *Socket errors: */, ""); printf "%s", $0 }
        want == "non2xx" && /Non-2xx/          { printf "%s", $NF }
    ' "$1"
}

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
log "binary: $BIN; load average: $LOAD_START"

# --- 1. cold start -----------------------------------------------------------
log "cold start: $RUNS runs, fresh data folder each, polling /healthz every ${POLL_MS} ms"
cat >"$WORK/coldstart.py" <<'PY'
import http.client, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

binary, work, runs, poll = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]) / 1000
child = None

def on_term(*_):
    raise SystemExit(143)
signal.signal(signal.SIGTERM, on_term)

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def status(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/healthz")
        r = conn.getresponse(); r.read(); return r.status
    except OSError:
        return None
    finally:
        conn.close()

def stop(p):
    if p and p.poll() is None:
        p.terminate()
        try: p.wait(5)
        except subprocess.TimeoutExpired: p.kill(); p.wait()

# Warm up the measuring side (imports, first socket use) so run 1 times the server, not us.
status(free_port())
times = []
try:
    for i in range(runs):
        data = tempfile.mkdtemp(prefix="cold-", dir=work)  # fresh, empty
        port = free_port()
        out = open(os.path.join(work, "cold-server.log"), "wb")
        t0 = time.perf_counter()
        child = subprocess.Popen([binary, "--data", data, "serve", "--addr", f"127.0.0.1:{port}"],
                                 stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        while True:
            if status(port) == 200:
                t1 = time.perf_counter(); break
            if child.poll() is not None:
                out.close()
                sys.stderr.write(open(os.path.join(work, "cold-server.log")).read())
                sys.exit(f"server exited with {child.returncode} before it was healthy")
            if time.perf_counter() - t0 > 30:
                sys.exit("not healthy after 30 s")
            time.sleep(poll)
        stop(child); child = None; out.close()
        if not os.path.exists(os.path.join(data, "gongkai.db")):
            sys.exit(f"no database was created in {data}")
        shutil.rmtree(data)
        ms = (t1 - t0) * 1000
        times.append(ms)
        print(f"[bench]   run {i + 1:2d}: {ms:7.1f} ms", file=sys.stderr, flush=True)
        time.sleep(0.2)
finally:
    stop(child)
print(f"{min(times):.1f} {statistics.median(times):.1f} {max(times):.1f}|{' '.join(f'{t:.1f}' for t in times)}")
PY
in_background python3 "$WORK/coldstart.py" "$BIN" "$WORK" "$RUNS" "$POLL_MS" >"$WORK/cold.txt"
IFS='|' read -r COLD_STATS COLD_ALL <"$WORK/cold.txt"
read -r COLD_MIN COLD_MED COLD_MAX <<<"$COLD_STATS"
log "cold start min/median/max: $COLD_MIN / $COLD_MED / $COLD_MAX ms"

# --- 2. idle memory, 3. /healthz under wrk ---------------------------------------
PORT="$(free_port)"
mkdir "$WORK/data"
"$BIN" --data "$WORK/data" serve --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
URL="http://127.0.0.1:$PORT/healthz"
wait_healthy "$URL" "$SERVER_PID" || { cat "$WORK/server.log" >&2; die "gongkai did not become healthy"; }
read -r CPU_IDLE0 CPU_TOTAL0 < <(cpu_jiffies)
sleep 2
read -r CPU_IDLE1 CPU_TOTAL1 < <(cpu_jiffies)
# While our server sits idle, whatever else keeps the CPUs busy will also skew the wrk runs.
BG_BUSY="$(awk -v i=$((CPU_IDLE1 - CPU_IDLE0)) -v t=$((CPU_TOTAL1 - CPU_TOTAL0)) 'BEGIN {printf "%.0f", 100 * (1 - i / t)}')"
RSS_IDLE="$(rss_kb "$SERVER_PID")"
THREADS_IDLE="$(awk '/^Threads:/ {print $2}' "/proc/$SERVER_PID/status")"
log "idle VmRSS: $RSS_IDLE kB (threads: $THREADS_IDLE); CPU busy meanwhile (other processes): $BG_BUSY%"

# The body nginx will serve: our /healthz body, byte for byte.
mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
read -r BODY_BYTES HEADER_BYTES < <(curl -s -o "$WORK/nginx/www/healthz" -w '%{size_download} %{size_header}\n' "$URL")
chmod -R a+rX "$WORK/nginx/www"
log "/healthz body: $BODY_BYTES bytes ($(cat "$WORK/nginx/www/healthz")), response headers: $HEADER_BYTES bytes"

log "wrk against gongkai: -t$WRK_THREADS -c$WRK_CONNS -d$WRK_DURATION"
run_wrk gongkai "$URL" "$SERVER_PID"
RSS_AFTER="$(rss_kb "$SERVER_PID")"
HWM="$(hwm_kb "$SERVER_PID")"
THREADS_AFTER="$(awk '/^Threads:/ {print $2}' "/proc/$SERVER_PID/status")"
log "VmRSS after wrk: $RSS_AFTER kB (peak VmHWM $HWM kB, threads: $THREADS_AFTER)"
stop_pid "$SERVER_PID"
SERVER_PID=""

# --- nginx peer, same run -------------------------------------------------------
NGINX_PORT="$(free_port)"
NPROC="$(nproc)"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $NPROC;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    types { }
    default_type application/json;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/nginx/www;
    }
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
NGINX_PID=$!
NGINX_URL="http://127.0.0.1:$NGINX_PORT/healthz"
wait_healthy "$NGINX_URL" "$NGINX_PID" || { cat "$WORK/nginx/error.log" >&2; die "nginx did not start"; }
read -r NGINX_BYTES NGINX_HEADER_BYTES < <(curl -s -o /dev/null -w '%{size_download} %{size_header}\n' "$NGINX_URL")
[[ "$NGINX_BYTES" == "$BODY_BYTES" ]] || die "nginx serves $NGINX_BYTES bytes, expected $BODY_BYTES"
log "wrk against nginx ($NPROC workers): -t$WRK_THREADS -c$WRK_CONNS -d$WRK_DURATION"
run_wrk nginx "$NGINX_URL" "$NGINX_PID" $(pgrep -P "$NGINX_PID")
stop_pid "$NGINX_PID"
NGINX_PID=""

# --- report -----------------------------------------------------------------------
G="$WORK/wrk-gongkai.txt"
N="$WORK/wrk-nginx.txt"
G_RPS="$(wrk_field "$G" rps)"
N_RPS="$(wrk_field "$N" rps)"
RATIO="$(awk -v a="$G_RPS" -v b="$N_RPS" 'BEGIN {printf "%.2f", a / b}')"
G_ERR="$(wrk_field "$G" errors)"; G_NON2XX="$(wrk_field "$G" non2xx)"
N_ERR="$(wrk_field "$N" errors)"; N_NON2XX="$(wrk_field "$N" non2xx)"
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v < t) ? "met" : "MISSED"}'; }
WRK_CMD="wrk -t$WRK_THREADS -c$WRK_CONNS -d$WRK_DURATION --latency"
CPU="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
if [[ -n "${GONGKAI_BIN:-}" ]]; then
    BUILT_FROM="GONGKAI_BIN=$GONGKAI_BIN${BENCH_NOTE:+ ($BENCH_NOTE)}"
else
    BUILT_FROM="this tree at $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [[ -n "$(cd "$ROOT" && git status --porcelain 2>/dev/null)" ]]; then BUILT_FROM="$BUILT_FROM (with uncommitted changes)"; fi
fi

cat <<EOF
## Results

| Figure | Target | Measured | Command |
|---|---|---|---|
| Cold start to healthy \`/healthz\`, empty database ($RUNS runs, min / median / max) | < 1 s | $COLD_MIN / $COLD_MED / $COLD_MAX ms ($(verdict "$COLD_MAX" 1000) by the slowest run) | \`gongkai --data <fresh empty dir> serve --addr 127.0.0.1:<port>\`, polling \`GET /healthz\` every $POLL_MS ms |
| Resident memory idle, ~2 s after healthy (VmRSS) | < 60 MB (60 MiB = 61440 kB) | $(mb "$RSS_IDLE") MiB ($(verdict "$RSS_IDLE" 61440)) | \`grep VmRSS /proc/<pid>/status\` |
| Resident memory right after the wrk run (VmRSS; peak VmHWM) | — | $(mb "$RSS_AFTER") MiB; peak $(mb "$HWM") MiB | \`grep -E 'VmRSS\|VmHWM' /proc/<pid>/status\` |
| \`GET /healthz\` requests/s | — | $G_RPS | \`$WRK_CMD http://127.0.0.1:<port>/healthz\` |
| \`GET /healthz\` latency p50 / p99 | — | $(wrk_field "$G" p50) / $(wrk_field "$G" p99) ms | (same wrk run) |
| nginx static file, same body size ($BODY_BYTES B), $NPROC workers: requests/s | — | $N_RPS | \`$WRK_CMD http://127.0.0.1:<port>/healthz\` |
| nginx latency p50 / p99 | — | $(wrk_field "$N" p50) / $(wrk_field "$N" p99) ms | (same wrk run) |
| gongkai rps / nginx rps | — | $RATIO | |

Cold start, every run (ms): $COLD_ALL

CPU share during each measured wrk run, of all $NPROC CPUs (server / wrk / everything else): gongkai $(tr ' ' / <"$WORK/cpu-gongkai.txt") %; nginx $(tr ' ' / <"$WORK/cpu-nginx.txt") %.
wrk errors: gongkai ${G_ERR:-none}${G_NON2XX:+, non-2xx: $G_NON2XX}; nginx ${N_ERR:-none}${N_NON2XX:+, non-2xx: $N_NON2XX}.
Server threads: $THREADS_IDLE idle, $THREADS_AFTER after wrk. Response sizes: gongkai /healthz $BODY_BYTES body + $HEADER_BYTES header bytes; nginx $NGINX_BYTES body + $NGINX_HEADER_BYTES header bytes.

## Machine

| | |
|---|---|
| CPUs (nproc) | $NPROC |
| CPU model | $CPU |
| Memory | $(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) |
| Kernel | $(uname -sr) |
| rustc | $(cd "$ROOT" && rustc -V) |
| wrk / nginx | $(wrk -v 2>&1 | awk 'NR == 1 {print $1, $2}') / $(nginx -v 2>&1 | sed 's/^nginx version: //') |
| Binary | \`$("$BIN" --version)\`, $(awk -v b="$(stat -c %s "$BIN")" 'BEGIN {printf "%.1f MB", b / 1048576}'), built from $BUILT_FROM |
| Load average before the run | $LOAD_START |
| CPU busy during the 2 s idle wait (background activity) | $BG_BUSY % |
| Date | $(date -u '+%Y-%m-%d %H:%M UTC') |

wrk, the server and nginx share the same $NPROC CPUs.
EOF
