#!/usr/bin/env bash
# Builds a credit-desk transfer package (SM2-SM3-SM4 suite, format 1) with the OpenSSL 3 command line and shell tools
# only: how a platform without our code sends a county its tasks or receipts.
#   make-package.sh PAYLOAD.tar SENDER.key.pem RECIPIENT.pub.pem KIND SEQUENCE OUT "SENDER ORG" REGION USCC
set -euo pipefail
payload=$1 key=$2 recipient=$3 kind=$4 seq=$5 out=$6 org=$7 region=$8 uscc=$9
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chunk=1048576
fp() { openssl pkey -pubin -in "$1" -outform DER | openssl dgst -sm3 -r | cut -d' ' -f1; }

openssl rand 32 > "$work/secret.bin"
salt=$(openssl rand -hex 16)
openssl pkeyutl -encrypt -pubin -inkey "$recipient" -in "$work/secret.bin" -out "$work/wrapped.der"
openssl pkey -in "$key" -pubout -out "$work/sender.pub.pem"
jq -cn --arg suite SM2-SM3-SM4 --argjson chunk $chunk --arg salt "$salt" --arg kind "$kind" --argjson seq "$seq" \
  --arg created "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg org "$org" --arg region "$region" --arg uscc "$uscc" \
  --arg sfp "$(fp "$work/sender.pub.pem")" --arg rfp "$(fp "$recipient")" --arg wrapped "$(base64 -w0 "$work/wrapped.der")" \
  '{format:"credit-desk-package",version:1,suite:$suite,chunkSize:$chunk,salt:$salt,kind:$kind,sequence:$seq,createdAt:$created,
    sender:{orgName:$org,regionCode:$region,uscc:$uscc,keyFingerprint:$sfp},recipient:{keyFingerprint:$rfp,wrappedKey:$wrapped}}' \
  | tr -d '\n' > "$work/header.json"
keys=$(openssl kdf -keylen 48 -kdfopt digest:SM3 -kdfopt hexkey:"$(xxd -p -c 64 "$work/secret.bin")" \
  -kdfopt hexsalt:"$salt" -kdfopt info:"credit-desk-package v1 keys" HKDF | tr -d ':\n' | tr 'A-F' 'a-f')
enc=${keys:0:32} mac=${keys:32:64}
openssl dgst -sm3 -binary "$work/header.json" > "$work/hh.bin"

hlen=$(stat -c %s "$work/header.json")
{ printf '4344504b470d0a1a00010000%08x' "$hlen" | xxd -r -p; cat "$work/header.json"; } > "$out.partial"
size=$(stat -c %s "$payload")
count=$(( size == 0 ? 1 : (size + chunk - 1) / chunk ))
: > "$work/tags.bin"
for ((i = 0; i < count; i++)); do
  last=00
  [ $i -eq $((count - 1)) ] && last=01
  idx=$(printf '%016x' "$i")
  dd if="$payload" of="$work/pt.bin" iflag=skip_bytes,count_bytes skip=$((i * chunk)) count=$chunk status=none
  openssl enc -sm4-ctr -K "$enc" -iv "${idx}0000000000000000" -in "$work/pt.bin" -out "$work/ct.bin"
  { cat "$work/hh.bin"; printf '%s%s' "$idx" "$last" | xxd -r -p; cat "$work/ct.bin"; } |
    openssl dgst -sm3 -mac HMAC -macopt hexkey:"$mac" -binary > "$work/tag.bin"
  cat "$work/ct.bin" "$work/tag.bin" >> "$out.partial"
  cat "$work/tag.bin" >> "$work/tags.bin"
done
{ printf 'CDPKG1-SIG'; cat "$work/hh.bin" "$work/tags.bin"; } > "$work/signed.bin"
openssl pkeyutl -sign -inkey "$key" -rawin -digest sm3 -pkeyopt distid:1234567812345678 -in "$work/signed.bin" -out "$work/sig.der"
cat "$work/sig.der" >> "$out.partial"
printf '%08x' "$(stat -c %s "$work/sig.der")" | xxd -r -p >> "$out.partial"
mv "$out.partial" "$out"
