#!/usr/bin/env bash
# What the nginx front costs (docs/benchmarks.md, "Behind nginx"): a private Redis, two nodes (engine redis) of
# this checkout, config/nginx/dino.conf as written in front of them (only ports, node addresses and certificate
# paths replaced, as NginxFrontTest does; run as the current user in a temp dir), and `loadgen fanout` at one
# fixed rate, once straight to the nodes (ws://) and once through nginx (wss://, TLS ending at nginx), ROUNDS
# times interleaved. Prints one line per run: delivery latency, loss, and CPU of nodes, nginx and generator.
#   nginx-front.sh [RATE_PER_PUBLISHER] [DURATION_S] [ROUNDS]
# Environment: SUBS ROOMS PUBS (default 500 10 10), OUT (default /tmp/dino-nginx-front).
set -euo pipefail
RATE=${1:-20} DUR=${2:-20} ROUNDS=${3:-2}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
J=$("$HERE/dino" which-java)/bin/java
LOADGEN=$HERE/clients/loadgen/target/dino-loadgen.jar
OUT=${OUT:-/tmp/dino-nginx-front}; rm -rf "$OUT"; mkdir -p "$OUT/nginx/logs"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
P0=$((20000 + RANDOM % 20000))
RP=$P0 A=$((P0+1)) B=$((P0+3)) HTTPS=$((P0+5)) GRPCS=$((P0+6))
PIDS=()
cleanup() {
  [[ -f $OUT/nginx/nginx.pid ]] && kill "$(cat $OUT/nginx/nginx.pid)" 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
}
trap cleanup EXIT

redis-server --port $RP --bind 127.0.0.1 --save '' --appendonly no --logfile $OUT/redis.log >/dev/null &
PIDS+=($!)
for i in $(seq 1 100); do [[ "$(redis-cli -p $RP ping 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
for port in $A $B; do
  env MALLOC_ARENA_MAX=2 SERVER_PORT=$port DINO_GRPC_PORT=$((port+1)) DINO_ENGINE=redis DINO_REDIS_URI=redis://127.0.0.1:$RP \
    DINO_LOG_FORMAT=text $J $("$HERE/dino" java-opts) -jar $HERE/gateway/target/dino-gateway.jar \
    --config $HERE/config/dino-dev.yaml >$OUT/node$port.log 2>&1 &
  PIDS+=($!)
done
NA=${PIDS[1]} NB=${PIDS[2]}
for port in $A $B; do
  for i in $(seq 1 150); do curl -fsS -m 1 http://127.0.0.1:$port/observe/health/ready >/dev/null 2>&1 && break; sleep 0.2; done
done

# A self-signed certificate for 127.0.0.1 and a trust store with it, for the generator's JVM
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout $OUT/nginx/tls.key -out $OUT/nginx/tls.crt 2>/dev/null
"$(dirname "$J")/keytool" -importcert -noprompt -alias dino -file $OUT/nginx/tls.crt -keystore $OUT/trust.p12 \
  -storetype PKCS12 -storepass changeit >/dev/null 2>&1
sed -e "s/127.0.0.1:8080 /127.0.0.1:$A /; s/127.0.0.1:8090 /127.0.0.1:$B /" \
    -e "s/127.0.0.1:8081 /127.0.0.1:$((A+1)) /; s/127.0.0.1:8091 /127.0.0.1:$((B+1)) /" \
    -e "s/listen 443 ssl;/listen 127.0.0.1:$HTTPS ssl;/; s/listen 8443 ssl http2;/listen 127.0.0.1:$GRPCS ssl http2;/" \
    -e "s#/etc/nginx/dino/tls.crt#$OUT/nginx/tls.crt#; s#/etc/nginx/dino/tls.key#$OUT/nginx/tls.key#" \
    $HERE/config/nginx/dino.conf > $OUT/nginx/dino.conf
cat > $OUT/nginx/nginx.conf <<EOF
worker_processes 1;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/logs/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $OUT/nginx/body; proxy_temp_path $OUT/nginx/proxy;
    fastcgi_temp_path $OUT/nginx/fcgi; uwsgi_temp_path $OUT/nginx/uwsgi; scgi_temp_path $OUT/nginx/scgi;
    include $OUT/nginx/dino.conf;
}
EOF
ulimit -n 65536 2>/dev/null || true
$NGINX -p $OUT/nginx -c $OUT/nginx/nginx.conf
for i in $(seq 1 50); do [[ -s $OUT/nginx/nginx.pid ]] && break; sleep 0.1; done
NGINX_PIDS="$(cat $OUT/nginx/nginx.pid) $(pgrep -P "$(cat $OUT/nginx/nginx.pid)" | tr '\n' ' ')"

ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done; echo $t; }
run() {  # LABEL URL1 URL2 [JVM OPTIONS]
  local label=$1 u1=$2 u2=$3; shift 3
  local err=$OUT/$label.err n0 x0 t0 n1 x1 t1
  $J "$@" -jar $LOADGEN fanout --url "$u1" --url "$u2" --grpc 127.0.0.1:$((A+1)) --api-key dev-api-key \
    --subscribers ${SUBS:-500} --rooms ${ROOMS:-10} --publishers ${PUBS:-10} --rate $RATE --duration ${DUR}s \
    --warmup 8s --no-echo >$OUT/$label.json 2>$err &
  local lg=$!
  until grep -q 'step 1:' $err 2>/dev/null; do kill -0 $lg 2>/dev/null || { cat $err; exit 1; }; sleep 0.2; done
  n0=$(ticks $NA $NB) x0=$(ticks $NGINX_PIDS) t0=$(date +%s.%N)
  until grep -q 'step 1: published' $err 2>/dev/null; do kill -0 $lg 2>/dev/null || break; sleep 0.1; done
  n1=$(ticks $NA $NB) x1=$(ticks $NGINX_PIDS) t1=$(date +%s.%N)
  wait $lg || true
  python3 - "$label" $OUT/$label.json $n0 $n1 $x0 $x1 $t0 $t1 <<'PY'
import json, os, sys
label, path = sys.argv[1], sys.argv[2]
n0, n1, x0, x1 = (int(v) for v in sys.argv[3:7]); secs = float(sys.argv[8]) - float(sys.argv[7])
hz = os.sysconf("SC_CLK_TCK"); st = json.load(open(path))["steps"][0]; lat = st["latencyMs"]
print(f"{label:6s} delivered/s {round(st['deliveredPerSecond'])}  p50 {lat['p50']} ms  p99 {lat['p99']} ms  "
      f"max {lat.get('max', '?')} ms  lost {st['lost']}  nodes {(n1 - n0) / hz / secs:.2f} cores  "
      f"nginx {(x1 - x0) / hz / secs:.2f} cores  generator {st.get('generatorCpuCores')} cores")
PY
}
for round in $(seq 1 $ROUNDS); do
  run direct "ws://127.0.0.1:$A/ws" "ws://127.0.0.1:$B/ws"
  run nginx "wss://127.0.0.1:$HTTPS/ws" "wss://127.0.0.1:$HTTPS/ws" -Djavax.net.ssl.trustStore=$OUT/trust.p12 \
    -Djavax.net.ssl.trustStorePassword=changeit
done
