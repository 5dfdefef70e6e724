// SPDX-License-Identifier: Apache-2.0
#include "dialogs/MintTokenDialog.h"

#include "commands/TestKeyCommands.h"
#include "models/Palette.h"
#include "models/PolicyDocument.h"
#include "token/CompactToken.h"
#include "token/Json.h"
#include "util/Time.h"
#include "widgets/TokenEdit.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimeZone>
#include <QVBoxLayout>

#include <string>
#include <vector>

namespace jwb::ui {

namespace {

constexpr int kDefaultLifetimeSeconds = 600;
constexpr int kMaxLifetimeSeconds = 10 * 365 * 24 * 3600;
constexpr qint64 kMaxKeyFileBytes = 1024 * 1024;

QString randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(raw.data()), bytes / 4);
    return QString::fromLatin1(raw.toHex());
}

QString suggestedKid(crypto::Algorithm alg)
{
    return QStringLiteral("workbench-test-%1-%2").arg(crypto::algorithmName(alg).toLower(), randomHex(4));
}

std::string utf8(const QString& s) { return s.toStdString(); }

} // namespace

MintTokenDialog::MintTokenDialog(const policy::Policy& policy, QWidget* parent) : QDialog(parent), m_policy(policy)
{
    setObjectName(QStringLiteral("mintTokenDialog"));
    setWindowTitle(tr("Mint a test token"));
    buildUi();
    setIssuedAt(QDateTime::currentSecsSinceEpoch());
    if (m_issuer->count() > 0)
        m_issuer->setCurrentIndex(0);
    fillAudiences();
    updateKeyInfo();
    updateAddKeyOption();
}

