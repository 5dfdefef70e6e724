# SPDX-License-Identifier: Apache-2.0
# Hardening tests (issue 8): the helper a limits test kills part-way through a policy save, and the
# GUI binary for the redaction test when the GUI is built.
add_executable(policy_save_helper ${CMAKE_CURRENT_SOURCE_DIR}/helpers/policy_save_helper.cpp)
target_link_libraries(policy_save_helper PRIVATE jwb_core jwb_build_flags)

if(TARGET tst_limits)
    add_dependencies(tst_limits policy_save_helper)
    target_compile_definitions(tst_limits PRIVATE JWB_SAVE_HELPER="$<TARGET_FILE:policy_save_helper>")
endif()

if(TARGET tst_cli_redaction AND TARGET jwt-workbench)
    add_dependencies(tst_cli_redaction jwt-workbench)
    target_compile_definitions(tst_cli_redaction PRIVATE JWT_WORKBENCH_BIN="$<TARGET_FILE:jwt-workbench>")
endif()

# The fuzz target bodies, replayed without libFuzzer.
if(TARGET tst_fuzzregressions)
    target_include_directories(tst_fuzzregressions PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
    target_compile_definitions(tst_fuzzregressions PRIVATE JWB_FUZZ_DIR="${CMAKE_CURRENT_SOURCE_DIR}/fuzz")
endif()
