# Shared by the wrk benchmarks (server-auth.sh, server-engines.sh): sourced, not run. Each script sets BENCH_NAME
# first (for messages), then calls these.

# bench_require TOOL...: stops with the install hint when a tool is missing
bench_require() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$BENCH_NAME: $tool is missing (apt-get install -y wrk nginx-light)" >&2; exit 2; }
  done
}

# bench_workdir PREFIX: makes $work and ends every started process and removes $work on exit; a script that needs
# more cleanup defines bench_cleanup_extra
pids=()
bench_workdir() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  trap bench_cleanup EXIT
}
bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if declare -F bench_cleanup_extra >/dev/null; then bench_cleanup_extra; fi
  rm -rf "$work"
}

wait_for_port() {
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "$BENCH_NAME: nothing listens on port $1" >&2
  return 1
}

# start NAME PORT COMMAND...: runs the command in the background (log in $work/NAME.log) and waits for its port
start() {
  local name=$1 p=$2; shift 2
  "$@" > "$work/$name.log" 2>&1 &
  pids+=($!)
  wait_for_port "$p"
}

# write_png FILE: a PNG of random RGB pixels, about 100 KB (they do not compress)
write_png() {
  python3 - "$1" <<'PY'
import random, struct, sys, zlib
random.seed(42)
w, h = 184, 184
raw = b"".join(b"\x00" + bytes(random.getrandbits(8) for _ in range(w * 3)) for _ in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
}

# write_post_lua FILE: a wrk script that POSTs $BODY_FILE as $BODY_TYPE, with Authorization: Bearer $BEARER if set
write_post_lua() {
  cat > "$1" <<'LUA'
local f = io.open(os.getenv("BODY_FILE"), "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("BODY_TYPE")
local bearer = os.getenv("BEARER")
if bearer ~= nil and bearer ~= "" then wrk.headers["Authorization"] = "Bearer " .. bearer end
LUA
}

# start_nginx PORT DEFAULT_TYPE: the reference, one worker with sendfile and tcp_nopush, serving $work/store at /files/
start_nginx() {
  cat > "$work/nginx.conf" <<NGINX
user root;
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx.error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type $2;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  server {
    listen 127.0.0.1:$1;
    location /files/ { alias $work/store/; }
  }
}
NGINX
  start nginx "$1" nginx -c "$work/nginx.conf"
}

# parse_wrk FILE: wrk's output -> "req/s p50-ms p99-ms non-2xx MB/s-transferred"
parse_wrk() {
  python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    n, u = float(m.group(1)), m.group(2)
    return n / 1000 if u == "us" else n * 1000 if u == "s" else n
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
m = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", t)
mult = {"B": 1e-6, "KB": 1.024e-3, "MB": 1.048576, "GB": 1073.741824}[m.group(2)]
print(f"{rps:.1f} {p50:.2f} {p99:.2f} {int(bad.group(1)) if bad else 0} {float(m.group(1)) * mult:.1f}")
PY
}
