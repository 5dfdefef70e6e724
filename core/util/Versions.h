// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace jwb::util {

// The product version this build was made from ("0.1.0"), set by CMake from project().
QString productVersion();
// The Qt version loaded at run time (qVersion()), which may be newer than the one built against.
QString qtVersion();
// The OpenSSL library loaded at run time, as OpenSSL names itself ("OpenSSL 3.0.19 27 Jan 2026").
// Reported from libcrypto, not the headers, so a security update of the system library shows.
QString opensslVersion();

} // namespace jwb::util
