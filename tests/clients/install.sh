#!/usr/bin/env bash
# Installs the independent clients the tests drive against a real Agora: SPARQLWrapper and rdflib
# (PyPI, into a virtualenv) and Comunica (npm) for tests/sparql_clients.rs, and ldes-client (npm) for
# tests/ldes_client.rs, and the Oxigraph server (PyPI `oxigraph`, the remote store of
# tests/remote_store.rs). All live under $HOME/.cache/agora, outside the clone; a second run with
# unchanged pins does nothing.
# Prints the AGORA_PYTHON, AGORA_COMUNICA, AGORA_LDES_CLIENT and AGORA_OXIGRAPH values the tests read.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${AGORA_CLIENTS_DIR:-$HOME/.cache/agora}"

venv="$cache/venv"
if ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
  python3 -m venv "$venv"
fi
if ! cmp -s "$here/requirements.txt" "$venv/agora-requirements.txt"; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  cp "$here/requirements.txt" "$venv/agora-requirements.txt"
fi

node_dir="$cache/node"
mkdir -p "$node_dir"
if ! cmp -s "$here/package.json" "$node_dir/package.json" \
  || [ ! -f "$node_dir/node_modules/@comunica/query-sparql/package.json" ]; then
  cp "$here/package.json" "$node_dir/package.json"
  (cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error >&2)
fi

ldes_dir="$cache/ldes-client"
mkdir -p "$ldes_dir"
# ldes-client's own dependencies float (^ ranges), so the lock file pins the whole tree.
if ! cmp -s "$here/ldes/package-lock.json" "$ldes_dir/package-lock.json" \
  || [ ! -f "$ldes_dir/node_modules/ldes-client/package.json" ]; then
  cp "$here/ldes/package.json" "$here/ldes/package-lock.json" "$ldes_dir/"
  (cd "$ldes_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

echo "AGORA_PYTHON=$venv/bin/python"
echo "AGORA_COMUNICA=$node_dir/node_modules"
echo "AGORA_LDES_CLIENT=$ldes_dir/node_modules"
echo "AGORA_OXIGRAPH=$venv/bin/oxigraph"
