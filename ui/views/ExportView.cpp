// SPDX-License-Identifier: Apache-2.0
#include "views/ExportView.h"

#include "models/Palette.h"
#include "util/AtomicFile.h"

#include <QAbstractTableModel>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QSyntaxHighlighter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <optional>
#include <utility>

namespace jwb::ui {

// The gap rows of one target, read-only.
class GapTableModel final : public QAbstractTableModel {
public:
    enum Column { IssuerColumn, ControlColumn, StatusColumn, DetailColumn, ColumnCount };

    explicit GapTableModel(QObject* parent) : QAbstractTableModel(parent) {}

    void setGaps(QList<exporting::GapEntry> gaps)
    {
        beginResetModel();
        m_gaps = std::move(gaps);
        endResetModel();
    }

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : static_cast<int>(m_gaps.size()); }
    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }

    QVariant data(const QModelIndex& index, int role) const override
    {
        if (!index.isValid() || index.row() < 0 || index.row() >= m_gaps.size())
            return {};
        const exporting::GapEntry& g = m_gaps.at(index.row());
        if (role == Qt::DisplayRole) {
            switch (index.column()) {
            case IssuerColumn: return g.issuer;
            case ControlColumn: return exporting::controlTitle(g.control);
            case StatusColumn: return exporting::gapStatusName(g.status).replace(u'_', u' ');
            case DetailColumn: return g.detail;
            default: return {};
            }
        }
        if (role == Qt::ToolTipRole) {
            QString tip = g.detail;
            if (!g.exported.isEmpty() || !g.policy.isEmpty())
                tip += QStringLiteral("\nExported: %1\nPolicy: %2")
                           .arg(g.exported.isEmpty() ? QStringLiteral("-") : g.exported,
                                g.policy.isEmpty() ? QStringLiteral("-") : g.policy);
            return tip;
        }
        if (role == Qt::BackgroundRole && index.column() == StatusColumn) {
            const auto tint = tintFor(g.status);
            return tint ? QVariant(tintBackground(QApplication::palette(), *tint)) : QVariant();
        }
        if (role == Qt::ForegroundRole && index.column() == StatusColumn) {
            const auto tint = tintFor(g.status);
            return tint ? QVariant(tintColor(QApplication::palette(), *tint))
                        : QVariant(QApplication::palette().color(QPalette::Disabled, QPalette::Text));
        }
        if (role == Qt::UserRole)
            return g.control;
        return {};
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section) {
        case IssuerColumn: return ExportView::tr("Issuer");
        case ControlColumn: return ExportView::tr("Control");
        case StatusColumn: return ExportView::tr("Status");
        case DetailColumn: return ExportView::tr("How / why");
        default: return {};
        }
    }

    const QList<exporting::GapEntry>& gaps() const { return m_gaps; }

private:
    static std::optional<Tint> tintFor(exporting::GapStatus s)
    {
        switch (s) {
        case exporting::GapStatus::Enforced: return Tint::Ok;
        case exporting::GapStatus::Emulated: return Tint::Warning;
        case exporting::GapStatus::NotEnforced: return Tint::Danger;
        case exporting::GapStatus::NotUsed: return std::nullopt; // neutral: nothing to enforce
        }
        return Tint::Danger;
    }

    QList<exporting::GapEntry> m_gaps;
};

// Just enough highlighting to read an export: comments, strings, YAML/JSON keys, Rego keywords,
// nginx directives and variables.
class ExportHighlighter final : public QSyntaxHighlighter {
public:
    // Code: the C family (JavaScript, Go, Java, C#) with // comments; Python: # comments.
    enum class Mode { Yaml, Json, Rego, Nginx, Code, Python };

    explicit ExportHighlighter(QTextDocument* doc) : QSyntaxHighlighter(doc) {}

