// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>
#include <QIODevice>

#include <vector>

namespace jwb::corpus {

// Reads a device line by line through one fixed buffer, so memory stays bounded whatever the file
// size. A line longer than the bound is skipped to its end and reported as overlong, never
// truncated into something that looks like a shorter token.
class LineReader final {
public:
    enum class Status { Line, Overlong, End, Error };

    LineReader(QIODevice& device, qsizetype maxLineBytes);

    // The next line without its terminator ("\n" or "\r\n"). The view is valid until the next call.
    Status next(QByteArrayView& line);
    // Bytes up to the end of the last line returned (the buffer may hold more, read but not looked at).
    qint64 bytesConsumed() const { return m_bytesRead - (m_end - m_begin); }
    qint64 lineNumber() const { return m_lineNumber; }

private:
    bool fill(); // false at end of input or on error (m_error set)

    QIODevice& m_device;
    qsizetype m_maxLine;
    std::vector<char> m_buffer;
    qsizetype m_begin = 0;
    qsizetype m_end = 0;
    qint64 m_bytesRead = 0;
    qint64 m_lineNumber = 0;
    bool m_eof = false;
    bool m_error = false;
};

} // namespace jwb::corpus
