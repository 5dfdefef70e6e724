// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Signer.h"
#include "policy/Policy.h"
#include "util/Error.h"

#include <QDialog>
#include <QPointer>

#include <optional>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace jwb::ui {

class PolicyDocument;

// Mints a test token to try the policy: a key generated here for the chosen algorithm (any the
// product supports), claims picked from the policy (issuer, that issuer's audiences) or typed, and
// optional extra claims as JSON. The private key lives only in this dialog. With a document, the
// key's public half may be added to the issuer's keys.test_jwks, visibly marked as a test key
// (lint reports it as an error) and undoable.
class MintTokenDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MintTokenDialog)

public:
    explicit MintTokenDialog(const policy::Policy& policy, QWidget* parent = nullptr);

    // Enables "Add this test key to issuer …" (an undoable edit of `document`).
    void setDocument(PolicyDocument* document);
    // iat of the minted token (Unix seconds); defaults to the time the dialog opened.
    void setIssuedAt(qint64 unixSeconds);

    // Signs with the current inputs (generating a key when none fits the algorithm) and, when the
    // box is ticked, adds the key to the issuer. Returns the compact token or what is wrong.
    Result<QString> mint();
    QString token() const { return m_token; }
    const std::optional<crypto::SigningKey>& signingKey() const { return m_key; }
    // Signs with a private key the user holds (PEM, or an HMAC secret as PEM-less bytes are refused)
    // instead of a generated test key, until "New key". Says whether the selected issuer pins its
    // public half (by RFC 7638 thumbprint); when it does, the kid becomes the pinned key's kid.
    Status usePrivateKeyPem(const QByteArray& pem, const QString& sourceName);
    bool usesKeyFile() const { return !m_keyFile.isEmpty(); }
    // The header and payload JSON texts the next mint() would sign (for tests and the preview).
    Result<QByteArray> payloadJson() const;
    QByteArray headerJson() const;

signals:
    void openInTokenLab(const QString& token);

private:
    void buildUi();
    void fillAudiences();
    void onAlgorithmChanged();
    void generateKey();
    void updateKeyInfo();
    void updateAddKeyOption();
    void updatePinNote();
    void chooseKeyFile();
    // The selected issuer's pinned key with the signing key's thumbprint, or nullptr.
    const keys::Key* pinnedSigningKey() const;
    void showError(const QString& message);
    void suggestKid();
    const policy::Issuer* selectedIssuer() const;
    crypto::Algorithm algorithm() const;

    policy::Policy m_policy;
    QPointer<PolicyDocument> m_document;
    std::optional<crypto::SigningKey> m_key;
    QString m_token;
    bool m_kidSuggested = true; // the kid is ours (not typed): it follows the algorithm
    QString m_keyFile;          // the private key came from this file (not generated here)

    QComboBox* m_issuer = nullptr;
    QComboBox* m_audience = nullptr;
    QLineEdit* m_subject = nullptr;
    QComboBox* m_algorithm = nullptr;
    QLineEdit* m_kid = nullptr;
    QComboBox* m_type = nullptr;
    QDateTimeEdit* m_issuedAt = nullptr;
    QSpinBox* m_lifetime = nullptr;
    QCheckBox* m_notBefore = nullptr;
    QPlainTextEdit* m_extra = nullptr;
    QLabel* m_keyInfo = nullptr;
    QLabel* m_testMark = nullptr;
    QCheckBox* m_addKey = nullptr;
    QLabel* m_pinNote = nullptr;
    QPlainTextEdit* m_output = nullptr;
    QPlainTextEdit* m_signed = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_signButton = nullptr;
    QPushButton* m_openButton = nullptr;
};

} // namespace jwb::ui
