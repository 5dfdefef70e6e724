// SPDX-License-Identifier: Apache-2.0
#include "editors/AlgorithmPinsWidget.h"

#include "crypto/Algorithm.h"
#include "models/Palette.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSet>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace jwb::ui {

namespace {

QString familyTip(crypto::Family f)
{
    switch (f) {
    case crypto::Family::Hmac:
        return AlgorithmPinsWidget::tr("HMAC with SHA-2: a shared secret signs and verifies (RFC 7518 section 3.2). "
                                       "Never pin it next to an asymmetric family (RFC 8725 section 2.1).");
    case crypto::Family::Rsa:
        return AlgorithmPinsWidget::tr("RSASSA-PKCS1-v1_5 with SHA-2, keys of 2048 bits or more "
                                       "(RFC 7518 section 3.3).");
    case crypto::Family::RsaPss:
        return AlgorithmPinsWidget::tr("RSASSA-PSS with SHA-2 (RFC 7518 section 3.5).");
    case crypto::Family::Ecdsa:
        return AlgorithmPinsWidget::tr("ECDSA on P-256, P-384 or P-521; raw R||S signatures only "
                                       "(RFC 7518 section 3.4).");
    case crypto::Family::EdDsa:
        return AlgorithmPinsWidget::tr("EdDSA with Ed25519 or Ed448 (RFC 8037 section 3.1).");
    case crypto::Family::None:
        break;
    }
    return {};
}

} // namespace

AlgorithmPinsWidget::AlgorithmPinsWidget(QWidget* parent) : QWidget(parent)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* grid = m_grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(grid);

    const crypto::Family families[] = {crypto::Family::Hmac, crypto::Family::Rsa, crypto::Family::RsaPss,
                                       crypto::Family::Ecdsa, crypto::Family::EdDsa};
    int column = 0;
    for (crypto::Family family : families) {
        auto* box = new QGroupBox(crypto::familyName(family), this);
        box->setToolTip(familyTip(family));
        auto* layout = new QVBoxLayout(box);
        layout->setSpacing(2);
        for (int i = 0; i < crypto::kAlgorithmCount; ++i) {
            const auto alg = static_cast<crypto::Algorithm>(i);
            if (crypto::family(alg) != family)
                continue;
            const QString name = crypto::algorithmName(alg);
            auto* check = new QCheckBox(name, box);
            check->setObjectName(QStringLiteral("alg_") + name);
            check->setAccessibleName(tr("Accept %1").arg(name));
            check->setToolTip(tr("Accept tokens whose alg header is %1; any algorithm not ticked is rejected "
                                 "before a key is touched (RFC 8725 section 3.1). %2")
                                  .arg(name, familyTip(family)));
            connect(check, &QCheckBox::toggled, this, [this] {
                updateWarning();
                emit edited();
            });
            layout->addWidget(check);
            m_tips.insert(name, check->toolTip());
            m_boxes.insert(name, check);
            m_order.append(name);
        }
        grid->addWidget(box, 0, column++);
        m_groups.append(box);
    }

    m_warning = new QLabel(this);
    m_warning->setObjectName(QStringLiteral("algorithmFamilyWarning"));
    m_warning->setWordWrap(true);
    m_warning->setToolTip(tr("A pin should name one family. With several, the token's alg chooses the "
                             "verification method (RFC 8725 sections 2.1 and 3.1)."));
    m_warning->setVisible(false);
    outer->addWidget(m_warning);
}

void AlgorithmPinsWidget::setColumns(int columns)
{
    columns = std::max(1, columns);
    for (QGroupBox* box : std::as_const(m_groups))
        m_grid->removeWidget(box);
    for (int i = 0; i < m_groups.size(); ++i)
        m_grid->addWidget(m_groups.at(i), i / columns, i % columns);
}

void AlgorithmPinsWidget::setExceptionAlgorithms(const QMap<QString, QString>& granted)
{
    m_granted = granted;
    for (auto it = m_boxes.cbegin(); it != m_boxes.cend(); ++it) {
        QCheckBox* box = it.value();
        const QString why = granted.value(it.key());
        QFont f = box->font();
        f.setBold(!why.isEmpty());
        box->setFont(f);
        QPalette p = palette();
        if (!why.isEmpty())
            p.setColor(QPalette::WindowText, tintColor(p, Tint::Warning));
        box->setPalette(p);
        box->setToolTip(why.isEmpty() ? m_tips.value(it.key())
                                      : tr("Also accepted while exception %1 is active, though not pinned.\n%2")
                                            .arg(why, m_tips.value(it.key())));
    }
}

void AlgorithmPinsWidget::setAlgorithms(const QStringList& algorithms)
{
    for (auto it = m_boxes.cbegin(); it != m_boxes.cend(); ++it) {
        const QSignalBlocker block(it.value());
        it.value()->setChecked(algorithms.contains(it.key()));
    }
    updateWarning();
}

QStringList AlgorithmPinsWidget::algorithms() const
{
    QStringList out;
    for (const QString& name : m_order)
        if (m_boxes.value(name)->isChecked())
            out.append(name);
    return out;
}

bool AlgorithmPinsWidget::mixesFamilies() const
{
    QSet<int> families;
    for (const QString& name : algorithms())
        families.insert(static_cast<int>(crypto::family(crypto::algorithmFromName(name))));
    return families.size() > 1;
}

void AlgorithmPinsWidget::updateWarning()
{
    const bool mixed = mixesFamilies();
    if (mixed) {
        QSet<QString> names;
        for (const QString& alg : algorithms())
            names.insert(crypto::familyName(crypto::family(crypto::algorithmFromName(alg))));
        QStringList sorted(names.begin(), names.end());
        sorted.sort();
        const bool hmacMix = names.contains(crypto::familyName(crypto::Family::Hmac));
        m_warning->setText(hmacMix ? tr("\u26A0 Mixed families (%1): HMAC next to a public-key family invites key "
                                        "confusion (RFC 8725 section 2.1).")
                                         .arg(sorted.join(u", "))
                                   : tr("\u26A0 Mixed families (%1): the token's alg picks the verification method "
                                        "(RFC 8725 section 3.1).")
                                         .arg(sorted.join(u", ")));
        QPalette p = m_warning->palette();
        p.setColor(QPalette::WindowText, tintColor(p, hmacMix ? Tint::Danger : Tint::Warning));
        m_warning->setPalette(p);
    }
    m_warning->setVisible(mixed);
}

} // namespace jwb::ui
