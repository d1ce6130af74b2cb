#!/usr/bin/env bash
# Installs the browser-test tools that tests/browser.rs drives against a real Agora: playwright-core
# and axe-core (npm, pinned by package-lock.json) under $HOME/.cache/agora/browser, outside the
# clone. The browser itself is Debian's chromium (`apt-get install -y chromium`, which .ci/run
# does); playwright-core never downloads one. A second run with an unchanged lock file does nothing.
# Prints the AGORA_BROWSER_TOOLS value the test reads.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${AGORA_CLIENTS_DIR:-$HOME/.cache/agora}"

tools="$cache/browser"
mkdir -p "$tools"
if ! cmp -s "$here/package-lock.json" "$tools/package-lock.json" \
  || [ ! -f "$tools/node_modules/playwright-core/package.json" ] \
  || [ ! -f "$tools/node_modules/axe-core/axe.min.js" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$tools/"
  (cd "$tools" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2)
fi

chromium="${AGORA_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "install.sh: no browser at $chromium; install it with: sudo apt-get install -y chromium" >&2
fi

echo "AGORA_BROWSER_TOOLS=$tools/node_modules"
