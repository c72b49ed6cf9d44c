# SPDX-License-Identifier: MIT
# Install rules: what `cmake --install` and the CPack package put where (FHS layout, relative
# to CMAKE_INSTALL_PREFIX; the package uses /usr). Included from the top-level CMakeLists.txt.
include(GNUInstallDirs)

set(DECKSYNC_APP_ID "io.github.decksync.Inspector")
set(DECKSYNC_PACKAGE "decksync-inspector")
set(_decksync_pkg_dir "${PROJECT_SOURCE_DIR}/packaging")
set(_decksync_docdir "${CMAKE_INSTALL_DATAROOTDIR}/doc/${DECKSYNC_PACKAGE}")

# The three executables.
install(TARGETS decksync decksync-inspector decksync-server
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Desktop integration: launcher, AppStream metadata, icons.
install(FILES "${_decksync_pkg_dir}/${DECKSYNC_APP_ID}.desktop"
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/applications)
install(FILES "${_decksync_pkg_dir}/${DECKSYNC_APP_ID}.metainfo.xml"
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/metainfo)
install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/${DECKSYNC_APP_ID}.svg"
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/scalable/apps)
foreach(size 16 32 48 64 128 256)
    install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/hicolor/${size}x${size}/apps/${DECKSYNC_APP_ID}.png"
            DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/${size}x${size}/apps)
endforeach()

# Manual pages, compressed as Debian policy wants them when gzip is there (it always is on Debian).
set(_decksync_man_pages decksync.1 decksync-inspector.1 decksync-server.1)
find_program(DECKSYNC_GZIP gzip)
mark_as_advanced(DECKSYNC_GZIP)
if(DECKSYNC_GZIP)
    set(_decksync_man_out "${PROJECT_BINARY_DIR}/packaging/man")
    set(_decksync_man_gz)
    foreach(page IN LISTS _decksync_man_pages)
        add_custom_command(
            OUTPUT "${_decksync_man_out}/${page}.gz"
            COMMAND ${CMAKE_COMMAND} -E copy "${_decksync_pkg_dir}/man/${page}" "${_decksync_man_out}/${page}"
            # -n: no name or time stamp in the header, so the output is reproducible.
            COMMAND "${DECKSYNC_GZIP}" -9 -n -f "${_decksync_man_out}/${page}"
            DEPENDS "${_decksync_pkg_dir}/man/${page}"
            COMMENT "Compressing the manual page ${page}"
            VERBATIM)
        list(APPEND _decksync_man_gz "${_decksync_man_out}/${page}.gz")
    endforeach()
    add_custom_target(decksync_man_pages ALL DEPENDS ${_decksync_man_gz})
    install(FILES ${_decksync_man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
    list(TRANSFORM _decksync_man_pages PREPEND "${_decksync_pkg_dir}/man/")
    install(FILES ${_decksync_man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

# Sample datasets, for the manual pages' examples and a first look.
file(GLOB _decksync_samples CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/resources/samples/*.json")
install(FILES ${_decksync_samples} DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/${DECKSYNC_PACKAGE}/samples)

# Documentation and the copyright file Debian expects beside it.
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${_decksync_pkg_dir}/copyright"
        DESTINATION ${_decksync_docdir})
