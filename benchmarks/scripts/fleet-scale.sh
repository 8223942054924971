#!/usr/bin/env bash
# How many connected MQTTS devices one generator JVM holds, and what each costs: heap, threads, RSS,
# JVM CPU per connect, and CPU while idle. Every device has its own certificate and key.
#
# Usage: benchmarks/scripts/fleet-scale.sh [DEVICES] [mosquitto|testbed] [RATE] [PROVIDER]
#        (defaults 10000, mosquitto, 200 connects/s, auto)
#        KEEPALIVE=seconds (default 60), TLS_GROUPS=x25519 (tls.groups; default the provider's),
#        SOURCES=n loopback source addresses the devices connect from in turn (default 4; 1 = the system's choice)
#        MOSQUITTO_LINES="set_tcp_nodelay true" more lines for mosquitto.conf (global options; newline-separated)
#        HEAP_SLOPE=0 skips the run with DEVICES/10 (and heap per device): 3.5 min instead of 5 at 10,000
#
# The broker runs in a process of its own (one process holds at most ~19,900 sockets here, so a
# broker in the generator's JVM would halve the fleet). Heap per device is a slope: the run is made
# twice, with DEVICES and with DEVICES/10, and (heap(N) - heap(N/10)) / (0.9 N) is what a device adds
# with everything it keeps (identity, SSLContext, TLS session, Paho client, virtual threads).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
devices=${1:-10000}
broker=${2:-mosquitto}
rate=${3:-200}
provider=${4:-auto}
work=$(mktemp -d)
ts="$root/bin/thingstorm"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

. "$root/bin/jdk.sh"
thingstorm_find_jdk
"$ts" --version >/dev/null # builds it first if needed

port=$((20000 + RANDOM % 8000))
metrics=$((port + 1))
ulimit -n "$(ulimit -Hn)"

if [ "$broker" = mosquitto ]; then
  command -v mosquitto >/dev/null || { echo "fleet-scale: needs mosquitto (apt-get install mosquitto)" >&2; exit 1; }
  "$ts" certs ca --dir "$work/pki" >/dev/null
  "$ts" certs server --dir "$work/pki" --host localhost --ip 127.0.0.1 >/dev/null
  cat >"$work/mosquitto.conf" <<EOF
user $(id -un)
log_dest file $work/mosquitto.log
listener $port 127.0.0.1
max_connections -1
cafile $work/pki/ca.crt
certfile $work/pki/server.crt
keyfile $work/pki/server.key
require_certificate true
use_identity_as_username true
${MOSQUITTO_LINES:-}
EOF
  mosquitto -c "$work/mosquitto.conf" & pids+=($!)
  fleet="  count: COUNT
  issuer: pki"
  profile=generic
else
  fleet="  manifest: pki-COUNT/things.csv"
  profile=mainflux
fi
sleep 2

# Devices spread over loopback source addresses (fleet.sourceAddresses): from one address, Linux
# searches ever longer for a free ephemeral port past about 13,000 connections to one broker port
# (4 ms of system CPU per connect at 17,000), which is the kernel's cost, not the generator's.
sources=${SOURCES:-4}
source_line=""
if [ "$sources" -gt 1 ]; then
  source_line="  sourceAddresses: [$(seq -s ', ' -f '127.0.0.%g' 1 "$sources")]"
fi

