// SPDX-License-Identifier: Apache-2.0
#include "models/EstateMatrixModel.h"

#include "models/Palette.h"

#include <QObject>

namespace jwb::ui {

namespace {

const QString kAcceptsRejected = QStringLiteral("accepts_rejected");
const QString kRejectsAccepted = QStringLiteral("rejects_accepted");
const QString kInconclusive = QStringLiteral("inconclusive");
const QString kConforms = QStringLiteral("conforms");

// Inconclusive is neither good nor bad: a grey halfway between the base and the window colour.
QColor neutral(const QPalette& palette)
{
    const QColor a = palette.color(QPalette::Base);
    const QColor b = palette.color(QPalette::Mid);
    return QColor((a.red() * 2 + b.red()) / 3, (a.green() * 2 + b.green()) / 3, (a.blue() * 2 + b.blue()) / 3);
}

} // namespace

QString outcomeTitle(const QString& outcome)
{
    if (outcome == kAcceptsRejected)
        return QObject::tr("critical");
    if (outcome == kRejectsAccepted)
        return QObject::tr("breaks valid traffic");
    if (outcome == kInconclusive)
        return QObject::tr("inconclusive");
    if (outcome == kConforms)
        return QObject::tr("conforms");
    return QString();
}

QString outcomeShort(const QString& outcome)
{
    if (outcome == kAcceptsRejected)
        return QObject::tr("critical");
    if (outcome == kRejectsAccepted)
        return QObject::tr("breaks");
    if (outcome == kInconclusive)
        return QObject::tr("?");
    if (outcome == kConforms)
        return QObject::tr("ok");
    return QStringLiteral("\u2013");
}

QString outcomeMeaning(const QString& outcome)
{
    if (outcome == kAcceptsRejected)
        return QObject::tr("accepts a token the policy rejects");
    if (outcome == kRejectsAccepted)
        return QObject::tr("rejects a token the policy accepts");
    if (outcome == kInconclusive)
        return QObject::tr("no usable answer (not sent, no connection, unexpected status)");
    if (outcome == kConforms)
        return QObject::tr("answered every token as the policy decides");
    return QObject::tr("no token of this class was probed");
}

QColor outcomeBackground(const QPalette& palette, const QString& outcome)
{
    if (outcome == kAcceptsRejected)
        return tintBackground(palette, Tint::Danger);
    if (outcome == kRejectsAccepted)
        return tintBackground(palette, Tint::Warning);
    if (outcome == kConforms)
        return tintBackground(palette, Tint::Ok);
    if (outcome == kInconclusive)
        return neutral(palette);
    return QColor();
}

QStringList legendOutcomes() { return {kConforms, kAcceptsRejected, kRejectsAccepted, kInconclusive}; }

QString verdictTitle(estate::Verdict verdict)
{
    switch (verdict) {
    case estate::Verdict::Weak: return QObject::tr("weak");
    case estate::Verdict::BreaksValidTraffic: return QObject::tr("breaks valid traffic");
    case estate::Verdict::Inconclusive: return QObject::tr("inconclusive");
    case estate::Verdict::Conforms: return QObject::tr("conforms");
    }
    return QString();
}

QColor verdictBackground(const QPalette& palette, estate::Verdict verdict)
{
    switch (verdict) {
    case estate::Verdict::Weak: return tintBackground(palette, Tint::Danger);
    case estate::Verdict::BreaksValidTraffic: return tintBackground(palette, Tint::Warning);
    case estate::Verdict::Conforms: return tintBackground(palette, Tint::Ok);
    case estate::Verdict::Inconclusive: break;
    }
    return neutral(palette);
}

QColor verdictColor(const QPalette& palette, estate::Verdict verdict)
{
    switch (verdict) {
    case estate::Verdict::Weak: return tintColor(palette, Tint::Danger);
    case estate::Verdict::BreaksValidTraffic: return tintColor(palette, Tint::Warning);
    case estate::Verdict::Conforms: return tintColor(palette, Tint::Ok);
    case estate::Verdict::Inconclusive: break;
    }
    return palette.color(QPalette::Mid);
}

EstateMatrixModel::EstateMatrixModel(QObject* parent) : QAbstractTableModel(parent) {}

void EstateMatrixModel::setReport(std::shared_ptr<const estate::EstateReport> report)
{
    beginResetModel();
    m_report = std::move(report);
    endResetModel();
}

QString EstateMatrixModel::verifierAt(int row) const
{
    if (!m_report || row < 0 || row >= m_report->matrix.rows.size())
        return {};
    return m_report->matrix.rows.at(row).verifier;
}

QString EstateMatrixModel::classAt(int column) const
{
    if (!m_report || column < 0 || column >= m_report->matrix.classes.size())
        return {};
    return m_report->matrix.classes.at(column);
}

int EstateMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_report ? 0 : static_cast<int>(m_report->matrix.rows.size());
}

int EstateMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_report ? 0 : static_cast<int>(m_report->matrix.classes.size());
}

QVariant EstateMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() < 0 || index.row() >= rowCount() || index.column() < 0
        || index.column() >= columnCount())
        return {};
    const estate::MatrixRow& row = m_report->matrix.rows.at(index.row());
    const QString cls = m_report->matrix.classes.at(index.column());
    const QString outcome = row.cells.value(cls, estate::kNotProbed);
    const bool unexplained = row.unexplainedClasses.contains(cls);
    switch (role) {
    case OutcomeRole: return outcome;
    case UnexplainedRole: return unexplained;
    case Qt::DisplayRole: return outcomeShort(outcome);
    case Qt::BackgroundRole: {
        const QColor c = outcomeBackground(QPalette(), outcome);
        return c.isValid() ? QVariant(c) : QVariant();
    }
    case Qt::ForegroundRole:
        return outcome == estate::kNotProbed ? QVariant(QPalette().color(QPalette::PlaceholderText)) : QVariant();
    case Qt::TextAlignmentRole: return QVariant::fromValue(Qt::AlignCenter);
    case Qt::ToolTipRole:
        return QObject::tr("%1, %2: %3%4")
            .arg(row.verifier, cls, outcomeMeaning(outcome),
                 unexplained ? QObject::tr(" (no gap row explains it)") : QString());
    default: return {};
    }
}

QVariant EstateMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || !m_report)
        return {};
    if (orientation == Qt::Horizontal) {
        // "required_claims" over two lines keeps the columns as narrow as their cells.
        const QString cls = classAt(section);
        return cls.isEmpty() ? QVariant() : QVariant(QString(cls).replace(u'_', QStringLiteral("_\n")));
    }
    return verifierAt(section).isEmpty() ? QVariant() : QVariant(verifierAt(section));
}

} // namespace jwb::ui
