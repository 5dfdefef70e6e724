// SPDX-License-Identifier: Apache-2.0
#include "editors/ExceptionsEditor.h"

#include "editors/ListText.h"
#include "models/ExceptionsModel.h"
#include "models/PolicyDocument.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace jwb::ui {

namespace {

std::optional<QStringList> optionalList(const QString& text)
{
    const QStringList list = splitList(text);
    return list.isEmpty() ? std::nullopt : std::optional<QStringList>(list);
}

// Dates in the file mean "until the end of that day, UTC"; the loader stores the exclusive end.
QDateTime endOfDay(const QDate& date) { return QDateTime(date.addDays(1), QTime(0, 0), Qt::UTC); }
QDate shownDate(const policy::PolicyException& e)
{
    const QDateTime utc = e.expires.toUTC();
    return e.expiresIsDate ? utc.addSecs(-1).date() : utc.date();
}

void setLine(QLineEdit* edit, const QString& text)
{
    if (splitList(edit->text()) != splitList(text) || (!edit->hasFocus() && edit->text() != text))
        edit->setText(text);
}

} // namespace

ExceptionsEditor::ExceptionsEditor(PolicyDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_model(new ExceptionsModel(document, this))
{
    auto* outer = new QHBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    outer->addWidget(splitter);

    // --- List
    auto* listSide = new QWidget(splitter);
    auto* listLayout = new QVBoxLayout(listSide);
    listLayout->setContentsMargins(0, 0, 0, 0);
    m_view = new QTableView(listSide);
    m_view->setObjectName(QStringLiteral("exceptionsView"));
    m_view->setAccessibleName(tr("Exceptions"));
    m_view->setToolTip(tr("Dated, owned loosenings of the policy for one issuer. Expired rows are tinted red, rows "
                          "expiring within %1 days amber.")
                           .arg(ExceptionsModel::kExpiringDays));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->setVisible(false);
    // Id, owner, expiry and status are short and must be read whole: sized to their contents. The
    // issuer is capped (the form shows it in full); Reason, the long text, is moved last and takes the rest.
    QHeaderView* header = m_view->horizontalHeader();
    header->setMinimumSectionSize(50);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ExceptionsModel::IssuerColumn, QHeaderView::Interactive);
    header->moveSection(header->visualIndex(ExceptionsModel::ReasonColumn), ExceptionsModel::ColumnCount - 1);
    header->setSectionResizeMode(ExceptionsModel::ReasonColumn, QHeaderView::Stretch);
    header->setStretchLastSection(true);
    const auto fitColumns = [this] {
        m_view->resizeColumnToContents(ExceptionsModel::IssuerColumn);
        m_view->setColumnWidth(ExceptionsModel::IssuerColumn, std::min(m_view->columnWidth(ExceptionsModel::IssuerColumn), 130));
    };
    connect(m_model, &QAbstractItemModel::modelReset, this, fitColumns);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, fitColumns);
    m_view->setWordWrap(false);
    listLayout->addWidget(m_view, 1);
    auto* buttons = new QHBoxLayout;
    m_add = new QPushButton(tr("&Add exception"), listSide);
    m_add->setObjectName(QStringLiteral("addExceptionButton"));
    m_add->setAccessibleName(tr("Add exception"));
    m_add->setToolTip(tr("Adds a dated exception for the selected issuer, expiring in 30 days."));
    m_remove = new QPushButton(tr("&Remove exception"), listSide);
    m_remove->setObjectName(QStringLiteral("removeExceptionButton"));
    m_remove->setAccessibleName(tr("Remove exception"));
    m_remove->setToolTip(tr("Removes the selected exception: what it allowed is rejected again."));
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    listLayout->addLayout(buttons);

    // --- Form
    m_form = new QGroupBox(tr("Selected exception"), splitter);
    auto* form = new QFormLayout(m_form);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_status = new QLabel(m_form);
    m_status->setObjectName(QStringLiteral("exceptionStatusLabel"));
    m_status->setWordWrap(true);
    m_id = new QLineEdit(m_form);
    m_id->setObjectName(QStringLiteral("exceptionIdEdit"));
    m_id->setAccessibleName(tr("Exception id"));
    m_id->setToolTip(tr("Unique id of the exception, cited in reviews and reports. Applied on Enter."));
    m_issuer = new QComboBox(m_form);
    m_issuer->setObjectName(QStringLiteral("exceptionIssuerCombo"));
    m_issuer->setAccessibleName(tr("Exception issuer"));
    m_issuer->setToolTip(tr("The issuer whose tokens the exception loosens (RFC 7519 section 4.1.1)."));
    m_owner = new QLineEdit(m_form);
    m_owner->setObjectName(QStringLiteral("exceptionOwnerEdit"));
    m_owner->setAccessibleName(tr("Exception owner"));
    m_owner->setToolTip(tr("Who answers for the exception and its removal."));
    m_reason = new QLineEdit(m_form);
    m_reason->setObjectName(QStringLiteral("exceptionReasonEdit"));
    m_reason->setAccessibleName(tr("Exception reason"));
    m_reason->setToolTip(tr("Why the loosening is needed, with a ticket reference."));
    m_expires = new QDateEdit(m_form);
    m_expires->setObjectName(QStringLiteral("exceptionExpiresEdit"));
    m_expires->setAccessibleName(tr("Exception expiry date"));
    m_expires->setToolTip(tr("Last day (UTC) the exception applies; from the next day tokens are checked by the "
                             "normal rules again."));
    m_expires->setCalendarPopup(true);
    m_expires->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_allowAlgorithms = new QLineEdit(m_form);
    m_allowAlgorithms->setObjectName(QStringLiteral("exceptionAllowAlgorithmsEdit"));
    m_allowAlgorithms->setAccessibleName(tr("Extra algorithms allowed"));
    m_allowAlgorithms->setPlaceholderText(tr("none, e.g. HS256"));
    m_allowAlgorithms->setToolTip(tr("Comma-separated algorithms accepted in addition to the pin while the exception "
                                     "is active (RFC 7518 section 3.1). Applied on Enter."));
    m_allowHeaders = new QLineEdit(m_form);
    m_allowHeaders->setObjectName(QStringLiteral("exceptionAllowHeadersEdit"));
    m_allowHeaders->setAccessibleName(tr("Extra headers allowed"));
    m_allowHeaders->setPlaceholderText(tr("none"));
    m_allowHeaders->setToolTip(tr("Comma-separated header members allowed in addition to the allowlist "
                                  "(RFC 7515 section 4.1). Applied on Enter."));
    m_allowKids = new QLineEdit(m_form);
    m_allowKids->setObjectName(QStringLiteral("exceptionAllowKidsEdit"));
    m_allowKids->setAccessibleName(tr("Extra key ids allowed"));
    m_allowKids->setPlaceholderText(tr("none"));
    m_allowKids->setToolTip(tr("Comma-separated kid values of the issuer's keys accepted while active "
                               "(RFC 7515 section 4.1.4). Applied on Enter."));
    m_allowSkewSet = new QCheckBox(tr("Clock skew"), m_form);
    m_allowSkewSet->setObjectName(QStringLiteral("exceptionAllowSkewCheck"));
    m_allowSkewSet->setAccessibleName(tr("Exception sets clock skew"));
    m_allowSkewSet->setToolTip(tr("Use a different leeway while active, 0..300 s (RFC 7519 section 4.1.4)."));
    m_allowSkew = new QSpinBox(m_form);
    m_allowSkew->setObjectName(QStringLiteral("exceptionAllowSkewSpin"));
    m_allowSkew->setAccessibleName(tr("Exception clock skew"));
    m_allowSkew->setToolTip(m_allowSkewSet->toolTip());
    m_allowSkew->setRange(0, policy::kMaxClockSkewSeconds);
    m_allowSkew->setSuffix(tr(" s"));
    m_allowLifetimeSet = new QCheckBox(tr("Max lifetime"), m_form);
    m_allowLifetimeSet->setObjectName(QStringLiteral("exceptionAllowLifetimeCheck"));
    m_allowLifetimeSet->setAccessibleName(tr("Exception sets maximum lifetime"));
    m_allowLifetimeSet->setToolTip(tr("Allow a longer exp minus iat while active (RFC 7519 section 4.1.6)."));
    m_allowLifetime = new QSpinBox(m_form);
    m_allowLifetime->setObjectName(QStringLiteral("exceptionAllowLifetimeSpin"));
    m_allowLifetime->setAccessibleName(tr("Exception maximum lifetime"));
    m_allowLifetime->setToolTip(m_allowLifetimeSet->toolTip());
    m_allowLifetime->setRange(1, 315360000);
    m_allowLifetime->setSuffix(tr(" s"));

    form->addRow(m_status);
    form->addRow(tr("&Id:"), m_id);
    form->addRow(tr("&Issuer:"), m_issuer);
    form->addRow(tr("O&wner:"), m_owner);
    form->addRow(tr("Rea&son:"), m_reason);
    form->addRow(tr("&Expires:"), m_expires);
    auto* allowLabel = new QLabel(tr("<b>Allows while active</b>"), m_form);
    form->addRow(allowLabel);
    form->addRow(tr("Al&gorithms:"), m_allowAlgorithms);
    form->addRow(tr("&Headers:"), m_allowHeaders);
    form->addRow(tr("&Key ids:"), m_allowKids);
    form->addRow(m_allowSkewSet, m_allowSkew);
    form->addRow(m_allowLifetimeSet, m_allowLifetime);
    splitter->addWidget(listSide);
    splitter->addWidget(m_form);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({800, 440});
    // At 1024 px the table needs every pixel for its whole-read columns; the form's fields stay usable.
    m_form->setMinimumWidth(300);
    m_form->setMaximumWidth(520);

    // --- Edits
    connect(m_add, &QPushButton::clicked, this, &ExceptionsEditor::addException);
    connect(m_remove, &QPushButton::clicked, this, &ExceptionsEditor::removeException);
    connect(m_id, &QLineEdit::editingFinished, this,
            [this] { edit(tr("id"), {}, [this](policy::PolicyException& e) { e.id = m_id->text().trimmed(); }); });
    connect(m_issuer, &QComboBox::activated, this, [this](int) {
        edit(tr("issuer"), {}, [this](policy::PolicyException& e) { e.issuer = m_issuer->currentText(); });
    });
    connect(m_owner, &QLineEdit::textEdited, this, [this](const QString& text) {
        edit(tr("owner"), QStringLiteral("owner"), [&text](policy::PolicyException& e) { e.owner = text; });
    });
    connect(m_reason, &QLineEdit::textEdited, this, [this](const QString& text) {
        edit(tr("reason"), QStringLiteral("reason"), [&text](policy::PolicyException& e) { e.reason = text; });
    });
    connect(m_expires, &QDateEdit::dateChanged, this, [this](QDate date) {
        edit(tr("expiry to %1").arg(date.toString(Qt::ISODate)), QStringLiteral("expires"),
             [date](policy::PolicyException& e) {
                 e.expires = endOfDay(date);
                 e.expiresIsDate = true;
             });
    });
    connect(m_allowAlgorithms, &QLineEdit::editingFinished, this, [this] {
        edit(tr("allowed algorithms"), {},
             [this](policy::PolicyException& e) { e.allow.algorithms = optionalList(m_allowAlgorithms->text()); });
    });
    connect(m_allowHeaders, &QLineEdit::editingFinished, this, [this] {
        edit(tr("allowed headers"), {},
             [this](policy::PolicyException& e) { e.allow.headers = optionalList(m_allowHeaders->text()); });
    });
    connect(m_allowKids, &QLineEdit::editingFinished, this, [this] {
        edit(tr("allowed key ids"), {},
             [this](policy::PolicyException& e) { e.allow.kids = optionalList(m_allowKids->text()); });
    });
    const auto skewEdit = [this] {
        edit(tr("allowed clock skew"), QStringLiteral("allow.clock_skew_seconds"), [this](policy::PolicyException& e) {
            e.allow.clockSkewSeconds = m_allowSkewSet->isChecked() ? std::optional<int>(m_allowSkew->value())
                                                                   : std::nullopt;
        });
    };
    connect(m_allowSkewSet, &QCheckBox::toggled, this, skewEdit);
    connect(m_allowSkew, &QSpinBox::valueChanged, this, skewEdit);
    const auto lifetimeEdit = [this] {
        edit(tr("allowed maximum lifetime"), QStringLiteral("allow.max_lifetime_seconds"),
             [this](policy::PolicyException& e) {
                 e.allow.maxLifetimeSeconds = m_allowLifetimeSet->isChecked()
                                                  ? std::optional<qint64>(m_allowLifetime->value())
                                                  : std::nullopt;
             });
    };
    connect(m_allowLifetimeSet, &QCheckBox::toggled, this, lifetimeEdit);
    connect(m_allowLifetime, &QSpinBox::valueChanged, this, lifetimeEdit);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ExceptionsEditor::refresh);
    connect(document, &PolicyDocument::exceptionChanged, this, &ExceptionsEditor::refresh);
    connect(document, &PolicyDocument::exceptionRemoved, this, &ExceptionsEditor::refresh);
    connect(document, &PolicyDocument::exceptionInserted, this, [this](int row) { selectRow(row); });
    connect(document, &PolicyDocument::issuerInserted, this, &ExceptionsEditor::refresh);
    connect(document, &PolicyDocument::issuerRemoved, this, &ExceptionsEditor::refresh);
    connect(document, &PolicyDocument::issuersChanged, this, &ExceptionsEditor::refresh);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ExceptionsEditor::refresh);
    refresh();
}

