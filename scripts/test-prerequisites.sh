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
command -v heif-enc >/dev/null 2>&1 || need+=(libheif-examples)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing test prerequisites: ${need[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "the tests need: ${need[*]} (Debian/Ubuntu: sudo apt-get install ${need[*]}; macOS: brew install openjdk oath-toolkit chromium libheif)" >&2
  exit 1
fi