void MintTokenDialog::buildUi()
{
    m_issuer = new QComboBox;
    m_issuer->setObjectName(QStringLiteral("issuerCombo"));
    m_issuer->setEditable(true);
    m_issuer->setToolTip(tr("iss: picks the policy's trust entry (RFC 7519 §4.1.1). Type any value to try a foreign issuer."));
    for (const policy::Issuer& issuer : m_policy.issuers)
        m_issuer->addItem(issuer.issuer);
    connect(m_issuer, &QComboBox::currentTextChanged, this, [this] {
        fillAudiences();
        updateAddKeyOption();
        updatePinNote();
    });

    m_audience = new QComboBox;
    m_audience->setObjectName(QStringLiteral("audienceCombo"));
    m_audience->setEditable(true);
    m_audience->setToolTip(tr("aud: the API the token is for (RFC 7519 §4.1.3); the list is this issuer's row of the "
                              "matrix. Separate several with commas."));

    m_subject = new QLineEdit(QStringLiteral("test-user"));
    m_subject->setObjectName(QStringLiteral("subjectEdit"));
    m_subject->setToolTip(tr("sub: the principal (RFC 7519 §4.1.2)."));

    m_algorithm = new QComboBox;
    m_algorithm->setObjectName(QStringLiteral("algorithmCombo"));
    m_algorithm->setToolTip(tr("The JWS algorithm (RFC 7518 §3). A key of the matching type is generated here."));
    for (int i = 0; i < crypto::kAlgorithmCount; ++i)
        m_algorithm->addItem(crypto::algorithmName(static_cast<crypto::Algorithm>(i)));
    connect(m_algorithm, &QComboBox::currentTextChanged, this, &MintTokenDialog::onAlgorithmChanged);

    m_kid = new QLineEdit;
    m_kid->setObjectName(QStringLiteral("kidEdit"));
    m_kid->setToolTip(tr("kid header: names the test key. Changing it generates a new key at signing."));
    connect(m_kid, &QLineEdit::textEdited, this, [this] { m_kidSuggested = false; });

    m_type = new QComboBox;
    m_type->setObjectName(QStringLiteral("typeCombo"));
    m_type->setEditable(true);
    m_type->addItems({QStringLiteral("JWT"), QStringLiteral("at+jwt"), QString()});
    m_type->setToolTip(tr("typ header (RFC 7515 §4.1.9, RFC 8725 §3.11); empty leaves it out."));

    m_issuedAt = new QDateTimeEdit;
    m_issuedAt->setObjectName(QStringLiteral("issuedAtEdit"));
    m_issuedAt->setTimeSpec(Qt::UTC);
    m_issuedAt->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    m_issuedAt->setCalendarPopup(true);
    m_issuedAt->setToolTip(tr("iat (RFC 7519 §4.1.6); exp is iat plus the lifetime."));

    m_lifetime = new QSpinBox;
    m_lifetime->setObjectName(QStringLiteral("lifetimeSpin"));
    m_lifetime->setRange(1, kMaxLifetimeSeconds);
    m_lifetime->setSuffix(tr(" s"));
    m_lifetime->setValue(kDefaultLifetimeSeconds);
    m_lifetime->setToolTip(tr("exp − iat. The policy's maximum lifetime rejects longer-lived tokens."));

    m_notBefore = new QCheckBox(tr("Include nbf (equal to iat)"));
    m_notBefore->setObjectName(QStringLiteral("notBeforeCheck"));

    m_extra = new QPlainTextEdit;
    m_extra->setObjectName(QStringLiteral("extraClaimsEdit"));
    m_extra->setAccessibleName(tr("Extra claims (JSON object)"));
    m_extra->setPlaceholderText(QStringLiteral("{\"scope\": \"payments:read\"}"));
    m_extra->setToolTip(tr("A JSON object whose members are added to the payload; a member named like a claim "
                           "above replaces it."));
    m_extra->setTabChangesFocus(true);

    auto* claimsForm = new QFormLayout;
    claimsForm->addRow(tr("&Issuer (iss):"), m_issuer);
    claimsForm->addRow(tr("&Audience (aud):"), m_audience);
    claimsForm->addRow(tr("&Subject (sub):"), m_subject);
    claimsForm->addRow(tr("Issued at (&iat):"), m_issuedAt);
    claimsForm->addRow(tr("&Lifetime:"), m_lifetime);
    claimsForm->addRow(QString(), m_notBefore);
    auto* claimsBox = new QGroupBox(tr("Claims"));
    auto* claimsLayout = new QVBoxLayout(claimsBox);
    claimsLayout->addLayout(claimsForm);
    auto* extraLabel = new QLabel(tr("E&xtra claims (JSON object):"));
    extraLabel->setBuddy(m_extra);
    claimsLayout->addWidget(extraLabel);
    claimsLayout->addWidget(m_extra, 1);

    // Key: algorithm, kid, what was generated, the visible test-key mark and the opt-in to pin it.
    auto* keyForm = new QFormLayout;
    keyForm->addRow(tr("Al&gorithm:"), m_algorithm);
    keyForm->addRow(tr("&Key id (kid):"), m_kid);
    keyForm->addRow(tr("&Type (typ):"), m_type);

    m_keyInfo = new QLabel;
    m_keyInfo->setObjectName(QStringLiteral("keyInfoLabel"));
    m_keyInfo->setWordWrap(true);
    m_keyInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testMark = new QLabel(tr("TEST KEY"));
    m_testMark->setObjectName(QStringLiteral("testKeyMark"));
    m_testMark->setToolTip(tr("Generated in the workbench: its private half was never protected. Never ship it."));
    m_testMark->setAutoFillBackground(true);
    m_testMark->setMargin(4);
    QFont boldFont = m_testMark->font();
    boldFont.setBold(true);
    m_testMark->setFont(boldFont);
    {
        QPalette pal = m_testMark->palette();
        pal.setColor(QPalette::Window, tintColor(palette(), Tint::Danger));
        pal.setColor(QPalette::WindowText, palette().color(QPalette::Base));
        m_testMark->setPalette(pal);
    }
    auto* newKey = new QPushButton(tr("&New key"));
    newKey->setObjectName(QStringLiteral("newKeyButton"));
    newKey->setToolTip(tr("Generate a fresh test key for the chosen algorithm."));
    connect(newKey, &QPushButton::clicked, this, [this] {
        m_keyFile.clear();
        suggestKid();
        generateKey();
    });
    auto* keyFile = new QPushButton(tr("Key &file…"));
    keyFile->setObjectName(QStringLiteral("privateKeyFileButton"));
    keyFile->setToolTip(tr("Sign with a private key you hold (PEM: RSA, EC or Ed25519/Ed448). If the issuer pins "
                           "its public half, the token can verify; the key is only read, never stored."));
    connect(keyFile, &QPushButton::clicked, this, &MintTokenDialog::chooseKeyFile);
    auto* keyButtons = new QVBoxLayout;
    keyButtons->addWidget(newKey);
    keyButtons->addWidget(keyFile);
    keyButtons->addStretch(1);
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(m_testMark, 0, Qt::AlignTop);
    keyRow->addWidget(m_keyInfo, 1);
    keyRow->addLayout(keyButtons);

    m_addKey = new QCheckBox;
    m_addKey->setObjectName(QStringLiteral("addTestKeyCheck"));
    m_addKey->setToolTip(tr("Pins the public half under the issuer's keys.test_jwks, marked as a test key. Lint "
                            "reports it as an error (test-key-present) until it is removed; Undo removes it."));

    auto* addKeyNote = new QLabel(tr("Pinned under the issuer's keys.test_jwks and marked as a test key: lint reports "
                                     "it as an error (test-key-present) until it is removed. Undo removes it."));
    addKeyNote->setObjectName(QStringLiteral("addTestKeyNote"));
    addKeyNote->setWordWrap(true);
    addKeyNote->setIndent(20);

    // Whether the token can verify at all: a generated key is pinned nowhere until it is added.
    m_pinNote = new QLabel;
    m_pinNote->setObjectName(QStringLiteral("keyPinNote"));
    m_pinNote->setWordWrap(true);
    m_pinNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_addKey, &QCheckBox::toggled, this, &MintTokenDialog::updatePinNote);

    auto* keyBox = new QGroupBox(tr("Test key"));
    auto* keyLayout = new QVBoxLayout(keyBox);
    keyLayout->addLayout(keyForm);
    keyLayout->addLayout(keyRow);
    keyLayout->addWidget(m_addKey);
    keyLayout->addWidget(addKeyNote);
    keyLayout->addWidget(m_pinNote);

    m_output = new QPlainTextEdit;
    m_output->setObjectName(QStringLiteral("mintedTokenEdit"));
    m_output->setAccessibleName(tr("Minted token"));
    m_output->setReadOnly(true);
    m_output->setWordWrapMode(QTextOption::WrapAnywhere);
    m_output->setPlaceholderText(tr("The signed token appears here."));
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_output->setFont(mono);
    auto* highlighter = new TokenHighlighter(m_output->document());
    highlighter->setPalette(palette());
    m_signed = new QPlainTextEdit;
    m_signed->setObjectName(QStringLiteral("signedJsonEdit"));
    m_signed->setAccessibleName(tr("Signed header and payload"));
    m_signed->setReadOnly(true);
    m_signed->setFont(mono);
    m_signed->setPlaceholderText(tr("The header and payload that were signed appear here."));
    auto* outputBox = new QGroupBox(tr("Token"));
    auto* outputLayout = new QVBoxLayout(outputBox);
    outputLayout->addWidget(m_output, 2);
    auto* signedLabel = new QLabel(tr("Signed header and payload:"));
    signedLabel->setBuddy(m_signed);
    outputLayout->addWidget(signedLabel);
    outputLayout->addWidget(m_signed, 3);

    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("mintErrorLabel"));
    m_error->setWordWrap(true);
    {
        QPalette pal = m_error->palette();
        pal.setColor(QPalette::WindowText, tintColor(palette(), Tint::Danger));
        m_error->setPalette(pal);
    }

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_signButton = buttons->addButton(tr("&Sign"), QDialogButtonBox::ActionRole);
    m_signButton->setObjectName(QStringLiteral("signButton"));
    m_openButton = buttons->addButton(tr("&Open in Token Lab"), QDialogButtonBox::AcceptRole);
    m_openButton->setObjectName(QStringLiteral("openInTokenLabButton"));
    m_openButton->setEnabled(false);
    m_signButton->setDefault(true);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_signButton, &QPushButton::clicked, this, [this] { (void)mint(); });
    connect(m_openButton, &QPushButton::clicked, this, [this] {
        if (m_token.isEmpty() && !mint())
            return;
        emit openInTokenLab(m_token);
        accept();
    });

    auto* right = new QVBoxLayout;
    right->addWidget(keyBox);
    right->addWidget(outputBox, 1);
    auto* columns = new QHBoxLayout;
    columns->addWidget(claimsBox, 1);
    columns->addLayout(right, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(900, 560);
}

