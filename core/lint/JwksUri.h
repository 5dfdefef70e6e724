// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace jwb::lint {

// Whether `uri` is an https URL with a host: what the rule jwks-uri-not-https asks of a jwks_uri.
// The editor asks the same before it writes one, so the two never disagree.
bool isHttpsUrl(const QString& uri);

} // namespace jwb::lint
