# SPDX-License-Identifier: Apache-2.0
# Live tests: each tests/live/tst_*.cpp starts a real gateway or service (tests/support/LiveServer.h)
# on 127.0.0.1 and drives it, in process through jwb_core and as the built jwt-policy. They link
# Qt6::Network for the server helper, run one at a time (RUN_SERIAL) so servers do not compete for
# the two cores, and get a generous timeout because a gateway takes seconds to start.
file(GLOB JWB_LIVE_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/live/tst_*.cpp)
if(JWB_LIVE_TESTS)
    find_package(Qt6 REQUIRED COMPONENTS Network Test)
endif()
foreach(t ${JWB_LIVE_TESTS})
    get_filename_component(name ${t} NAME_WE)
    add_executable(${name} ${t})
    target_link_libraries(${name} PRIVATE jwb_core Qt6::Network Qt6::Test jwb_build_flags)
    target_include_directories(${name} PRIVATE ${JWB_TEST_SUPPORT} ${CMAKE_CURRENT_SOURCE_DIR}/live)
    target_compile_definitions(${name} PRIVATE JWB_TEST_DATA="${JWB_TEST_DATA}"
                               JWB_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                               JWT_POLICY_BIN="$<TARGET_FILE:jwt-policy>")
    add_dependencies(${name} jwt-policy)
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LC_ALL=C.UTF-8"
                         TIMEOUT 600 RUN_SERIAL TRUE LABELS live)
endforeach()
# The CLI probe test starts the jose service through the same helper.
if(TARGET tst_cli_probe)
    find_package(Qt6 REQUIRED COMPONENTS Network)
    target_link_libraries(tst_cli_probe PRIVATE Qt6::Network)
endif()
