// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keys/RotationRehearsal.h"
#include "policy/Policy.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPlainTextEdit;

namespace jwb::ui {

class RotationTimeline;

// The "Rotation" view: pick an issuer and a rotation plan (T0 publish, T1 sign, T2 retire, in UTC)
// and see, per rehearsed verifier, the window in which good tokens are rejected (red) and the one
// in which the retired key is still accepted (amber), with the settings that close them. All
// numbers come from keys::rehearseRotation; the view computes nothing of its own.
class RotationView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RotationView)

public:
    explicit RotationView(QWidget* parent = nullptr);
    ~RotationView() override;

    // Sets the three instants (Unix seconds); the report is recomputed.
    void setPlan(const keys::RotationPlan& plan);
    keys::RotationPlan plan() const;
    void setIssuer(const QString& issuer);
    QString currentIssuer() const;
    // The last successful rehearsal, or nothing while the plan is invalid or no issuer is chosen.
    const std::optional<keys::RehearsalReport>& report() const { return m_report; }
    QString adviceText() const;

public slots:
    void setPolicy(const jwb::policy::Policy& policy);

private:
    void refresh();

    std::optional<policy::Policy> m_policy;
    std::optional<keys::RehearsalReport> m_report;
    bool m_updating = false;

    QComboBox* m_issuer = nullptr;
    QDateTimeEdit* m_publish = nullptr;
    QDateTimeEdit* m_sign = nullptr;
    QDateTimeEdit* m_retire = nullptr;
    RotationTimeline* m_timeline = nullptr;
    QLabel* m_status = nullptr;
    QPlainTextEdit* m_advice = nullptr;
};

} // namespace jwb::ui