    void setMode(Mode mode)
    {
        m_mode = mode;
        rehighlight();
    }

protected:
    void highlightBlock(const QString& text) override
    {
        const QPalette pal = QApplication::palette();
        QTextCharFormat key;
        key.setForeground(pal.color(QPalette::Link));
        QTextCharFormat keyword;
        keyword.setForeground(pal.color(QPalette::Link));
        keyword.setFontWeight(QFont::Bold);
        QTextCharFormat string;
        string.setForeground(tintColor(pal, Tint::Ok));
        QTextCharFormat variable;
        variable.setForeground(tintColor(pal, Tint::Warning));
        QTextCharFormat comment;
        comment.setForeground(pal.color(QPalette::PlaceholderText));
        comment.setFontItalic(true);

        auto apply = [&text, this](const QRegularExpression& re, const QTextCharFormat& format, int group = 0) {
            for (auto it = re.globalMatch(text); it.hasNext();) {
                const auto m = it.next();
                setFormat(static_cast<int>(m.capturedStart(group)), static_cast<int>(m.capturedLength(group)), format);
            }
        };
        static const QRegularExpression yamlKey(QStringLiteral("^\\s*(?:- )?(\"?[A-Za-z_@][\\w@.\\-]*\"?)\\s*:(?=\\s|$)"));
        static const QRegularExpression jsonKey(QStringLiteral("(\"[^\"]*\")\\s*:"));
        static const QRegularExpression regoKeyword(
            QStringLiteral("\\b(package|import|default|if|else|contains|some|in|every|not)\\b"));
        static const QRegularExpression nginxDirective(QStringLiteral("^\\s*([a-z_]+)\\b"));
        static const QRegularExpression variableRe(QStringLiteral("\\$[A-Za-z_][A-Za-z0-9_]*"));
        static const QRegularExpression doubleQuoted(QStringLiteral("\"(?:[^\"\\\\]|\\\\.)*\""));
        static const QRegularExpression singleQuoted(QStringLiteral("'[^']*'"));
        static const QRegularExpression backtick(QStringLiteral("`[^`]*`"));
        static const QRegularExpression hashComment(QStringLiteral("^\\s*#.*$"));
        static const QRegularExpression slashComment(QStringLiteral("^\\s*(//|/\\*|\\*).*$"));
        static const QRegularExpression codeKeyword(QStringLiteral(
            "\\b(import|export|from|const|let|var|function|async|await|return|if|else|for|throw|new|class|"
            "public|private|static|final|package|func|type|struct|def|raise|try|except|catch|with|using|"
            "namespace|true|false|null|nil|None|True|False)\\b"));

        switch (m_mode) {
        case Mode::Yaml:
            apply(doubleQuoted, string);
            apply(singleQuoted, string);
            apply(yamlKey, key, 1);
            break;
        case Mode::Json:
            apply(doubleQuoted, string);
            apply(jsonKey, key, 1);
            break;
        case Mode::Rego:
            apply(regoKeyword, keyword);
            apply(doubleQuoted, string);
            apply(backtick, string);
            break;
        case Mode::Nginx:
            apply(nginxDirective, keyword, 1);
            apply(doubleQuoted, string);
            apply(variableRe, variable);
            break;
        case Mode::Code:
        case Mode::Python:
            apply(codeKeyword, keyword);
            apply(doubleQuoted, string);
            apply(singleQuoted, string);
            apply(backtick, string);
            break;
        }
        if (m_mode == Mode::Code)
            apply(slashComment, comment);
        else if (m_mode != Mode::Json)
            apply(hashComment, comment);
    }

private:
    Mode m_mode = Mode::Yaml;
};

namespace {

QString settingsGroup(const policy::Policy& policy)
{
    // One remembered profile per policy name; '/' would nest QSettings groups.
    return QStringLiteral("exportProfiles/") + QString(policy.name).replace(u'/', u'_');
}

ExportHighlighter::Mode modeFor(exporting::Target t)
{
    switch (t) {
    case exporting::Target::CanonicalJson: return ExportHighlighter::Mode::Json;
    case exporting::Target::Opa: return ExportHighlighter::Mode::Rego;
    case exporting::Target::Nginx:
    case exporting::Target::Haproxy:
    case exporting::Target::Apache: return ExportHighlighter::Mode::Nginx; // '#' comments, directive lines
    case exporting::Target::ServicePyjwt:
    case exporting::Target::ServiceJwcrypto: return ExportHighlighter::Mode::Python;
    case exporting::Target::ServiceJose:
    case exporting::Target::ServiceJsonwebtoken:
    case exporting::Target::ServiceGolangJwt:
    case exporting::Target::ServiceSpring:
    case exporting::Target::ServiceDotnet: return ExportHighlighter::Mode::Code;
    default: return ExportHighlighter::Mode::Yaml;
    }
}

QLineEdit* lineEdit(const QString& objectName, QWidget* parent)
{
    auto* e = new QLineEdit(parent);
    e->setObjectName(objectName);
    return e;
}

} // namespace

