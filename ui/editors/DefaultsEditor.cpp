// SPDX-License-Identifier: Apache-2.0
#include "editors/DefaultsEditor.h"

#include "editors/RulesEditor.h"
#include "models/PolicyDocument.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace jwb::ui {

DefaultsEditor::DefaultsEditor(PolicyDocument* document, QWidget* parent) : QWidget(parent), m_document(document)
{
    auto* layout = new QVBoxLayout(this);

    auto* meta = new QGroupBox(tr("Policy"), this);
    meta->setToolTip(tr("Identifies the policy in exports, reports and reviews."));
    auto* metaLayout = new QHBoxLayout(meta);
    m_name = new QLineEdit(meta);
    m_name->setObjectName(QStringLiteral("policyNameEdit"));
    m_name->setAccessibleName(tr("Policy name"));
    m_name->setToolTip(tr("The policy's name (name), shown in the title bar and in exports."));
    m_owner = new QLineEdit(meta);
    m_owner->setObjectName(QStringLiteral("policyOwnerEdit"));
    m_owner->setAccessibleName(tr("Policy owner"));
    m_owner->setToolTip(tr("Who answers for this policy (owner), usually a team mailbox."));
    m_revision = new QSpinBox(meta);
    m_revision->setObjectName(QStringLiteral("policyRevisionSpin"));
    m_revision->setAccessibleName(tr("Policy revision"));
    m_revision->setToolTip(tr("Revision number (revision); raise it with every reviewed change."));
    m_revision->setRange(0, std::numeric_limits<int>::max());
    const auto labelled = [meta, metaLayout](const QString& text, QWidget* w, int stretch) {
        auto* label = new QLabel(text, meta);
        label->setBuddy(w);
        metaLayout->addWidget(label);
        metaLayout->addWidget(w, stretch);
    };
    labelled(tr("&Name:"), m_name, 2);
    labelled(tr("&Owner:"), m_owner, 2);
    labelled(tr("&Revision:"), m_revision, 0);
    layout->addWidget(meta);

    auto* intro = new QLabel(tr("Every issuer inherits these rules; an issuer can override any of them on its "
                                "\"Algorithms & overrides\" tab."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_rules = new RulesEditor(RulesEditor::Mode::Defaults, RulesEditor::Layout::Wide, QStringLiteral("defaults"), this);
    layout->addWidget(m_rules, 1);

    connect(m_name, &QLineEdit::editingFinished, this, [this] {
        if (!m_document->setName(m_name->text()))
            m_name->setText(m_document->policy().name);
    });
    connect(m_owner, &QLineEdit::textEdited, this, [this](const QString& text) { (void)m_document->setOwner(text); });
    connect(m_revision, &QSpinBox::valueChanged, this, [this](int v) { (void)m_document->setRevision(v); });
    connect(m_rules, &RulesEditor::edited, this,
            [this](const policy::Rules& rules, const QString& what, const QString& key) {
                if (!m_document->setDefaults(rules, what, key))
                    refresh();
            });
    connect(document, &PolicyDocument::defaultsChanged, this, &DefaultsEditor::refresh);
    connect(document, &PolicyDocument::metaChanged, this, &DefaultsEditor::refresh);
    connect(document, &PolicyDocument::resetDone, this, &DefaultsEditor::refresh);
    refresh();
}

void DefaultsEditor::refresh()
{
    const policy::Policy& p = m_document->policy();
    if (m_name->text() != p.name)
        m_name->setText(p.name);
    if (m_owner->text() != p.owner)
        m_owner->setText(p.owner);
    {
        const QSignalBlocker block(m_revision);
        m_revision->setValue(p.revision);
    }
    m_rules->setRules(p.defaults, policy::EffectiveRules{});
}

bool DefaultsEditor::focusField(const QString& path)
{
    if (path == QLatin1String("name")) {
        m_name->setFocus(Qt::OtherFocusReason);
        return true;
    }
    if (path == QLatin1String("owner")) {
        m_owner->setFocus(Qt::OtherFocusReason);
        return true;
    }
    if (path == QLatin1String("revision")) {
        m_revision->setFocus(Qt::OtherFocusReason);
        return true;
    }
    if (path.startsWith(QLatin1String("defaults."))) {
        return m_rules->focusField(path.mid(qsizetype(sizeof("defaults"))));
    }
    if (path == QLatin1String("defaults")) {
        m_rules->setFocus(Qt::OtherFocusReason);
        return true;
    }
    return false;
}

} // namespace jwb::ui