# CPU ticks (user + system) of a process.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# CPU ticks of each of a process's threads: id, name, ticks, and how often it blocked (voluntary
# context switches: each is a wait that a wake ended, from another thread, the poller or a timer). A
# share by kind is a difference per thread id: HotSpot ends idle compiler threads and the common
# pool's workers, and a total by name would subtract what such a thread had used before the ramp.
thread_ticks() {
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\t%s\t%s\n' "${t##*/}" "$(cat "$t/comm" 2>/dev/null)" "$(awk '{ print $14 + $15 }' "$t/stat" 2>/dev/null)" \
      "$(awk '/^voluntary_ctxt_switches/ { print $2 }' "$t/status" 2>/dev/null)"
  done
}
# Full thread names by id. /proc cuts a name to 15 characters, so that the JDK's timer thread
# "ForkJoinPool-1-delayScheduler" would pass there for a carrier ("ForkJoinPool-1-worker-1").
thread_names() { "$JAVA_HOME/bin/jcmd" "$1" Thread.print 2>/dev/null | sed -n 's/^"\([^"]*\)".* nid=\([0-9]*\) .*/\2\t\1/p'; }
# Ticks used between two thread_ticks files, by kind: carriers (the virtual threads' work), jit, gc,
# other, and ended (threads that ended in between: the process's total minus the rest); then the
# waits of the threads that live through it: carriers, the JDK's I/O pollers, and the rest.
ticks_by_kind() { # NAMES BEFORE AFTER PROCESS_TICKS
  awk -F'\t' -v total="$4" 'FILENAME == ARGV[1] { name[$1] = $2; next } FILENAME == ARGV[2] { before[$1] = $3; waits[$1] = $4; next }
    { n = ($1 in name) ? name[$1] : $2; carrier = n ~ /^ForkJoinPool-[0-9]+-(worker-|$)/
      k = carrier ? "carriers" : n ~ /CompilerThre/ ? "jit" : n ~ /^(G1|GC)/ ? "gc" : "other"; d = $3 - before[$1]; a[k] += d; sum += d
      if ($1 in waits) { w = carrier ? "carriers" : n ~ /Poller/ ? "pollers" : "other"; b[w] += $4 - waits[$1] } }
    END { printf "carriers=%d jit=%d gc=%d other=%d ended=%d waits=%d,%d,%d\n", a["carriers"], a["jit"], a["gc"], a["other"], total - sum,
      b["carriers"], b["pollers"], b["other"] }' "$1" "$2" "$3"
}
connected() { curl -s "http://127.0.0.1:$metrics/metrics" | awk '/^thingstorm_connected_devices[ {]/ { print int($NF) }' | head -1; }

