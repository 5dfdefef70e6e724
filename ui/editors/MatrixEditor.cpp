// SPDX-License-Identifier: Apache-2.0
#include "editors/MatrixEditor.h"

#include "models/IssuerAudienceMatrixModel.h"
#include "models/Palette.h"
#include "models/PolicyDocument.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace jwb::ui {

namespace {

// Escape on the header editor cancels instead of committing.
class EscapeFilter final : public QObject {
public:
    using QObject::QObject;
    std::function<void()> onEscape;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
            onEscape();
            return true;
        }
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

MatrixEditor::MatrixEditor(PolicyDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_model(new IssuerAudienceMatrixModel(document, this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* buttons = new QHBoxLayout;
    const auto button = [this, buttons](const QString& text, const QString& name, const QString& tip) {
        auto* b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setToolTip(tip);
        b->setAccessibleName(QString(text).remove(u'&'));
        buttons->addWidget(b);
        return b;
    };
    m_addIssuer = button(tr("Add &issuer"), QStringLiteral("addIssuerButton"),
                         tr("Adds a trusted issuer row and starts editing its iss value (RFC 7519 section 4.1.1)."));
    m_removeIssuer = button(tr("Remove issuer"), QStringLiteral("removeIssuerButton"),
                            tr("Removes the selected issuer: its tokens are no longer accepted."));
    m_addAudience = button(tr("Add &audience"), QStringLiteral("addAudienceButton"),
                           tr("Adds an audience column; tick the issuers that may issue tokens for it "
                              "(RFC 7519 section 4.1.3)."));
    m_renameAudience = button(tr("Rename audience"), QStringLiteral("renameAudienceButton"),
                              tr("Renames the selected audience column in every issuer (or double-click its header)."));
    m_removeAudience = button(tr("Remove audience"), QStringLiteral("removeAudienceButton"),
                              tr("Removes the selected audience column from every issuer."));
    buttons->addStretch();
    layout->addLayout(buttons);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("matrixView"));
    m_view->setAccessibleName(tr("Issuer by audience matrix"));
    m_view->setToolTip(tr("A ticked cell lets the row's issuer issue tokens for the column's audience "
                          "(RFC 7519 sections 4.1.1 and 4.1.3). Double-click an issuer, trust domain or audience "
                          "header to rename it."));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::AnyKeyPressed);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->setVisible(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setToolTip(tr("Double-click an audience header to rename it."));
    layout->addWidget(m_view, 1);

    m_legend = new QLabel(this);
    m_legend->setObjectName(QStringLiteral("sharedAudienceLegend"));
    m_legend->setWordWrap(true);
    m_legend->setToolTip(tr("RFC 8725 section 3.9: use distinct audiences so a token for one relying party "
                            "cannot be replayed at another."));
    layout->addWidget(m_legend);

    connect(m_addIssuer, &QPushButton::clicked, this, &MatrixEditor::addIssuer);
    connect(m_removeIssuer, &QPushButton::clicked, this, &MatrixEditor::removeIssuer);
    connect(m_addAudience, &QPushButton::clicked, this, &MatrixEditor::addAudience);
    connect(m_renameAudience, &QPushButton::clicked, this, &MatrixEditor::renameAudience);
    connect(m_removeAudience, &QPushButton::clicked, this, &MatrixEditor::removeAudience);
    connect(m_view->horizontalHeader(), &QHeaderView::sectionDoubleClicked, this, &MatrixEditor::editAudienceHeader);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current, const QModelIndex& previous) {
                updateButtons();
                if (current.row() != previous.row() || !previous.isValid())
                    emit currentIssuerChanged(current.isValid() ? current.row() : -1);
            });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        updateButtons();
        updateLegend();
        emit currentIssuerChanged(currentIssuerRow());
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, [this] { emit currentIssuerChanged(currentIssuerRow()); });
    connect(m_model, &QAbstractItemModel::headerDataChanged, this, &MatrixEditor::updateLegend);
    connect(m_model, &QAbstractItemModel::columnsInserted, this, &MatrixEditor::updateLegend);
    connect(m_model, &QAbstractItemModel::columnsRemoved, this, &MatrixEditor::updateLegend);
    updateButtons();
    updateLegend();
}

int MatrixEditor::currentIssuerRow() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

int MatrixEditor::currentAudienceColumn() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() && current.column() >= IssuerAudienceMatrixModel::FirstAudienceColumn ? current.column()
                                                                                                  : -1;
}

void MatrixEditor::selectIssuer(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const int column = m_view->currentIndex().isValid() ? m_view->currentIndex().column() : 0;
    m_view->setCurrentIndex(m_model->index(row, column));
}

