// SPDX-License-Identifier: Apache-2.0
#include "util/AtomicFile.h"

#include <QSaveFile>

namespace jwb::util {

Status writeFileAtomically(const QString& path, const QByteArray& data, const QString& errorCode)
{
    const auto writeError = [&errorCode, &path](const QString& why) {
        return Error{errorCode, QStringLiteral("cannot write the file: %1").arg(why), path};
    };
    QSaveFile file(path);
    // Unbuffered: a short write (disk full, file size limit) must be seen here. Through Qt's write
    // buffer a partial flush is not reported, and commit() would replace the old file with a
    // truncated one.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return writeError(file.errorString());
    const qint64 written = file.write(data);
    if (written != data.size() || file.size() != data.size()) {
        // A write that stops part-way reports the bytes it wrote and no error string of its own.
        const QString why =
            written < 0 ? file.errorString()
                        : QStringLiteral("only %1 of %2 bytes were written (disk full or file size limit)")
                              .arg(written)
                              .arg(data.size());
        file.cancelWriting();
        return writeError(why);
    }
    if (!file.commit())
        return writeError(file.errorString());
    return Ok{};
}

} // namespace jwb::util