void MintTokenDialog::setDocument(PolicyDocument* document)
{
    m_document = document;
    if (document)
        m_policy = document->policy();
    updateAddKeyOption();
}

void MintTokenDialog::setIssuedAt(qint64 unixSeconds)
{
    m_issuedAt->setDateTime(QDateTime::fromSecsSinceEpoch(unixSeconds, Qt::UTC));
}

const policy::Issuer* MintTokenDialog::selectedIssuer() const { return m_policy.findIssuer(m_issuer->currentText()); }

crypto::Algorithm MintTokenDialog::algorithm() const { return crypto::algorithmFromName(m_algorithm->currentText()); }

void MintTokenDialog::fillAudiences()
{
    const policy::Issuer* issuer = selectedIssuer();
    const QString previous = m_audience->currentText();
    m_audience->clear();
    if (!issuer) {
        m_audience->setEditText(previous);
        return;
    }
    m_audience->addItems(issuer->audiences);
    if (!issuer->subjects.isEmpty())
        m_subject->setText(issuer->subjects.first());
    const policy::EffectiveRules rules = m_policy.effectiveRules(*issuer);
    // Start from what the policy would accept, so the first token verifies once its key is added.
    for (const QString& name : rules.algorithms) {
        if (crypto::algorithmFromName(name) != crypto::Algorithm::Unsupported) {
            m_algorithm->setCurrentText(name);
            break;
        }
    }
    if (rules.allowedTypes && !rules.allowedTypes->isEmpty())
        m_type->setCurrentText(rules.allowedTypes->first());
    if (rules.maxLifetimeSeconds)
        m_lifetime->setValue(static_cast<int>(qMin<qint64>(*rules.maxLifetimeSeconds, kDefaultLifetimeSeconds)));
    if (m_kid->text().isEmpty())
        suggestKid();
}

