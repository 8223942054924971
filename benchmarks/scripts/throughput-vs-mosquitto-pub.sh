#!/usr/bin/env bash
# Messages per second into a local mosquitto over mTLS: `thingstorm run` with 100 devices beside
# `mosquitto_pub -l` (one connection streaming stdin lines) on the same listener, at QoS 0 and 1,
# with the same mosquitto_sub counting what arrived and when in both cases; then thingstorm again
# with its own subscriber in the JVM. Each counted run also gives the CPU time per message of the
# publisher, the broker and mosquitto_sub.
#
# Usage: benchmarks/scripts/throughput-vs-mosquitto-pub.sh [MESSAGES] [RATE] [QUEUE] [RUN_MESSAGES] [WARMUP]
#   MESSAGES  per run (default 60000: mosquitto_pub -l stops silently after 65,535 QoS 1 message ids)
#   RATE      the rate thingstorm is asked for, messages/s (default 40000)
#   QUEUE     mosquitto's max_queued_messages (default 1000, mosquitto's own: it drops QoS 1 messages
#             to a subscriber that falls behind, without a word; 0 = no limit)
#   RUN_MESSAGES  thingstorm's count (default MESSAGES): 60,000 take it about 3 s, much of them while
#             the JIT is still compiling; 600,000 show its sustained rate
#   WARMUP    messages thingstorm publishes first in a `warmup` phase at RATE, left out of every figure
#             (default 0). mosquitto_pub, a C program, runs at full speed from its first message; a
#             cold JVM spends its first 10-15 s compiling (C2 took 43 % of the JVM's CPU 5 s into a
#             cold QoS 0 run), so 1,500,000 compare the two at their sustained rates
#   QOS=0 (or QOS=1) in the environment runs one QoS only (default "0 1"); at QoS 0 alone MESSAGES
#             may be 1200000, so that mosquitto_pub sends as many as thingstorm
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
messages=${1:-60000}
rate=${2:-40000}
queue=${3:-1000}
run_messages=${4:-$messages}
warmup=${5:-0}
levels=${QOS:-0 1}
for qos in $levels; do
  case "$qos" in 0|1) ;; *) echo "throughput: QOS holds 0 and/or 1, not '$qos'" >&2; exit 2 ;; esac
done
if [[ " $levels " == *" 1 "* ]] && [ "$messages" -gt 65535 ]; then
  echo "throughput: mosquitto_pub -l stops after 65,535 QoS 1 messages: give at most 65535 messages, or QOS=0" >&2
  exit 2
fi
work=$(mktemp -d)
ts="$root/bin/thingstorm"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for tool in mosquitto mosquitto_pub mosquitto_sub; do
  command -v "$tool" >/dev/null || { echo "throughput: needs $tool (apt-get install mosquitto mosquitto-clients)" >&2; exit 1; }
done

"$ts" certs ca --dir "$work/pki" >/dev/null
"$ts" certs server --dir "$work/pki" --host localhost --ip 127.0.0.1 >/dev/null
"$ts" certs thing --dir "$work/pki" --thing-key pub-thing --name pub >/dev/null
"$ts" certs thing --dir "$work/pki" --thing-key sub-thing --name sub >/dev/null
port=$((20000 + RANDOM % 8000))
cat >"$work/mosquitto.conf" <<EOF
user $(id -un)
log_dest file $work/mosquitto.log
max_queued_messages $queue
listener $port 127.0.0.1
max_connections -1
cafile $work/pki/ca.crt
certfile $work/pki/server.crt
keyfile $work/pki/server.key
require_certificate true
use_identity_as_username true
EOF
mosquitto -c "$work/mosquitto.conf" & pids+=($!)
broker=$!
sleep 1

