// SPDX-License-Identifier: Apache-2.0
#include "util/Versions.h"

#include <QtGlobal>

#include <openssl/crypto.h>

namespace jwb::util {

QString productVersion()
{
    return QStringLiteral(JWB_VERSION);
}

QString qtVersion()
{
    return QString::fromLatin1(qVersion());
}

QString opensslVersion()
{
    return QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION));
}

} // namespace jwb::util