void MintTokenDialog::suggestKid()
{
    m_kid->setText(suggestedKid(algorithm()));
    m_kidSuggested = true;
}

void MintTokenDialog::onAlgorithmChanged()
{
    const crypto::Algorithm alg = algorithm();
    if (m_key && !m_key->publicKey().usableWith(alg) && m_keyFile.isEmpty())
        m_key.reset();
    // A kid we suggested names the algorithm: keep it truthful. A typed kid is the user's.
    if (!m_key && (m_kidSuggested || m_kid->text().isEmpty()))
        suggestKid();
    updateKeyInfo();
}

void MintTokenDialog::generateKey()
{
    QApplication::setOverrideCursor(Qt::WaitCursor); // RSA key generation takes a moment
    Result<crypto::SigningKey> key = crypto::SigningKey::generate(algorithm(), m_kid->text().trimmed());
    QApplication::restoreOverrideCursor();
    if (!key) {
        m_key.reset();
        showError(tr("No test key: %1").arg(key.error().toString()));
    } else {
        m_key = std::move(key).value();
        showError({});
    }
    updateKeyInfo();
}

void MintTokenDialog::updateKeyInfo()
{
    if (!m_key) {
        m_keyInfo->setText(tr("No key yet: a %1 test key is generated when you sign.").arg(m_algorithm->currentText()));
        m_testMark->setVisible(true);
        updatePinNote();
        return;
    }
    const keys::Key& key = m_key->publicKey();
    m_keyInfo->setText(m_keyFile.isEmpty() ? tr("%1, kid '%2'\nRFC 7638 thumbprint %3")
                                                 .arg(key.description(), key.kid, key.thumbprint)
                                           : tr("Your key from %1: %2\nRFC 7638 thumbprint %3")
                                                 .arg(m_keyFile, key.description(), key.thumbprint));
    m_testMark->setVisible(m_keyFile.isEmpty());
    updatePinNote();
}

const keys::Key* MintTokenDialog::pinnedSigningKey() const
{
    const policy::Issuer* issuer = selectedIssuer();
    if (!m_key || !issuer)
        return nullptr;
    for (const keys::Key& k : issuer->keys.resolved)
        if (k.thumbprint == m_key->publicKey().thumbprint)
            return &k;
    return nullptr;
}

