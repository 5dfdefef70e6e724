// SPDX-License-Identifier: Apache-2.0
#include "models/EstateVerifierModel.h"

#include "models/EstateDocument.h"
#include "models/EstateMatrixModel.h"

#include <QPalette>

namespace jwb::ui {

EstateVerifierModel::EstateVerifierModel(EstateDocument* document, QObject* parent)
    : QAbstractTableModel(parent), m_document(document)
{
    connect(document, &EstateDocument::aboutToReset, this, [this] { beginResetModel(); });
    connect(document, &EstateDocument::resetDone, this, [this] {
        m_verdicts.clear();
        endResetModel();
    });
    connect(document, &EstateDocument::verifierAboutToBeInserted, this, [this](int row) { beginInsertRows({}, row, row); });
    connect(document, &EstateDocument::verifierInserted, this, [this] { endInsertRows(); });
    connect(document, &EstateDocument::verifierAboutToBeRemoved, this, [this](int row) { beginRemoveRows({}, row, row); });
    connect(document, &EstateDocument::verifierRemoved, this, [this] { endRemoveRows(); });
    connect(document, &EstateDocument::verifierChanged, this,
            [this](int row) { emit dataChanged(index(row, 0), index(row, ColumnCount - 1)); });
}

void EstateVerifierModel::setVerdicts(const QList<estate::VerifierAssessment>& assessments)
{
    m_verdicts.clear();
    for (const estate::VerifierAssessment& a : assessments)
        m_verdicts.insert(a.name, Judged{a.verdict, a.reasons});
    if (rowCount() > 0)
        emit dataChanged(index(0, VerdictColumn), index(rowCount() - 1, VerdictColumn));
}

void EstateVerifierModel::clearVerdicts() { setVerdicts({}); }

int EstateVerifierModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_document->verifierCount();
}

int EstateVerifierModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

bool EstateVerifierModel::valid(const QModelIndex& index) const
{
    return index.isValid() && index.model() == this && index.row() >= 0 && index.row() < rowCount() && index.column() >= 0
           && index.column() < ColumnCount;
}

QVariant EstateVerifierModel::data(const QModelIndex& index, int role) const
{
    if (!valid(index))
        return {};
    const estate::Verifier& v = m_document->estate().verifiers.at(index.row());
    const auto judged = m_verdicts.constFind(v.name);
    const bool hasVerdict = judged != m_verdicts.constEnd();
    if (role == VerdictRole)
        return hasVerdict ? estate::verdictName(judged->verdict) : QString();
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case NameColumn: return v.name;
        case KindColumn: return estate::verifierKindName(v.kind);
        case OwnerColumn: return v.owner;
        case IssuersColumn: return v.issuers.join(QStringLiteral(", "));
        case ProbeUrlColumn:
            if (v.probe)
                return v.probe->target.url.toString();
            return role == Qt::DisplayRole ? tr("(not probed)") : QString();
        case VerdictColumn:
            if (role == Qt::EditRole)
                return {};
            return hasVerdict ? verdictTitle(judged->verdict) : QString();
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == VerdictColumn && hasVerdict)
            return judged->reasons.join(u'\n');
        if (index.column() == ProbeUrlColumn && !v.probe)
            return tr("Not probed: give the URL where this verifier answers in staging.");
        if (index.column() == KindColumn)
            return tr("One of: %1").arg(estate::verifierKindNames().join(QStringLiteral(", ")));
        return {};
    }
    if (role == Qt::BackgroundRole && index.column() == VerdictColumn && hasVerdict)
        return verdictBackground(QPalette(), judged->verdict);
    if (role == Qt::ForegroundRole && index.column() == ProbeUrlColumn && !v.probe)
        return QPalette().color(QPalette::PlaceholderText);
    return {};
}

QVariant EstateVerifierModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Verifier");
    case KindColumn: return tr("Kind");
    case OwnerColumn: return tr("Owner");
    case IssuersColumn: return tr("Issuers");
    case ProbeUrlColumn: return tr("Probe URL");
    case VerdictColumn: return tr("Verdict");
    default: return {};
    }
}

Qt::ItemFlags EstateVerifierModel::flags(const QModelIndex& index) const
{
    if (!valid(index))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() != VerdictColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool EstateVerifierModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!valid(index) || role != Qt::EditRole || index.column() == VerdictColumn)
        return false;
    const estate::Verifier& before = m_document->estate().verifiers.at(index.row());
    estate::Verifier v = before;
    const QString text = value.toString().trimmed();
    QString what;
    switch (index.column()) {
    case NameColumn:
        v.name = text;
        what = tr("name");
        break;
    case KindColumn: {
        const auto kind = estate::verifierKindFromName(text);
        if (!kind) {
            emit m_document->editRefused(Error{QStringLiteral("ERR_ESTATE_KIND"),
                                               tr("\"%1\" is not one of: %2")
                                                   .arg(text, estate::verifierKindNames().join(QStringLiteral(", "))),
                                               tr("verifier %1: kind").arg(before.name)});
            return false;
        }
        v.kind = *kind;
        what = tr("kind");
        break;
    }
    case OwnerColumn:
        v.owner = text;
        what = tr("owner");
        break;
    case IssuersColumn: {
        v.issuers.clear();
        for (const QString& part : text.split(u',', Qt::SkipEmptyParts))
            v.issuers << part.trimmed();
        // The probe's issuer follows when the list no longer holds it (the loader requires it there).
        if (v.probe && !v.issuers.isEmpty() && !v.issuers.contains(v.probe->issuer))
            v.probe->issuer = v.issuers.first();
        what = tr("issuers");
        break;
    }
    case ProbeUrlColumn:
        if (text.isEmpty()) {
            v.probe.reset();
        } else {
            if (!v.probe) {
                v.probe.emplace();
                v.probe->issuer = v.issuers.value(0);
            }
            v.probe->target.url = QUrl(text);
        }
        what = tr("probe URL");
        break;
    default: return false;
    }
    if (v.name == before.name && v.kind == before.kind && v.owner == before.owner && v.issuers == before.issuers
        && v.probe.has_value() == before.probe.has_value()
        && (!v.probe || v.probe->target.url == before.probe->target.url))
        return true; // nothing changed: no undo step
    return m_document->replaceVerifier(index.row(), v, what).ok();
}

} // namespace jwb::ui
