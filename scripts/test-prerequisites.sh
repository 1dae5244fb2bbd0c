#!/usr/bin/env bash
# Machine tools the test suite needs besides npm packages: Java (DynamoDB Local), oathtool
# (the independent OTP implementation the codes are compared with), Chromium (the console's browser
# tests; Playwright's own browser download cannot work on these machines) and heif-enc (libheif's
# encoder, which makes the HEIC and AVIF test pictures). Installs them where it can
# (root with apt, as on this project's machines and CI); elsewhere says what to install.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v oathtool >/dev/null 2>&1 || need+=(oathtool)
[ -x /usr/bin/chromium ] || need+=(chromium)
# Chromium needs some font to lay pages out; installed without recommends, it brings none.
[ -n "$(find /usr/share/fonts -name '*.ttf' -print -quit 2>/dev/null)" ] || need+=(fonts-dejavu-core)
command -v heif-enc >/dev/null 2>&1 || need+=(libheif-examples)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing test prerequisites: ${need[*]}" >&2
  apt-get update -qq >/dev/null
  # What they depend on only: the extras Chromium's libraries recommend (printing, sound and mDNS
  # daemons, Perl modules, a systemd upgrade) were 90 of the 115 packages and most of the 90 seconds a
  # fresh machine spent here; headless Chromium uses none of them.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "the tests need: ${need[*]} (Debian/Ubuntu: sudo apt-get install ${need[*]}; macOS: brew install openjdk oath-toolkit chromium libheif)" >&2
  exit 1
fi
