// SPDX-License-Identifier: Apache-2.0
// Reading a file, pipe or standard input under a size limit without paying for the limit.
#pragma once

#include <QByteArray>
#include <QIODevice>

namespace jwb::util {

// At most `limit` + 1 bytes of `device` from its current position: one more than the limit, so the
// caller tells "exactly the limit" from "more" (data.size() > limit). QIODevice::read(limit + 1)
// allocates the whole bound before it reads, so a 2 KB policy under the 64 MiB limit cost 64 MiB per
// load; here the buffer grows with what is there (a regular file's remaining size is reserved at
// once). Stops at end of input or on a read error; the caller checks device.errorString() or
// QFileDevice::error() as before.
QByteArray readAtMost(QIODevice& device, qint64 limit);

} // namespace jwb::util
