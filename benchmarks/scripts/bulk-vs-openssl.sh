#!/usr/bin/env bash
# Bulk issuing rate: `thingstorm certs bulk` beside the Makefile way (openssl req + openssl x509 -req
# per thing, as Mainflux's docker/ssl/Makefile and the Cybus guide do it).
# Usage: benchmarks/scripts/bulk-vs-openssl.sh [COUNT] [OPENSSL_COUNT]   (defaults 10000 and 100)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-10000}
ocount=${2:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

for type in ec-p256 rsa-2048; do
  n=$count; [ "$type" = rsa-2048 ] && n=$((count / 10))
  "$root/bin/thingstorm" certs ca --dir "$work/$type" --key-type "$type" >/dev/null
  start=$(date +%s.%N)
  "$root/bin/thingstorm" certs bulk --dir "$work/$type" --count "$n" --key-type "$type" >/dev/null
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  echo "thingstorm certs bulk  $type: $n certs + manifest in ${secs}s (whole command, JVM start included) = $(rate "$n" "$secs") certs/s"

  on=$ocount; [ "$type" = rsa-2048 ] && on=$((ocount / 5))
  d="$work/openssl-$type"; mkdir -p "$d"
  if [ "$type" = ec-p256 ]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$d/ca.key" 2>/dev/null
  else
    openssl genrsa -out "$d/ca.key" 2048 2>/dev/null
  fi
  openssl req -x509 -new -key "$d/ca.key" -subj "/CN=ca" -days 1095 -out "$d/ca.crt" 2>/dev/null
  start=$(date +%s.%N)
  for i in $(seq "$on"); do
    if [ "$type" = ec-p256 ]; then newkey="ec -pkeyopt ec_paramgen_curve:prime256v1"; else newkey="rsa:2048"; fi
    # shellcheck disable=SC2086
    openssl req -new -newkey $newkey -nodes -keyout "$d/t$i.key" -subj "/CN=thing-$i" -out "$d/t$i.csr" 2>/dev/null
    openssl x509 -req -in "$d/t$i.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 730 -out "$d/t$i.crt" 2>/dev/null
  done
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  echo "openssl req + x509 loop $type: $on certs in ${secs}s = $(rate "$on" "$secs") certs/s"
done