# CPU seconds: of a running process (user + system), and of this shell's finished children.
hz=$(getconf CLK_TCK)
cpu_of() { awk -v hz="$hz" '{ printf "%.3f\n", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# children_cpu sets $cpu to what this shell's finished children used: `times` must run in this shell
# itself (in a $(...) it would ask a subshell, which has none). mosquitto_sub runs under `timeout`,
# so its CPU is that of timeout's child.
children_cpu() { times >"$work/times"; cpu=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); t += p[1] * 60 + p[2] } printf "%.3f\n", t }' "$work/times"); }
sub_cpu() { cpu_of "$(pgrep -P "$1" | head -1)"; }
# "CPU per message: publisher X µs, broker Y µs, mosquitto_sub Z µs" from the CPU seconds each spent
# over N messages published (mosquitto_sub's over SUB_N when given: the counted messages it subscribed to).
per_message() { awk -v n="$1" -v p="$2" -v b="$3" -v s="$4" -v who="$5" -v sn="${6:-$1}" 'BEGIN {
  printf "    CPU per message: %s %.1f us, broker %.1f us, mosquitto_sub %.1f us\n", who, p * 1e6 / n, b * 1e6 / n, s * 1e6 / sn }'; }
tls=(-h localhost -p "$port" --cafile "$work/pki/ca.crt")
payload='[{"bn":"thing-0:","n":"temperature","u":"Cel","v":21.4,"t":1795590000.123},{"n":"seq","v":1}]'

# thingstorm's warm-up phase: its messages go under the subtopic `warmup`, to which neither
# mosquitto_sub nor thingstorm's own subscriber is subscribed; the hold lets the broker finish with
# them before the counted phase.
warmup_phase=""
[ "$warmup" -gt 0 ] && warmup_phase="  - warmup: {rate: $rate, count: $warmup}
  - hold: 3s"

echo "throughput: $messages messages, ${#payload}-byte SenML, mosquitto max_queued_messages $queue, $(nproc) cores"
for qos in $levels; do
  # The C client: one connection publishing every stdin line as fast as it can.
  topic="channels/c/messages/q$qos"
  timeout 120 mosquitto_sub "${tls[@]}" --cert "$work/pki/sub.crt" --key "$work/pki/sub.key" -q "$qos" -t "$topic" \
    -W 100 -F '%U %p' >"$work/sub-$qos.txt" 2>/dev/null & sub=$!
  # Publish a probe until the subscriber shows it: then it is subscribed and counts everything.
  until grep -q ' ready$' "$work/sub-$qos.txt"; do
    mosquitto_pub "${tls[@]}" --cert "$work/pki/pub.crt" --key "$work/pki/pub.key" -q 1 -t "$topic" -m ready
    sleep 0.2
  done
  awk -v n="$messages" -v p="$payload" 'BEGIN { for (i = 0; i < n; i++) print p }' >"$work/lines"
  start=$(date +%s.%N); children_cpu; c0=$cpu; b0=$(cpu_of "$broker"); s0=$(sub_cpu "$sub")
  mosquitto_pub "${tls[@]}" --cert "$work/pki/pub.crt" --key "$work/pki/pub.key" -q "$qos" -t "$topic" -l <"$work/lines"
  end=$(date +%s.%N); children_cpu; c1=$cpu
  sleep 2; b1=$(cpu_of "$broker"); s1=$(sub_cpu "$sub")
  kill "$sub" 2>/dev/null || true; wait "$sub" 2>/dev/null || true
  got=$(grep -c -F "$payload" "$work/sub-$qos.txt" || true)
  # mosquitto_sub stamps each arrival (%U): first to last arrival is the end-to-end time.
  first=$(awk -v p="$payload" 'index($0, p) { print $1; exit }' "$work/sub-$qos.txt")
  last=$(awk -v p="$payload" 'index($0, p) { t = $1 } END { print t }' "$work/sub-$qos.txt")
  awk -v n="$messages" -v a="$start" -v b="$end" -v got="$got" -v q="$qos" -v y="${first:-$start}" -v z="${last:-$end}" 'BEGIN {
    printf "mosquitto_pub -l    QoS %d: %d sent in %.2f s = %.0f msg/s\n    mosquitto_sub received %d (%d lost), first to last arrival %.2f s = %.0f msg/s end to end\n",
      q, n, b - a, n / (b - a), got, n - got, z - y, (got - 1) / (z - y) }'
  per_message "$messages" "$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')" \
    "$(awk -v a="$b0" -v b="$b1" 'BEGIN { print b - a }')" "$(awk -v a="$s0" -v b="$s1" 'BEGIN { print b - a }')" mosquitto_pub

  # thingstorm: 100 devices, each with its own certificate, at the asked rate (open model). Twice:
  # counted by the same mosquitto_sub as above (no subscriber in the JVM, so that both publishers
  # are measured alike), then with its own subscriber, which shares the JVM's two cores.
  for own in 0 1; do
    cat >"$work/q$qos.yaml" <<EOF
