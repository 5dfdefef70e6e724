// SPDX-License-Identifier: Apache-2.0
#include "editors/MatrixEditor.h"

#include "models/IssuerAudienceMatrixModel.h"
#include "models/MatrixFilterModel.h"
#include "models/Palette.h"
#include "models/PolicyDocument.h"
#include "widgets/FrozenTableView.h"
#include "widgets/MatrixDelegate.h"
#include "widgets/MatrixOverview.h"

#include <QApplication>
#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace jwb::ui {

namespace {
// Above these sizes the overview is shown unless the user chose otherwise.
constexpr int kOverviewIssuers = 40;
constexpr int kOverviewAudiences = 12;


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

constexpr int kIssuerWidth = 230;
constexpr int kTrustDomainWidth = 100;
constexpr int kAudienceWidth = 76;
constexpr int kFilterDelayMs = 150;
constexpr int kLegendNames = 5;

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

    // Finding one's way in 10,000 x 1,000: filter, toggles, grouping.
    auto* find = new QHBoxLayout;
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setObjectName(QStringLiteral("matrixFilter"));
    m_filterEdit->setAccessibleName(tr("Filter the matrix"));
    m_filterEdit->setPlaceholderText(tr("Filter by issuer, audience or trust domain"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setToolTip(tr("An audience name narrows the columns to matching audiences and the rows to issuers "
                                "that tick one; otherwise the rows are narrowed to issuers whose iss or trust domain "
                                "contains the text."));
    find->addWidget(m_filterEdit, 1);
    const auto toggle = [this, find](const QString& text, const QString& name, const QString& tip) {
        auto* box = new QCheckBox(text, this);
        box->setObjectName(name);
        box->setToolTip(tip);
        box->setAccessibleName(QString(text).remove(u'&'));
        find->addWidget(box);
        return box;
    };
    m_group = toggle(tr("&Group by trust domain"), QStringLiteral("matrixGroupByDomain"),
                     tr("Rows of one trust domain together, each group named in its first row."));
    m_onlyTicked = toggle(tr("Only &ticked"), QStringLiteral("matrixOnlyTicked"),
                          tr("Only the audience columns that a shown issuer ticks."));
    m_onlyFlagged = toggle(tr("Only &flagged"), QStringLiteral("matrixOnlyFlagged"),
                           tr("Only audiences shared across trust domains, and the issuers that tick them "
                              "(RFC 8725 section 3.9)."));
    m_showOverview = toggle(tr("O&verview"), QStringLiteral("matrixShowOverview"),
                            tr("Show the heat map of the whole matrix beside it."));
    m_showOverview->setChecked(true);
    layout->addLayout(find);

    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("matrixCounts"));
    layout->addWidget(m_counts);

    m_filter = new MatrixFilterModel(document, this);
    m_filter->setSourceModel(m_model);
    m_filter->setObjectName(QStringLiteral("matrixFilterModel"));

    auto* body = new QHBoxLayout;
    m_view = new FrozenTableView(IssuerAudienceMatrixModel::FirstAudienceColumn, this);
    m_view->setObjectName(QStringLiteral("matrixView"));
    m_view->setAccessibleName(tr("Issuer by audience matrix"));
    m_view->setToolTip(tr("A ticked cell lets the row's issuer issue tokens for the column's audience "
                          "(RFC 7519 sections 4.1.1 and 4.1.3). Double-click an issuer, trust domain or audience "
                          "header to rename it. Arrows move, Space ticks, Tab leaves the matrix."));
    m_view->frozenView()->setAccessibleName(tr("Issuers and trust domains (kept in view)"));
    m_view->frozenView()->setToolTip(tr("The issuer and trust-domain columns stay in view while the audiences scroll "
                                        "sideways. Double-click to rename."));
    // One delegate each: a delegate tells every view using it when an editor closes.
    m_view->setItemDelegate(new MatrixDelegate(m_view));
    m_view->frozenView()->setItemDelegate(new MatrixDelegate(m_view->frozenView()));
    m_view->setModel(m_filter);
    for (QTableView* v : {static_cast<QTableView*>(m_view), m_view->frozenView()}) {
        v->setSelectionBehavior(QAbstractItemView::SelectItems);
        v->setSelectionMode(QAbstractItemView::SingleSelection);
        v->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                           | QAbstractItemView::AnyKeyPressed);
        v->setAlternatingRowColors(true);
        v->setWordWrap(false); // one line a row: an iss wraps at "//" and would show only "https:"
        v->setTextElideMode(Qt::ElideMiddle); // issuers differ in the middle, not at "https://"
        v->verticalHeader()->setVisible(false);
        // Fixed row heights and column widths: sizing 1,000 columns to their contents would measure
        // thousands of cells after every change.
        v->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        v->verticalHeader()->setDefaultSectionSize(v->fontMetrics().height() + 8);
        v->horizontalHeader()->setHighlightSections(false);
    }
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setDefaultSectionSize(kAudienceWidth);
    m_view->setColumnWidth(IssuerAudienceMatrixModel::IssuerColumn, kIssuerWidth);
    m_view->setColumnWidth(IssuerAudienceMatrixModel::TrustDomainColumn, kTrustDomainWidth);
    header->setToolTip(tr("Double-click an audience header to rename it."));
    body->addWidget(m_view, 1);
    m_overview = new MatrixOverview(document, this);
    body->addWidget(m_overview);
    layout->addLayout(body, 1);

