# SPDX-License-Identifier: Apache-2.0
# Code style as CI checks it: .clang-tidy over the core (installer/deps-debian.sh installs
# clang-tidy-14). The tree is not yet formatted to .clang-format (clang-format 14 would change 272 of
# 365 C++ files), so no format check runs until it is reformatted once.
find_program(JWB_CLANG_TIDY clang-tidy)
# Only where the compiler is the one the compile database was written for: clang-tidy parses with
# clang, and the sanitizer and fuzz builds add flags it does not need.
if(JWB_CLANG_TIDY AND NOT JWB_SANITIZE AND NOT JWB_FUZZ)
    add_test(NAME style_clang_tidy
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/style/run-clang-tidy.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}
                     ${JWB_CLANG_TIDY} core)
    set_tests_properties(style_clang_tidy PROPERTIES TIMEOUT 2400)
elseif(NOT JWB_CLANG_TIDY)
    message(WARNING "clang-tidy not found (installer/deps-debian.sh installs it): style_clang_tidy is left out")
endif()
