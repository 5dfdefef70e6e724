// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMap>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QGridLayout;
class QGroupBox;
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
    // Family groups per row (all five in one row by default); a narrow panel uses fewer so none is cut.
    void setColumns(int columns);
    // Marks algorithms accepted beyond the pin by an active exception: algorithm -> "id, until date".
    void setExceptionAlgorithms(const QMap<QString, QString>& granted);
    QString exceptionFor(const QString& algorithm) const { return m_granted.value(algorithm); }

signals:
    void edited();

private:
    void updateWarning();

    QMap<QString, QCheckBox*> m_boxes;
    QMap<QString, QString> m_granted;
    QMap<QString, QString> m_tips; // each box's own tooltip
    QList<QGroupBox*> m_groups;
    QGridLayout* m_grid = nullptr;
    QStringList m_order;
    QLabel* m_warning = nullptr;
};

} // namespace jwb::ui