    m_legend = new QLabel(this);
    m_legend->setObjectName(QStringLiteral("sharedAudienceLegend"));
    m_legend->setWordWrap(true);
    m_legend->setToolTip(tr("RFC 8725 section 3.9: use distinct audiences so a token for one relying party "
                            "cannot be replayed at another."));
    layout->addWidget(m_legend);

    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(kFilterDelayMs);
    m_countsPending = new QTimer(this);
    m_countsPending->setSingleShot(true);
    m_countsPending->setInterval(0);

    connect(m_addIssuer, &QPushButton::clicked, this, &MatrixEditor::addIssuer);
    connect(m_removeIssuer, &QPushButton::clicked, this, &MatrixEditor::removeIssuer);
    connect(m_addAudience, &QPushButton::clicked, this, &MatrixEditor::addAudience);
    connect(m_renameAudience, &QPushButton::clicked, this, &MatrixEditor::renameAudience);
    connect(m_removeAudience, &QPushButton::clicked, this, &MatrixEditor::removeAudience);
    connect(m_filterEdit, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterEdit, &QLineEdit::returnPressed, this, [this] {
        m_filterDelay->stop();
        m_filter->setFilterText(m_filterEdit->text());
    });
    connect(m_filterDelay, &QTimer::timeout, this, [this] { m_filter->setFilterText(m_filterEdit->text()); });
    connect(m_group, &QCheckBox::toggled, m_filter, &MatrixFilterModel::setGroupByTrustDomain);
    connect(m_onlyTicked, &QCheckBox::toggled, m_filter, &MatrixFilterModel::setOnlyTicked);
    connect(m_onlyFlagged, &QCheckBox::toggled, m_filter, &MatrixFilterModel::setOnlyFlagged);
    connect(m_showOverview, &QCheckBox::toggled, m_overview, &QWidget::setVisible);
    connect(m_showOverview, &QCheckBox::clicked, this, [this] { m_overviewChosen = true; });
    connect(m_overview, &MatrixOverview::cellRequested, this, &MatrixEditor::goToCell);
    connect(header, &QHeaderView::sectionDoubleClicked, this, &MatrixEditor::editAudienceHeader);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current, const QModelIndex& previous) {
                updateButtons();
                if (current.row() != previous.row() || !previous.isValid())
                    emit currentIssuerChanged(currentIssuerRow());
            });
    connect(m_filter, &QAbstractItemModel::modelReset, this, [this] {
        updateButtons();
        emit currentIssuerChanged(currentIssuerRow());
    });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, [this] { emit currentIssuerChanged(currentIssuerRow()); });
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, [this] { emit currentIssuerChanged(currentIssuerRow()); });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved,
                        &QAbstractItemModel::columnsInserted, &QAbstractItemModel::columnsRemoved})
        connect(m_filter, signal, m_countsPending, qOverload<>(&QTimer::start));
    connect(m_filter, &QAbstractItemModel::modelReset, m_countsPending, qOverload<>(&QTimer::start));
    connect(m_filter, &QAbstractItemModel::layoutChanged, m_countsPending, qOverload<>(&QTimer::start));
    connect(m_countsPending, &QTimer::timeout, this, &MatrixEditor::updateCounts);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &MatrixEditor::updateOverviewArea);
    connect(m_view->horizontalScrollBar(), &QScrollBar::valueChanged, this, &MatrixEditor::updateOverviewArea);
    connect(document, &PolicyDocument::audienceSharingChanged, this, &MatrixEditor::updateLegend);
    connect(document, &PolicyDocument::audienceRenamed, this, &MatrixEditor::updateLegend);
    connect(document, &PolicyDocument::resetDone, this, &MatrixEditor::updateLegend);
    connect(m_model, &QAbstractItemModel::columnsInserted, this, &MatrixEditor::updateLegend);
    connect(m_model, &QAbstractItemModel::columnsRemoved, this, &MatrixEditor::updateLegend);
    updateButtons();
    updateLegend();
    updateCounts();
}

