#!/usr/bin/env bash
# Measures the attachkit server's hot paths on each HTTP engine, with wrk, in one run on one machine:
#   GET /files/{path}        a 100 KB PNG, wrk -c64; reference: nginx (one worker, sendfile) serving the same file
#   POST /attachments        a 10 KB text file as multipart/form-data, and the same as base64 JSON, wrk -c16;
#                            reference: the JDK server (the last commit on it, MAIN_REF)
# Engines: "jdk" (com.sun.net.httpserver, the server before the move), "undertow" (this tree's server) and "jetty"
# (JettyPrototypeServer: Jetty 12 over the same FileServing rules, mapped buffers; JSON upload only).
#
#   apt-get install -y wrk nginx-light     # once
#   benchmarks/server-engines.sh           # DURATION=10 FILES_CONNECTIONS=64 UPLOAD_CONNECTIONS=16 MAIN_REF=<JDK-engine commit>
#   JDK_JAR=/path/to/jdk-engine/attachkit.jar benchmarks/server-engines.sh   # skip building it
#
# Prints one line per engine and path: requests/s, p50 and p99 latency, non-2xx answers, and the ratio to the
# reference measured in the same run. Timings depend on the machine and its load: compare ratios, not figures.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
FILES_CONNECTIONS=${FILES_CONNECTIONS:-64}
UPLOAD_CONNECTIONS=${UPLOAD_CONNECTIONS:-16}
# the last commit whose server ran on the JDK's com.sun.net.httpserver (9dde2bb moved it to Undertow)
MAIN_REF=${MAIN_REF:-6a2a852d5eb310b49ca1643f09ed9b22cf3274bf}
BENCH_NAME=server-engines.sh
. benchmarks/lib/http-bench.sh
bench_require wrk nginx python3 java mvn
bench_workdir attachkit-engines
bench_cleanup_extra() {
  if [ -d "$work/main" ]; then git worktree remove --force "$work/main" || true; fi
}

# ---------------------------------------------------------------- build
if [ -z "${JDK_JAR:-}" ]; then
  echo "building the JDK-engine server from $MAIN_REF ..." >&2
  git worktree add -q --detach "$work/main" "$MAIN_REF"
  (cd "$work/main" && mvn -B -q -pl server -am package -DskipTests)
  JDK_JAR="$work/main/server/target/attachkit.jar"
fi
echo "building this tree's server and benchmarks ..." >&2
mvn -B -q -pl server,benchmarks -am package -DskipTests
UNDERTOW_JAR=server/target/attachkit.jar
BENCH_JAR=benchmarks/target/benchmarks.jar

# ---------------------------------------------------------------- inputs
write_png "$work/image.png"
python3 - "$work" <<'PY'
import os, sys, json, base64
work = sys.argv[1]
text = ("upload benchmark line, lorem ipsum dolor sit amet\n" * 205).encode()[:10240]
b = "----attachkit-bench-boundary"
mp = (f"--{b}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\n").encode() + text + f"\r\n--{b}--\r\n".encode()
open(os.path.join(work, "upload.multipart"), "wb").write(mp)
open(os.path.join(work, "upload.json"), "w").write(json.dumps({"attachments": [{"filename": "note.txt", "mime_type": "text/plain", "data": base64.b64encode(text).decode()}]}))
open(os.path.join(work, "multipart.type"), "w").write(f"multipart/form-data; boundary={b}")
PY
write_post_lua "$work/post.lua"
mkdir -p "$work/store"
java -jar "$UNDERTOW_JAR" store "$work/image.png" --store "file://$work/store" > "$work/stored.json" 2>/dev/null
storage_path=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["storage_path"])' "$work/stored.json")
image_bytes=$(stat -c %s "$work/image.png")

