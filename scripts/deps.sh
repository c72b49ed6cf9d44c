#!/usr/bin/env bash
# Installs the Debian 12 packages that the project needs, only those that are missing.
#
# Usage: scripts/deps.sh [GROUP...]   (no group: every group)
#   build        configure and build every preset but fuzz (dev, dev-asan, release)
#   test         run the test suites, tst_package and the screenshots
#   fuzz         the fuzz preset and scripts/fuzz.sh
#   fresh-check  scripts/fresh-check.sh
#   bench        the benchmarks under tests/bench (wrk for the server's, Python and jq for the CLI's)
#
# Packages are installed with --no-install-recommends, so every package a build needs is
# named here, also when another one only recommends it: Qt6Charts needs Qt6OpenGL's CMake
# files, which come from libqt6opengl6-dev, a Recommends of qt6-base-dev.
set -euo pipefail

declare -A groups
groups[build]="
    g++ cmake ninja-build ccache pkgconf make
    nlohmann-json3-dev libdtl-dev
    qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-charts-dev
    qt6-websockets-dev zlib1g-dev libboost1.81-dev
    qtkeychain-qt6-dev
"
# Offscreen platform plugin and the SQLite driver (both loaded at run time); text in offscreen
# renders; cpack's dpkg-shlibdeps and checking the screenshot; validating the .desktop file,
# the metainfo and the man pages; reading the text of a case report's PDF back (pdftotext);
# an X server for the test that runs the inspector on xcb, where Qt's session management is;
# PostgreSQL and Qt's driver for it, for the server's suites on that backend.
groups[test]="
    libqt6gui6 libqt6sql6-sqlite libqt6sql6-psql postgresql-15
    fonts-dejavu-core
    dpkg-dev file
    desktop-file-utils appstream groff-base
    poppler-utils
    xvfb xauth
"
groups[fuzz]="clang-14 libclang-rt-14-dev"
groups[fresh-check]="mmdebstrap debian-archive-keyring git ca-certificates"
groups[bench]="wrk python3 curl jq"

wanted=("$@")
[[ ${#wanted[@]} -eq 0 ]] && wanted=(build test fuzz fresh-check bench)

packages=()
for g in "${wanted[@]}"; do
    if [[ -z ${groups[$g]+set} ]]; then
        echo "scripts/deps.sh: no group '$g' (build, test, fuzz, fresh-check, bench)" >&2
        exit 2
    fi
    read -r -a list <<<"$(echo ${groups[$g]})"
    packages+=("${list[@]}")
done

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
