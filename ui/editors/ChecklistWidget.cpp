// SPDX-License-Identifier: Apache-2.0
#include "editors/ChecklistWidget.h"

#include "models/Palette.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace jwb::ui {

ChecklistWidget::ChecklistWidget(QList<Entry> known, const QString& addPlaceholder, QWidget* parent)
    : QWidget(parent), m_known(std::move(known))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_list = new QListWidget(this);
    m_list->setUniformItemSizes(true);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideRight);
    layout->addWidget(m_list);
    auto* addRow = m_addRow = new QHBoxLayout;
    m_addField = new QLineEdit(this);
    m_addField->setPlaceholderText(addPlaceholder);
    m_addField->setAccessibleName(addPlaceholder);
    m_addField->setToolTip(tr("Adds a name that is not in the list and ticks it."));
    m_addButton = new QPushButton(tr("Add"), this);
    m_addButton->setToolTip(m_addField->toolTip());
    m_addButton->setAccessibleName(tr("Add name"));
    addRow->addWidget(m_addField, 1);
    addRow->addWidget(m_addButton);
    layout->addLayout(addRow);

    for (const Entry& entry : std::as_const(m_known))
        appendItem(entry);

    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem*) { emit edited(); });
    connect(m_addButton, &QPushButton::clicked, this, &ChecklistWidget::addFromField);
    connect(m_addField, &QLineEdit::returnPressed, this, &ChecklistWidget::addFromField);
}

QListWidgetItem* ChecklistWidget::appendItem(const Entry& entry)
{
    auto* item = new QListWidgetItem(entry.description.isEmpty() ? entry.name
                                                                 : entry.name + QStringLiteral(" \u2014 ") + entry.description);
    item->setData(Qt::UserRole, entry.name);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    item->setCheckState(Qt::Unchecked);
    item->setToolTip(entry.description.isEmpty() ? entry.name : entry.description);
    if (entry.dangerous) {
        // Red text and a warning sign in the text itself: an icon would make every row taller.
        item->setText(QStringLiteral("\u26A0 ") + item->text());
        item->setForeground(tintColor(m_list->palette(), Tint::Danger));
        item->setToolTip(tr("Dangerous: %1 Allowing it lets the token influence which key verifies it.")
                             .arg(entry.description));
    }
    m_list->addItem(item);
    return item;
}

void ChecklistWidget::addTrailingWidget(QWidget* widget) { m_addRow->addWidget(widget); }

void ChecklistWidget::setContentEnabled(bool enabled)
{
    m_list->setEnabled(enabled);
    m_addField->setEnabled(enabled);
    m_addButton->setEnabled(enabled);
}

QListWidgetItem* ChecklistWidget::item(const QString& name) const
{
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->data(Qt::UserRole).toString() == name)
            return m_list->item(i);
    return nullptr;
}

void ChecklistWidget::setLocked(const QString& name, const QString& reason)
{
    m_locked.insert(name, reason);
    QListWidgetItem* it = item(name);
    if (!it)
        return;
    const QSignalBlocker block(m_list);
    // Not user-checkable and not enabled: drawn ticked and greyed, like a disabled check box.
    it->setFlags(Qt::ItemIsSelectable);
    it->setCheckState(Qt::Checked);
    it->setText(it->text() + tr(" (always)"));
    it->setToolTip(reason);
}

void ChecklistWidget::setChecked(const QStringList& names)
{
    m_lastSet = names;
    const QSignalBlocker block(m_list);
    // Drop custom names that are no longer used, then add the ones the policy has.
    for (int i = m_list->count() - 1; i >= 0; --i) {
        const QString name = m_list->item(i)->data(Qt::UserRole).toString();
        const bool isKnown = std::any_of(m_known.cbegin(), m_known.cend(), [&name](const Entry& e) { return e.name == name; });
        if (!isKnown && !names.contains(name))
            delete m_list->takeItem(i);
    }
    for (const QString& name : names)
        if (!item(name))
            appendItem(Entry{name, {}, false});
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem* it = m_list->item(i);
        const QString name = it->data(Qt::UserRole).toString();
        it->setCheckState(names.contains(name) || m_locked.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
    m_list->viewport()->update();
}

QStringList ChecklistWidget::checked() const
{
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i) {
        const QString name = m_list->item(i)->data(Qt::UserRole).toString();
        if (m_locked.contains(name) ? m_lastSet.contains(name) : m_list->item(i)->checkState() == Qt::Checked)
            out.append(name);
    }
    return out;
}

void ChecklistWidget::addFromField()
{
    const QString name = m_addField->text().trimmed();
    if (name.isEmpty())
        return;
    m_addField->clear();
    if (QListWidgetItem* existing = item(name)) {
        existing->setCheckState(Qt::Checked); // emits edited via itemChanged
        return;
    }
    const QSignalBlocker block(m_list);
    appendItem(Entry{name, {}, false})->setCheckState(Qt::Checked);
    emit edited();
}

} // namespace jwb::ui
