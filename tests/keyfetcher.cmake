# SPDX-License-Identifier: Apache-2.0
# The key fetcher test runs its own HTTPS server (QSslServer), so it needs QtNetwork's headers, and
# it drives `jwt-policy keys fetch` in process against that server, so it links jwb_cli too.
if(TARGET tst_keyfetcher)
    find_package(Qt6 REQUIRED COMPONENTS Network)
    target_link_libraries(tst_keyfetcher PRIVATE jwb_cli Qt6::Network)
endif()
# The Fetch keys dialog test fetches from the same server (tests/support/LoopbackHttpsServer.h).
if(TARGET tst_fetchkeysdialog)
    find_package(Qt6 REQUIRED COMPONENTS Network)
    target_link_libraries(tst_fetchkeysdialog PRIVATE Qt6::Network)
endif()
