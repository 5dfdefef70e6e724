// SPDX-License-Identifier: Apache-2.0
#include "util/BoundedRead.h"

#include <algorithm>

namespace jwb::util {

QByteArray readAtMost(QIODevice& device, qint64 limit)
{
    const qint64 bound = std::max<qint64>(limit, 0) + 1;
    QByteArray data;
    if (!device.isSequential()) {
        const qint64 left = device.size() - device.pos();
        data.reserve(static_cast<qsizetype>(std::clamp<qint64>(left + 1, 0, bound)));
    }
    constexpr qint64 kChunk = 64 * 1024;
    char chunk[kChunk];
    while (data.size() < bound) {
        const qint64 n = device.read(chunk, std::min(kChunk, bound - data.size()));
        if (n <= 0)
            break; // end of input (0) or an error (-1) the caller reports
        data.append(chunk, static_cast<qsizetype>(n));
    }
    return data;
}

} // namespace jwb::util
