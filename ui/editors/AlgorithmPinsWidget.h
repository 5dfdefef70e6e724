// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMap>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QLabel;

namespace jwb::ui {

// The algorithm pin as check boxes grouped by family (HMAC, RSA, RSA-PSS, ECDSA, EdDSA). Ticking
// algorithms of more than one family is flagged: the token then chooses how it is verified, and
// HMAC next to an asymmetric family is the classic key-confusion setup.
class AlgorithmPinsWidget final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlgorithmPinsWidget)

public:
    explicit AlgorithmPinsWidget(QWidget* parent = nullptr);

    void setAlgorithms(const QStringList& algorithms);
    // Ticked algorithms in registry order (HS256 ... EdDSA).
    QStringList algorithms() const;
    bool mixesFamilies() const;
    QCheckBox* checkBox(const QString& algorithm) const { return m_boxes.value(algorithm); }

signals:
    void edited();

private:
    void updateWarning();

    QMap<QString, QCheckBox*> m_boxes;
    QStringList m_order;
    QLabel* m_warning = nullptr;
};

} // namespace jwb::ui
