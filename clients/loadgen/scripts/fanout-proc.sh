#!/usr/bin/env bash
# One fan-out measurement of one Dino build (docs/benchmarks.md, "The write path"): a private Redis, 2 nodes
# (engine redis) of the build in DINO_DIR, `loadgen fanout` at one fixed rate for one step; samples both nodes'
# /proc (write system calls from /proc/PID/io syscw, CPU ticks, voluntary + involuntary context switches of all
# threads) at the start and end of the measured step and prints one JSON line with them per delivery.
#   fanout-proc.sh LABEL DINO_DIR RATE_PER_PUBLISHER [DURATION_S]
# Environment: SUBS ROOMS PUBS (default 1000 10 10), WD (dino.limits.write-delay of the nodes, e.g. PT0.01S;
# unset: the build's default), STRACE=1 (strace -c futex and write calls of node A for 10 s; slows it),
# LOADGEN (default: this checkout's loadgen jar), OUT (default /tmp/dino-fanout-proc).
set -euo pipefail
LABEL=$1 DIR=$2 RATE=$3 DUR=${4:-20}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
J=$("$HERE/dino" which-java)/bin/java
LOADGEN=${LOADGEN:-$HERE/clients/loadgen/target/dino-loadgen.jar}
OUT=${OUT:-/tmp/dino-fanout-proc}; mkdir -p "$OUT"
P0=$((20000 + RANDOM % 20000))
RP=$P0; A=$((P0+1)); B=$((P0+3))
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
redis-server --port $RP --bind 127.0.0.1 --save '' --appendonly no --daemonize no --logfile $OUT/redis.log >/dev/null &
PIDS+=($!)
for i in $(seq 1 100); do [[ "$(redis-cli -p $RP ping 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
OPTS="-XX:+ExitOnOutOfMemoryError -XX:+UseCompactObjectHeaders"
for port in $A $B; do
  env ${WD:+DINO_LIMITS_WRITE_dash_DELAY=$WD} MALLOC_ARENA_MAX=2 SERVER_PORT=$port DINO_GRPC_PORT=$((port+1)) DINO_ENGINE=redis DINO_REDIS_URI=redis://127.0.0.1:$RP \
    $J $OPTS -jar $DIR/gateway/target/dino-gateway.jar --config $HERE/config/dino-dev.yaml >$OUT/$LABEL-node$port.log 2>&1 &
  PIDS+=($!)
done
NA=${PIDS[1]} NB=${PIDS[2]}
for port in $A $B; do
  for i in $(seq 1 100); do curl -fsS -m 1 http://127.0.0.1:$port/observe/health 2>/dev/null | grep -q UP && break; sleep 0.2; done
done
sample() {  # syscw, utime+stime ticks, voluntary+involuntary ctx switches of both nodes
  local w=0 t=0 c=0 p
  for p in $NA $NB; do
    w=$((w + $(awk '/^syscw/ {print $2}' /proc/$p/io)))
    t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat)))
    c=$((c + $(cat /proc/$p/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s}')))
  done
  echo "$w $t $c $(date +%s.%N)"
}
LOG=$OUT/$LABEL-loadgen.err
$J -jar $LOADGEN fanout --url ws://127.0.0.1:$A/ws --url ws://127.0.0.1:$B/ws --grpc 127.0.0.1:$((A+1)) \
  --api-key dev-api-key --subscribers ${SUBS:-1000} --rooms ${ROOMS:-10} --publishers ${PUBS:-10} --rate $RATE --duration ${DUR}s --warmup 8s \
  --node-pid $NA >$OUT/$LABEL.json 2>$LOG &
LG=$!
until grep -q 'step 1:' $LOG 2>/dev/null; do kill -0 $LG 2>/dev/null || { cat $LOG; exit 1; }; sleep 0.2; done
S0=$(sample)
if [[ -n "${STRACE:-}" ]]; then   # syscall counts of node A for 10 s (slows the node while it runs)
  timeout -s INT 10 strace -c -f -e trace=futex,write,writev,sendto,sendmsg -p $NA -o $OUT/$LABEL.strace 2>/dev/null &
fi
until grep -q 'step 1: published' $LOG 2>/dev/null; do kill -0 $LG 2>/dev/null || break; sleep 0.1; done
S1=$(sample)
wait $LG || true
python3 - "$LABEL" "$OUT/$LABEL.json" "$S0" "$S1" <<'PY'
import json, sys
label, path, s0, s1 = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4].split()
r = json.load(open(path)); st = r["steps"][0]
dw, dt, dc = (int(s1[i]) - int(s0[i]) for i in range(3)); secs = float(s1[3]) - float(s0[3])
delivered = st["deliveredPerSecond"] * secs   # both nodes deliver; deliveries counted at the subscribers
print(json.dumps({"label": label, "rate": st["ratePerPublisher"], "deliveredPerSec": round(st["deliveredPerSecond"]),
  "p50": st["latencyMs"]["p50"], "p99": st["latencyMs"]["p99"], "lost": st["lost"], "verdict": st["verdict"],
  "writeSyscallsPerDelivery": round(dw / delivered, 3), "nodesCpuUsPerDelivery": round(dt * 10000 / delivered, 2),
  "nodesCpuCores": round(dt / 100 / secs, 2), "ctxSwitchesPerDelivery": round(dc / delivered, 3),
  "hostBusy": st.get("hostCpuBusy"), "generatorCores": st.get("generatorCpuCores")}))
PY