int ExceptionsEditor::currentRow() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void ExceptionsEditor::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    m_view->setCurrentIndex(m_model->index(row, 0));
    m_view->selectRow(row);
    refresh();
}

template <typename F>
void ExceptionsEditor::edit(const QString& what, const QString& mergeKey, F change)
{
    const int row = currentRow();
    if (m_updating || row < 0)
        return;
    policy::PolicyException e = m_document->policy().exceptions.at(row);
    change(e);
    if (!m_document->setException(row, e, what, mergeKey))
        refresh(); // refused: show the document's value again
}

void ExceptionsEditor::refresh()
{
    const int row = currentRow();
    const bool has = row >= 0 && row < m_document->policy().exceptions.size();
    m_form->setEnabled(has);
    m_remove->setEnabled(has);
    m_add->setEnabled(m_document->issuerCount() > 0);
    m_updating = true;
    {
        const QSignalBlocker block(m_issuer);
        const QString keep = has ? m_document->policy().exceptions.at(row).issuer : QString();
        // Refilled only when the issuer names change: an audience rename or a ticked cell changes
        // issuers too, and refilling 10,000 items for each of them was most of such an edit's time.
        QStringList names;
        names.reserve(m_document->policy().issuers.size());
        for (const policy::Issuer& issuer : m_document->policy().issuers)
            names.append(issuer.issuer);
        if (names != m_issuerNames) {
            m_issuer->clear();
            m_issuer->addItems(names);
            m_issuerNames = std::move(names);
        }
        // The combo holds m_issuerNames: looking the name up there is a string compare per issuer,
        // where QComboBox::findText goes through the item model's QVariant data (with 10,000
        // issuers, most of an audience rename's time); no exception selected needs no search.
        m_issuer->setCurrentIndex(keep.isEmpty() ? -1 : static_cast<int>(m_issuerNames.indexOf(keep)));
    }
    if (!has) {
        m_status->setText(tr("Select an exception, or add one."));
        m_updating = false;
        return;
    }
    const policy::PolicyException& e = m_document->policy().exceptions.at(row);
    const QModelIndex status = m_model->index(row, ExceptionsModel::StatusColumn);
    m_status->setText(tr("<b>%1</b> (until the end of %2, UTC)")
                          .arg(status.data().toString().toHtmlEscaped(), shownDate(e).toString(Qt::ISODate)));
    m_status->setToolTip(status.data(Qt::ToolTipRole).toString());
    if (!m_id->hasFocus() && m_id->text() != e.id)
        m_id->setText(e.id);
    if (m_owner->text() != e.owner)
        m_owner->setText(e.owner);
    if (m_reason->text() != e.reason) {
        m_reason->setText(e.reason);
        if (!m_reason->hasFocus())
            m_reason->setCursorPosition(0); // show the start of a long reason
    }
    {
        const QSignalBlocker block(m_expires);
        m_expires->setDate(shownDate(e));
    }
    setLine(m_allowAlgorithms, e.allow.algorithms.value_or(QStringList()).join(QStringLiteral(", ")));
    setLine(m_allowHeaders, e.allow.headers.value_or(QStringList()).join(QStringLiteral(", ")));
    setLine(m_allowKids, e.allow.kids.value_or(QStringList()).join(QStringLiteral(", ")));
    {
        const QSignalBlocker b1(m_allowSkewSet), b2(m_allowSkew), b3(m_allowLifetimeSet), b4(m_allowLifetime);
        m_allowSkewSet->setChecked(e.allow.clockSkewSeconds.has_value());
        m_allowSkew->setValue(e.allow.clockSkewSeconds.value_or(0));
        m_allowSkew->setEnabled(e.allow.clockSkewSeconds.has_value());
        m_allowLifetimeSet->setChecked(e.allow.maxLifetimeSeconds.has_value());
        m_allowLifetime->setValue(static_cast<int>(e.allow.maxLifetimeSeconds.value_or(3600)));
        m_allowLifetime->setEnabled(e.allow.maxLifetimeSeconds.has_value());
    }
    m_updating = false;
}

