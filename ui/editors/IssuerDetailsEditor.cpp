// SPDX-License-Identifier: Apache-2.0
#include "editors/IssuerDetailsEditor.h"

#include "editors/RulesEditor.h"
#include "keys/Key.h"
#include "models/KeyListModel.h"
#include "models/PolicyDocument.h"

#include <QCheckBox>
#include <QDateTime>
#include <QCompleter>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QStringListModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace jwb::ui {

namespace {

constexpr qint64 kMaxKeyFileBytes = 1024 * 1024;

QStringList lines(const QString& text)
{
    QStringList out;
    for (const QString& line : text.split(u'\n', Qt::SkipEmptyParts)) {
        const QString t = line.trimmed();
        if (!t.isEmpty())
            out.append(t);
    }
    return out;
}

void setTextKeepingCursor(QLineEdit* edit, const QString& text)
{
    if (edit->text() != text)
        edit->setText(text);
}

} // namespace

IssuerDetailsEditor::IssuerDetailsEditor(PolicyDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_keyModel(new KeyListModel(document, this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_placeholder = new QLabel(tr("Select an issuer in the matrix to edit its details."), this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    layout->addWidget(m_placeholder);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("issuerDetailsTabs"));
    m_tabs->setAccessibleName(tr("Issuer details"));
    layout->addWidget(m_tabs, 1);

    // --- General
    auto* general = new QWidget;
    auto* generalLayout = new QVBoxLayout(general);
    auto* form = new QFormLayout;
    generalLayout->addLayout(form);
    generalLayout->addStretch(1);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_issuer = new QLineEdit(general);
    m_issuer->setObjectName(QStringLiteral("issuerUrlEdit"));
    m_issuer->setAccessibleName(tr("Issuer"));
    m_issuer->setToolTip(tr("The iss value accepted from this issuer, compared byte for byte: a trailing slash or "
                            "case change is a different issuer (RFC 7519 section 4.1.1). Applied on Enter."));
    m_trustDomain = new QLineEdit(general);
    m_trustDomain->setObjectName(QStringLiteral("trustDomainEdit"));
    m_trustDomain->setAccessibleName(tr("Trust domain"));
    m_trustDomain->setToolTip(tr("Groups issuers that may share audiences; an audience shared across trust domains "
                                 "is flagged (RFC 8725 section 3.9)."));
    m_trustDomain->setCompleter(new QCompleter(new QStringListModel(this), this));
    m_jwksUri = new QLineEdit(general);
    m_jwksUri->setObjectName(QStringLiteral("jwksUriEdit"));
    m_jwksUri->setAccessibleName(tr("JWKS URI"));
    m_jwksUri->setPlaceholderText(QStringLiteral("https://issuer.example.com/.well-known/jwks.json"));
    m_jwksUri->setToolTip(tr("Where gateways fetch this issuer's keys (RFC 8414 section 2, jwks_uri). Recorded for "
                             "exports only: verify never fetches it. Must be https. Applied on Enter."));
    m_subjects = new QPlainTextEdit(general);
    m_subjects->setObjectName(QStringLiteral("subjectsEdit"));
    m_subjects->setAccessibleName(tr("Allowed subjects"));
    m_subjects->setPlaceholderText(tr("Any subject (one sub value per line to restrict)"));
    m_subjects->setToolTip(tr("Optional allowlist of sub values, one per line; empty accepts any subject "
                              "(RFC 7519 section 4.1.2)."));
    m_subjects->setTabChangesFocus(true);
    m_subjects->setMaximumHeight(120);
    m_audiences = new QLabel(general);
    m_audiences->setObjectName(QStringLiteral("issuerAudiencesLabel"));
    m_audiences->setWordWrap(true);
    m_audiences->setToolTip(tr("Audiences this issuer may issue tokens for; edit them in the matrix "
                               "(RFC 7519 section 4.1.3)."));
    form->addRow(tr("&Issuer (iss):"), m_issuer);
    form->addRow(tr("&Trust domain:"), m_trustDomain);
    form->addRow(tr("&jwks_uri:"), m_jwksUri);
    form->addRow(tr("&Subjects:"), m_subjects);
    form->addRow(tr("Audiences:"), m_audiences);
    m_tabs->addTab(general, tr("General"));

    // --- Keys
    auto* keysPage = new QWidget;
    auto* keysLayout = new QVBoxLayout(keysPage);
    m_keys = new QTableView(keysPage);
    m_keys->setObjectName(QStringLiteral("keysView"));
    m_keys->setAccessibleName(tr("Pinned keys"));
    m_keys->setToolTip(tr("Keys pinned for this issuer. A token's key is chosen only from these, by exact kid "
                          "(RFC 7515 section 4.1.4); jku, x5u, jwk and x5c are never used (RFC 8725 section 3.10)."));
    m_keys->setModel(m_keyModel);
    m_keys->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_keys->setSelectionMode(QAbstractItemView::SingleSelection);
    m_keys->verticalHeader()->setVisible(false);
    m_keys->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_keys->horizontalHeader()->setStretchLastSection(true);
    m_keys->setWordWrap(false);
    m_keys->setTextElideMode(Qt::ElideMiddle);
    m_keys->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    // Thumbprints are long: show their ends (the middle is elided) and leave room for the rest.
    connect(m_keyModel, &QAbstractItemModel::modelReset, m_keys, [this] {
        m_keys->resizeColumnsToContents();
        m_keys->setColumnWidth(KeyListModel::ThumbprintColumn,
                               std::min(m_keys->columnWidth(KeyListModel::ThumbprintColumn), 130));
        m_keys->setColumnWidth(KeyListModel::SourceColumn, std::min(m_keys->columnWidth(KeyListModel::SourceColumn), 240));
    });
    // Where a key comes from (an exception's id and expiry included) matters more than its thumbprint:
    // shown right after the algorithms, so a narrow panel still has it in view.
    m_keys->horizontalHeader()->moveSection(m_keys->horizontalHeader()->visualIndex(KeyListModel::SourceColumn),
                                            KeyListModel::AlgorithmsColumn + 1);
    keysLayout->addWidget(m_keys, 1);
    m_keySources = new QLabel(keysPage);
    m_keySources->setObjectName(QStringLiteral("keySourcesLabel"));
    m_keySources->setWordWrap(true);
    m_keySources->setTextInteractionFlags(Qt::TextSelectableByMouse);
    keysLayout->addWidget(m_keySources);
    auto* keyButtons = new QHBoxLayout;
    m_importFile = new QPushButton(tr("Import from &file…"), keysPage);
    m_importFile->setObjectName(QStringLiteral("importKeysFileButton"));
    m_importFile->setAccessibleName(tr("Import keys from file"));
    m_importFile->setToolTip(tr("Pins the public keys of a JWKS or JWK (RFC 7517), a PEM public key or an X.509 "
                                "certificate (RFC 5280). RSA below 2048 bits and short HMAC secrets are refused "
                                "(RFC 7518 sections 3.2 and 3.3)."));
    m_paste = new QPushButton(tr("&Paste keys…"), keysPage);
    m_paste->setObjectName(QStringLiteral("pasteKeysButton"));
    m_paste->setAccessibleName(tr("Paste keys"));
    m_paste->setToolTip(tr("Pins keys pasted as JWKS, JWK, PEM public key or certificate text "
                           "(RFC 7517, RFC 7468)."));
    m_removeKey = new QPushButton(tr("&Remove key"), keysPage);
    m_removeKey->setObjectName(QStringLiteral("removeKeyButton"));
    m_removeKey->setAccessibleName(tr("Remove key"));
    m_removeKey->setToolTip(tr("Unpins the selected inline key; tokens signed with it are then rejected."));
    m_reveal = new QCheckBox(tr("Re&veal secrets"), keysPage);
    m_reveal->setObjectName(QStringLiteral("revealSecretsCheck"));
    m_reveal->setAccessibleName(tr("Reveal HMAC secrets"));
    m_reveal->setToolTip(tr("Shows HMAC secrets (RFC 7518 section 3.2) in the list; they are masked otherwise."));
    keyButtons->addWidget(m_importFile);
    keyButtons->addWidget(m_paste);
    keyButtons->addWidget(m_removeKey);
    keyButtons->addStretch();
    keyButtons->addWidget(m_reveal);
    keysLayout->addLayout(keyButtons);
    m_tabs->addTab(keysPage, tr("Keys"));

    // --- Rules
    m_rules = new RulesEditor(RulesEditor::Mode::Overrides, RulesEditor::Layout::Narrow, QStringLiteral("overrides"));
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_rules);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_tabs->addTab(scroll, tr("Algorithms && overrides"));

    // --- Edits
    connect(m_issuer, &QLineEdit::editingFinished, this, [this] {
        if (m_row < 0 || m_updating)
            return;
        const QString text = m_issuer->text();
        if (text == m_document->policy().issuers.at(m_row).issuer)
            return;
        if (!m_document->renameIssuer(m_row, text))
            m_issuer->setText(m_document->policy().issuers.at(m_row).issuer);
    });
    connect(m_trustDomain, &QLineEdit::textEdited, this, [this](const QString& text) {
        if (m_row >= 0)
            (void)m_document->setIssuerTrustDomain(m_row, text);
    });
    connect(m_jwksUri, &QLineEdit::editingFinished, this, [this] {
        if (m_row < 0 || m_updating)
            return;
        if (!m_document->setIssuerJwksUri(m_row, m_jwksUri->text().trimmed()))
            m_jwksUri->setText(m_document->policy().issuers.at(m_row).keys.jwksUri);
    });
    connect(m_subjects, &QPlainTextEdit::textChanged, this, [this] {
        if (m_row < 0 || m_updating)
            return;
        (void)m_document->setIssuerSubjects(m_row, lines(m_subjects->toPlainText()));
    });
    connect(m_rules, &RulesEditor::edited, this,
            [this](const policy::Rules& rules, const QString& what, const QString& key) {
                if (m_row < 0)
                    return;
                if (!m_document->setIssuerOverrides(m_row, rules, what, key))
                    refresh(); // refused: show the document's value again
            });
    connect(m_importFile, &QPushButton::clicked, this, &IssuerDetailsEditor::importFromFile);
    connect(m_paste, &QPushButton::clicked, this, &IssuerDetailsEditor::importFromPaste);
    connect(m_removeKey, &QPushButton::clicked, this, &IssuerDetailsEditor::removeSelectedKey);
    connect(m_reveal, &QCheckBox::toggled, m_keyModel, &KeyListModel::setSecretsRevealed);
    connect(m_keys->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_removeKey->setEnabled(m_keys->selectionModel()->hasSelection()); });
    connect(m_keyModel, &QAbstractItemModel::modelReset, this,
            [this] { m_removeKey->setEnabled(m_keys->selectionModel()->hasSelection()); });

    // The document is the only source: refresh on any change that can touch this issuer.
    connect(document, &PolicyDocument::issuersChanged, this, [this](const QList<int>& rows) {
        if (rows.contains(m_row))
            refresh();
    });
    connect(document, &PolicyDocument::defaultsChanged, this, &IssuerDetailsEditor::refresh);
    connect(document, &PolicyDocument::issuerRemoved, this, [this](int row) {
        if (row == m_row)
            setIssuerRow(-1);
        else if (row < m_row)
            setIssuerRow(m_row - 1);
    });
    connect(document, &PolicyDocument::issuerInserted, this, [this](int row) {
        if (m_row >= 0 && row <= m_row)
            setIssuerRow(m_row + 1);
    });
    connect(document, &PolicyDocument::resetDone, this, [this] {
        setIssuerRow(-1);
        // A new document starts at the top of every tab, not where the previous one was scrolled.
        for (QAbstractScrollArea* area : findChildren<QAbstractScrollArea*>()) {
            area->verticalScrollBar()->setValue(0);
            area->horizontalScrollBar()->setValue(0);
        }
    });
    // Exceptions loosen an issuer: what the active ones allow shows on the Algorithms and Keys tabs.
    const auto exceptionsChanged = [this] {
        if (m_row >= 0)
            refresh();
    };
    connect(document, &PolicyDocument::exceptionInserted, this, exceptionsChanged);
    connect(document, &PolicyDocument::exceptionRemoved, this, exceptionsChanged);
    connect(document, &PolicyDocument::exceptionChanged, this, exceptionsChanged);

    setIssuerRow(-1);
}

