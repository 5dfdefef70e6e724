# SPDX-License-Identifier: Apache-2.0
# Packaging test (installer/test-package.sh): cpack -G DEB on the built tree, unpack, run the installed
# tools, validate the desktop metadata. Debian-family hosts only; it needs dpkg-deb and the validators.
# Sanitizer builds are for the test suite, not for shipping (and LeakSanitizer would judge Qt's exit).
if(NOT WIN32 AND NOT APPLE AND NOT JWB_SANITIZE)
    find_program(JWB_DPKG_DEB dpkg-deb)
    find_program(JWB_DESKTOP_FILE_VALIDATE desktop-file-validate)
    find_program(JWB_APPSTREAMCLI appstreamcli)
    if(JWB_DPKG_DEB AND JWB_DESKTOP_FILE_VALIDATE AND JWB_APPSTREAMCLI)
        add_test(NAME packaging_deb
                 COMMAND bash ${PROJECT_SOURCE_DIR}/installer/test-package.sh ${CMAKE_BINARY_DIR}
                         ${PROJECT_SOURCE_DIR} ${JWB_BUILD_UI})
        set_tests_properties(packaging_deb PROPERTIES TIMEOUT 600 LABELS packaging
                             ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LC_ALL=C.UTF-8")
    else()
        message(STATUS "packaging_deb test skipped: needs dpkg-deb, desktop-file-validate and appstreamcli")
    endif()
endif()
