#!/usr/bin/env bash
# Verifies and decrypts a credit-desk transfer package (SM2-SM3-SM4 suite, format 1 or 2) with the OpenSSL 3 command
# line and shell tools only (dd, xxd, jq, stat), as the city platform can without our code.
#   open-package.sh PACKAGE RECIPIENT.key.pem SENDER.pub.pem OUT.tar
# Exit 0 and OUT.tar (the payload: tar -tf lists it) when every chunk tag and the signature check; non-zero otherwise.
set -euo pipefail
pkg=$1 key=$2 sender=$3 out=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "rejected: $1" >&2; rm -f "$out"; exit 1; }
hexat() { dd if="$pkg" bs=1 skip="$1" count="$2" status=none | xxd -p | tr -d '\n'; }

[ "$(hexat 0 8)" = "4344504b470d0a1a" ] || fail "not a package"
version=$((16#$(hexat 8 2)))
[ "$version" -le 2 ] || fail "newer format version"
hlen=$((16#$(hexat 12 4)))
dd if="$pkg" of="$work/header.json" bs=1 skip=16 count="$hlen" status=none
[ "$(jq -r .suite "$work/header.json")" = "SM2-SM3-SM4" ] || fail "suite is not SM2-SM3-SM4"
chunk=$(jq -r .chunkSize "$work/header.json")
salt=$(jq -r .salt "$work/header.json")

# The package secret, unwrapped with SM2 (C1C3C2 DER), then HKDF-SM3 → SM4 key (16) || HMAC-SM3 key (32).
jq -r .recipient.wrappedKey "$work/header.json" | base64 -d > "$work/wrapped.der"
openssl pkeyutl -decrypt -inkey "$key" -in "$work/wrapped.der" -out "$work/secret.bin" 2>/dev/null || fail "not for this key"
keys=$(openssl kdf -keylen 48 -kdfopt digest:SM3 -kdfopt hexkey:"$(xxd -p -c 64 "$work/secret.bin")" \
  -kdfopt hexsalt:"$salt" -kdfopt info:"credit-desk-package v1 keys" HKDF | tr -d ':\n' | tr 'A-F' 'a-f')
enc=${keys:0:32} mac=${keys:32:64}
openssl dgst -sm3 -binary "$work/header.json" > "$work/hh.bin"

size=$(stat -c %s "$pkg")
siglen=$((16#$(hexat $((size - 4)) 4)))
body_start=$((16 + hlen))
body=$((size - 4 - siglen - body_start))
[ "$body" -ge 32 ] || fail "truncated"
dd if="$pkg" of="$work/sig.der" bs=1 skip=$((size - 4 - siglen)) count="$siglen" status=none
: > "$out"
: > "$work/tags.bin"
# One record: MAC check over SM3(header) || u64(i) || last || [clear, format 2] || data; then decrypt or keep.
record() { # index, data offset, data length, last (00/01), clear (format 2: 00/01, format 1: empty)
  local i=$1 at=$2 len=$3 last=$4 clear=$5 idx
  dd if="$pkg" of="$work/ct.bin" iflag=skip_bytes,count_bytes skip="$at" count="$len" status=none
  dd if="$pkg" of="$work/tag.bin" iflag=skip_bytes,count_bytes skip=$((at + len)) count=32 status=none
  idx=$(printf '%016x' "$i")
  { cat "$work/hh.bin"; printf '%s%s%s' "$idx" "$last" "$clear" | xxd -r -p; cat "$work/ct.bin"; } |
    openssl dgst -sm3 -mac HMAC -macopt hexkey:"$mac" -binary > "$work/mac.bin"
  cmp -s "$work/mac.bin" "$work/tag.bin" || fail "chunk $((i + 1)): tag mismatch"
  cat "$work/tag.bin" >> "$work/tags.bin"
  if [ "$clear" = 01 ]; then cat "$work/ct.bin" >> "$out" # already ciphertext under a scan's own key (manifest.json)
  else openssl enc -d -sm4-ctr -K "$enc" -iv "${idx}0000000000000000" -in "$work/ct.bin" >> "$out"; fi
}
count=0
if [ "$version" -eq 1 ]; then # fixed chunks: every record chunkSize + 32 bytes but the last
  record=$((chunk + 32))
  count=$(( (body + record - 1) / record ))
  for ((i = 0; i < count; i++)); do
    len=$((chunk))
    last=00
    if [ $i -eq $((count - 1)) ]; then len=$((body - i * record - 32)); last=01; fi
    record "$i" $((body_start + i * record)) "$len" "$last" ""
  done
else # records: u32 prefix (bit 31 clear, the rest the data length) || data || tag
  at=$body_start end=$((body_start + body))
  while [ "$at" -lt "$end" ]; do
    word=$((16#$(hexat "$at" 4)))
    len=$((word & 0x7fffffff)) clear=00
    [ $((word >> 31)) -eq 1 ] && clear=01
    next=$((at + 4 + len + 32))
    [ "$len" -le "$chunk" ] && [ "$next" -le "$end" ] || fail "truncated"
    last=00
    [ "$next" -eq "$end" ] && last=01
    record "$count" $((at + 4)) "$len" "$last" "$clear"
    count=$((count + 1)) at=$next
  done
fi

# The signature: SM2 with the standard ID over "CDPKG1-SIG" || SM3(header) || every chunk tag.
{ printf 'CDPKG1-SIG'; cat "$work/hh.bin" "$work/tags.bin"; } > "$work/signed.bin"
openssl pkeyutl -verify -pubin -inkey "$sender" -rawin -digest sm3 -pkeyopt distid:1234567812345678 \
  -in "$work/signed.bin" -sigfile "$work/sig.der" >/dev/null 2>&1 || fail "signature does not verify"
echo "verified: $count chunk(s), sequence $(jq -r .sequence "$work/header.json"), kind $(jq -r .kind "$work/header.json"), from $(jq -r .sender.orgName "$work/header.json")"
