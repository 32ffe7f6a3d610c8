#!/usr/bin/env bash
# Installs the Debian 12 packages pooltriage needs to build and test, and
# nothing else.  Non-interactive; runs apt-get only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  liblua5.4-dev libsqlite3-dev libcurl4-openssl-dev libssl-dev
  libcmocka-dev libcjson-dev
  python3 openssl minisign
  man-db groff-base libarchive-dev bash-completion zsh
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
