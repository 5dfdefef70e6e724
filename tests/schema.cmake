# SPDX-License-Identifier: Apache-2.0
# The policy JSON Schema against every sample policy, and the invalid policies against both the
# schema and the loader (through the built jwt-policy).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME policy_schema
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/schema/validate_samples.py
                 --source-dir ${PROJECT_SOURCE_DIR} --jwt-policy $<TARGET_FILE:jwt-policy>)
set_tests_properties(policy_schema PROPERTIES TIMEOUT 300 ENVIRONMENT "LC_ALL=C.UTF-8")