void ExceptionsEditor::addException()
{
    if (m_document->issuerCount() == 0)
        return;
    policy::PolicyException e;
    e.id = m_document->unusedExceptionId();
    e.issuer = m_document->policy().issuers.first().issuer;
    e.expires = endOfDay(QDateTime::currentDateTimeUtc().date().addDays(30));
    e.expiresIsDate = true;
    (void)m_document->addException(e);
}

void ExceptionsEditor::removeException()
{
    const int row = currentRow();
    if (row >= 0)
        (void)m_document->removeException(row);
}

bool ExceptionsEditor::focusField(const QString& field)
{
    QWidget* target = m_view;
    if (field.startsWith(QLatin1String("id")))
        target = m_id;
    else if (field.startsWith(QLatin1String("issuer")))
        target = m_issuer;
    else if (field.startsWith(QLatin1String("owner")))
        target = m_owner;
    else if (field.startsWith(QLatin1String("reason")))
        target = m_reason;
    else if (field.startsWith(QLatin1String("expires")))
        target = m_expires;
    else if (field.startsWith(QLatin1String("allow.algorithms")))
        target = m_allowAlgorithms;
    else if (field.startsWith(QLatin1String("allow.headers")))
        target = m_allowHeaders;
    else if (field.startsWith(QLatin1String("allow.kids")))
        target = m_allowKids;
    else if (field.startsWith(QLatin1String("allow.clock_skew")))
        target = m_allowSkewSet;
    else if (field.startsWith(QLatin1String("allow.max_lifetime")))
        target = m_allowLifetimeSet;
    target->setFocus(Qt::OtherFocusReason);
    return true;
}

} // namespace jwb::ui
