#!/usr/bin/env bash
# Real-editor end-to-end test: packages the VSIX, installs it into the VS Code that the
# npm package code-server contains, starts that VS Code on 127.0.0.1 with a temporary
# workspace holding a fixture, and drives it from Debian's headless Chromium with
# playwright-core (test/e2e/drive.ts). Screenshots go to test-results/e2e/.
#
# Exits non-zero on any failure; the last line is "e2e: N passed, N failed".
#   FOLIO_LENS_VSIX=path.vsix   use this VSIX instead of running scripts/package.mjs
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RESULTS="$ROOT/test-results/e2e"
WORK=""
CS_PID=""
SETUP_FAILED=0

log() { printf 'e2e: %s\n' "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
  if [[ -n "$CS_PID" ]] && kill -0 "$CS_PID" 2>/dev/null; then
    # code-server was started in its own session: end its whole process group.
    kill -TERM -- "-$CS_PID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$CS_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$CS_PID" 2>/dev/null || true
  fi
  if [[ -n "$WORK" && -d "$WORK" && -z "${FOLIO_LENS_E2E_KEEP:-}" ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

fail_setup() {
  log "setup failed: $*"
  echo "e2e: 0 passed, 1 failed"
  exit 1
}

ensure_apt_packages() {
  local missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  # The views show lock state with emoji (🔒); without an emoji font the screenshots show boxes.
  dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || missing+=(fonts-noto-color-emoji)
  if (( ${#missing[@]} > 0 )); then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2 && apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();});"
}

mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.png "$RESULTS"/results.json "$RESULTS"/code-server.log

t0="$(now)"
ensure_apt_packages || fail_setup "apt-get install chromium libkrb5-dev"
LAUNCHER="$(bash "$ROOT/test/e2e/install-code-server.sh" | tail -1)" || fail_setup "code-server install"
NODE24="$(cd "$ROOT" && node --input-type=module -e "import('./scripts/tools.mjs').then((t) => console.log(t.ensureTools(() => {})))")" \
  || fail_setup "Node 24 tools"
log "tools ready in $(elapsed "$t0") s"

t1="$(now)"
VSIX="${FOLIO_LENS_VSIX:-}"
if [[ -z "$VSIX" ]]; then
  VSIX="$RESULTS/folio-lens-e2e.vsix"
  node "$ROOT/scripts/package.mjs" --out "$VSIX" >&2 || fail_setup "packaging the VSIX"
fi
[[ -f "$VSIX" ]] || fail_setup "no VSIX at $VSIX"
log "VSIX ready in $(elapsed "$t1") s: $VSIX ($(stat -c %s "$VSIX") bytes)"

WORK="$(mktemp -d /tmp/folio-lens-e2e.XXXXXX)"
EXT_DIR="$WORK/extensions"
USER_DIR="$WORK/user-data"
WS="$WORK/workspace"
mkdir -p "$EXT_DIR" "$USER_DIR/User" "$WS/mm"
cp "$ROOT/test/e2e/fixtures/e2e_folio_locks.c" "$WS/mm/"
# A kernel tree's top-level Makefile names its version; the server reads it.
printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION =\n' > "$WS/Makefile"
cat > "$USER_DIR/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "editor.minimap.enabled": false,
  "window.autoDetectColorScheme": true,
  "workbench.preferredLightColorTheme": "Default Light Modern",
  "workbench.preferredDarkColorTheme": "Default Dark Modern",
  "editor.hover.delay": 200,
  "files.autoSave": "off",
  "folioLens.trace.server": "messages"
}
JSON

export PATH="$(dirname "$NODE24"):$PATH"
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data"
CS=(node "$LAUNCHER" --config "$WORK/code-server.yaml" --extensions-dir "$EXT_DIR" --user-data-dir "$USER_DIR")
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$WORK/code-server.yaml"

t2="$(now)"
"${CS[@]}" --install-extension "$VSIX" --force >"$RESULTS/install-extension.log" 2>&1 \
  || { cat "$RESULTS/install-extension.log" >&2; fail_setup "code-server --install-extension"; }
log "extension installed in $(elapsed "$t2") s: $(ls "$EXT_DIR" | grep -i folio | tr '\n' ' ')"

PORT="$(free_port)"
t3="$(now)"
setsid "${CS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --ignore-last-opened \
  "$WS" >"$RESULTS/code-server.log" 2>&1 &
CS_PID=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  kill -0 "$CS_PID" 2>/dev/null || { cat "$RESULTS/code-server.log" >&2; fail_setup "code-server exited"; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 || fail_setup "code-server did not answer on port $PORT"
log "code-server $("${CS[@]}" --version 2>/dev/null | tail -1) listening on 127.0.0.1:$PORT after $(elapsed "$t3") s"

t4="$(now)"
node --import tsx "$ROOT/test/e2e/drive.ts" \
  --url "http://127.0.0.1:$PORT/?folder=$WS" \
  --workspace "$WS" \
  --results "$RESULTS"
drive_status=$?
log "browser tests ran in $(elapsed "$t4") s (total $(elapsed "$t0") s)"

# The driver writes its verdicts to a file: count from it, never from the exit code alone.
if [[ -f "$RESULTS/results.json" ]]; then
  read -r passed failed < <(node -e "const r=require(process.argv[1]);console.log(r.passed.length, r.failed.length)" "$RESULTS/results.json")
else
  log "the driver wrote no results.json"
  passed=0; failed=1
fi
if (( drive_status != 0 && failed == 0 )); then failed=1; fi
# Keep the extension host's log next to the screenshots for whoever reads a failure.
find "$USER_DIR/logs" -name '*Folio Lens*' -exec cp {} "$RESULTS/" \; 2>/dev/null || true

echo "e2e: $passed passed, $failed failed"
(( failed == 0 ))
