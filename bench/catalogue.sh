#!/usr/bin/env bash
# Document-page benchmark for gongkai (results: bench/catalogue-results.md).
#
# The figure under test: a document page served at >= 5,000 requests/s with
# wrk on loopback, and at >= 0.5x the rate of nginx serving the same page
# saved as a static file, measured in the same run.
#
# What it does:
#   1. builds the release binary (unless GONGKAI_BIN is set);
#   2. starts `gongkai serve --demo` on a fresh temporary data folder and a
#      free loopback port, and saves DOC_PATH (default /documents/1, the demo
#      county's founding document) with curl;
#   3. starts nginx on another free loopback port with a minimal config in a
#      temporary folder, serving that saved file at the same path with the
#      same Content-Type, and checks both answer 200 with bodies of the same
#      size;
#   4. for each of ROUNDS rounds, gongkai then nginx: a WRK_WARMUP wrk run
#      (not recorded), then `wrk -t2 -c64 -d15s --latency`; records req/s,
#      p50/p99 latency and the server's CPU time per request;
#   5. measures, once each, two reference pages on the same gongkai server:
#      /static/site.css (compiled into the binary: the same middleware, no
#      database) and /healthz (the same again plus one `SELECT 1` through the
#      store); their difference is the cost of one statement;
#   6. prints the server's resident memory after the runs; then restarts
#      gongkai on the same data without --demo (a deployment's steady state)
#      for its idle memory, with sqlx's statement log on to count the SQL
#      statements one page view runs (not timed);
#   7. prints a Markdown report on stdout (progress goes to stderr).
#
# Usage: bash bench/catalogue.sh [> report.md]
# Environment (all optional):
#   GONGKAI_BIN   use this binary instead of building target/release/gongkai
#   DOC_PATH      page to measure (default /documents/1)
#   ROUNDS        gongkai/nginx measurement pairs, interleaved (default 1);
#                 with more than one the report gives each round and the median
#   WRK_THREADS   wrk -t (default 2)
#   WRK_CONNS     wrk -c (default 64)
#   WRK_DURATION  wrk -d (default 15s)
#   WRK_WARMUP    unrecorded wrk run before each measured one (default 3s; 0 = none)
#   QUERY_PROBE   1 (default) counts the SQL statements per page view; 0 skips it
#   REF_PATHS     reference pages (default "/static/site.css /healthz"; empty = skip)
#   BENCH_NOTE    free text shown next to the binary in the report
#
# Needs wrk, nginx, curl and python3; on Debian/Ubuntu, run as root, missing
# wrk and nginx are installed with apt-get (--no-install-recommends).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOC_PATH="${DOC_PATH:-/documents/1}"
ROUNDS="${ROUNDS:-1}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNS="${WRK_CONNS:-64}"
WRK_DURATION="${WRK_DURATION:-15s}"
WRK_WARMUP="${WRK_WARMUP:-3s}"
QUERY_PROBE="${QUERY_PROBE:-1}"
REF_PATHS="${REF_PATHS-/static/site.css /healthz}"
TARGET_RPS=5000
TARGET_RATIO=0.5

log() { printf '[catalogue-bench] %s\n' "$*" >&2; }
die() { printf '[catalogue-bench] error: %s\n' "$*" >&2; exit 1; }

[[ "$DOC_PATH" =~ ^/[A-Za-z0-9/_-]+$ ]] || die "DOC_PATH must be a plain path such as /documents/1 (got '$DOC_PATH')"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer"

# --- everything we start is recorded here and ended by the trap ------------------
WORK=""
SERVER_PID=""
PROBE_PID=""
NGINX_PID=""

