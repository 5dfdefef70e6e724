// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace jwb::ui {

class IssuerAudienceMatrixModel;
class PolicyDocument;

// The issuer x audience matrix with in-place editing: issuers and trust domains are edited in their
// cells, audiences by double-clicking the column header. Buttons add and remove rows and columns.
class MatrixEditor final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MatrixEditor)

public:
    explicit MatrixEditor(PolicyDocument* document, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    IssuerAudienceMatrixModel* model() const { return m_model; }
    int currentIssuerRow() const;
    void selectIssuer(int row);
    // Opens the in-place editor over the header of model column `column` (an audience column).
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
    int currentAudienceColumn() const;

    PolicyDocument* m_document;
    IssuerAudienceMatrixModel* m_model;
    QTableView* m_view;
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
