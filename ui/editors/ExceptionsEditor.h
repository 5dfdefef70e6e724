// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

#include "policy/Policy.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace jwb::ui {

class ExceptionsModel;
class PolicyDocument;

// The dated exceptions: a list (owner, reason, expiry; expired and expiring marked) and a form for
// the selected one: id, issuer, owner, reason, expiry date and what it allows.
class ExceptionsEditor final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExceptionsEditor)

public:
    explicit ExceptionsEditor(PolicyDocument* document, QWidget* parent = nullptr);

    ExceptionsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    int currentRow() const;
    void selectRow(int row);
    // Field path below "exceptions[N]." ("owner", "expires", "allow.algorithms").
    bool focusField(const QString& field);

private:
    void refresh();
    void addException();
    void removeException();
    // Applies `change` to a copy of the current exception and hands it to the document.
    template <typename F>
    void edit(const QString& what, const QString& mergeKey, F change);

    PolicyDocument* m_document;
    ExceptionsModel* m_model;
    QTableView* m_view;
    QPushButton* m_add;
    QPushButton* m_remove;
    QWidget* m_form;
    QLabel* m_status;
    QLineEdit* m_id;
    QComboBox* m_issuer;
    QStringList m_issuerNames; // what m_issuer holds, in policy order
    QLineEdit* m_owner;
    QLineEdit* m_reason;
    QDateEdit* m_expires;
    QLineEdit* m_allowAlgorithms;
    QLineEdit* m_allowHeaders;
    QLineEdit* m_allowKids;
    QCheckBox* m_allowSkewSet;
    QSpinBox* m_allowSkew;
    QCheckBox* m_allowLifetimeSet;
    QSpinBox* m_allowLifetime;
    bool m_updating = false;
};

} // namespace jwb::ui
