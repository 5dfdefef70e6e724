// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "estate/Estate.h"
#include "estate/EstateReport.h"

#include <QList>
#include <QStringList>
#include <QWidget>

#include <optional>

namespace jwb::ui {

// One verifier as the trust-chain picture draws it.
struct ChainVerifier {
    QString name;
    QString kind;                         // verifierKindName()
    bool gateway = false;                 // every kind but service
    QStringList issuers;
    std::optional<estate::Verdict> verdict; // none before a check
    int acceptsRejected = 0;              // probe tokens it accepted although the policy rejects them
    QString reason;                       // the core's most serious reason, if any
};

// The picture's content, from the estate (who trusts which issuer) and, after a check, the report.
QList<ChainVerifier> chainVerifiers(const estate::Estate& estate, const estate::EstateReport* report);
// The label under a verifier node: "weak: accepts 3 rejected tokens", "conforms", "not checked".
QString chainLabel(const ChainVerifier& verifier);

// The trust chain as a picture: the policy's issuers on the left, gateways in the middle, services
// on the right, an edge from each issuer to every verifier that accepts its tokens. Each verifier
// node is tinted by its verdict; a weak one is drawn red with a thick border and says how many
// rejected tokens it accepts, so the one that undoes the chain stands out.
class TrustChainWidget final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrustChainWidget)

public:
    explicit TrustChainWidget(QWidget* parent = nullptr);

    void setChain(const QStringList& issuers, const QList<ChainVerifier>& verifiers);
    const QList<ChainVerifier>& verifiers() const { return m_verifiers; }
    // Where a verifier's node is drawn (empty when unknown); for tests and tooltips.
    QRect nodeRect(const QString& verifier) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Layout {
        QList<QRect> issuers;
        QList<QRect> verifiers; // in m_verifiers order
    };
    Layout layoutNodes() const;

    QStringList m_issuers;
    QList<ChainVerifier> m_verifiers;
};

} // namespace jwb::ui
