// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "estate/EstateReport.h"

#include <QAbstractTableModel>
#include <QHash>

namespace jwb::ui {

class EstateDocument;

// The verifiers of the open estate: name, kind, owner, issuers, probe URL and, after a check, the
// core's verdict. Name, kind, owner, issuers (comma-separated) and probe URL are edited in place;
// each edit goes to the document as one undoable step and is refused (setData false, the
// document's editRefused) when the core's loader would not read the result. An empty probe URL
// removes the probe. Keeps no copy of the verifiers: it reads the document.
class EstateVerifierModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EstateVerifierModel)

public:
    enum Column { NameColumn, KindColumn, OwnerColumn, IssuersColumn, ProbeUrlColumn, VerdictColumn, ColumnCount };
    enum Role { VerdictRole = Qt::UserRole + 1 }; // verdictName() or empty before a check

    explicit EstateVerifierModel(EstateDocument* document, QObject* parent = nullptr);

    // The verdicts of a finished check, by verifier name (an edited name shows none until the next).
    void setVerdicts(const QList<estate::VerifierAssessment>& assessments);
    void clearVerdicts();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

private:
    struct Judged {
        estate::Verdict verdict;
        QStringList reasons;
    };
    bool valid(const QModelIndex& index) const;

    EstateDocument* m_document;
    QHash<QString, Judged> m_verdicts;
};

} // namespace jwb::ui