void MintTokenDialog::updatePinNote()
{
    if (!m_pinNote)
        return;
    const policy::Issuer* issuer = selectedIssuer();
    const QString name = issuer ? issuer->issuer : m_issuer->currentText();
    QString text;
    Tint tint = Tint::Warning;
    if (const keys::Key* pinned = pinnedSigningKey()) {
        text = tr("This key is pinned for %1 (kid '%2'): the token can verify.").arg(name, pinned->kid);
        tint = Tint::Ok;
    } else if (!issuer) {
        text = tr("%1 is not an issuer of the policy: the token will be rejected at the issuer step.").arg(name);
    } else if (m_addKey->isChecked() && m_addKey->isEnabled()) {
        text = tr("Signing adds this key to %1 as a test key, so the token can verify.").arg(name);
        tint = Tint::Ok;
    } else if (!m_keyFile.isEmpty()) {
        text = tr("%1 does not pin this key: the token will be rejected at the key step. Pin its public half on "
                  "the issuer's Keys tab first, or tick \"Add this TEST KEY to issuer\".")
                   .arg(name);
    } else {
        text = tr("Unless \"Add this TEST KEY to issuer\" is ticked, the token is signed by a key the policy does "
                  "not pin, and %1 rejects it at the key step. To sign with a key the issuer pins, use \"Key file\".")
                   .arg(name);
    }
    m_pinNote->setText(text);
    QPalette pal = m_pinNote->palette();
    pal.setColor(QPalette::WindowText, tintColor(palette(), tint));
    m_pinNote->setPalette(pal);
}

void MintTokenDialog::chooseKeyFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Private key"), {},
                                                      tr("PEM private keys (*.pem *.key);;All files (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxKeyFileBytes) {
        showError(tr("%1 cannot be read as a key file: %2")
                      .arg(QFileInfo(path).fileName(), file.isOpen() ? tr("larger than 1 MiB") : file.errorString()));
        return;
    }
    (void)usePrivateKeyPem(file.readAll(), QFileInfo(path).fileName());
}

Status MintTokenDialog::usePrivateKeyPem(const QByteArray& pem, const QString& sourceName)
{
    Result<crypto::SigningKey> loaded = crypto::SigningKey::fromPrivatePem(pem, m_kid->text().trimmed());
    if (!loaded) {
        showError(tr("Key from %1 not used: %2").arg(sourceName, loaded.error().toString()));
        return loaded.error();
    }
    m_key = std::move(loaded).value();
    m_keyFile = sourceName;
    m_token.clear();
    // Sign with an algorithm the key can serve, preferring one the issuer pins.
    const policy::Issuer* issuer = selectedIssuer();
    const QStringList pin = issuer ? m_policy.effectiveRules(*issuer).algorithms : QStringList();
    QString chosen;
    for (crypto::Algorithm alg : m_key->publicKey().usableAlgorithms()) {
        const QString name = crypto::algorithmName(alg);
        if (chosen.isEmpty() || (pin.contains(name) && !pin.contains(chosen)))
            chosen = name;
    }
    {
        const QSignalBlocker block(m_algorithm);
        if (!chosen.isEmpty())
            m_algorithm->setCurrentText(chosen);
    }
    // A pinned key is selected by its kid: the token must carry that one.
    if (const keys::Key* pinned = pinnedSigningKey()) {
        m_kid->setText(pinned->kid);
        m_kidSuggested = false;
    }
    showError({});
    updateKeyInfo();
    return Ok{};
}

void MintTokenDialog::updateAddKeyOption()
{
    const policy::Issuer* issuer = selectedIssuer();
    const QString name = issuer ? issuer->issuer : m_issuer->currentText();
    m_addKey->setText(tr("Add this TEST KEY to issuer %1").arg(name));
    const bool possible = m_document && issuer;
    m_addKey->setEnabled(possible);
    if (!possible)
        m_addKey->setChecked(false);
}

