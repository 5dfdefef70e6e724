# SPDX-License-Identifier: Apache-2.0
# Licensing (REUSE): `reuse lint` over the tree (LICENSES/ and .reuse/dep5 cover what cannot carry a
# header), and every code file with its own SPDX line. installer/deps-debian.sh installs reuse.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
find_program(JWB_REUSE reuse)
if(JWB_REUSE)
    add_test(NAME licensing_reuse COMMAND ${JWB_REUSE} --root ${PROJECT_SOURCE_DIR} lint)
else()
    message(WARNING "reuse not found (installer/deps-debian.sh installs it): the licensing_reuse test is left out")
endif()
add_test(NAME licensing_spdx_headers
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/licensing/check_spdx_headers.py ${PROJECT_SOURCE_DIR})