void MatrixEditor::updateButtons()
{
    m_removeIssuer->setEnabled(currentIssuerRow() >= 0);
    const bool audience = currentAudienceColumn() >= 0;
    m_renameAudience->setEnabled(audience);
    m_removeAudience->setEnabled(audience);
}

void MatrixEditor::updateLegend()
{
    QStringList shared;
    for (int c = IssuerAudienceMatrixModel::FirstAudienceColumn; c < m_model->columnCount(); ++c)
        if (m_model->isSharedAcrossDomains(c))
            shared.append(m_model->headerData(c, Qt::Horizontal).toString());
    if (shared.isEmpty()) {
        m_legend->setText(tr("Tick a cell to let that issuer issue tokens for that audience. Double-click names to "
                             "rename them."));
        m_legend->setPalette(palette());
        return;
    }
    m_legend->setText(tr("\u26A0 Shared across trust domains: %1. A token minted in one domain is accepted by the "
                         "other's API (RFC 8725 section 3.9).")
                          .arg(shared.join(u", ")));
    QPalette p = palette();
    p.setColor(QPalette::WindowText, tintColor(p, Tint::Warning).darker(p.color(QPalette::Base).lightnessF() < 0.5 ? 100 : 130));
    m_legend->setPalette(p);
}

void MatrixEditor::addIssuer()
{
    QString name;
    for (int n = m_model->rowCount() + 1;; ++n) {
        name = QStringLiteral("https://issuer-%1.example.com/").arg(n);
        if (!m_document->policy().findIssuer(name))
            break;
    }
    if (!m_document->addIssuer(name, QString()))
        return;
    const QModelIndex index = m_model->index(m_model->rowCount() - 1, IssuerAudienceMatrixModel::IssuerColumn);
    m_view->setCurrentIndex(index);
    m_view->edit(index);
}

void MatrixEditor::removeIssuer()
{
    const int row = currentIssuerRow();
    if (row >= 0)
        (void)m_document->removeIssuer(row);
}

void MatrixEditor::addAudience()
{
    QString name;
    for (int n = static_cast<int>(m_document->audiences().size()) + 1;; ++n) {
        name = QStringLiteral("audience-%1").arg(n);
        if (!m_document->audiences().contains(name))
            break;
    }
    if (!m_document->addAudience(name))
        return;
    const int column = m_model->columnCount() - 1;
    m_view->scrollTo(m_model->index(0, column));
    editAudienceHeader(column);
}

void MatrixEditor::renameAudience()
{
    const int column = currentAudienceColumn();
    if (column >= 0)
        editAudienceHeader(column);
}

void MatrixEditor::removeAudience()
{
    const int column = currentAudienceColumn();
    if (column >= 0)
        (void)m_document->removeAudience(IssuerAudienceMatrixModel::audienceIndex(column));
}

void MatrixEditor::editAudienceHeader(int column)
{
    if (column < IssuerAudienceMatrixModel::FirstAudienceColumn || column >= m_model->columnCount())
        return;
    QHeaderView* header = m_view->horizontalHeader();
    if (!m_headerEditor) {
        m_headerEditor = new QLineEdit(header->viewport());
        m_headerEditor->setObjectName(QStringLiteral("audienceHeaderEditor"));
        m_headerEditor->setAccessibleName(tr("Audience name"));
        m_headerEditor->setToolTip(tr("The aud value (RFC 7519 section 4.1.3). Enter to rename, Escape to cancel."));
        auto* filter = new EscapeFilter(m_headerEditor);
        filter->onEscape = [this] {
            m_headerEditColumn = -1;
            m_headerEditor->hide();
            m_view->setFocus();
        };
        m_headerEditor->installEventFilter(filter);
        connect(m_headerEditor, &QLineEdit::editingFinished, this, &MatrixEditor::commitHeaderEdit);
    }
    m_headerEditColumn = column;
    const int x = header->sectionViewportPosition(column);
    const int width = std::max(header->sectionSize(column), 140);
    m_headerEditor->setGeometry(x, 0, width, header->height());
    m_headerEditor->setText(m_model->headerData(column, Qt::Horizontal).toString());
    m_headerEditor->selectAll();
    m_headerEditor->show();
    m_headerEditor->setFocus(Qt::OtherFocusReason);
}

void MatrixEditor::commitHeaderEdit()
{
    if (m_headerEditColumn < 0 || !m_headerEditor)
        return;
    const int column = m_headerEditColumn;
    m_headerEditColumn = -1; // editingFinished also fires on focus loss after Enter
    m_headerEditor->hide();
    m_model->setHeaderData(column, Qt::Horizontal, m_headerEditor->text().trimmed());
    m_view->setFocus();
}

} // namespace jwb::ui