void MintTokenDialog::showError(const QString& message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QByteArray MintTokenDialog::headerJson() const
{
    std::vector<json::Value::Entry> header;
    header.emplace_back("alg", json::Value::string(utf8(m_algorithm->currentText())));
    const QString typ = m_type->currentText().trimmed();
    if (!typ.isEmpty())
        header.emplace_back("typ", json::Value::string(utf8(typ)));
    const QString kid = m_kid->text().trimmed();
    if (!kid.isEmpty())
        header.emplace_back("kid", json::Value::string(utf8(kid)));
    return json::serialize(json::Value::object(header));
}

Result<QByteArray> MintTokenDialog::payloadJson() const
{
    std::vector<json::Value::Entry> claims;
    const auto set = [&claims](std::string_view name, json::Value value) {
        for (json::Value::Entry& m : claims) {
            if (m.first == name) {
                m.second = std::move(value);
                return;
            }
        }
        claims.emplace_back(std::string(name), std::move(value));
    };
    const qint64 iat = m_issuedAt->dateTime().toSecsSinceEpoch();
    if (const QString iss = m_issuer->currentText().trimmed(); !iss.isEmpty())
        set("iss", json::Value::string(utf8(iss)));
    if (const QString sub = m_subject->text().trimmed(); !sub.isEmpty())
        set("sub", json::Value::string(utf8(sub)));
    const QStringList audiences = m_audience->currentText().split(u',', Qt::SkipEmptyParts);
    if (audiences.size() == 1) {
        set("aud", json::Value::string(utf8(audiences.first().trimmed())));
    } else if (audiences.size() > 1) {
        std::vector<json::Value> items;
        for (const QString& a : audiences)
            items.push_back(json::Value::string(utf8(a.trimmed())));
        set("aud", json::Value::array(items));
    }
    set("iat", json::Value::integer(iat));
    if (m_notBefore->isChecked())
        set("nbf", json::Value::integer(iat));
    set("exp", json::Value::integer(iat + m_lifetime->value()));
    set("jti", json::Value::string(utf8(randomHex(8))));

    const QString extra = m_extra->toPlainText().trimmed();
    if (!extra.isEmpty()) {
        Result<json::Value> parsed = json::parse(extra.toUtf8());
        if (!parsed)
            return Error{parsed.error().code, tr("Extra claims: %1").arg(parsed.error().message), parsed.error().location};
        if (!parsed->isObject())
            return Error{QStringLiteral("ERR_MINT_EXTRA_NOT_OBJECT"), tr("Extra claims must be a JSON object."), {}};
        for (const json::Value::Member& m : parsed->members())
            set(m.first, m.second);
    }
    return json::serialize(json::Value::object(claims));
}

Result<QString> MintTokenDialog::mint()
{
    Result<QByteArray> payload = payloadJson();
    if (!payload) {
        showError(payload.error().toString());
        return payload.error();
    }
    const crypto::Algorithm alg = algorithm();
    if (alg == crypto::Algorithm::Unsupported) {
        const Error error{QStringLiteral("ERR_MINT_ALG"), tr("Choose an algorithm."), {}};
        showError(error.message);
        return error;
    }
    if (!m_keyFile.isEmpty()) {
        // The user's own key is never replaced behind their back.
        if (!m_key || !m_key->publicKey().usableWith(alg)) {
            const Error error{QStringLiteral("ERR_MINT_KEY"),
                              tr("The key from %1 cannot sign with %2.").arg(m_keyFile, crypto::algorithmName(alg)), {}};
            showError(error.message);
            return error;
        }
    } else {
        if (m_kid->text().trimmed().isEmpty())
            suggestKid();
        if (!m_key || !m_key->publicKey().usableWith(alg) || m_key->publicKey().kid != m_kid->text().trimmed())
            generateKey();
    }
    if (!m_key)
        return Error{QStringLiteral("ERR_MINT_KEY"), m_error->text(), {}};

    const QByteArray compact = crypto::mintCompact(headerJson(), payload.value(), &*m_key, alg);
    if (compact.isEmpty()) {
        const Error error{QStringLiteral("ERR_MINT_SIGN"), tr("The test key cannot sign with %1.").arg(crypto::algorithmName(alg)), {}};
        showError(error.message);
        return error;
    }
    m_token = QString::fromLatin1(compact);
    m_output->setPlainText(m_token);
    m_signed->setPlainText(tr("Header:  %1\nPayload: %2").arg(QString::fromUtf8(headerJson()), QString::fromUtf8(payload.value())));
    m_openButton->setEnabled(true);
    showError({});

    if (m_addKey->isChecked() && m_addKey->isEnabled() && m_document) {
        const int row = static_cast<int>(std::distance(
            m_document->policy().issuers.cbegin(),
            std::find_if(m_document->policy().issuers.cbegin(), m_document->policy().issuers.cend(),
                         [this](const policy::Issuer& i) { return i.issuer == m_issuer->currentText(); })));
        Status added = addTestKey(m_document, row, m_key->publicKey());
        if (!added && added.error().code != QLatin1String("ERR_TEST_KEY_DUPLICATE")) {
            showError(added.error().toString());
            return added.error();
        }
        m_policy = m_document->policy();
        updatePinNote();
    }
    return m_token;
}

} // namespace jwb::ui
