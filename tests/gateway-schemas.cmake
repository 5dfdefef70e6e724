# SPDX-License-Identifier: Apache-2.0
# The Envoy, Istio and Kong exports of every sample and test policy against the gateways' own
# schemas (issue 24): tests/schemas/<target>.js, run by Node over the built jwt-policy, with the npm
# packages of tests/node/node_modules (installer/deps-node.sh). A missing node or node_modules fails
# the test with what to install; it never skips.
find_program(JWB_NODE_EXECUTABLE NAMES node nodejs)
foreach(target envoy istio kong)
    set(name gateway_schema_${target})
    if(JWB_NODE_EXECUTABLE)
        add_test(NAME ${name}
                 COMMAND ${JWB_NODE_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/schemas/${target}.js
                         --jwt-policy $<TARGET_FILE:jwt-policy> --source-dir ${PROJECT_SOURCE_DIR})
    else()
        add_test(NAME ${name}
                 COMMAND sh -c "echo 'node not found: install nodejs (installer/deps-debian.sh), then run installer/deps-node.sh'; exit 1")
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT 300 ENVIRONMENT "LC_ALL=C.UTF-8")
endforeach()
