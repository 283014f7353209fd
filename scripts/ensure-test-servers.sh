#!/usr/bin/env bash
# make test needs redis-server, PostgreSQL's server binaries and Debian's chromium (the browser
# tests drive it through Playwright, never `playwright install`); install Debian's when absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
needed=()
command -v redis-server >/dev/null 2>&1 || needed+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || needed+=(postgresql)
command -v runuser >/dev/null 2>&1 || needed+=(util-linux)
[ -x /usr/lib/chromium/chromium ] || needed+=(chromium)
# chromium only recommends a font: without one, Kreyòl's è and ò render as boxes in screenshots
dpkg-query -W -f='${Status}' fonts-liberation 2>/dev/null | grep -q "install ok installed" \
  || needed+=(fonts-liberation)
[ ${#needed[@]} -eq 0 ] || "$here/ensure-debian-packages.sh" "${needed[@]}"
