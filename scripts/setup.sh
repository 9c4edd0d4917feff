#!/usr/bin/env bash
# The first of the README's two commands: everything `npm test` needs, on a
# fresh machine. It installs what the tests drive (browsers and tools) when it
# is missing, then the npm packages from the lock file, then builds.
#
# A shell script, not an npm script: it runs before node_modules exists.
#
# Debian packages are installed with apt-get only when this runs as root;
# otherwise it prints the exact command and stops, so nothing asks for a
# password half-way. On other systems set CHROMIUM_PATH and FIREFOX_PATH to
# the browsers' executables (the tests read the same variables).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# Debian package → the file the tests run from it.
# chromium: end-to-end tests, the CRX packaging test, demo, cold-start benchmark.
# firefox-esr: the Firefox end-to-end tests.
# libnss3-tools (certutil): the NSS database of the policy export test.
# openssl: certificates for the test servers and the test PKI.
packages=()
files=()
need() { packages+=("$1"); files+=("$2"); }

if [[ -n "${CHROMIUM_PATH:-}" ]]; then
  [[ -x "$CHROMIUM_PATH" ]] || fail "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file"
else
  need chromium /usr/bin/chromium
fi
if [[ -n "${FIREFOX_PATH:-}" ]]; then
  [[ -x "$FIREFOX_PATH" ]] || fail "FIREFOX_PATH=$FIREFOX_PATH is not an executable file"
else
  need firefox-esr /usr/bin/firefox-esr
fi
need libnss3-tools /usr/bin/certutil
need openssl /usr/bin/openssl

missing=()
for i in "${!packages[@]}"; do
  [[ -x "${files[$i]}" ]] || missing+=("${packages[$i]}")
done

if ((${#missing[@]} > 0)); then
  command="apt-get update && apt-get install -y ${missing[*]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    fail "missing: ${missing[*]}. This is not a Debian-like system: install them with your package manager, or set CHROMIUM_PATH and FIREFOX_PATH to the browsers' executables, then run this again."
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    fail "missing: ${missing[*]}. Install them as root, then run this again:
  sudo sh -c '$command'"
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${missing[@]}"
fi

command -v node >/dev/null 2>&1 || fail "Node.js 20 or later (with npm) is needed: https://nodejs.org/"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || fail "Node.js 20 or later is needed; this is $(node --version)"

say "node $(node --version), $("${CHROMIUM_PATH:-/usr/bin/chromium}" --version 2>/dev/null || echo 'chromium ?'), $("${FIREFOX_PATH:-/usr/bin/firefox-esr}" --version 2>/dev/null || echo 'firefox ?')"

npm ci --no-audit --no-fund
npm run build
