#!/usr/bin/env bash
# Installs the Debian 12 packages the build, the tests and the inspector need, only those
# that are missing. Usage: scripts/deps.sh
set -euo pipefail

packages=(
    g++ cmake ninja-build ccache pkgconf
    nlohmann-json3-dev
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev
    qt6-httpserver-dev qt6-websockets-dev zlib1g-dev  # decksync-server
    qtkeychain-qt6-dev             # server tokens in the system keyring, where there is one
    libqt6gui6 libqt6sql6-sqlite   # offscreen platform plugin; SQLite driver (loaded at run time)
    fonts-dejavu-core              # text in offscreen renders and screenshots
    dpkg-dev file                  # tst_package: cpack's dpkg-shlibdeps; checking the screenshot
    desktop-file-utils appstream groff-base  # tst_package: validate .desktop, metainfo, man pages
)

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