measure() { # DEVICES -> prints "heap_bytes" and details on stderr
  local n=$1; local hold=45 ca=pki/ca.crt
  if [ "$broker" = testbed ]; then # a testbed of its own that knows exactly these n things
    ca=pki-$n/ca.crt
    THINGSTORM_JAVA_OPTS="-Xmx4g" "$ts" testbed --dir "$work/pki-$n" --things "$n" --mqtt-port "$port" \
      --mqtt-wss-port 0 --https-port 0 >"$work/testbed-$n.log" 2>&1 & pids+=($!)
    local tb=$!
    for _ in $(seq 1 900); do grep -q "mqtts://" "$work/testbed-$n.log" 2>/dev/null && break; sleep 1; done
  fi
  sed "s/COUNT/$n/" >"$work/scale-$n.yaml" <<EOF
name: fleet-scale-$n
description: $n MQTT 3.1.1 devices held open against $broker
target:
  mqtt: mqtts://localhost:$port
  ca: $ca
  profile: $profile
  tls: {provider: $provider${TLS_GROUPS:+, groups: [$TLS_GROUPS]}}
fleet:
$fleet
  protocols: {mqtt3: 100}
  mqtt: {qos: 1, keepAlive: ${KEEPALIVE:-60}s, cleanSession: true}
  subscribers: 0
$source_line
phases:
  - connect: {rate: $rate}
  - hold: ${hold}s
  - publish: {rate: 100, duration: 10s}
  - disconnect: {rate: 2000}
EOF
  "$ts" run "$work/scale-$n.yaml" --out "$work/report-$n" --quiet --metrics-port "$metrics" >"$work/run-$n.log" 2>&1 &
  local run=$!; pids+=($run)
  local jvm=$run # bin/thingstorm execs java: the same process
  local c=0 t0="" t0c=0 half="" halfc=0 last=-1 still=0
  while kill -0 "$run" 2>/dev/null; do
    c=$(connected || echo 0); c=${c:-0}
    # All connected, or no change for 5 s once some are (the rest timed out or were refused).
    if [ "$c" -eq "$last" ] && [ "$c" -gt 0 ]; then still=$((still + 1)); else still=0; fi
    last=$c
    [ "$still" -ge 10 ] && break
    if [ -z "$t0" ] && [ "$c" -gt 0 ]; then t0=$(date +%s.%N); t0c=$(ticks "$jvm"); thread_ticks "$jvm" >"$work/threads-0"; fi
    if [ -z "$half" ] && [ "$c" -ge $((n / 2)) ]; then half=$(date +%s.%N); halfc=$(ticks "$jvm"); halfn=$c; fi
    [ "$c" -ge "$n" ] && break
    sleep 0.5
  done
  if ! kill -0 "$run" 2>/dev/null && [ -z "$t0" ]; then # ended before any device connected: say why, once
    echo "fleet-scale: the run of $n devices ended before any connected: $(tail -1 "$work/run-$n.log")" >&2
    exit 1
  fi
  local t1 t1c t1k; t1=$(date +%s.%N); t1c=$(ticks "$jvm"); thread_ticks "$jvm" >"$work/threads-1"
  thread_names "$jvm" >"$work/names"
  t1k=$(ticks_by_kind "$work/names" "$work/threads-0" "$work/threads-1" $((t1c - t0c)))
  [ "$still" -ge 10 ] && t1=$(awk -v t="$t1" 'BEGIN { print t - 5 }')
  sleep 10
  "$JAVA_HOME/bin/jcmd" "$jvm" GC.run >/dev/null; sleep 1; "$JAVA_HOME/bin/jcmd" "$jvm" GC.run >/dev/null; sleep 1
  local heap; heap=$("$JAVA_HOME/bin/jcmd" "$jvm" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub("K", "", v); print v * 1024; exit } }')
  local i0; i0=$(ticks "$jvm"); sleep 10; local i1; i1=$(ticks "$jvm")
  local threads rss; threads=$(awk '/^Threads/ { print $2 }' "/proc/$jvm/status"); rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$jvm/status")
  awk -v n="$n" -v c="$c" -v a="$t0" -v b="$t1" -v ca="$t0c" -v cb="$t1c" -v h="$half" -v hc="$halfc" -v hn="${halfn:-0}" \
      -v hz="$hz" -v i0="$i0" -v i1="$i1" -v heap="$heap" -v th="$threads" -v rss="$rss" -v k="$t1k" 'BEGIN {
    printf "%d devices: %d connected in %.1f s (%.0f/s); JVM CPU %.2f ms per connect (%.2f ms over the second half)\n",
      n, c, b - a, c / (b - a), (cb - ca) * 1000 / hz / c, (cb - hc) * 1000 / hz / (c - hn)
    split(k, y, /[ =]/)
    printf "  per connect by thread: carriers %.2f ms, JIT compilers %.2f, GC %.2f, other %.2f, threads that ended %.2f\n",
      y[2] * 1000 / hz / c, y[4] * 1000 / hz / c, y[6] * 1000 / hz / c, y[8] * 1000 / hz / c, y[10] * 1000 / hz / c
    split(y[12], w, ",")
    printf "  waits per connect (a thread blocked, so that a wake had to follow): carriers %.1f, I/O pollers %.1f, other threads %.1f\n",
      w[1] / c, w[2] / c, w[3] / c
    printf "  idle: %.1f %% of one core; heap used %.0f MB after GC; %d threads; RSS %.0f MB\n",
      (i1 - i0) * 100 / hz / 10, heap / 1048576, th, rss / 1024 }' >&2
  wait "$run" || true
  grep -E "^(connect|publish) +mqtt3|^errors|^lost|^generator" "$work/report-$n/summary.txt" >&2 || tail -5 "$work/run-$n.log" >&2
  if [ "$broker" = testbed ]; then kill "$tb"; wait "$tb" 2>/dev/null || true; fi
  echo "$heap"
}

echo "fleet-scale: $devices devices against $broker, connect rate $rate/s, provider $provider, $sources source address(es) ($(nproc) cores)" >&2
if [ "${HEAP_SLOPE:-1}" = 0 ]; then
  measure "$devices" >/dev/null
  exit 0
fi
small=$(measure $((devices / 10)))
large=$(measure "$devices")
awk -v s="$small" -v l="$large" -v n="$devices" 'BEGIN {
  printf "heap per device: %.1f KB (slope between %d and %d devices)\n", (l - s) / (0.9 * n) / 1024, n / 10, n }'
