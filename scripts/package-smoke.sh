#!/usr/bin/env bash
# Packaging smoke test: installs the .deb that scripts/package.sh built and checks that the
# installed app opens its window and the installed CLI works, as a user of the package would.
#
#   scripts/package-smoke.sh [DEB]     (default: the newest target/release/bundle/deb/*.deb)
#
# As root (a fresh machine, CI container) it installs with `apt-get install ./x.deb` (so its
# dependencies come too) and removes it afterwards; otherwise it unpacks into a scratch root
# with `dpkg-deb -x` and runs the binaries from there. Either way it checks:
#   - the package metadata: name, version = the Cargo workspace's, dependencies, section;
#   - the files: app binary, CLI, desktop entry with the .twm MIME type, icon, MIME definition;
#   - `threatwright --version` prints the workspace version and the CLI analyses an example;
#   - the installed app, started under Xvfb with an example model, maps a window titled
#     "<file> — Threatwright" within 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
deb=${1:-$(ls -t "$TARGET"/release/bundle/deb/*.deb 2>/dev/null | head -1 || true)}
[[ -n $deb && -f $deb ]] || { echo "package-smoke: no .deb (run scripts/package.sh first)" >&2; exit 2; }
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
fail() { echo "package-smoke: FAIL: $*" >&2; exit 1; }
echo "package-smoke: $deb (workspace version $version)"

# Metadata.
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "package version $(dpkg-deb -f "$deb" Version) != $version"
[[ $(dpkg-deb -f "$deb" Package) == threatwright ]] || fail "package name $(dpkg-deb -f "$deb" Package)"
dpkg-deb -f "$deb" Depends | grep -q libwebkit2gtk-4.1-0 || fail "Depends lacks libwebkit2gtk-4.1-0"

# Files.
listing=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./##')
for f in usr/bin/threatwright-app usr/bin/threatwright usr/share/applications/Threatwright.desktop \
         usr/share/mime/packages/threatwright.xml; do
  grep -qx "$f" <<<"$listing" || fail "missing /$f"
done
grep -q "^usr/share/icons/hicolor/.*/apps/threatwright-app.png$" <<<"$listing" || fail "no icon"

if [[ $(id -u) -eq 0 ]]; then
  apt-get install -y --no-install-recommends "$(realpath "$deb")" >/dev/null
  root=/
  trap 'apt-get remove -y threatwright >/dev/null 2>&1 || true' EXIT
  command -v threatwright >/dev/null || fail "threatwright is not on PATH after install"
  [[ $(command -v threatwright) == /usr/bin/threatwright ]] || fail "threatwright on PATH is $(command -v threatwright)"
else
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  dpkg-deb -x "$deb" "$root"
fi
app=$root/usr/bin/threatwright-app
cli=$root/usr/bin/threatwright
desktop=$root/usr/share/applications/Threatwright.desktop
grep -q '^Exec=threatwright-app %f$' "$desktop" || fail "desktop entry Exec (needs %f to open a .twm): $(grep ^Exec "$desktop")"
grep -q '^MimeType=.*application/vnd.threatwright.project' "$desktop" || fail "desktop entry has no .twm MIME type"
grep -q 'glob pattern="\*.twm"' "$root/usr/share/mime/packages/threatwright.xml" || fail "MIME definition has no *.twm glob"

# The CLI.
[[ $("$cli" --version) == "threatwright $version" ]] || fail "CLI --version: $("$cli" --version)"
work=$(mktemp -d)
"$cli" analyze models/examples/photo-pipeline.yaml --format csv -o "$work/photos.csv"
[[ $(wc -l <"$work/photos.csv") -gt 20 ]] || fail "the CLI's analysis of the photo-pipeline example is nearly empty"
"$cli" report models/examples/photo-pipeline.yaml -o "$work/photos.pdf"
[[ $(head -c 5 "$work/photos.pdf") == "%PDF-" ]] || fail "the CLI wrote no PDF"
"$cli" convert models/examples/orders-service.yaml -o "$work/orders.twm"

# The app: its window opens on the .twm (the file association's path).
command -v xvfb-run >/dev/null || fail "xvfb-run missing (scripts/install-deps.sh)"
cat >"$work/probe.sh" <<PROBE
#!/usr/bin/env bash
XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data "$app" "$work/orders.twm" &
pid=\$!
for _ in \$(seq 60); do
  if xwininfo -root -tree 2>/dev/null | grep -q 'orders.twm — Threatwright'; then
    import -window root "$work/window.png" 2>/dev/null || true
    kill \$pid; wait \$pid 2>/dev/null; exit 0
  fi
  kill -0 \$pid 2>/dev/null || { echo "the app exited"; exit 1; }
  sleep 0.5
done
xwininfo -root -tree | grep -i threatwright || true
kill \$pid; exit 1
PROBE
chmod +x "$work/probe.sh"
xvfb-run -a -s "-screen 0 1280x800x24" "$work/probe.sh" || fail "the installed app opened no window titled 'orders.twm — Threatwright'"
echo "package-smoke: passed (window screenshot: $work/window.png)"
