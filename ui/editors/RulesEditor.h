// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QLabel;
class QSpinBox;

namespace jwb::ui {

class AlgorithmPinsWidget;
class ChecklistWidget;

// Edits one inheritable rule set: the policy `defaults` or an issuer's `overrides`. Every field has
// an "inherit" box: ticked, the field is unset and the control shows (disabled) the value that
// applies instead, from the built-in values (defaults) or from the defaults (overrides).
// The editor never changes the policy itself: it emits edited() with the whole new rule set and a
// phrase for the undo command; the owner passes that to the document, which may refuse it.
class RulesEditor final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RulesEditor)

public:
    enum class Mode { Defaults, Overrides };
    enum class Layout { Wide, Narrow };

    // Child object names start with `namePrefix` ("defaults" -> "defaultsClockSkew").
    RulesEditor(Mode mode, Layout layout, const QString& namePrefix, QWidget* parent = nullptr);

    // `own`: the rule set edited; `inherited`: what applies where a field is unset.
    void setRules(const policy::Rules& own, const policy::EffectiveRules& inherited);
    // Shows what the active exceptions of the issuer allow beyond these rules (Overrides mode): the
    // algorithms they add are marked in the pin, and a note names each exception with its expiry.
    void setActiveExceptions(const QList<policy::PolicyException>& exceptions);
    // Focuses the control of a file field name ("clock_skew_seconds"); false if unknown.
    bool focusField(const QString& field);

    QSpinBox* clockSkewBox() const { return m_clockSkew; }

signals:
    // `what` completes "Set default ..." / "Set ... for <issuer>", e.g. "clock skew to 30 s".
    void edited(const policy::Rules& rules, const QString& what, const QString& mergeKey);

private:
    QCheckBox* makeInherit(const QString& name, const QString& field);
    void emitEdit(const QString& what, const QString& mergeKey);
    void updateEnabled();
    QString inheritWord() const;

    Mode m_mode;
    QString m_prefix;
    policy::Rules m_own; // the last value shown, refreshed from the document after every change
    bool m_updating = false;

    AlgorithmPinsWidget* m_algorithms = nullptr;
    QCheckBox* m_algorithmsInherit = nullptr;
    QSpinBox* m_clockSkew = nullptr;
    QCheckBox* m_clockSkewInherit = nullptr;
    QSpinBox* m_maxLifetime = nullptr;
    QCheckBox* m_maxLifetimeInherit = nullptr;
    ChecklistWidget* m_requiredClaims = nullptr;
    QCheckBox* m_requiredClaimsInherit = nullptr;
    ChecklistWidget* m_allowedHeaders = nullptr;
    QCheckBox* m_allowedHeadersInherit = nullptr;
    QLineEdit* m_allowedTypes = nullptr;
    QCheckBox* m_allowedTypesInherit = nullptr;
    QCheckBox* m_requireType = nullptr;
    QCheckBox* m_requireTypeInherit = nullptr;
    QCheckBox* m_requireKid = nullptr;
    QCheckBox* m_requireKidInherit = nullptr;
    QSpinBox* m_maxTokenBytes = nullptr;
    QCheckBox* m_maxTokenBytesInherit = nullptr;
    QLabel* m_headerWarning = nullptr;
    QLabel* m_exceptionNote = nullptr;
};

} // namespace jwb::ui
