// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

namespace jwb::ui {

// A comma-separated field as typed ("RS256, ES256,,RS256") read as a list: entries trimmed, empty
// and repeated ones dropped, first occurrence order kept.
inline QStringList splitList(const QString& text)
{
    QStringList out;
    for (const QString& part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString t = part.trimmed();
        if (!t.isEmpty() && !out.contains(t))
            out.append(t);
    }
    return out;
}

} // namespace jwb::ui
