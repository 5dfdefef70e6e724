# SPDX-License-Identifier: Apache-2.0
# SARIF (issue 19): every --format sarif document against the official SARIF 2.1.0 schema, fingerprints
# that survive moved lines, and the CI recipe (installer/ci/policy-check.sh) over a temporary git
# repository with a tightening and a loosening change.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME sarif_schema
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/sarif/validate_sarif.py
                 --source-dir ${PROJECT_SOURCE_DIR} --jwt-policy $<TARGET_FILE:jwt-policy>)
set_tests_properties(sarif_schema PROPERTIES TIMEOUT 600 ENVIRONMENT "LC_ALL=C.UTF-8")
add_test(NAME sarif_ci_recipe
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/sarif/test_ci_recipe.py
                 --source-dir ${PROJECT_SOURCE_DIR} --jwt-policy $<TARGET_FILE:jwt-policy>)
set_tests_properties(sarif_ci_recipe PROPERTIES TIMEOUT 600 ENVIRONMENT "LC_ALL=C.UTF-8")