ExportView::ExportView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("exportView"));

    m_target = new QComboBox(this);
    m_target->setObjectName(QStringLiteral("targetCombo"));
    // Every target the core exports, gateways first; a target without a title here shows its CLI name.
    const QHash<exporting::Target, QString> titles{
        {exporting::Target::Envoy, tr("Envoy jwt_authn")},
        {exporting::Target::Istio, tr("Istio RequestAuthentication")},
        {exporting::Target::Kong, tr("Kong jwt plugin")},
        {exporting::Target::Nginx, tr("NGINX Plus auth_jwt")},
        {exporting::Target::Opa, tr("OPA Rego")},
        {exporting::Target::Haproxy, tr("HAProxy 2.6 jwt_verify")},
        {exporting::Target::Apache, tr("Apache mod_auth_openidc")},
        {exporting::Target::ServiceJose, tr("Service: Node jose")},
        {exporting::Target::ServiceJsonwebtoken, tr("Service: Node jsonwebtoken")},
        {exporting::Target::ServicePyjwt, tr("Service: Python PyJWT")},
        {exporting::Target::ServiceJwcrypto, tr("Service: Python jwcrypto")},
        {exporting::Target::ServiceGolangJwt, tr("Service: Go golang-jwt v4")},
        {exporting::Target::ServiceSpring, tr("Service: Spring Security (Java)")},
        {exporting::Target::ServiceDotnet, tr("Service: .NET TokenValidationParameters")},
        {exporting::Target::CanonicalYaml, tr("Canonical YAML")},
        {exporting::Target::CanonicalJson, tr("Canonical JSON")},
    };
    QList<exporting::Target> order = exporting::gatewayTargets();
    for (exporting::Target t : exporting::allTargets()) {
        if (!order.contains(t) && t != exporting::Target::CanonicalYaml && t != exporting::Target::CanonicalJson)
            order << t;
    }
    order << exporting::Target::CanonicalYaml << exporting::Target::CanonicalJson;
    for (exporting::Target t : order)
        m_target->addItem(titles.value(t, exporting::targetName(t)), static_cast<int>(t));

    m_save = new QPushButton(tr("Save…"), this);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_copy = new QPushButton(tr("Copy"), this);
    m_copy->setObjectName(QStringLiteral("copyButton"));

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Target:"), this));
    top->addWidget(m_target, 1);
    top->addStretch(2);
    top->addWidget(m_copy);
    top->addWidget(m_save);

    const exporting::ExportProfile defaults;
    m_namespace = lineEdit(QStringLiteral("namespaceEdit"), this);
    m_namespace->setPlaceholderText(defaults.ns);
    m_selector = lineEdit(QStringLiteral("selectorEdit"), this);
    m_selector->setPlaceholderText(tr("app=payments-api, tier=edge"));
    m_cluster = lineEdit(QStringLiteral("clusterEdit"), this);
    m_cluster->setPlaceholderText(defaults.cluster);
    m_service = lineEdit(QStringLiteral("serviceEdit"), this);
    m_service->setPlaceholderText(defaults.service);
    m_route = lineEdit(QStringLiteral("routeEdit"), this);
    m_route->setPlaceholderText(defaults.routePrefix);
    m_header = lineEdit(QStringLiteral("headerEdit"), this);
    m_header->setPlaceholderText(defaults.headerName);
    m_timeout = new QSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeout->setRange(1, 300);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(defaults.jwksTimeoutSeconds);

    auto* profileBox = new QGroupBox(tr("Export profile"), this);
    profileBox->setObjectName(QStringLiteral("profileBox"));
    auto* profileLayout = new QVBoxLayout(profileBox);
    auto* form = m_profileForm = new QFormLayout;
    profileLayout->addLayout(form);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // Only the fields the selected target reads are shown (showProfileFields).
    form->addRow(tr("Namespace"), m_namespace);
    form->addRow(tr("Selector labels"), m_selector);
    form->addRow(tr("JWKS cluster"), m_cluster);
    form->addRow(tr("Service"), m_service);
    form->addRow(tr("Route prefix"), m_route);
    form->addRow(tr("Token header"), m_header);
    form->addRow(tr("JWKS fetch timeout"), m_timeout);
    m_noProfile = new QLabel(tr("This target needs nothing beyond the policy."), profileBox);
    m_noProfile->setObjectName(QStringLiteral("noProfileLabel"));
    m_noProfile->setWordWrap(true);
    // Below the form, not a row of it: in Qt 6.4 a form holding a word-wrapped (height-for-width)
    // row while other rows are hidden wrote past the end of its row array on layout (valgrind:
    // invalid writes in QFormLayout::setGeometry), and the page crashed while painting about one run
    // in four (tst_exportview::rendersScreenshot).
    profileLayout->addWidget(m_noProfile);
    profileBox->setMaximumWidth(250);

    m_stagingWarning = new QLabel(this);
    m_stagingWarning->setObjectName(QStringLiteral("stagingWarning"));
    m_stagingWarning->setWordWrap(true);
    m_stagingWarning->setAutoFillBackground(true);
    m_stagingWarning->setMargin(6);
    m_stagingWarning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stagingWarning->setVisible(false);

    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("previewEdit"));
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_highlighter = new ExportHighlighter(m_preview->document());

    m_gaps = new GapTableModel(this);
    m_gapTable = new QTableView(this);
    m_gapTable->setObjectName(QStringLiteral("gapTable"));
    m_gapTable->setModel(m_gaps);
    m_gapTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_gapTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_gapTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_gapTable->setWordWrap(false);
    m_gapTable->setTextElideMode(Qt::ElideRight);
    m_gapTable->verticalHeader()->hide();
    m_gapTable->horizontalHeader()->setStretchLastSection(true);
    m_gapTable->horizontalHeader()->setSectionResizeMode(GapTableModel::ControlColumn, QHeaderView::ResizeToContents);
    m_gapTable->horizontalHeader()->setSectionResizeMode(GapTableModel::StatusColumn, QHeaderView::ResizeToContents);
    m_gapTable->verticalHeader()->setDefaultSectionSize(m_gapTable->fontMetrics().height() + 6);
    m_gapTable->setColumnWidth(GapTableModel::IssuerColumn, 120); // elided; the detail pane names it in full
    connect(m_gapTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { showGapDetail(); });

    // The selected row's advice in full: the "How / why" column only has room for its start.
    m_gapDetail = new QLabel(this);
    m_gapDetail->setObjectName(QStringLiteral("gapDetail"));
    m_gapDetail->setWordWrap(true);
    m_gapDetail->setTextFormat(Qt::RichText);
    m_gapDetail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_gapDetail->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_gapDetail->setFrameShape(QFrame::StyledPanel);
    m_gapDetail->setMargin(6);
    m_gapDetail->setMinimumHeight(6 * m_gapDetail->fontMetrics().lineSpacing());
    m_gapDetail->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);

    auto* gapPane = new QWidget(this);
    auto* gapLayout = new QVBoxLayout(gapPane);
    gapLayout->setContentsMargins(0, 0, 0, 0);
    gapLayout->addWidget(new QLabel(tr("What this target enforces"), gapPane));
    gapLayout->addWidget(m_gapTable, 1);
    gapLayout->addWidget(m_gapDetail);
    gapLayout->addWidget(m_summary);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("exportSplitter"));
    splitter->addWidget(m_preview);
    splitter->addWidget(gapPane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    // The gap table carries sentences; give it the larger share.
    splitter->setSizes({400, 600});

    auto* left = new QVBoxLayout;
    left->addWidget(profileBox);
    left->addStretch(1);

    auto* body = new QHBoxLayout;
    body->addLayout(left);
    body->addWidget(splitter, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_stagingWarning);
    layout->addLayout(body, 1);

    connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
        saveProfile();
        showProfileFields();
        refresh();
    });
    for (QLineEdit* e : {m_namespace, m_selector, m_cluster, m_service, m_route, m_header}) {
        connect(e, &QLineEdit::textChanged, this, [this] {
            saveProfile();
            refresh();
        });
    }
    connect(m_timeout, &QSpinBox::valueChanged, this, [this] {
        saveProfile();
        refresh();
    });
    connect(m_save, &QPushButton::clicked, this, [this] { save(); });
    connect(m_copy, &QPushButton::clicked, this, [this] { copy(); });

    m_confirmStaging = [this](StagingAction action, const QString& testKeys) {
        QMessageBox box(QMessageBox::Warning, tr("Staging export"),
                        tr("This export carries test keys: %1.\n\nTheir private parts were made on a workbench, so "
                           "anyone holding them can sign tokens this gateway accepts. Use it for staging only; a "
                           "production export must not carry them.")
                            .arg(testKeys),
                        QMessageBox::NoButton, this);
        box.setObjectName(QStringLiteral("stagingExportPrompt"));
        QPushButton* go = box.addButton(action == StagingAction::Save ? tr("Save staging export")
                                                                      : tr("Copy staging export"),
                                        QMessageBox::AcceptRole);
        QPushButton* cancel = box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(cancel);
        box.exec();
        return box.clickedButton() == go;
    };
    m_choosePath = [this](const QString& suggested) {
        return QFileDialog::getSaveFileName(this, tr("Save export"), suggested);
    };
    showProfileFields();
    refresh();
}

