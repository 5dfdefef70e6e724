# SPDX-License-Identifier: Apache-2.0
# Code style as CI checks it: .clang-format over every C++ file, .clang-tidy over the core.
# installer/deps-debian.sh installs both tools (clang-format-14, clang-tidy-14 on Debian 12).
find_program(JWB_CLANG_FORMAT clang-format)
find_program(JWB_CLANG_TIDY clang-tidy)
if(JWB_CLANG_FORMAT)
    add_test(NAME style_format
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/style/check-format.sh ${PROJECT_SOURCE_DIR} ${JWB_CLANG_FORMAT})
else()
    message(WARNING "clang-format not found (installer/deps-debian.sh installs it): style_format is left out")
endif()
# Only where the compiler is the one the compile database was written for: clang-tidy parses with
# clang, and the sanitizer and fuzz builds add flags it does not need.
if(JWB_CLANG_TIDY AND NOT JWB_SANITIZE AND NOT JWB_FUZZ)
    add_test(NAME style_clang_tidy
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/style/run-clang-tidy.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}
                     ${JWB_CLANG_TIDY} core)
    set_tests_properties(style_clang_tidy PROPERTIES TIMEOUT 1200)
elseif(NOT JWB_CLANG_TIDY)
    message(WARNING "clang-tidy not found (installer/deps-debian.sh installs it): style_clang_tidy is left out")
endif()
