// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QLineEdit;
class QSpinBox;

namespace jwb::ui {

class PolicyDocument;
class RulesEditor;

// The policy's name, owner and revision, and the `defaults` every issuer inherits.
class DefaultsEditor final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DefaultsEditor)

public:
    explicit DefaultsEditor(PolicyDocument* document, QWidget* parent = nullptr);

    RulesEditor* rulesEditor() const { return m_rules; }
    // "defaults.clock_skew_seconds", "name", "owner", "revision".
    bool focusField(const QString& path);

private:
    void refresh();

    PolicyDocument* m_document;
    QLineEdit* m_name;
    QLineEdit* m_owner;
    QSpinBox* m_revision;
    RulesEditor* m_rules;
};

} // namespace jwb::ui