ExportView::~ExportView() = default;

void ExportView::setStagingConfirmation(StagingConfirmation confirm) { m_confirmStaging = std::move(confirm); }

void ExportView::setSavePathChooser(SavePathChooser choose) { m_choosePath = std::move(choose); }

void ExportView::showProfileFields()
{
    using exporting::Target;
    const Target t = currentTarget();
    // The profile fields each exporter reads (core/export/*Exporter.cpp).
    const bool envoy = t == Target::Envoy;
    const bool istio = t == Target::Istio;
    const bool kong = t == Target::Kong;
    // NGINX, HAProxy and Apache read the same two fields (their key directories keep their defaults here).
    const bool nginx = t == Target::Nginx || t == Target::Haproxy || t == Target::Apache;
    const QList<std::pair<QWidget*, bool>> rows{
        {m_namespace, istio},          {m_selector, istio},
        {m_cluster, envoy},            {m_service, kong},
        {m_route, envoy || kong || nginx}, {m_header, envoy || istio || kong || nginx},
        {m_timeout, envoy}};
    bool any = false;
    for (const auto& [field, shown] : rows) {
        m_profileForm->setRowVisible(field, shown);
        any = any || shown;
    }
    m_noProfile->setVisible(!any);
}

bool ExportView::confirmStaging(StagingAction action)
{
    if (m_testKeys.isEmpty())
        return true;
    return m_confirmStaging && m_confirmStaging(action, exporting::describeTestKeys(m_testKeys));
}

