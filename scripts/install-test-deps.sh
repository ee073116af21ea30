#!/usr/bin/env bash
# Installs, with apt-get and only when missing, every system package the test suite uses:
# real SIP peers (sipp), a real browser (chromium), real PostgreSQL and Kamailio (with its TLS module, for a
# registrar over TLS), a DNS server
# (dnsmasq, run unprivileged on a loopback port by the tests), and wrk for the
# benchmark harness's quick mode. Needs root (or sudo) the first time; a no-op afterwards.
set -euo pipefail

# command-to-check  package
deps=(
  "sipp sip-tester"
  "chromium chromium"
  "/usr/lib/postgresql/*/bin/initdb postgresql"
  "kamailio kamailio"
  "/usr/lib/*/kamailio/modules/tls.so kamailio-tls-modules"
  "/usr/sbin/dnsmasq dnsmasq-base"
  "wrk wrk"
)

missing=()
for dep in "${deps[@]}"; do
  check=${dep% *}; pkg=${dep#* }
  if [[ $check == /* ]]; then
    compgen -G "$check" >/dev/null || missing+=("$pkg")
  else
    command -v "$check" >/dev/null 2>&1 || missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-test-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The packaged services are not wanted running: the tests start their own on loopback.
for svc in postgresql kamailio; do
  $sudo systemctl disable --now "$svc" >/dev/null 2>&1 || true
  $sudo service "$svc" stop >/dev/null 2>&1 || true
done
