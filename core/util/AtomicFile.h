// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Error.h"

#include <QByteArray>
#include <QString>

namespace jwb::util {

// Replaces the file at `path` with `data`, all or nothing: the bytes go to a temporary file beside
// it (QSaveFile) and only a complete write is renamed over the old file. On any failure (missing or
// read-only directory, a parent that is a file, disk full, file size limit) the old file is left as
// it was, no temporary file remains, and the error has `path` as its location and `errorCode` as
// its code: callers that shipped a code of their own (ERR_POLICY_WRITE, ERR_OUTPUT_WRITE) keep it.
Status writeFileAtomically(const QString& path, const QByteArray& data,
                           const QString& errorCode = QStringLiteral("ERR_FILE_WRITE"));

} // namespace jwb::util
