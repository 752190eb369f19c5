#!/usr/bin/env bash
# Measures the production server against nginx, and what API keys cost, with wrk, in one run on one machine:
#   files      GET /files/{path}, a 100 KB PNG, wrk -c64          reference: nginx (one worker, sendfile, tcp_nopush)
#   big        GET /files/{path}, a 100 MiB file, one stream      reference: nginx
#   upload     POST /attachments, a 1 MiB file as multipart, wrk -c16: MB/s stored (req/s x 1 MiB)
# Each path runs on two attachkit servers over the same store: "open" (loopback, no keys) and "keyed" (a key file,
# every request with Authorization: Bearer; /files with the key, and "signed" with a signed URL instead).
# Servers run side by side and the measurements take turns, ROUNDS times; medians and per-round ratios are printed.
#
#   apt-get install -y wrk nginx-light     # once
#   benchmarks/server-auth.sh              # DURATION=10 ROUNDS=3
#
# Timings depend on the machine and its load: compare ratios, not figures.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
BENCH_NAME=server-auth.sh
. benchmarks/lib/http-bench.sh
bench_require wrk nginx python3 java mvn curl
# the 100 MiB file and the uploads are random bytes: allow the type and the size for the store and both servers
export ATTACHKIT_ALLOWED_MIME_TYPES=image/png,application/octet-stream ATTACHKIT_MAX_FILE_SIZE=209715200
bench_workdir attachkit-auth-bench

if [ -z "${JAR:-}" ]; then
  echo "building this tree's server ..." >&2
  mvn -B -q -pl server -am package -DskipTests
  JAR=server/target/attachkit.jar
fi

# ---------------------------------------------------------------- inputs
write_png "$work/image.png"
python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
with open(os.path.join(work, "big.bin"), "wb") as f:
    block = os.urandom(1 << 20)
    for _ in range(100):
        f.write(block)
upload = os.urandom(1 << 20)
b = "----attachkit-bench-boundary"
mp = (f"--{b}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"blob.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode() + upload + f"\r\n--{b}--\r\n".encode()
open(os.path.join(work, "upload.multipart"), "wb").write(mp)
open(os.path.join(work, "multipart.type"), "w").write(f"multipart/form-data; boundary={b}")
PY
write_post_lua "$work/post.lua"
mkdir -p "$work/store"
java -jar "$JAR" store "$work/image.png" "$work/big.bin" --store "file://$work/store" > "$work/stored.json" 2>/dev/null
read -r small_path big_path < <(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print(a[0]["storage_path"], a[1]["storage_path"])' "$work/stored.json")
KEY=$(java -jar "$JAR" keys new --scope read-write --id bench --key-file "$work/keys.txt" 2>/dev/null)

# ---------------------------------------------------------------- servers
java_opts=(-Xmx512m -XX:+UseParallelGC)
start_nginx 18491 application/octet-stream
start open 18492 java "${java_opts[@]}" -jar "$JAR" serve --store "file://$work/store" --port 18492
start keyed 18493 java "${java_opts[@]}" -jar "$JAR" serve --store "file://$work/store" --port 18493 --key-file "$work/keys.txt"
SIGNED_SMALL=$(curl -sf -H "Authorization: Bearer $KEY" "http://127.0.0.1:18493/attachments/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["file_id"])' "$work/stored.json")" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["processed_content"]["signed_url"])')
SIGNED_BIG=$(curl -sf -H "Authorization: Bearer $KEY" "http://127.0.0.1:18493/attachments/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[1]["file_id"])' "$work/stored.json")" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["processed_content"]["signed_url"])')
for u in "http://127.0.0.1:18491/files/$small_path" "http://127.0.0.1:18492/files/$small_path" "http://127.0.0.1:18493$SIGNED_SMALL"; do
  curl -sf -o /dev/null "$u" || { echo "server-auth.sh: $u is not served" >&2; exit 1; }
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:18493/files/$small_path")" = 401 ] || { echo "server-auth.sh: keyed /files answers without a key" >&2; exit 1; }

measure() { # case, seconds
  local url auth=()
  case $1 in
    nginx-files) url="http://127.0.0.1:18491/files/$small_path" ;;
    open-files) url="http://127.0.0.1:18492/files/$small_path" ;;
    keyed-files) url="http://127.0.0.1:18493/files/$small_path"; auth=(-H "Authorization: Bearer $KEY") ;;
    signed-files) url="http://127.0.0.1:18493$SIGNED_SMALL" ;;
    nginx-big) url="http://127.0.0.1:18491/files/$big_path" ;;
    open-big) url="http://127.0.0.1:18492/files/$big_path" ;;
    keyed-big) url="http://127.0.0.1:18493$SIGNED_BIG" ;;
  esac
  case $1 in
    *-files) wrk -t2 -c64 -d"$2s" --latency "${auth[@]}" "$url" ;;
    *-big) wrk -t1 -c1 -d"$2s" --latency "$url" ;;
    open-upload) BODY_FILE="$work/upload.multipart" BODY_TYPE="$(cat "$work/multipart.type")" BEARER="" \
        wrk -t2 -c16 -d"$2s" --latency -s "$work/post.lua" "http://127.0.0.1:18492/attachments" ;;
    keyed-upload) BODY_FILE="$work/upload.multipart" BODY_TYPE="$(cat "$work/multipart.type")" BEARER="$KEY" \
        wrk -t2 -c16 -d"$2s" --latency -s "$work/post.lua" "http://127.0.0.1:18493/attachments" ;;
  esac
}
cases=(nginx-files open-files keyed-files signed-files nginx-big open-big keyed-big open-upload keyed-upload)
results="$work/results"
: > "$results"
echo "warming up (JIT, page cache) ..." >&2
for c in "${cases[@]}"; do measure "$c" 3 > /dev/null; done
for round in $(seq 1 "$ROUNDS"); do
  for c in "${cases[@]}"; do
    measure "$c" "$DURATION" > "$work/wrk.out"
    echo "$c $(parse_wrk "$work/wrk.out")" | tee -a "$results" >&2
  done
done
stored=$(find "$work/store" -name '*.bin' -size 1M | wc -l)

python3 - "$results" "$DURATION" "$ROUNDS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$stored" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
dur, rounds, cpus, load, stored = sys.argv[2:7]
runs = {}
for r in rows:
    runs.setdefault(r[0], []).append([float(x) for x in r[1:6]])
med = {k: [statistics.median(c) for c in zip(*v)] for k, v in runs.items()}
print(f"{dur} s per run, median of {rounds} runs taken in turns; {cpus} CPUs, load average {load}; {stored} uploads of 1 MiB stored in all")
print(f"{'case':13} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'MB/s out':>9}  ratio")
refs = {"files": "nginx-files", "big": "nginx-big", "upload": "open-upload"}
for name, v in med.items():
    ref = refs[name.split("-")[1]]
    ratios = [a[0] / b[0] if b[0] else 0 for a, b in zip(runs[name], runs[ref])]
    extra = f"  MB/s stored {v[0]:.1f}" if name.endswith("upload") else ""
    print(f"{name:13} {v[0]:8.1f} {v[1]:8.2f} {v[2]:8.2f} {v[3]:8.0f} {v[4]:8.1f}  {statistics.median(ratios):.2f} x {ref}"
          f"  (rounds: {' '.join(f'{x:.2f}' for x in ratios)}){extra}")
PY
