// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;

namespace jwb::ui {

class KeyListModel;
class PolicyDocument;
class RulesEditor;

// Everything about one issuer besides its matrix row: iss and trust domain, jwks_uri, subjects,
// pinned keys (import from JWKS / PEM / certificate files or pasted text, via keys::parseKeyData),
// and its overrides of the defaults (algorithm pin included).
class IssuerDetailsEditor final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IssuerDetailsEditor)

public:
    enum Page { GeneralPage, KeysPage, RulesPage };

    explicit IssuerDetailsEditor(PolicyDocument* document, QWidget* parent = nullptr);

    void setIssuerRow(int row);
    int issuerRow() const { return m_row; }
    // Imports keys from `data` (JWKS, JWK, PEM or certificate) into the current issuer. Errors are
    // shown to the user and returned.
    bool importKeyData(const QByteArray& bytes, const QString& sourceName);
    // Shows the page and focuses the control of an issuer field path below "issuers[N]."
    // ("trust_domain", "keys.jwks_uri", "overrides.clock_skew_seconds").
    bool focusField(const QString& field);
    void setCurrentPage(Page page);
    KeyListModel* keyModel() const { return m_keyModel; }

private:
    void refresh();
    void importFromFile();
    void importFromPaste();
    void removeSelectedKey();
    void showError(const QString& title, const QString& message);

    PolicyDocument* m_document;
    int m_row = -1;
    bool m_updating = false;

    QLabel* m_placeholder;
    QTabWidget* m_tabs;
    QLineEdit* m_issuer;
    QLineEdit* m_trustDomain;
    QLineEdit* m_jwksUri;
    QPlainTextEdit* m_subjects;
    QLabel* m_audiences;
    KeyListModel* m_keyModel;
    QTableView* m_keys;
    QLabel* m_keySources;
    QPushButton* m_importFile;
    QPushButton* m_paste;
    QPushButton* m_removeKey;
    QCheckBox* m_reveal;
    RulesEditor* m_rules;
};

} // namespace jwb::ui