void IssuerDetailsEditor::setIssuerRow(int row)
{
    if (row >= m_document->issuerCount())
        row = -1;
    m_row = row;
    m_keyModel->setIssuerRow(row);
    refresh();
}

void IssuerDetailsEditor::setCurrentPage(Page page) { m_tabs->setCurrentIndex(page); }

void IssuerDetailsEditor::refresh()
{
    const bool has = m_row >= 0 && m_row < m_document->issuerCount();
    m_placeholder->setVisible(!has);
    m_tabs->setVisible(has);
    if (!has)
        return;
    m_updating = true;
    const policy::Policy& p = m_document->policy();
    const policy::Issuer& issuer = p.issuers.at(m_row);
    if (!m_issuer->hasFocus() || m_issuer->text() != issuer.issuer)
        setTextKeepingCursor(m_issuer, issuer.issuer);
    setTextKeepingCursor(m_trustDomain, issuer.trustDomain);
    // From the document's index: the trust domains without a walk over every issuer.
    static_cast<QStringListModel*>(m_trustDomain->completer()->model())->setStringList(m_document->trustDomains());
    setTextKeepingCursor(m_jwksUri, issuer.keys.jwksUri);
    if (lines(m_subjects->toPlainText()) != issuer.subjects) {
        const QSignalBlocker block(m_subjects);
        m_subjects->setPlainText(issuer.subjects.join(u'\n'));
    }
    m_audiences->setText(issuer.audiences.isEmpty() ? tr("none: tick audiences in the matrix")
                                                    : issuer.audiences.join(QStringLiteral(", ")));

    QStringList sources;
    if (issuer.keys.jwks)
        sources.append(tr("inline JWKS"));
    if (!issuer.keys.jwksFile.isEmpty())
        sources.append(tr("jwks_file %1").arg(issuer.keys.jwksFile));
    for (const QString& pem : issuer.keys.pemFiles)
        sources.append(tr("pem_files %1").arg(pem));
    if (issuer.keys.testJwks)
        sources.append(tr("test keys (never ship)"));
    QList<policy::PolicyException> active;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const policy::PolicyException& e : p.exceptions)
        if (e.issuer == issuer.issuer && e.activeAt(now))
            active.append(e);
    QStringList granted;
    for (const policy::PolicyException& e : std::as_const(active))
        if (e.allow.keys && !e.allow.keys->resolved.isEmpty())
            granted.append(tr("exception %1 adds %n key(s) until %2 (tinted)", nullptr,
                              static_cast<int>(e.allow.keys->resolved.size()))
                               .arg(e.id, (e.expiresIsDate ? e.expires.toUTC().addSecs(-1) : e.expires.toUTC())
                                              .toString(QStringLiteral("yyyy-MM-dd"))));
    QString keyText = sources.isEmpty() ? tr("No key pinned: every token from this issuer is rejected.")
                                        : tr("Key sources: %1. Keys from files are edited in those files; an inline "
                                             "key's kid is set by double-clicking it.")
                                              .arg(sources.join(QStringLiteral("; ")));
    if (!granted.isEmpty())
        keyText += u' ' + tr("Also: %1.").arg(granted.join(QStringLiteral("; ")));
    m_keySources->setText(keyText);
    m_rules->setActiveExceptions(active);

    policy::EffectiveRules inherited;
    inherited.apply(p.defaults);
    m_rules->setRules(issuer.overrides, inherited);
    m_updating = false;
}