# ---------------------------------------------------------------- servers
# All servers run at once, each on its own port, and the measurements take turns (engine after engine, ROUNDS times):
# on a shared machine the load changes from minute to minute, and taking turns spreads that over every engine alike.
ROUNDS=${ROUNDS:-3}
java_opts=(-Xmx512m -XX:+UseParallelGC)
start_nginx 18481 image/png
start jdk 18482 java "${java_opts[@]}" -jar "$JDK_JAR" serve --store "file://$work/store" --port 18482
start undertow 18483 java "${java_opts[@]}" -jar "$UNDERTOW_JAR" serve --store "file://$work/store" --port 18483
start jetty 18484 java "${java_opts[@]}" -cp "$BENCH_JAR" io.attachkit.benchmarks.server.JettyPrototypeServer "$work/store" 18484
declare -A ports=([nginx]=18481 [jdk]=18482 [undertow]=18483 [jetty]=18484)
curl -sf -o /dev/null "http://127.0.0.1:18481/files/$storage_path" || { echo "server-engines.sh: nginx does not serve the file" >&2; exit 1; }

run_wrk() { # connections, seconds, url, [body file, content type]
  if [ $# -gt 3 ]; then
    BODY_FILE=$4 BODY_TYPE=$5 wrk -t2 -c"$1" -d"$2s" --latency -s "$work/post.lua" "$3"
  else
    wrk -t2 -c"$1" -d"$2s" --latency "$3"
  fi
}
results="$work/results"
: > "$results"
case_args() { # engine, path -> wrk arguments after the duration
  local url="http://127.0.0.1:${ports[$1]}"
  case $2 in
    files) echo "$FILES_CONNECTIONS" "$url/files/$storage_path" ;;
    multipart) echo "$UPLOAD_CONNECTIONS" "$url/attachments" "$work/upload.multipart" "$(cat "$work/multipart.type" | tr ' ' '+')" ;;
    json) echo "$UPLOAD_CONNECTIONS" "$url/attachments" "$work/upload.json" application/json ;;
  esac
}
measure() { # engine, path, seconds
  local conns url body type
  read -r conns url body type <<< "$(case_args "$1" "$2")"
  if [ -n "${body:-}" ]; then run_wrk "$conns" "$3" "$url" "$body" "${type//+/ }"; else run_wrk "$conns" "$3" "$url"; fi
}
cases=("nginx files" "jdk files" "undertow files" "jetty files" "jdk multipart" "undertow multipart" "jdk json" "undertow json" "jetty json")
echo "warming up (JIT, page cache) ..." >&2
for c in "${cases[@]}"; do measure $c 5 > /dev/null; done
for round in $(seq 1 "$ROUNDS"); do
  for c in "${cases[@]}"; do
    measure $c "$DURATION" > "$work/wrk.out"
    echo "$c $(parse_wrk "$work/wrk.out")" | tee -a "$results" >&2
  done
done

# ---------------------------------------------------------------- report
python3 - "$results" "$image_bytes" "$DURATION" "$FILES_CONNECTIONS" "$UPLOAD_CONNECTIONS" "$ROUNDS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
image, dur, fc, uc, rounds, cpus, load = sys.argv[2:9]
runs = {}
for r in rows:
    runs.setdefault((r[0], r[1]), []).append([float(x) for x in r[2:6]])
med = {k: [statistics.median(col) for col in zip(*v)] for k, v in runs.items()}
print(f"GET /files: {int(image)//1000} KB PNG, wrk -t2 -c{fc}; POST /attachments: 10 KB text, wrk -t2 -c{uc};"
      f" {dur} s per run, median of {rounds} runs taken in turns; {cpus} CPUs, load average {load}")
print(f"{'engine':9} {'path':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}  ratio (each round's own reference)")
for (engine, path), v in med.items():
    ref = ("nginx", "files") if path == "files" else ("jdk", path)
    ratios = [a[0] / b[0] for a, b in zip(runs[(engine, path)], runs[ref])]
    print(f"{engine:9} {path:10} {v[0]:8.0f} {v[1]:8.2f} {v[2]:8.2f} {v[3]:8.0f}  {statistics.median(ratios):.2f} x {ref[0]}"
          f"  (rounds: {' '.join(f'{x:.2f}' for x in ratios)})")
PY
