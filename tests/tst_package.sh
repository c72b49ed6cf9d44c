#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tst_package: the product installs. The desktop file, the AppStream metadata and the manual
# pages validate; `cpack -G DEB` builds a package with the right control data and files; and
# the programs run from that package unpacked into a scratch root (never installed into the
# system).
#
# Usage: tests/tst_package.sh BUILD_DIR SOURCE_DIR   (ctest -R tst_package, after a build)
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
app_id=io.github.decksync.Inspector
package=decksync-inspector

passes=0
skips=0
failures=0
pass() { echo "PASS: $*"; passes=$((passes + 1)); }
skip() { echo "SKIP: $*"; skips=$((skips + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
summary() {
    echo
    echo "tst_package: $passes passed, $failures failed, $skips skipped"
}
# A failure the rest of the test cannot go on from.
die() {
    fail "$*"
    summary
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tst_package.XXXXXX")
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# The programs get their own settings, data and runtime folders: nothing touches $HOME.
export XDG_CONFIG_HOME=$tmp/xdg/config XDG_DATA_HOME=$tmp/xdg/data XDG_CACHE_HOME=$tmp/xdg/cache
export XDG_RUNTIME_DIR=$tmp/xdg/runtime
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
echo "tst_package: build $build (${build_type:-no build type}), source $src"
echo

# --- The metadata ---------------------------------------------------------------------------

desktop=$src/packaging/$app_id.desktop
metainfo=$src/packaging/$app_id.metainfo.xml

if have desktop-file-validate; then
    # It exits non-zero only on errors; warnings fail this test too (hints are fine).
    if out=$(desktop-file-validate "$desktop" 2>&1) && ! grep -qE ': (error|warning): ' <<<"$out"; then
        pass "desktop-file-validate $app_id.desktop"
    else
        fail "desktop-file-validate $app_id.desktop"
    fi
    [[ -z $out ]] || printf '      %s\n' "${out//$'\n'/$'\n'      }"
else
    skip "desktop-file-validate is not installed (package desktop-file-utils; scripts/deps.sh installs it)"
fi

if have appstreamcli; then
    if out=$(appstreamcli validate --no-net --no-color "$metainfo" 2>&1); then
        pass "appstreamcli validate --no-net $app_id.metainfo.xml"
    else
        fail "appstreamcli validate --no-net $app_id.metainfo.xml"
    fi
    { grep -E '^ *[EW]: ' <<<"$out" || true; } | sed 's/^ */      /'
else
    skip "appstreamcli is not installed (package appstream; scripts/deps.sh installs it)"
fi

if have groff; then
    for page in "$src"/packaging/man/*.1; do
        name=$(basename "$page")
        if ! out=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1); then
            fail "groff -man -ww $name failed:"$'\n'"$out"
        elif [[ -n $out ]]; then
            fail "groff -man -ww $name warns:"$'\n'"$out"
        elif ! head -c 4096 "$page" | grep -q '^\.SH NAME'; then
            fail "$name has no NAME section"
        else
            pass "groff -man -ww $name: no warnings"
        fi
    done
else
    skip "groff is not installed (package groff-base): manual pages not checked"
fi

# --- The package ----------------------------------------------------------------------------

for tool in cpack dpkg-deb dpkg-shlibdeps; do
    have "$tool" || die "$tool is not installed (packages cmake, dpkg, dpkg-dev; scripts/deps.sh installs them)"
done
[[ -f $build/CPackConfig.cmake ]] || die "$build/CPackConfig.cmake is missing: configure the build first"
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
[[ -n $version ]] || die "no CPACK_PACKAGE_VERSION in $build/CPackConfig.cmake"

mkdir -p "$tmp/out"
if ! (cd "$build" && cpack -G DEB -B "$tmp/out") >"$tmp/cpack.log" 2>&1; then
    cat "$tmp/cpack.log"
    die "cpack -G DEB"
fi
debs=("$tmp"/out/*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || die "cpack -G DEB made ${#debs[@]} packages, expected one"
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[[ $(basename "$deb") == "${package}_${version}-1_${arch}.deb" ]] \
    || fail "package file name $(basename "$deb"), expected ${package}_${version}-1_${arch}.deb"
pass "cpack -G DEB: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

field() { dpkg-deb -f "$deb" "$1"; }
depends=$(field Depends)
echo "      Depends: $depends"
[[ $(field Package) == "$package" ]] || fail "Package: $(field Package), expected $package"
[[ $(field Version) == "$version-1" ]] || fail "Version: $(field Version), expected $version-1"
[[ $(field Section) == devel ]] || fail "Section: $(field Section), expected devel"
[[ $(field Architecture) == "$arch" ]] || fail "Architecture: $(field Architecture), expected $arch"
[[ $(field Maintainer) == "DeckSync developers <dev@decksync.invalid>" ]] || fail "Maintainer: $(field Maintainer)"
[[ -n $(field Description) ]] || fail "no Description"
# Loaded at run time (explicit), and linked (found by dpkg-shlibdeps).
missing=()
for dep in libqt6sql6-sqlite libqt6svg6 fonts-dejavu-core libqt6core6 libqt6widgets6 libqt6sql6; do
    grep -qE "(^|, )$dep( |,|$)" <<<"$depends" || missing+=("$dep")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    pass "dpkg-deb -I: $package $version-1, Depends has the runtime plugins and the shlibdeps libraries"
else
    fail "dpkg-deb -I: Depends lacks ${missing[*]}"
fi
if awk 'length > 80' < <(field Description) | grep -q .; then
    fail "a Description line is longer than 80 characters"
fi

dpkg-deb -c "$deb" | awk '{print $1, $NF}' >"$tmp/contents"
expected=(
    usr/bin/decksync usr/bin/decksync-inspector usr/bin/decksync-server
    "usr/share/applications/$app_id.desktop"
    "usr/share/metainfo/$app_id.metainfo.xml"
    "usr/share/icons/hicolor/scalable/apps/$app_id.svg"
    usr/share/decksync-inspector/samples/local.json usr/share/decksync-inspector/samples/server.json
    "usr/share/doc/$package/README.md" "usr/share/doc/$package/copyright"
)
for size in 16 32 48 64 128 256; do
    expected+=("usr/share/icons/hicolor/${size}x$size/apps/$app_id.png")
done
absent=()
for f in "${expected[@]}"; do
    grep -qxF -- "-rw-r--r-- ./$f" "$tmp/contents" || grep -qxF -- "-rwxr-xr-x ./$f" "$tmp/contents" || absent+=("$f")
done
for page in decksync decksync-inspector decksync-server; do
    grep -qE "^-rw-r--r-- \./usr/share/man/man1/$page\.1(\.gz)?$" "$tmp/contents" || absent+=("usr/share/man/man1/$page.1[.gz]")
done
for exe in decksync decksync-inspector decksync-server; do
    grep -qxF -- "-rwxr-xr-x ./usr/bin/$exe" "$tmp/contents" || absent+=("usr/bin/$exe (mode 0755)")
done
if [[ ${#absent[@]} -eq 0 ]]; then
    pass "dpkg-deb -c: the $(grep -c '^-' "$tmp/contents") files are where they belong"
else
    fail "dpkg-deb -c: missing $(printf '\n      %s' "${absent[@]}")"
fi
if stray=$(awk '{print $2}' "$tmp/contents" | grep -vE '^\./(usr/?|usr/(bin|share)(/.*)?)$'); then
    fail "dpkg-deb -c: files outside /usr/bin and /usr/share:"$'\n'"$stray"
fi

# --- The programs, from the unpacked package ------------------------------------------------

root=$tmp/root
dpkg-deb -x "$deb" "$root" || die "dpkg-deb -x"
bin=$root/usr/bin
samples=$root/usr/share/decksync-inspector/samples

if have appstreamcli; then
    if out=$(appstreamcli validate-tree --no-net --no-color "$root" 2>&1); then
        pass "appstreamcli validate-tree: the installed metadata, launcher and icons agree"
    else
        fail "appstreamcli validate-tree:"$'\n'"$out"
    fi
fi

# Runs a program with a time limit; its output goes to $tmp/<name>.out and .err.
run() {
    local name=$1
    shift
    timeout 120 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
}
show_output() {
    sed 's/^/      | /' "$tmp/$1.out" "$tmp/$1.err"
}

if run cli-version "$bin/decksync" --version && grep -q "^decksync $version\b" "$tmp/cli-version.out"; then
    pass "decksync --version: $(head -1 "$tmp/cli-version.out")"
else
    fail "decksync --version"
    show_output cli-version
fi

if run cli-sync "$bin/decksync" sync --local "$samples/local.json" --server "$samples/server.json" \
        --now 2024-06-01T12:00:00Z --out "$tmp/m.json" --report "$tmp/r.json" \
    && [[ -s $tmp/m.json && -s $tmp/r.json ]] \
    && grep -q '"last_sync": *"2024-06-01T12:00:00Z"' "$tmp/m.json"; then
    pass "decksync sync on the packaged samples: exit 0, merged state and report written"
else
    fail "decksync sync on the packaged samples"
    show_output cli-sync
fi

if run server-version "$bin/decksync-server" --version && grep -q "^decksync-server $version\b" "$tmp/server-version.out"; then
    pass "decksync-server --version: $(head -1 "$tmp/server-version.out")"
else
    fail "decksync-server --version"
    show_output server-version
fi

# add-user opens the SQLite database through the QSQLITE driver plugin.
if run server-add-user "$bin/decksync-server" add-user qa@example.com --db "$tmp/server.sqlite" \
    && grep -qE '^[A-Za-z0-9_-]{20,}$' "$tmp/server-add-user.out" && [[ -s $tmp/server.sqlite ]]; then
    pass "decksync-server add-user: a token, and the SQLite database"
else
    fail "decksync-server add-user"
    show_output server-add-user
fi

# Serve on a free loopback port and ask for /health.
"$bin/decksync-server" --db "$tmp/server.sqlite" --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
url=
for _ in $(seq 1 300); do
    url=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$tmp/serve.out")
    [[ -n $url ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
health=
if [[ -n $url ]] && have curl; then
    health=$(curl -sS --max-time 20 -o "$tmp/health.json" -w '%{http_code}' "$url/health" 2>&1 || true)
fi
if [[ -z $url ]]; then
    fail "decksync-server --port 0 did not say where it listens"
    show_output serve
elif ! have curl; then
    pass "decksync-server listens on $url (curl is not installed: /health not asked)"
elif [[ $health == 200 ]]; then
    pass "decksync-server listens on $url; GET /health answers 200"
else
    fail "decksync-server GET $url/health: $health"
    show_output serve
fi
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=

if run inspector-version "$bin/decksync-inspector" --version \
    && grep -q "^decksync-inspector $version\b" "$tmp/inspector-version.out"; then
    pass "decksync-inspector --version: $(head -1 "$tmp/inspector-version.out")"
else
    fail "decksync-inspector --version"
    show_output inspector-version
fi

# The usage line names the two files once: it read "[LOCAL [SERVER]] SERVER".
if run inspector-help "$bin/decksync-inspector" --help \
    && grep -q "^Usage: .*decksync-inspector \[options\] \[LOCAL \[SERVER\]\]$" "$tmp/inspector-help.out"; then
    pass "decksync-inspector --help: $(grep '^Usage:' "$tmp/inspector-help.out")"
else
    fail "decksync-inspector --help: the usage line"
    show_output inspector-help
fi

# The session file named on the command line is the one written, in both spellings, and the
# default one is left alone. Qt's session management takes "-session ID" out of the arguments
# (the issue: --session was ignored); it is run again on xcb, under Xvfb, where that lives.
default_session=$tmp/xdg/DeckSync/decksync-inspector/session.json
session_check() { # NAME OPTION [launcher...]
    local name=$1 option=$2
    shift 2
    rm -f "$tmp/$name.json" "$default_session"
    local status=0
    XDG_DATA_HOME=$tmp/xdg run "$name" "$@" "$bin/decksync-inspector" \
        --local "$samples/local.json" --server "$samples/server.json" --now 2024-06-01T12:00:00Z \
        --history "$tmp/h.sqlite" "$option" "$tmp/$name.json" --screenshot "$tmp/$name.png" || status=$?
    if [[ $status -eq 0 && -s $tmp/$name.json && ! -e $default_session ]]; then
        pass "decksync-inspector $option FILE ($name): the session goes to FILE"
    else
        fail "decksync-inspector $option FILE ($name): exit status $status; FILE $([[ -s $tmp/$name.json ]] && echo written || echo "not written"); the default session $([[ -e $default_session ]] && echo written || echo "left alone")"
        show_output "$name"
    fi
}
# Under LeakSanitizer (the dev-asan preset), the xcb platform's D-Bus library leaks a buffer
# that is not ours.
printf 'leak:libdbus-1.so\n' >"$tmp/lsan.supp"
QT_QPA_PLATFORM=offscreen session_check session-offscreen --session-file
QT_QPA_PLATFORM=offscreen session_check session-old-name --session
if have xvfb-run; then
    LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$tmp/lsan.supp" QT_QPA_PLATFORM=xcb \
        session_check session-xcb --session xvfb-run -a -s "-screen 0 1280x800x24"
else
    fail "xvfb-run is missing: scripts/deps.sh test installs it"
fi

if QT_QPA_PLATFORM=offscreen run inspector-shot "$bin/decksync-inspector" \
        --local "$samples/local.json" --server "$samples/server.json" --now 2024-06-01T12:00:00Z \
        --history "$tmp/h.sqlite" --session-file "$tmp/s.json" --screenshot "$tmp/shot.png"; then
    kind=$(file -b "$tmp/shot.png" 2>/dev/null || echo "missing")
    bytes=$(stat -c %s "$tmp/shot.png" 2>/dev/null || echo 0)
    if [[ $kind == "PNG image data"* && $bytes -gt 20480 ]]; then
        pass "decksync-inspector --screenshot (offscreen): $kind, $((bytes / 1024)) KiB"
    else
        fail "decksync-inspector --screenshot: $kind, $bytes bytes (expected a PNG over 20 KiB)"
    fi
else
    fail "decksync-inspector --screenshot exited with $?"
    show_output inspector-shot
fi

summary
[[ $failures -eq 0 ]]
