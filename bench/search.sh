#!/usr/bin/env bash
# Search benchmark for gongkai (figures in BENCHMARKS.md, section "Search").
#
# What it does, on a fresh temporary data folder:
#   1. builds the release binary (unless GONGKAI_BIN is set);
#   2. generates N realistic policy documents (`gongkai bench
#      generate-documents`, default 1,000,000) as import JSONL;
#   3. seeds the demo county (`gongkai demo`: site, units, columns) and
#      imports the file with `gongkai import documents` (documents/s, peak
#      memory); the import also brings the search index up to date;
#   4. rebuilds the index from the database with `gongkai reindex` (the time
#      a full rebuild takes);
#   5. runs `gongkai bench search`: builds SQLite FTS5 (trigram) over the same
#      texts, runs the same judged queries single-threaded on both, and prints
#      latency p50/p99, their ratio, nDCG@10 of both and the index sizes
#      against the raw text;
#   6. starts `gongkai serve` on the million-document data and drives the
#      search page and the JSON API with wrk (2 threads, 16 connections, 30 s),
#      then reads the server's resident memory (VmRSS, VmHWM).
# A Markdown report goes to stdout; progress to stderr.
#
# Usage: bash bench/search.sh [> report.md]
# Environment: N (documents, default 1000000), GONGKAI_BIN, WORK (folder to
# keep the corpus, data and FTS5 database in; default a temporary one,
# removed at the end unless KEEP=1), ROUNDS (timed runs per query for
# gongkai, default 20), FTS_ROUNDS (for FTS5, default 1).
# Needs wrk, curl and python3 (wrk is installed with apt-get if missing).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-1000000}"
ROUNDS="${ROUNDS:-20}"
FTS_ROUNDS="${FTS_ROUNDS:-1}"
log() { printf '[search-bench] %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
  log "installing wrk"
  apt-get install -y --no-install-recommends wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends wrk >/dev/null; }
fi

if [ -z "${GONGKAI_BIN:-}" ]; then
  log "building release binary"
  (cd "$ROOT" && cargo build --release --quiet)
  GONGKAI_BIN="$ROOT/target/release/gongkai"
fi

WORK="${WORK:-$(mktemp -d)}"
mkdir -p "$WORK"
DATA="$WORK/data"
CORPUS="$WORK/corpus-$N.jsonl"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

gk() { "$GONGKAI_BIN" --data "$DATA" "$@"; }
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }

if [ ! -s "$CORPUS" ]; then
  log "generating $N documents"
  t0=$(now)
  "$GONGKAI_BIN" bench generate-documents --count "$N" "$CORPUS" >&2
  GEN_S=$(secs "$t0" "$(now)")
else
  GEN_S="(kept)"
fi
CORPUS_MB=$(python3 -c "import os;print(f'{os.path.getsize(\"$CORPUS\")/1e6:.0f}')")

rm -rf "$DATA"
gk demo >/dev/null
log "importing"
t0=$(now)
/usr/bin/time -f '%M' -o "$WORK/import.rss" "$GONGKAI_BIN" --data "$DATA" import documents --restart "$CORPUS" >"$WORK/import.out" 2>"$WORK/import.err"
IMPORT_S=$(secs "$t0" "$(now)")
IMPORT_RSS_MB=$(( $(tail -1 "$WORK/import.rss") / 1024 ))
log "import: $IMPORT_S s"

log "rebuilding the index"
t0=$(now)
gk reindex >"$WORK/reindex.out" 2>/dev/null
REINDEX_S=$(secs "$t0" "$(now)")

log "search benchmark (FTS5 peer)"
gk bench search --corpus "$CORPUS" --fts-db "$WORK/fts5.db" --rounds "$ROUNDS" --fts-rounds "$FTS_ROUNDS" >"$WORK/search.md"

log "serving"
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
"$GONGKAI_BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" >/dev/null 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
IDLE_RSS=$(awk '/VmRSS/{print int($2/1024)}' /proc/$SERVER_PID/status)
cat >"$WORK/paths.lua" <<'LUA'
local paths = {
  "/search?q=%E5%85%BB%E8%80%81%E4%BF%9D%E9%99%A9",
  "/search?q=%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80&sort=date",
  "/api/v1/search?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4%20%E4%BA%A7%E4%B8%9A",
  "/search?q=%E5%85%BB%E8%80%81%E4%BF%9D%E9%99%A9&page=2",
  "/api/v1/search?q=%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7%20%E6%A3%80%E6%9F%A5&year=2022",
  "/documents/5000",
  "/columns/normative-documents?page=50",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
wrk -t2 -c16 -d30s --latency -s "$WORK/paths.lua" "http://127.0.0.1:$PORT" >"$WORK/wrk.out" 2>&1
RPS=$(awk '/Requests\/sec/{print $2}' "$WORK/wrk.out")
P50=$(awk '$1=="50%"{print $2}' "$WORK/wrk.out")
P99=$(awk '$1=="99%"{print $2}' "$WORK/wrk.out")
NON2XX=$(awk '/Non-2xx/{print $4}' "$WORK/wrk.out")
RSS=$(awk '/VmRSS/{print int($2/1024)}' /proc/$SERVER_PID/status)
HWM=$(awk '/VmHWM/{print int($2/1024)}' /proc/$SERVER_PID/status)
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

DOCS_PER_S=$(python3 -c "print(f'{$N / $IMPORT_S:.0f}')")
REINDEX_RATE=$(python3 -c "print(f'{$N / $REINDEX_S:.0f}')")
DB_MB=$(du -sm "$DATA/gongkai.db" 2>/dev/null | cut -f1 || echo "?")
cat <<EOF
# Search benchmark

- machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; $(uname -sr)
- binary: $("$GONGKAI_BIN" --version)
- corpus: $N generated documents, $CORPUS_MB MB of JSONL (generated in $GEN_S s)

| step | figure |
|---|---|
| \`gongkai import documents\` (database + search index) | $IMPORT_S s, **$DOCS_PER_S documents/s**, peak RSS $IMPORT_RSS_MB MB |
| \`gongkai reindex\` (full rebuild from the database) | $REINDEX_S s ($REINDEX_RATE documents/s) |
| database file | $DB_MB MB |
| server idle after start | $IDLE_RSS MB RSS |
| server under wrk (search page, API, document, column pages; 2 threads, 16 connections, 30 s) | $RPS req/s, p50 $P50, p99 $P99, non-2xx: ${NON2XX:-0} |
| server resident memory after load | **$RSS MB** (peak $HWM MB) |

$(tail -n +1 "$WORK/import.out" | tail -3 | sed 's/^/    /')

$(cat "$WORK/search.md")
EOF
