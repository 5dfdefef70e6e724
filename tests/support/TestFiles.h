// SPDX-License-Identifier: Apache-2.0
// Writing the policies, keys, corpora and oversized inputs the tests hand to the code under test.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <algorithm>

namespace jwb::testing {

// Replaces `path` with `content`. False only when the file cannot be opened for writing: that is
// what the tests assert; a short write shows up as the program's own error on the file.
inline bool writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(content);
    return true;
}

// Replaces `path` with `content`; false unless the file opened and took every byte.
inline bool writeExactly(const QString& path, const QByteArray& content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

// The bytes of `path`; empty when it cannot be opened.
inline QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Writes `content` as `name` in `dir` and returns its path, for inputs a test cannot run without:
// a file that cannot be opened for writing stops the whole run.
inline QString writeInto(const QTemporaryDir& dir, const QString& name, const QByteArray& content)
{
    const QString path = dir.filePath(name);
    if (!writeFile(path, content))
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// Writes `total` bytes made of `head`, then `fill` repeated, then `tail`, one MiB at a time so a
// file of hundreds of MiB never sits in memory. False unless the file ends up exactly `total` long.
inline bool writeStreamed(const QString& path, const QByteArray& head, char fill, qint64 total,
                          const QByteArray& tail)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(head);
    const QByteArray chunk(1024 * 1024, fill);
    for (qint64 left = total - head.size() - tail.size(); left > 0;) {
        const qint64 n = std::min<qint64>(left, chunk.size());
        if (file.write(chunk.constData(), n) != n)
            return false;
        left -= n;
    }
    file.write(tail);
    return file.size() == total;
}

} // namespace jwb::testing