bool IssuerDetailsEditor::importKeyData(const QByteArray& bytes, const QString& sourceName)
{
    if (m_row < 0)
        return false;
    Result<QList<keys::Key>> parsed = keys::parseKeyData(bytes, sourceName);
    if (!parsed) {
        showError(tr("Keys not imported"), parsed.error().toString());
        return false;
    }
    Status imported = m_document->importIssuerKeys(m_row, parsed.value(), sourceName);
    if (!imported) {
        showError(tr("Keys not imported"), imported.error().toString());
        return false;
    }
    return true;
}

void IssuerDetailsEditor::importFromFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import keys"), QString(),
        tr("Keys (*.json *.jwks *.jwk *.pem *.crt *.cer *.pub);;All files (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showError(tr("Keys not imported"), tr("%1: %2").arg(path, file.errorString()));
        return;
    }
    if (file.size() > kMaxKeyFileBytes) {
        showError(tr("Keys not imported"), tr("%1 is larger than %2 bytes; not a key file.").arg(path).arg(kMaxKeyFileBytes));
        return;
    }
    importKeyData(file.readAll(), QFileInfo(path).fileName());
}

void IssuerDetailsEditor::importFromPaste()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Paste keys"));
    auto* layout = new QVBoxLayout(&dialog);
    auto* label = new QLabel(tr("Paste a JWKS, a single JWK, PEM public keys or PEM certificates. Only public keys are "
                                "pinned; private key members are refused."),
                             &dialog);
    label->setWordWrap(true);
    layout->addWidget(label);
    auto* text = new QPlainTextEdit(&dialog);
    text->setObjectName(QStringLiteral("pasteKeysText"));
    text->setAccessibleName(tr("Key text"));
    text->setToolTip(tr("JWKS / JWK (RFC 7517) or PEM (RFC 7468) text."));
    text->setMinimumSize(520, 260);
    layout->addWidget(text);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted)
        return;
    importKeyData(text->toPlainText().toUtf8(), tr("pasted keys"));
}