void ExportView::showGapDetail()
{
    const QModelIndex current = m_gapTable->currentIndex();
    if (!current.isValid() || current.row() >= m_gaps->gaps().size()) {
        m_gapDetail->setText(m_gaps->gaps().isEmpty() ? QString() : tr("Select a row to read how or why in full."));
        return;
    }
    const exporting::GapEntry& g = m_gaps->gaps().at(current.row());
    const auto esc = [](const QString& text) { return text.toHtmlEscaped(); };
    QString html = QStringLiteral("<b>%1</b> — %2: <b>%3</b><br>%4")
                       .arg(esc(exporting::controlTitle(g.control)), esc(g.issuer),
                            esc(exporting::gapStatusName(g.status).replace(u'_', u' ')), esc(g.detail));
    if (!g.exported.isEmpty() || !g.policy.isEmpty())
        html += tr("<br>Exported: %1 &nbsp;&nbsp; Policy: %2")
                    .arg(g.exported.isEmpty() ? QStringLiteral("—") : esc(g.exported),
                         g.policy.isEmpty() ? QStringLiteral("—") : esc(g.policy));
    m_gapDetail->setText(html);
}

void ExportView::setExportInstant(std::optional<qint64> unixSeconds)
{
    m_instant = unixSeconds;
    refresh();
}

