#!/usr/bin/env bash
# Builds the installable packages in release mode with the Tauri bundler:
#   target/release/bundle/deb/Threatwright_<version>_amd64.deb   (app + CLI)
#   target/release/bundle/appimage/Threatwright_<version>_amd64.AppImage  (with --appimage)
# The .deb carries the app (`threatwright-app`, desktop entry, icon, .twm file
# association and MIME type) and the CLI (`/usr/bin/threatwright`). The
# AppImage needs the bundler to download linuxdeploy and appimagetool from
# GitHub, so it is built only when asked for (--appimage) on a networked machine.
# The version is the Cargo workspace's ([workspace.package] in Cargo.toml).
# macOS and Windows: see docs/guide/install.md (same bundler, --bundles dmg / msi).
# Honours CARGO_TARGET_DIR (default: <repo>/target).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
case "$CARGO_TARGET_DIR" in /*) ;; *) CARGO_TARGET_DIR=$REPO/$CARGO_TARGET_DIR ;; esac

bundles=deb
for arg in "$@"; do
  case "$arg" in
    --appimage) bundles=deb,appimage ;;
    *) echo "package: unknown argument $arg (only --appimage)" >&2; exit 2 ;;
  esac
done

./scripts/install-deps.sh
npm --prefix ui run build
# The CLI goes into the .deb beside the app (tauri.conf.json bundle.linux.deb.files
# names it relative to src-tauri/, so a custom CARGO_TARGET_DIR is linked there).
cargo build --release -p threatwright
if [[ $CARGO_TARGET_DIR != "$REPO/target" ]]; then
  mkdir -p "$REPO/target/release"
  ln -sf "$CARGO_TARGET_DIR/release/threatwright" "$REPO/target/release/threatwright"
fi
# The UI is built above; the bundler must not run `npm run build` from the repo root.
./ui/node_modules/.bin/tauri build --bundles "$bundles" --config '{"build":{"beforeBuildCommand":""}}'
echo "package: built"
find "$CARGO_TARGET_DIR/release/bundle" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.AppImage' \) -printf '  %p (%s bytes)\n'