void IssuerDetailsEditor::removeSelectedKey()
{
    const QModelIndexList rows = m_keys->selectionModel()->selectedRows();
    if (m_row < 0 || rows.isEmpty())
        return;
    const QString thumbprint = rows.first().data(KeyListModel::ThumbprintRole).toString();
    Status removed = m_document->removeIssuerKey(m_row, thumbprint);
    if (!removed)
        showError(tr("Key not removed"), removed.error().toString());
}

void IssuerDetailsEditor::showError(const QString& title, const QString& message)
{
    QMessageBox::warning(this, title, message);
}

bool IssuerDetailsEditor::focusField(const QString& field)
{
    if (m_row < 0)
        return false;
    if (field.isEmpty() || field == QLatin1String("issuer")) {
        setCurrentPage(GeneralPage);
        m_issuer->setFocus(Qt::OtherFocusReason);
        return true;
    }
    if (field.startsWith(QLatin1String("trust_domain"))) {
        setCurrentPage(GeneralPage);
        m_trustDomain->setFocus(Qt::OtherFocusReason);
        return true;
    }
    if (field.startsWith(QLatin1String("subjects"))) {
        setCurrentPage(GeneralPage);
        m_subjects->setFocus(Qt::OtherFocusReason);
        return true;
    }
    if (field.startsWith(QLatin1String("keys.jwks_uri"))) {
        setCurrentPage(GeneralPage);
        m_jwksUri->setFocus(Qt::OtherFocusReason);
        return true;
    }
    if (field.startsWith(QLatin1String("keys"))) {
        setCurrentPage(KeysPage);
        m_keys->setFocus(Qt::OtherFocusReason);
        return true;
    }
    if (field.startsWith(QLatin1String("overrides"))) {
        setCurrentPage(RulesPage);
        const QString rest = field.mid(qsizetype(sizeof("overrides")));
        if (!m_rules->focusField(rest))
            m_rules->setFocus(Qt::OtherFocusReason);
        return true;
    }
    return false;
}

} // namespace jwb::ui