exporting::Target ExportView::currentTarget() const
{
    return static_cast<exporting::Target>(m_target->currentData().toInt());
}

QString ExportView::previewText() const
{
    return m_preview->toPlainText();
}

void ExportView::setPolicy(const policy::Policy& policy)
{
    m_policy = policy;
    loadProfile();
    refresh();
}

void ExportView::setTarget(exporting::Target target)
{
    const int index = m_target->findData(static_cast<int>(target));
    if (index >= 0)
        m_target->setCurrentIndex(index);
}

exporting::ExportProfile ExportView::profileFromFields() const
{
    exporting::ExportProfile p;
    auto take = [](const QLineEdit* e, QString& field) {
        const QString v = e->text().trimmed();
        if (!v.isEmpty())
            field = v;
    };
    take(m_namespace, p.ns);
    take(m_cluster, p.cluster);
    take(m_service, p.service);
    take(m_route, p.routePrefix);
    take(m_header, p.headerName);
    p.jwksTimeoutSeconds = m_timeout->value();
    for (const QString& pair : m_selector->text().split(u',', Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq > 0)
            p.selector.insert(pair.left(eq).trimmed(), pair.mid(eq + 1).trimmed());
    }
    p.atUnixSeconds = m_instant.value_or(QDateTime::currentSecsSinceEpoch());
    return p;
}

void ExportView::loadProfile()
{
    if (!m_policy)
        return;
    m_loading = true;
    QSettings settings;
    settings.beginGroup(settingsGroup(*m_policy));
    m_namespace->setText(settings.value(QStringLiteral("namespace")).toString());
    m_selector->setText(settings.value(QStringLiteral("selector")).toString());
    m_cluster->setText(settings.value(QStringLiteral("cluster")).toString());
    m_service->setText(settings.value(QStringLiteral("service")).toString());
    m_route->setText(settings.value(QStringLiteral("route")).toString());
    m_header->setText(settings.value(QStringLiteral("header")).toString());
    m_timeout->setValue(settings.value(QStringLiteral("jwksTimeout"), exporting::ExportProfile{}.jwksTimeoutSeconds).toInt());
    const auto target = exporting::targetFromName(settings.value(QStringLiteral("target")).toString());
    if (target)
        setTarget(*target);
    m_loading = false;
}

void ExportView::saveProfile() const
{
    if (!m_policy || m_loading)
        return;
    QSettings settings;
    settings.beginGroup(settingsGroup(*m_policy));
    settings.setValue(QStringLiteral("target"), exporting::targetName(currentTarget()));
    settings.setValue(QStringLiteral("namespace"), m_namespace->text());
    settings.setValue(QStringLiteral("selector"), m_selector->text());
    settings.setValue(QStringLiteral("cluster"), m_cluster->text());
    settings.setValue(QStringLiteral("service"), m_service->text());
    settings.setValue(QStringLiteral("route"), m_route->text());
    settings.setValue(QStringLiteral("header"), m_header->text());
    settings.setValue(QStringLiteral("jwksTimeout"), m_timeout->value());
}

