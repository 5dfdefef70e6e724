// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QList>
#include <QStringList>
#include <QWidget>

class QHBoxLayout;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace jwb::ui {

// A list of check boxes over known names, each with a one-line description; dangerous names are
// shown in the danger tint with a warning icon. Names in the policy that are not known are listed
// too, and the user can add more ("Add" field).
class ChecklistWidget final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChecklistWidget)

public:
    struct Entry {
        QString name;
        QString description; // one line, with the RFC section
        bool dangerous = false;
    };

    explicit ChecklistWidget(QList<Entry> known, const QString& addPlaceholder, QWidget* parent = nullptr);

    void setChecked(const QStringList& names);
    QStringList checked() const; // in list order
    QListWidget* list() const { return m_list; }
    QLineEdit* addField() const { return m_addField; }
    // Puts `widget` at the end of the "Add" row (e.g. an inherit box), saving a row of height.
    void addTrailingWidget(QWidget* widget);
    // Enables or disables the list and the "Add" field, but not the trailing widgets: an inherit box
    // must stay usable while the list it governs is disabled (setEnabled would disable both).
    void setContentEnabled(bool enabled);
    // Item of `name`, or nullptr.
    QListWidgetItem* item(const QString& name) const;
    // Shows `name` as always ticked and not editable, with `reason` as its tooltip: something the
    // product enforces whatever the list says. checked() reports it only if the value set had it, so
    // showing it never writes it into the policy.
    void setLocked(const QString& name, const QString& reason);
    bool isLocked(const QString& name) const { return m_locked.contains(name); }

signals:
    void edited();

private:
    QListWidgetItem* appendItem(const Entry& entry);
    void addFromField();

    QList<Entry> m_known;
    QHash<QString, QString> m_locked;  // name -> why it is always on
    QStringList m_lastSet;             // the names of the last setChecked()
    QListWidget* m_list = nullptr;
    QLineEdit* m_addField = nullptr;
    QPushButton* m_addButton = nullptr;
    QHBoxLayout* m_addRow = nullptr;
};

} // namespace jwb::ui
