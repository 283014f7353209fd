#!/usr/bin/env bash
# make test needs redis-server and PostgreSQL's server binaries; install Debian's when absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
needed=()
command -v redis-server >/dev/null 2>&1 || needed+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || needed+=(postgresql)
command -v runuser >/dev/null 2>&1 || needed+=(util-linux)
[ ${#needed[@]} -eq 0 ] || "$here/ensure-debian-packages.sh" "${needed[@]}"