void ExportView::refresh()
{
    if (m_loading)
        return;
    m_highlighter->setMode(modeFor(currentTarget()));
    if (!m_policy) {
        m_result = {};
        m_preview->setPlainText(tr("Open a policy to see its export."));
        m_testKeys.clear();
        m_stagingWarning->setVisible(false);
        m_gaps->setGaps({});
        showGapDetail();
        m_summary->clear();
        m_save->setEnabled(false);
        m_copy->setEnabled(false);
        return;
    }
    // Test keys: preview the staging export (the production one is refused) and say so plainly.
    m_testKeys = exporting::testKeysIn(*m_policy);
    exporting::ExportProfile profile = profileFromFields();
    profile.includeTestKeys = !m_testKeys.isEmpty();
    if (m_testKeys.isEmpty()) {
        m_stagingWarning->setVisible(false);
    } else {
        m_stagingWarning->setText(tr("\u26A0 Staging export: the policy holds test keys (%1). A production export "
                                     "refuses them; Save and Copy ask first. Remove the test keys to export for "
                                     "production.")
                                      .arg(exporting::describeTestKeys(m_testKeys)));
        QPalette pal = m_stagingWarning->palette();
        pal.setColor(QPalette::Window, tintBackground(palette(), Tint::Danger));
        pal.setColor(QPalette::WindowText, tintColor(palette(), Tint::Danger));
        m_stagingWarning->setPalette(pal);
        m_stagingWarning->setVisible(true);
    }
    const auto result = exporting::exportPolicy(*m_policy, currentTarget(), profile);
    if (!result) {
        m_result = {};
        m_preview->setPlainText(tr("This policy cannot be exported: %1").arg(result.error().toString()));
        m_gaps->setGaps({});
        showGapDetail();
        m_summary->setText(result.error().code);
        m_save->setEnabled(false);
        m_copy->setEnabled(false);
        return;
    }
    m_result = *result;
    // Keep the reader's place while they adjust the profile.
    const int scroll = m_preview->verticalScrollBar() ? m_preview->verticalScrollBar()->value() : 0;
    m_preview->setPlainText(QString::fromUtf8(m_result.text));
    m_preview->verticalScrollBar()->setValue(scroll);
    // Keep the selected row across live updates (same target: same rows in the same order).
    const int selectedRow = m_gapTable->currentIndex().isValid() ? m_gapTable->currentIndex().row() : 0;
    m_gaps->setGaps(m_result.gaps);
    if (m_gaps->rowCount() > 0)
        m_gapTable->setCurrentIndex(m_gaps->index(std::min(selectedRow, m_gaps->rowCount() - 1), 0));
    showGapDetail();
    const exporting::GapCounts counts = exporting::countGaps(m_result.gaps);
    if (m_result.gaps.isEmpty())
        m_summary->setText(tr("The canonical export is the policy itself: nothing is lost."));
    else
        m_summary->setText(tr("%1 enforced, %2 emulated, %3 not enforced, %4 not used by the policy.")
                               .arg(counts.enforced)
                               .arg(counts.emulated)
                               .arg(counts.notEnforced)
                               .arg(counts.notUsed));
    m_save->setEnabled(true);
    m_copy->setEnabled(true);
}

void ExportView::copy()
{
    if (m_result.text.isEmpty() || !confirmStaging(StagingAction::Copy))
        return;
    QApplication::clipboard()->setText(QString::fromUtf8(m_result.text));
}

void ExportView::save()
{
    if (!m_policy || m_result.text.isEmpty())
        return;
    // A service's code has the file name its language expects (JwtVerification.java, verify_token.py).
    const QString suggested = !m_result.fileName.isEmpty()
                                  ? m_result.fileName
                                  : QString(m_policy->name).replace(u'/', u'_') + u'.'
                                        + exporting::targetName(currentTarget()).replace(u':', u'-') + u'.'
                                        + exporting::targetFileSuffix(currentTarget());
    if (!confirmStaging(StagingAction::Save))
        return;
    const QString path = m_choosePath ? m_choosePath(suggested) : QString();
    if (path.isEmpty())
        return;
    QMap<QString, QByteArray> files{{path, m_result.text}};
    const QDir dir = QFileInfo(path).absoluteDir();
    for (auto it = m_result.extraFiles.cbegin(); it != m_result.extraFiles.cend(); ++it)
        files.insert(dir.filePath(it.key()), it.value());
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        if (const Status written = util::writeFileAtomically(it.key(), it.value()); !written) {
            QMessageBox::warning(this, tr("Save export"),
                                 tr("Could not write %1: %2").arg(QDir::toNativeSeparators(it.key()), written.error().message));
            return;
        }
    }
    emit exported(path);
}

} // namespace jwb::ui
