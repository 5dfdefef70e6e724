// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keys/KeyFetcher.h"
#include "policy/Policy.h"

#include <QDialog>

#include <optional>

class QLabel;
class QPushButton;
class QTableWidget;

namespace jwb::ui {

// "Fetch keys…": fetches an issuer's published keys (keys::KeyFetcher, asynchronously), shows them
// and their diff against the keys pinned now (added, removed, unchanged by RFC 7638 thumbprint), and
// only on Pin emits pinRequested() with the new key set. It never changes the policy itself: the
// receiver applies the keys (keys::pinKeys) as one undoable edit.
class FetchKeysDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FetchKeysDialog)

public:
    FetchKeysDialog(const policy::Policy& policy, const QString& issuer, QWidget* parent = nullptr);
    ~FetchKeysDialog() override;

    // The fetcher used, to adjust its limits or TLS configuration before startFetch().
    keys::KeyFetcher* fetcher() const { return m_fetcher; }
    const std::optional<keys::KeySetDiff>& diff() const { return m_diff; }

public slots:
    void startFetch();
    // Shows a fetch result (also called by the fetcher's signals).
    void showFetched(const jwb::keys::FetchedKeys& result);
    void showError(const jwb::Error& error);

signals:
    // The user confirmed: pin exactly `keys` as `issuer`'s inline keys.jwks.
    void pinRequested(const QString& issuer, const QList<jwb::keys::Key>& keys);

private:
    void addRows(const QList<keys::Key>& list, const QString& change, const QColor& colour);

    policy::Policy m_policy;
    QString m_issuer;
    keys::KeyFetcher* m_fetcher = nullptr;
    std::optional<keys::FetchedKeys> m_fetched;
    std::optional<keys::KeySetDiff> m_diff;

    QLabel* m_status = nullptr;
    QTableWidget* m_table = nullptr;
    QPushButton* m_pin = nullptr;
    QPushButton* m_retry = nullptr;
};

} // namespace jwb::ui
