// SPDX-License-Identifier: Apache-2.0
#include "corpus/LineReader.h"

#include <algorithm>
#include <cstring>

namespace jwb::corpus {

namespace {
constexpr qsizetype kMinBuffer = 256 * 1024;
}

LineReader::LineReader(QIODevice& device, qsizetype maxLineBytes)
    : m_device(device)
    , m_maxLine(std::max<qsizetype>(maxLineBytes, 1))
    , m_buffer(static_cast<size_t>(std::max(kMinBuffer, 2 * m_maxLine + 2)))
{
}

bool LineReader::fill()
{
    if (m_eof || m_error)
        return false;
    if (m_begin > 0) { // keep the unfinished line, move it to the front
        const qsizetype rest = m_end - m_begin;
        if (rest > 0)
            std::memmove(m_buffer.data(), m_buffer.data() + m_begin, static_cast<size_t>(rest));
        m_begin = 0;
        m_end = rest;
    }
    const qsizetype room = static_cast<qsizetype>(m_buffer.size()) - m_end;
    if (room <= 0)
        return false;
    const qint64 n = m_device.read(m_buffer.data() + m_end, room);
    if (n < 0) {
        m_error = true;
        return false;
    }
    if (n == 0) {
        m_eof = true;
        return false;
    }
    m_end += n;
    m_bytesRead += n;
    return true;
}

LineReader::Status LineReader::next(QByteArrayView& line)
{
    bool skipping = false; // inside an overlong line: drop bytes up to its end
    for (;;) {
        const char* begin = m_buffer.data() + m_begin;
        const qsizetype available = m_end - m_begin;
        const void* nl = available > 0 ? std::memchr(begin, '\n', static_cast<size_t>(available)) : nullptr;
        if (nl) {
            const qsizetype length = static_cast<const char*>(nl) - begin;
            m_begin += length + 1;
            ++m_lineNumber;
            if (skipping || length > m_maxLine + 1) // +1: a "\r" before the "\n" is not content
                return Status::Overlong;
            qsizetype l = length;
            if (l > 0 && begin[l - 1] == '\r')
                --l;
            if (l > m_maxLine)
                return Status::Overlong;
            line = QByteArrayView(begin, l);
            return Status::Line;
        }
        if (available > m_maxLine + 1) { // no end in sight within the bound: skip what we have
            skipping = true;
            m_begin = m_end;
        }
        if (!fill()) {
            if (m_error)
                return Status::Error;
            // End of input: a last line without a terminator still counts.
            const qsizetype rest = m_end - m_begin;
            if (rest == 0 && !skipping)
                return Status::End;
            const char* b = m_buffer.data() + m_begin;
            m_begin = m_end;
            ++m_lineNumber;
            if (skipping || rest > m_maxLine)
                return Status::Overlong;
            qsizetype l = rest;
            if (l > 0 && b[l - 1] == '\r')
                --l;
            line = QByteArrayView(b, l);
            return Status::Line;
        }
    }
}

} // namespace jwb::corpus
