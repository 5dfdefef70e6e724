// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Error.h"

#include <QDateTime>
#include <QString>

namespace jwb::util {

// Parses an instant given as Unix seconds ("1767225600") or RFC 3339 ("2026-01-01T00:00:00Z",
// offsets allowed). ERR_TIME_FORMAT otherwise.
Result<qint64> parseInstant(const QString& text);
// RFC 3339 in UTC, seconds precision: "2026-01-01T00:00:00Z".
QString formatInstant(qint64 unixSeconds);
// "in 4 min", "2 h ago", relative to `now`.
QString relativeTime(qint64 unixSeconds, qint64 now);

} // namespace jwb::util
