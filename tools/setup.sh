#!/usr/bin/env bash
# Installs what ratebook needs to build and test on Debian 12, skipping what is already there.
# Safe to run again. Needs root (or sudo) only when something is missing.
#   tools/setup.sh          what building and testing need
#   tools/setup.sh --fuzz   also clang and its libFuzzer/sanitizer runtimes (tools/fuzz.sh, CI)
set -euo pipefail
packages=(g++ cmake make git pkg-config zlib1g-dev
          tao-pegtl-dev libtomlplusplus-dev libfmt-dev libhowardhinnant-date-dev doctest-dev libxxhash-dev)
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
