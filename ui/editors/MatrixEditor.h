// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace jwb::ui {

class FrozenTableView;
class IssuerAudienceMatrixModel;
class MatrixFilterModel;
class MatrixOverview;
class PolicyDocument;

// The issuer x audience matrix with in-place editing: issuers and trust domains are edited in their
// cells, audiences by double-clicking the column header. Buttons add and remove rows and columns.
// At estate scale (10,000 issuers x 1,000 audiences): a filter box and toggles (MatrixFilterModel),
// rows grouped by trust domain, the issuer and trust-domain columns frozen while scrolling
// sideways, and an overview heat map that navigates on click. Rows and columns of the public
// functions are the document's (source model) rows and columns unless named "view".
class MatrixEditor final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MatrixEditor)

public:
    explicit MatrixEditor(PolicyDocument* document, QWidget* parent = nullptr);

    QTableView* view() const;
    IssuerAudienceMatrixModel* model() const { return m_model; }
    MatrixFilterModel* filterModel() const { return m_filter; }
    MatrixOverview* overview() const { return m_overview; }
    QLineEdit* filterEdit() const { return m_filterEdit; }
    int currentIssuerRow() const;
    void selectIssuer(int row);
    // Makes the cell of document row `row` and audience `audienceIndex` current and scrolls to it,
    // clearing the filter first when it hides that cell.
    void goToCell(int row, int audienceIndex);
    // Opens the in-place editor over the header of view column `column` (an audience column).
    void editAudienceHeader(int column);

signals:
    void currentIssuerChanged(int row);

private:
    void addIssuer();
    void removeIssuer();
    void addAudience();
    void renameAudience();
    void removeAudience();
    void commitHeaderEdit();
    void updateButtons();
    void updateLegend();
    void updateCounts();
    void updateOverviewArea();
    // The current view column when it is an audience column, else -1.
    int currentAudienceColumn() const;

    PolicyDocument* m_document;
    IssuerAudienceMatrixModel* m_model;
    MatrixFilterModel* m_filter;
    FrozenTableView* m_view;
    MatrixOverview* m_overview;
    QLineEdit* m_filterEdit;
    QTimer* m_filterDelay;
    QCheckBox* m_group;
    QCheckBox* m_onlyTicked;
    QCheckBox* m_onlyFlagged;
    QCheckBox* m_showOverview;
    bool m_overviewChosen = false; // the user ticked or unticked Overview: no longer follows the size
    QLabel* m_counts;
    QTimer* m_countsPending;
    QLineEdit* m_headerEditor = nullptr;
    int m_headerEditColumn = -1;
    QPushButton* m_addIssuer;
    QPushButton* m_removeIssuer;
    QPushButton* m_addAudience;
    QPushButton* m_renameAudience;
    QPushButton* m_removeAudience;
    QLabel* m_legend;
};

} // namespace jwb::ui