QTableView* MatrixEditor::view() const { return m_view; }

int MatrixEditor::currentIssuerRow() const
{
    const QModelIndex current = m_filter->mapToSource(m_view->currentIndex());
    return current.isValid() ? current.row() : -1;
}

int MatrixEditor::currentAudienceColumn() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() && m_filter->mapToSource(current).column() >= IssuerAudienceMatrixModel::FirstAudienceColumn
               ? current.column()
               : -1;
}

void MatrixEditor::selectIssuer(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex current = m_filter->mapToSource(m_view->currentIndex());
    const int column = current.isValid() ? current.column() : 0;
    QModelIndex target = m_filter->mapFromSource(m_model->index(row, column));
    if (!target.isValid()) {
        target = m_filter->mapFromSource(m_model->index(row, 0));
        if (!target.isValid()) { // filtered out: show everything again rather than go nowhere
            m_filterEdit->clear();
            m_filterDelay->stop();
            m_onlyTicked->setChecked(false);
            m_onlyFlagged->setChecked(false);
            m_filter->clearFilters();
            target = m_filter->mapFromSource(m_model->index(row, column));
        }
    }
    m_view->setCurrentIndex(target);
}

void MatrixEditor::goToCell(int row, int audienceIndex)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex source = m_model->index(row, IssuerAudienceMatrixModel::FirstAudienceColumn + audienceIndex);
    if (!m_filter->mapFromSource(source).isValid()) {
        m_filterEdit->clear();
        m_filterDelay->stop();
        m_onlyTicked->setChecked(false);
        m_onlyFlagged->setChecked(false);
        m_filter->clearFilters();
    }
    const QModelIndex target = m_filter->mapFromSource(source);
    if (!target.isValid())
        return;
    m_view->setCurrentIndex(target);
    m_view->scrollTo(target, QAbstractItemView::PositionAtCenter);
    m_view->setFocus(Qt::OtherFocusReason);
}

void MatrixEditor::updateButtons()
{
    m_removeIssuer->setEnabled(currentIssuerRow() >= 0);
    const bool audience = currentAudienceColumn() >= 0;
    m_renameAudience->setEnabled(audience);
    m_removeAudience->setEnabled(audience);
}