name: throughput-q$qos
description: 100 devices into mosquitto at QoS $qos
target:
  mqtt: mqtts://localhost:$port
  ca: pki/ca.crt
  profile: generic
fleet:
  count: 100
  issuer: pki
  protocols: {mqtt3: 100}
  mqtt: {qos: $qos, keepAlive: 60s}
  subscribers: $own
phases:
  - connect: {rate: 100}
  - hold: 2s
$warmup_phase
  - publish: {rate: $rate, count: $run_messages}
  - hold: 3s
EOF
    if [ "$own" = 0 ]; then
      # Counted messages only (subtopic mqtt3) and the probe: were it given the warm-up's messages too,
      # a subscriber slower than the devices would still be working through them when the counted
      # phase began, and first-to-last arrival would time only its own drain of the counted ones.
      timeout 600 mosquitto_sub "${tls[@]}" --cert "$work/pki/sub.crt" --key "$work/pki/sub.key" -q "$qos" \
        -t 'channels/+/messages/mqtt3' -t channels/probe/messages -F '%U %t' >"$work/ts-sub-$qos.txt" 2>/dev/null & sub=$!
      until grep -q ' channels/probe/messages$' "$work/ts-sub-$qos.txt"; do
        mosquitto_pub "${tls[@]}" --cert "$work/pki/pub.crt" --key "$work/pki/pub.key" -q 1 -t channels/probe/messages -m ready
        sleep 0.2
      done
    fi
    children_cpu; c0=$cpu; b0=$(cpu_of "$broker"); [ "$own" = 0 ] && s0=$(sub_cpu "$sub")
    "$ts" run "$work/q$qos.yaml" --out "$work/report-q$qos-$own" --quiet >"$work/run-q$qos-$own.log" 2>&1 || true
    children_cpu; c1=$cpu # the JVM's whole run: its set-up and connects too
    summary="$work/report-q$qos-$own/summary.txt"
    if [ "$own" = 0 ]; then
      # Wait until mosquitto_sub stops receiving, then count what it saw and when.
      lines=-1
      while [ "$(wc -l <"$work/ts-sub-$qos.txt")" != "$lines" ]; do lines=$(wc -l <"$work/ts-sub-$qos.txt"); sleep 2; done
      b1=$(cpu_of "$broker"); s1=$(sub_cpu "$sub")
      kill "$sub" 2>/dev/null || true; wait "$sub" 2>/dev/null || true
      grep -v -E ' channels/probe/messages$' "$work/ts-sub-$qos.txt" | awk -v q="$qos" -v n="$run_messages" \
        -v rates="$(grep -E '^rates' "$summary" | sed 's/^rates *//')" '
        NR == 1 { first = $1 } { last = $1 } END {
          printf "thingstorm run      QoS %d: %s\n    mosquitto_sub received %d (%d lost), first to last arrival %.2f s = %.0f msg/s end to end\n",
            q, rates, NR, n - NR, last - first, (NR - 1) / (last - first) }'
      per_message $((run_messages + warmup)) "$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')" \
        "$(awk -v a="$b0" -v b="$b1" 'BEGIN { print b - a }')" "$(awk -v a="$s0" -v b="$s1" 'BEGIN { print b - a }')" \
        "thingstorm's JVM (whole run: set-up, JIT and warm-up included)" "$run_messages"
    else
      echo "thingstorm run      QoS $qos, its own subscriber: $(grep -E '^rates' "$summary" | sed 's/^rates *//')"
      grep -E '^(all |lost)' "$summary" | sed 's/^/    /'
      # When the subscriber lags, the run waits for it and says so.
      grep -E 'subscribers were behind' "$summary" | sed 's/^ *- /    /' || true
    fi
    grep -E '^(publish|lag) +mqtt3|^generator' "$summary" | sed 's/^/    /'
  done
done