stop_pid() { # stop_pid PID: SIGTERM, up to 5 s grace, then SIGKILL
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
    stop_pid "$PROBE_PID"
    stop_pid "$SERVER_PID"
    stop_pid "$NGINX_PID" # the master ends its workers on SIGTERM
    if [[ -n "$WORK" && -d "$WORK" ]]; then rm -rf "$WORK"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- prerequisites -----------------------------------------------------------------
need_apt=()
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need_apt+=(nginx)
if ((${#need_apt[@]})); then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "installing ${need_apt[*]} with apt-get"
        apt-get install -y --no-install-recommends "${need_apt[@]}" >&2 ||
            { apt-get update >&2 && apt-get install -y --no-install-recommends "${need_apt[@]}" >&2; }
    else
        die "missing: ${need_apt[*]}; install with: apt-get install -y --no-install-recommends ${need_apt[*]}"
    fi
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
for tool in curl python3; do
    command -v "$tool" >/dev/null 2>&1 || die "missing: $tool"
done

if [[ -n "${GONGKAI_BIN:-}" ]]; then
    BIN="$GONGKAI_BIN"
else
    log "building: cargo build --release -p gongkai-app"
    (cd "$ROOT" && cargo build --release -p gongkai-app >&2)
    BIN="$ROOT/target/release/gongkai"
fi
[[ -x "$BIN" ]] || die "not an executable: $BIN"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gongkai-catalogue-bench.XXXXXX")"
chmod 755 "$WORK" # nginx workers run as an unprivileged user when started by root

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_ready URL PID: polls until HTTP 200 (60 s max), failing if PID exits.
wait_ready() {
    local url="$1" pid="$2" i
    for i in $(seq 1200); do
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null || true)" == 200 ]]; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
mib() { awk -v kb="$1" 'BEGIN {printf "%.1f", kb / 1024}'; }
# cpu_ticks PID...: utime + stime of these processes, in clock ticks
cpu_ticks() {
    local pid total=0 t
    for pid in "$@"; do
        t="$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
        total=$((total + t))
    done
    echo "$total"
}
# ctx_switches PID...: voluntary + involuntary context switches of all threads of these processes
ctx_switches() {
    local pid total=0 t
    for pid in "$@"; do
        t="$(cat /proc/"$pid"/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches:/ {s += $2} END {print s + 0}')"
        total=$((total + t))
    done
    echo "$total"
}
# machine_jiffies: "BUSY TOTAL" over all CPUs, from /proc/stat
machine_jiffies() { awk '$1 == "cpu" {idle = $5 + $6; total = $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; print total - idle, total}' /proc/stat; }
CLK_TCK="$(getconf CLK_TCK)"
# children_cpu: CPU seconds (user + system) used so far by this shell's finished children (wrk).
# `times` must run in this shell, not in a pipeline's subshell, to see them.
children_cpu() {
    times >"$WORK/times.txt"
    awk 'function s(v) {split(v, a, /[ms]/); return a[1] * 60 + a[2]} NR == 2 {printf "%.3f\n", s($1) + s($2)}' "$WORK/times.txt"
}

# wrk_field FILE rps|p50|p99|requests|errors|non2xx   (latencies in ms)
wrk_field() {
    awk -v want="$2" '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /m$/)  return substr(v, 1, length(v) - 1) * 60000
            if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
            return v + 0
        }
        want == "rps" && $1 == "Requests/sec:"         { printf "%.0f", $2 }
        want == "p50" && $1 == "50%"                   { printf "%.2f", ms($2) }
        want == "p99" && $1 == "99%"                   { printf "%.2f", ms($2) }
        want == "requests" && $2 == "requests" && $3 == "in" { printf "%s", $1 }
        want == "errors" && $1 == "Socket"             { sub(/^ *Socket errors: */, ""); printf "%s", $0 }
        want == "non2xx" && /Non-2xx/                  { printf "%s", $NF }
    ' "$1"
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
log "binary: $BIN; page: $DOC_PATH; load average: $LOAD_START"

# --- gongkai with the demo county ------------------------------------------------------
PORT="$(free_port)"
mkdir "$WORK/data"
"$BIN" --data "$WORK/data" serve --demo --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
G_URL="http://127.0.0.1:$PORT$DOC_PATH"
wait_ready "http://127.0.0.1:$PORT/healthz" "$SERVER_PID" || { tail -n 30 "$WORK/server.log" >&2; die "gongkai did not become healthy"; }
RSS_IDLE="$(rss_kb "$SERVER_PID")"

# The page nginx will serve: gongkai's answer, byte for byte, at the same path.
WWW="$WORK/nginx/www"
mkdir -p "$WWW$(dirname "$DOC_PATH")" "$WORK/nginx/tmp"
read -r G_CODE G_CTYPE G_BODY G_HEAD < <(curl -s -o "$WWW$DOC_PATH" -w '%{http_code} %{content_type} %{size_download} %{size_header}\n' "$G_URL" | sed 's/; /;/')
G_CTYPE="${G_CTYPE/;/; }"
[[ "$G_CODE" == 200 ]] || die "GET $DOC_PATH answered $G_CODE"
grep -q '<h1>' "$WWW$DOC_PATH" || die "GET $DOC_PATH is not a document page (no <h1>)"
curl -s -o "$WORK/again.html" "$G_URL"
if cmp -s "$WORK/again.html" "$WWW$DOC_PATH"; then SAME_BODY="byte-identical in two fetches"; else SAME_BODY="different in two fetches (!)"; fi
chmod -R a+rX "$WORK/nginx"
TITLE="$(sed -n 's:.*<h1>\(.*\)</h1>.*:\1:p' "$WWW$DOC_PATH" | head -n 1)"
log "$DOC_PATH: $G_BODY body bytes + $G_HEAD header bytes, Content-Type '$G_CTYPE', title: $TITLE"

# --- nginx serving the saved page ---------------------------------------------------------
NGINX_PORT="$(free_port)"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
master_process on;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 1000000;  # as gongkai: no forced reconnects during the run
    types { }
    default_type "$G_CTYPE";
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WWW;
    }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
NGINX_PID=$!
N_URL="http://127.0.0.1:$NGINX_PORT$DOC_PATH"
wait_ready "$N_URL" "$NGINX_PID" || { cat "$WORK/nginx/error.log" >&2; die "nginx did not start"; }
read -r N_CTYPE N_BODY N_HEAD < <(curl -s -o "$WORK/nginx-copy.html" -w '%{content_type} %{size_download} %{size_header}\n' "$N_URL" | sed 's/; /;/')
N_CTYPE="${N_CTYPE/;/; }"
[[ "$N_BODY" == "$G_BODY" ]] || die "nginx serves $N_BODY body bytes, gongkai $G_BODY"
cmp -s "$WORK/nginx-copy.html" "$WWW$DOC_PATH" || die "nginx does not serve the saved page byte for byte"
[[ "${N_CTYPE,,}" == "${G_CTYPE,,}" ]] || die "Content-Type differs: nginx '$N_CTYPE', gongkai '$G_CTYPE'"
NGINX_WORKERS="$(pgrep -P "$NGINX_PID" | wc -l)"
log "nginx: $NGINX_WORKERS workers, same body ($N_BODY bytes) and Content-Type; $N_HEAD header bytes"

# --- the timed runs -------------------------------------------------------------------------
# Whatever keeps the CPUs busy while both servers sit idle will also skew the runs.
read -r BB0 BA0 < <(machine_jiffies)
sleep 2
read -r BB1 BA1 < <(machine_jiffies)
BG_BUSY="$(awk -v b=$((BB1 - BB0)) -v a=$((BA1 - BA0)) 'BEGIN {printf "%.0f", (a > 0 ? 100 * b / a : 0)}')"
log "CPU busy with both servers idle (other processes): $BG_BUSY %"
WRK_CMD="wrk -t$WRK_THREADS -c$WRK_CONNS -d$WRK_DURATION --latency"
# measure NAME ROUND URL PID...: warm-up, then the recorded run; writes $WORK/NAME-ROUND.{txt,cpu}
measure() {
    local name="$1" round="$2" url="$3"
    shift 3
    if [[ "$WRK_WARMUP" != 0 ]]; then
        wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"$WRK_WARMUP" "$url" >/dev/null
    fi
    local t0 t1 b0 a0 b1 a1 s0 s1 c0 c1 w0 w1
    t0="$(cpu_ticks "$@")"
    c0="$(ctx_switches "$@")"
    children_cpu >"$WORK/w0"; w0="$(cat "$WORK/w0")"
    read -r b0 a0 < <(machine_jiffies)
    s0="$(date +%s.%N)"
    $WRK_CMD "$url" >"$WORK/$name-$round.txt"
    s1="$(date +%s.%N)"
    t1="$(cpu_ticks "$@")"
    c1="$(ctx_switches "$@")"
    read -r b1 a1 < <(machine_jiffies)
    children_cpu >"$WORK/w1"; w1="$(cat "$WORK/w1")"
    local requests
    requests="$(wrk_field "$WORK/$name-$round.txt" requests)"
    # server CPU µs per request; server CPU in cores; whole machine busy %; server context switches per request;
    # wrk CPU in cores; CPU used by everything else (other processes, kernel threads) in cores
    awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$requests" -v s0="$s0" -v s1="$s1" -v b=$((b1 - b0)) -v a=$((a1 - a0)) -v c=$((c1 - c0)) \
        -v w="$(awk -v x="$w0" -v y="$w1" 'BEGIN {print y - x}')" -v ncpu="$(nproc)" \
        'BEGIN {
            secs = s1 - s0; busy_cores = (a > 0 ? ncpu * b / a : 0); other = busy_cores - t / hz / secs - w / secs
            printf "%.0f %.2f %.0f %.1f %.2f %.2f\n", (n > 0 ? t / hz * 1e6 / n : 0), t / hz / secs, (a > 0 ? 100 * b / a : 0),
                (n > 0 ? c / n : 0), w / secs, (other > 0 ? other : 0)
        }' >"$WORK/$name-$round.cpu"
    sed 's/^/    /' "$WORK/$name-$round.txt" >&2
}

for round in $(seq "$ROUNDS"); do
    log "round $round/$ROUNDS: gongkai $G_URL ($WRK_CMD, ${WRK_WARMUP} warm-up); load $(cut -d' ' -f1-3 /proc/loadavg)"
    measure gongkai "$round" "$G_URL" "$SERVER_PID"
    # shellcheck disable=SC2046
    log "round $round/$ROUNDS: nginx $N_URL"
    measure nginx "$round" "$N_URL" "$NGINX_PID" $(pgrep -P "$NGINX_PID")
done
RSS_AFTER="$(rss_kb "$SERVER_PID")"
HWM="$(hwm_kb "$SERVER_PID")"
THREADS="$(awk '/^Threads:/ {print $2}' "/proc/$SERVER_PID/status")"
log "gongkai VmRSS: idle $RSS_IDLE kB, after the runs $RSS_AFTER kB (peak $HWM kB), $THREADS threads"

REF_ROWS=""
ref_no=0
for ref in $REF_PATHS; do
    ref_no=$((ref_no + 1))
    R_URL="http://127.0.0.1:$PORT$ref"
    read -r R_BODY < <(curl -s -o /dev/null -w '%{size_download}\n' "$R_URL")
    case "$ref" in
        /static/*) what="compiled in, same middleware, no database" ;;
        /healthz) what="same middleware, one \`SELECT 1\` through the store" ;;
        *) what="reference" ;;
    esac
    log "reference: gongkai $R_URL ($R_BODY bytes)"
    measure ref "$ref_no" "$R_URL" "$SERVER_PID"
    read -r r_us r_cores r_busy r_cs r_wrk r_other <"$WORK/ref-$ref_no.cpu"
    r="$WORK/ref-$ref_no.txt"
    r_err="$(wrk_field "$r" errors)"; r_non="$(wrk_field "$r" non2xx)"
    REF_ROWS="$REF_ROWS| ref. | gongkai \`$ref\` ($R_BODY B, $what) | $(wrk_field "$r" rps) | $(wrk_field "$r" p50) / $(wrk_field "$r" p99) ms | $r_us µs ($r_cores cores) | $r_cs | $r_busy % ($r_wrk wrk, $r_other other) | ${r_err:-none}${r_non:+; non-2xx $r_non} |
"
done
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
stop_pid "$SERVER_PID"
SERVER_PID=""

# --- SQL statements per page view (separate server, not timed) -------------------------------
QUERIES="not measured (QUERY_PROBE=0)"
RSS_RESTART=""
if [[ "$QUERY_PROBE" == 1 ]]; then
    # Same data, no --demo: the memory of a deployment that did not just hash seven demo passwords.
    PROBE_PORT="$(free_port)"
    GONGKAI_LOG="warn,sqlx::query=debug" NO_COLOR=1 "$BIN" --data "$WORK/data" serve --addr "127.0.0.1:$PROBE_PORT" \
        >"$WORK/probe.log" 2>&1 &
    PROBE_PID=$!
    wait_ready "http://127.0.0.1:$PROBE_PORT/healthz" "$PROBE_PID" || die "probe server did not become healthy"
    sleep 1
    RSS_RESTART="$(rss_kb "$PROBE_PID")"
    curl -s -o /dev/null "http://127.0.0.1:$PROBE_PORT$DOC_PATH" # first view: statement cache warm
    # Ten views, one at a time; a background job (scheduled publishing, session purge) may add a
    # statement to one of them, so the page's own count is the smallest.
    counts=()
    for i in $(seq 10); do
        sleep 0.2
        before="$(grep -c 'sqlx::query' "$WORK/probe.log" || true)"
        curl -s -o /dev/null "http://127.0.0.1:$PROBE_PORT$DOC_PATH"
        sleep 0.2
        after="$(grep -c 'sqlx::query' "$WORK/probe.log" || true)"
        counts+=($((after - before)))
        if [[ -z "${min_q:-}" || $((after - before)) -lt $min_q ]]; then
            min_q=$((after - before))
            # The tables each statement of this view reads from, in order.
            TABLES="$(grep 'sqlx::query' "$WORK/probe.log" | sed -n "$((before + 1)),${after}p" |
                awk 'match($0, /FROM \\"[a-z_]+/) {print substr($0, RSTART + 7, RLENGTH - 7)}' | paste -sd, - | sed 's/,/, /g')"
        fi
    done
    QUERIES="$min_q${TABLES:+ ($TABLES)}"
    log "SQL statements per view of $DOC_PATH, ten views: ${counts[*]}"
    stop_pid "$PROBE_PID"
    PROBE_PID=""
    log "SQL statements per view of $DOC_PATH: $QUERIES"
fi

# --- report -----------------------------------------------------------------------------------
verdict_ge() { awk -v v="$1" -v t="$2" 'BEGIN {print (v + 0 >= t + 0) ? "met" : "MISSED"}'; }
CPU_MODEL="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
if [[ -n "${GONGKAI_BIN:-}" ]]; then
    BUILT_FROM="GONGKAI_BIN=$GONGKAI_BIN${BENCH_NOTE:+ ($BENCH_NOTE)}"
else
    BUILT_FROM="this tree at $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [[ -n "$(cd "$ROOT" && git status --porcelain 2>/dev/null)" ]]; then BUILT_FROM="$BUILT_FROM (with uncommitted changes)"; fi
    BUILT_FROM="$BUILT_FROM${BENCH_NOTE:+ ($BENCH_NOTE)}"
fi

G_RPS_ALL=""; N_RPS_ALL=""; RATIOS=""
ROWS=""
for round in $(seq "$ROUNDS"); do
    g="$WORK/gongkai-$round.txt"; n="$WORK/nginx-$round.txt"
    read -r g_us g_cores g_busy g_cs g_wrk g_other <"$WORK/gongkai-$round.cpu"
    read -r n_us n_cores n_busy n_cs n_wrk n_other <"$WORK/nginx-$round.cpu"
    g_rps="$(wrk_field "$g" rps)"; n_rps="$(wrk_field "$n" rps)"
    ratio="$(awk -v a="$g_rps" -v b="$n_rps" 'BEGIN {printf "%.2f", a / b}')"
    G_RPS_ALL="$G_RPS_ALL $g_rps"; N_RPS_ALL="$N_RPS_ALL $n_rps"; RATIOS="$RATIOS $ratio"
    g_err="$(wrk_field "$g" errors)"; g_non="$(wrk_field "$g" non2xx)"
    n_err="$(wrk_field "$n" errors)"; n_non="$(wrk_field "$n" non2xx)"
    ROWS="$ROWS| $round | gongkai \`$DOC_PATH\` | $g_rps | $(wrk_field "$g" p50) / $(wrk_field "$g" p99) ms | $g_us µs ($g_cores cores) | $g_cs | $g_busy % ($g_wrk wrk, $g_other other) | ${g_err:-none}${g_non:+; non-2xx $g_non} |
| $round | nginx, the saved page ($NGINX_WORKERS workers) | $n_rps | $(wrk_field "$n" p50) / $(wrk_field "$n" p99) ms | $n_us µs ($n_cores cores) | $n_cs | $n_busy % ($n_wrk wrk, $n_other other) | ${n_err:-none}${n_non:+; non-2xx $n_non} |
| $round | **gongkai / nginx** | **$ratio** | | | | | |
"
done
if [[ -n "$RSS_RESTART" ]]; then RSS_RESTART_TEXT="$(mib "$RSS_RESTART") MiB"; else RSS_RESTART_TEXT="not measured (QUERY_PROBE=0)"; fi
G_RPS="$(median <<<"$G_RPS_ALL")"
RATIO="$(median <<<"$RATIOS")"
if ((ROUNDS > 1)); then AGG="median of $ROUNDS rounds"; else AGG="one round"; fi

cat <<EOF
## Results: \`GET $DOC_PATH\` (${TITLE})

| Figure | Target | Measured ($AGG) | Verdict |
|---|---|---|---|
| gongkai requests/s | ≥ $TARGET_RPS | $G_RPS | $(verdict_ge "$G_RPS" "$TARGET_RPS") |
| gongkai req/s ÷ nginx req/s (same page as a static file, same run) | ≥ $TARGET_RATIO | $RATIO | $(verdict_ge "$RATIO" "$TARGET_RATIO") |
| gongkai resident memory (VmRSS) of \`serve --demo\`: idle / after the runs (peak VmHWM) | — | $(mib "$RSS_IDLE") / $(mib "$RSS_AFTER") MiB (peak $(mib "$HWM") MiB) | |
| gongkai VmRSS idle, restarted on the same data without \`--demo\` | — | $RSS_RESTART_TEXT | |
| SQL statements per page view | — | $QUERIES | |

| Round | Server | Requests/s | Latency p50 / p99 | Server CPU per request (server CPU use) | Server context switches per request | Machine busy (cores used by wrk, by other processes) | wrk errors |
|---|---|---|---|---|---|---|---|
$ROWS$REF_ROWS
Command, each server and round: \`$WRK_CMD <url>\` after an unrecorded ${WRK_WARMUP} warm-up with the same options;
gongkai first, then nginx. Whole benchmark: \`bash bench/catalogue.sh\`$( ((ROUNDS > 1)) && printf ' with `ROUNDS=%s`' "$ROUNDS").

Page: $G_BODY body bytes from both servers ($SAME_BODY from gongkai), Content-Type \`$G_CTYPE\` from both;
response headers $G_HEAD bytes (gongkai, including a \`Set-Cookie\` CSRF cookie, since wrk sends no cookies) and $N_HEAD bytes (nginx).
nginx: \`worker_processes auto\` ($NGINX_WORKERS workers), \`access_log off\`, \`sendfile on\`, \`keepalive_requests 1000000\`, the page as a file under its root.
"Server CPU per request" is the server's user + system CPU time (gongkai: its process; nginx: master and workers) during the
recorded run divided by the requests wrk completed; context switches are summed over all the server's threads
(\`/proc/<pid>/task/*/status\`); "machine busy" is all CPUs, wrk and any other process included, and "other" is what
neither the server nor wrk used: a round with "other" well above 0 was disturbed by other work on the machine.

| Machine | |
|---|---|
| CPUs (nproc) / model | $(nproc) / $CPU_MODEL |
| Memory | $(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) |
| Kernel | $(uname -sr) |
| wrk / nginx | $(wrk -v 2>&1 | awk 'NR == 1 {print $1, $2}') / $("$NGINX" -v 2>&1 | sed 's/^nginx version: //') |
| Binary | \`$("$BIN" --version 2>/dev/null || echo gongkai)\`, built from $BUILT_FROM |
| Load average (1/5/15 min) before / after | $LOAD_START / $LOAD_END |
| CPU busy with both servers idle, just before the runs (other processes) | $BG_BUSY % |
| Date | $(date -u '+%Y-%m-%d %H:%M UTC') |

wrk, gongkai and nginx share the same $(nproc) CPUs.
EOF
