# SPDX-License-Identifier: MIT
# The Debian package, built by CPack from the install rules of packaging/install.cmake:
#   cmake --build build/release && (cd build/release && cpack -G DEB)
# gives decksync-inspector_<version>-1_<arch>.deb. Included from the top-level CMakeLists.txt,
# after packaging/install.cmake.

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "decksync-inspector")
set(CPACK_PACKAGE_VENDOR "DeckSync developers")
set(CPACK_PACKAGE_CONTACT "DeckSync developers <dev@decksync.invalid>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/decksync/inspector")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "see, replay and repair the sync of a flashcard app")
# Debian wants the lines of the long description under 80 characters.
set(CPACK_PACKAGE_DESCRIPTION
    "DeckSync Inspector shows what a sync did to the decks, achievements, study
progress, starred decks and preferences of a flashcard study app, and why. It
embeds the app's sync engine, lists every added, updated, deleted and
conflicting item with the engine's explanation and diagnostics, lets conflicts
be resolved by hand, applies the result atomically and keeps a history from
which any sync can be rolled back.

The package also contains decksync, a command line that runs the same sync on
two JSON files, and decksync-server, which serves the sync API over HTTP with
a WebSocket feed.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES TRUE)

set(CPACK_DEBIAN_PACKAGE_NAME "decksync-inspector")
set(CPACK_DEBIAN_PACKAGE_RELEASE "1")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT") # decksync-inspector_0.1.0-1_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "DeckSync developers <dev@decksync.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/decksync/inspector")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# dpkg-shlibdeps (dpkg-dev) derives the libraries the executables link against: Qt, QtKeychain,
# zlib, libstdc++ (and libasan/libubsan for an ASan build).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# ...and these are loaded at run time, which dpkg-shlibdeps cannot see. They are merged with the
# computed list:
#   libqt6sql6-sqlite  the QSQLITE driver plugin (history, server storage);
#   libqt6svg6         the SVG image format and icon engine plugins (the scalable icon);
#   fonts-dejavu-core  a font for the UI and for offscreen renders (--screenshot).
# The xcb and offscreen platform plugins are in libqt6gui6 on Debian 12, which shlibdeps already
# adds; qt6-qpa-plugins holds only the VNC and TUIO ones, so it is not needed.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6, fonts-dejavu-core")
# Native Wayland windows; without it Qt runs through XWayland.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland")
# The QPSQL driver plugin, for decksync-server --db postgresql://... (SQLite needs nothing more).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libqt6sql6-psql")

# `cpack --config CPackSourceConfig.cmake`: a source tarball without build trees.
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_PACKAGE_FILE_NAME "decksync-inspector-${PROJECT_VERSION}")
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build/" "/\\.cache/" "/compile_commands\\.json$" "__pycache__")

include(CPack)
