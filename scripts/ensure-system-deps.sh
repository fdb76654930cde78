#!/usr/bin/env bash
# Makes sure the Debian/Ubuntu packages PAR Index needs are present.
#   run  : WeasyPrint's libraries (Pango, HarfBuzz) — enough to serve the app and render reports
#   test : the above, plus poppler-utils (pdftotext/pdftoppm) and chromium for the browser tests
# As root it installs what is missing with apt-get; otherwise it prints the exact command and stops.
set -euo pipefail
profile=${1:-run}
pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig)
# Debian's python3 needs python3-venv for `python3 -m venv` (ensurepip).
if ! python3 -c "import ensurepip" >/dev/null 2>&1; then
  pkgs+=(python3-venv)
fi
if [ "$profile" = test ]; then
  # postgresql-client: pg_dump / pg_restore for the backup test of the services run
  pkgs+=(poppler-utils chromium postgresql-client)
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "ensure-system-deps: not a Debian-based system; install the equivalents of: ${pkgs[*]}" >&2
  exit 0
fi
missing=()
for p in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "ensure-system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "PAR Index needs these system packages. Please run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
