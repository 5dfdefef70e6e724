// SPDX-License-Identifier: Apache-2.0
#include "lint/JwksUri.h"

#include <QUrl>

namespace jwb::lint {

bool isHttpsUrl(const QString& uri)
{
    const QUrl url(uri);
    return url.isValid() && url.scheme() == u"https" && !url.host().isEmpty();
}

} // namespace jwb::lint
