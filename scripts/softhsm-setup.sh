#!/usr/bin/env bash
# Sets up a SoftHSM2 token for the PKCS#11 signer tests (src/trust/keys/pkcs11-signer.test.ts).
# Idempotent: installs softhsm2 if missing (needs root / apt-get), writes a private config whose
# token directory lives under DIR (default: $REPO/data/softhsm), initialises the token once and
# prints the environment to export. Only the `export …` lines go to stdout, so callers can
# `eval "$(scripts/softhsm-setup.sh)"`; progress goes to stderr.
#
# Usage: scripts/softhsm-setup.sh [DIR]
# Env:   VAXPASS_PKCS11_TOKEN (default vaxpass-test), VAXPASS_PKCS11_PIN (default 1234),
#        VAXPASS_PKCS11_SO_PIN (default 1234)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$REPO/data/softhsm}"
LABEL="${VAXPASS_PKCS11_TOKEN:-vaxpass-test}"
PIN="${VAXPASS_PKCS11_PIN:-1234}"
SO_PIN="${VAXPASS_PKCS11_SO_PIN:-1234}"

log() { echo "softhsm-setup: $*" >&2; }

find_module() {
  local m
  for m in "${VAXPASS_PKCS11_MODULE:-}" /usr/lib/softhsm/libsofthsm2.so \
    /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so \
    /usr/local/lib/softhsm/libsofthsm2.so /opt/homebrew/lib/softhsm/libsofthsm2.so; do
    if [ -n "$m" ] && [ -f "$m" ]; then echo "$m"; return 0; fi
  done
  return 1
}

if ! command -v softhsm2-util >/dev/null 2>&1 || ! find_module >/dev/null; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "softhsm2 is not installed and cannot be installed here (need root and apt-get)"
    exit 1
  fi
  log "installing softhsm2"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq softhsm2 >&2
fi
MODULE="$(find_module)" || { log "libsofthsm2.so not found; set VAXPASS_PKCS11_MODULE"; exit 1; }

mkdir -p "$DIR/tokens"
chmod 700 "$DIR" "$DIR/tokens"
CONF="$DIR/softhsm2.conf"
# Written every time (cheap), so a moved DIR never points at a stale token directory.
cat >"$CONF" <<EOF
directories.tokendir = $DIR/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
EOF
export SOFTHSM2_CONF="$CONF"

# --show-slots lists "Label: <name>" for initialised tokens; grep -x avoids prefix matches.
if softhsm2-util --show-slots 2>/dev/null | sed -n 's/^ *Label: *//p' | sed 's/ *$//' | grep -qxF "$LABEL"; then
  log "token '$LABEL' already initialised in $DIR/tokens"
else
  log "initialising token '$LABEL' in $DIR/tokens"
  softhsm2-util --init-token --free --label "$LABEL" --so-pin "$SO_PIN" --pin "$PIN" >&2
fi

echo "export SOFTHSM2_CONF='$CONF'"
echo "export VAXPASS_PKCS11_MODULE='$MODULE'"
echo "export VAXPASS_PKCS11_TOKEN='$LABEL'"
echo "export VAXPASS_PKCS11_PIN='$PIN'"
