// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>

namespace jwb::ui {

// Product name, version, licence, and the Qt and OpenSSL libraries actually loaded, so a bug report
// can say which OpenSSL verified the token. "Copy" puts the same facts on the clipboard as text.
class AboutDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AboutDialog)

public:
    explicit AboutDialog(QWidget* parent = nullptr);

    // The facts shown, as plain text lines (also what "Copy" puts on the clipboard).
    QString versionReport() const;
};

} // namespace jwb::ui
