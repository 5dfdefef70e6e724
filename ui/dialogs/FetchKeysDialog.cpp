// SPDX-License-Identifier: Apache-2.0
// The "Fetch keys…" dialog: fetch, show the diff, pin only on confirmation.
#include "dialogs/FetchKeysDialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace jwb::ui {

namespace {

enum Column { ChangeColumn, KidColumn, TypeColumn, SizeColumn, ThumbprintColumn, ColumnCount };

} // namespace

FetchKeysDialog::FetchKeysDialog(const policy::Policy& policy, const QString& issuer, QWidget* parent)
    : QDialog(parent)
    , m_policy(policy)
    , m_issuer(issuer)
    , m_fetcher(new keys::KeyFetcher(this)) {
    setObjectName(QStringLiteral("fetchKeysDialog"));
    setWindowTitle(tr("Fetch keys of %1").arg(issuer));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("fetchStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("keyDiffTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("Change"), tr("kid"), tr("Type"), tr("Size / curve"), tr("Thumbprint (RFC 7638)")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto* buttons = new QDialogButtonBox(this);
    m_pin = buttons->addButton(tr("Pin"), QDialogButtonBox::AcceptRole);
    m_pin->setObjectName(QStringLiteral("pinButton"));
    m_pin->setEnabled(false);
    m_retry = buttons->addButton(tr("Fetch again"), QDialogButtonBox::ActionRole);
    m_retry->setObjectName(QStringLiteral("retryButton"));
    QPushButton* cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(820, 360);

    connect(m_fetcher, &keys::KeyFetcher::fetched, this, &FetchKeysDialog::showFetched);
    connect(m_fetcher, &keys::KeyFetcher::failed, this, &FetchKeysDialog::showError);
    connect(m_fetcher, &keys::KeyFetcher::progress, this,
            [this](const QString& what) { m_status->setText(what); });
    connect(m_retry, &QPushButton::clicked, this, &FetchKeysDialog::startFetch);
    connect(m_pin, &QPushButton::clicked, this, [this] {
        if (!m_fetched)
            return;
        Q_EMIT pinRequested(m_issuer, m_fetched->keys);
        accept();
    });
    connect(cancel, &QPushButton::clicked, this, [this] {
        m_fetcher->abort();
        reject();
    });
}

FetchKeysDialog::~FetchKeysDialog() = default;

void FetchKeysDialog::startFetch() {
    m_fetched.reset();
    m_diff.reset();
    m_table->setRowCount(0);
    m_pin->setEnabled(false);
    m_retry->setEnabled(false);
    m_status->setText(tr("Fetching…"));
    m_fetcher->start(m_policy, m_issuer);
}

void FetchKeysDialog::addRows(const QList<keys::Key>& list, const QString& change, const QColor& colour) {
    for (const keys::Key& key : list) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        const bool curved = key.type == keys::KeyType::Ec || key.type == keys::KeyType::Okp;
        const QString cells[ColumnCount] = {change, key.kid.isEmpty() ? tr("(no kid)") : key.kid,
                                            keys::keyTypeName(key.type),
                                            curved ? key.curve : tr("%1 bits").arg(key.bits), key.thumbprint};
        for (int c = 0; c < ColumnCount; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c == ChangeColumn)
                item->setForeground(colour);
            m_table->setItem(row, c, item);
        }
    }
}

void FetchKeysDialog::showFetched(const jwb::keys::FetchedKeys& result) {
    m_retry->setEnabled(true);
    m_fetched = result;
    const policy::Issuer* issuer = m_policy.findIssuer(m_issuer);
    m_diff = keys::diffKeySets(issuer ? keys::pinnedKeys(*issuer) : QList<keys::Key>{}, result.keys);
    m_table->setRowCount(0);
    addRows(m_diff->added, tr("added"), QColor(0x2e, 0x7d, 0x32));
    addRows(m_diff->removed, tr("removed"), QColor(0xc6, 0x28, 0x28));
    addRows(m_diff->unchanged, tr("unchanged"), palette().color(QPalette::Text));
    m_table->resizeColumnsToContents();
    QString text = tr("%n key(s) published at %1", nullptr, int(result.keys.size()))
                       .arg(result.jwksUrl.toString(QUrl::RemoveUserInfo));
    if (!result.metadataUrl.isEmpty())
        text += tr(" (found in %1)").arg(result.metadataUrl.toString(QUrl::RemoveUserInfo));
    text += QStringLiteral(". ");
    text += m_diff->changed()
                ? tr("%1 added, %2 removed, %3 unchanged. Pin replaces the pinned keys with these.")
                      .arg(m_diff->added.size())
                      .arg(m_diff->removed.size())
                      .arg(m_diff->unchanged.size())
                : tr("The pinned keys are up to date.");
    m_status->setText(text);
    m_pin->setEnabled(m_diff->changed());
}

void FetchKeysDialog::showError(const jwb::Error& error) {
    m_retry->setEnabled(true);
    m_pin->setEnabled(false);
    m_status->setText(tr("Not fetched (%1): %2").arg(error.code, error.toString()));
}

} // namespace jwb::ui
