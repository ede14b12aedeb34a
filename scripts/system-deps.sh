#!/usr/bin/env bash
# Install the Debian packages the test suite (and, with `bench`, the benchmarks) uses, when missing and when this machine allows it.
set -u
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v zbarimg >/dev/null || need+=(zbar-tools)
command -v msgfmt >/dev/null || need+=(gettext)
command -v redis-server >/dev/null || need+=(redis-server)
# Node runs npm (JSON-LD contexts, axe-core) and the independent credential verifier.
command -v node >/dev/null || need+=(nodejs npm)
# The cluster test (tests/cluster) puts Varnish in front of two web processes.
command -v varnishd >/dev/null || need+=(varnish)
# `make bench` also needs wrk for HTTP load on loopback.
if [[ ${1:-} == bench ]]; then command -v wrk >/dev/null || need+=(wrk); fi
if ((${#need[@]} == 0)); then exit 0; fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} ..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq >/dev/null && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Missing system packages (${need[*]}); install them with apt-get to run every test." >&2
fi
exit 0