void MatrixEditor::updateCounts()
{
    const QLocale locale;
    const int issuers = m_model->rowCount();
    const int audiences = m_model->columnCount() - IssuerAudienceMatrixModel::FirstAudienceColumn;
    const int shownIssuers = m_filter->rowCount();
    const int shownAudiences = m_filter->columnCount() - IssuerAudienceMatrixModel::FirstAudienceColumn;
    // The heat map helps where the matrix does not fit; on a small one it only takes the room its
    // audience columns need (at 1024 px the sample's columns were cut). A user's choice stands.
    if (!m_overviewChosen)
        m_showOverview->setChecked(issuers > kOverviewIssuers || audiences > kOverviewAudiences);
    if (shownIssuers == issuers && shownAudiences == audiences)
        m_counts->setText(tr("%1 issuers, %2 audiences").arg(locale.toString(issuers), locale.toString(audiences)));
    else
        m_counts->setText(tr("Showing %1 of %2 issuers and %3 of %4 audiences")
                              .arg(locale.toString(shownIssuers), locale.toString(issuers),
                                   locale.toString(shownAudiences), locale.toString(audiences)));
    updateOverviewArea();
}

void MatrixEditor::updateOverviewArea()
{
    if (m_filter->rowCount() == 0 || m_filter->columnCount() <= IssuerAudienceMatrixModel::FirstAudienceColumn) {
        m_overview->setVisibleArea(0, 0, 0, 0);
        return;
    }
    const QRect area = m_view->viewport()->rect();
    const int frozen = m_view->columnWidth(0) + m_view->columnWidth(1);
    const auto sourceRow = [this](int viewRow) {
        return m_filter->mapToSource(m_filter->index(viewRow, 0)).row();
    };
    const auto sourceAudience = [this](int viewColumn) {
        return IssuerAudienceMatrixModel::audienceIndex(m_filter->mapToSource(m_filter->index(0, viewColumn)).column());
    };
    int top = m_view->rowAt(area.top());
    int bottom = m_view->rowAt(area.bottom());
    int left = m_view->columnAt(std::min(frozen + 1, area.right()));
    int right = m_view->columnAt(area.right());
    if (top < 0)
        top = 0;
    if (bottom < 0)
        bottom = m_filter->rowCount() - 1;
    if (left < IssuerAudienceMatrixModel::FirstAudienceColumn)
        left = IssuerAudienceMatrixModel::FirstAudienceColumn;
    if (right < 0)
        right = m_filter->columnCount() - 1;
    if (right < left)
        right = left;
    m_overview->setVisibleArea(sourceRow(top), sourceRow(bottom) + 1, sourceAudience(left), sourceAudience(right) + 1);
}

void MatrixEditor::updateLegend()
{
    // Bounded text however large the policy: a few names and a count.
    const int shared = m_document->sharedAudienceCount();
    if (shared == 0) {
        m_legend->setText(tr("Tick a cell to let that issuer issue tokens for that audience. Double-click names to "
                             "rename them."));
        m_legend->setPalette(palette());
        return;
    }
    const QStringList names = m_document->sharedAudiences(kLegendNames);
    QString list = names.join(u", ");
    if (shared > names.size())
        list += tr(" … and %n more", nullptr, shared - static_cast<int>(names.size()));
    m_legend->setText(tr("⚠ %n audience(s) shared across trust domains: %1. A token minted in one domain is "
                         "accepted by the other's API (RFC 8725 section 3.9); \"Only flagged\" shows them.",
                         nullptr, shared)
                          .arg(list));
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
    selectIssuer(m_model->rowCount() - 1);
    const QModelIndex index =
        m_filter->mapFromSource(m_model->index(m_model->rowCount() - 1, IssuerAudienceMatrixModel::IssuerColumn));
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
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
    const QModelIndex added = m_filter->mapFromSource(m_model->index(0, m_model->columnCount() - 1));
    if (!added.isValid())
        return; // hidden by the filter; it is there once the filter is cleared
    m_view->scrollTo(added);
    editAudienceHeader(added.column());
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
        (void)m_document->removeAudience(
            IssuerAudienceMatrixModel::audienceIndex(m_filter->mapToSource(m_view->currentIndex()).column()));
}

void MatrixEditor::editAudienceHeader(int column)
{
    if (column < IssuerAudienceMatrixModel::FirstAudienceColumn || column >= m_filter->columnCount())
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
    m_headerEditor->setText(m_filter->headerData(column, Qt::Horizontal).toString());
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
    m_filter->setHeaderData(column, Qt::Horizontal, m_headerEditor->text().trimmed());
    m_view->setFocus();
}

} // namespace jwb::ui
