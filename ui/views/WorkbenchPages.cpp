// SPDX-License-Identifier: Apache-2.0
#include "views/WorkbenchPages.h"

#include "dialogs/FetchKeysDialog.h"
#include "models/PolicyDocument.h"
#include "models/ProblemsModel.h"
#include "views/ProblemsPanel.h"
#include "views/CorpusView.h"
#include "views/EstateView.h"
#include "views/ExportView.h"
#include "views/MainWindow.h"
#include "views/RotationView.h"
#include "views/SelfTestView.h"
#include "views/TokenLabView.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSet>
#include <QTabWidget>
#include <QTimer>
#include <QUndoStack>

#include <memory>

namespace jwb::ui {

namespace {

// Pins exactly `fetched` as the issuer's inline keys, as one undo step: keys no longer published are
// removed, new ones imported. Keys from jwks_file/pem_files are left to their files.
void applyFetchedKeys(MainWindow& window, const QString& issuer, const QList<keys::Key>& fetched)
{
    PolicyDocument* document = window.document();
    const auto& issuers = document->policy().issuers;
    const auto it = std::find_if(issuers.begin(), issuers.end(),
                                 [&issuer](const policy::Issuer& i) { return i.issuer == issuer; });
    if (it == issuers.end())
        return;
    const int row = static_cast<int>(it - issuers.begin());
    QSet<QString> keep;
    for (const keys::Key& k : fetched)
        keep.insert(k.thumbprint);
    QStringList stale;
    for (const keys::Key& k : it->keys.resolved) {
        if (!k.testKey && !keep.contains(k.thumbprint))
            stale.append(k.thumbprint);
    }
    document->undoStack()->beginMacro(QObject::tr("Pin fetched keys for %1").arg(issuer));
    QStringList problems;
    for (const QString& thumbprint : stale) {
        if (const Status s = document->removeIssuerKey(row, thumbprint); !s)
            problems.append(s.error().message);
    }
    if (const Status s = document->importIssuerKeys(row, fetched, QObject::tr("fetched JWKS")); !s)
        problems.append(s.error().message);
    document->undoStack()->endMacro();
    if (!problems.isEmpty())
        QMessageBox::warning(&window, QObject::tr("Pin fetched keys"), problems.join(u'\n'));
}

void addKeysMenu(MainWindow& window)
{
    QMenu* menu = window.menuBar()->addMenu(QObject::tr("&Keys"));
    QAction* fetch = menu->addAction(QObject::tr("&Fetch Keys from Issuer Metadata…"));
    fetch->setObjectName(QStringLiteral("fetchKeysAction"));
    fetch->setStatusTip(QObject::tr("Fetch an issuer's published JWKS over https and pin it after review "
                                    "(verification itself never fetches)."));
    QObject::connect(fetch, &QAction::triggered, &window, [&window] {
        QStringList issuers;
        for (const policy::Issuer& i : window.document()->policy().issuers)
            issuers.append(i.issuer);
        if (issuers.isEmpty())
            return;
        bool ok = false;
        const QString issuer = QInputDialog::getItem(&window, QObject::tr("Fetch keys"), QObject::tr("Issuer:"), issuers,
                                                     0, false, &ok);
        if (!ok)
            return;
        auto* dialog = new FetchKeysDialog(window.document()->policy(), issuer, &window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(dialog, &FetchKeysDialog::pinRequested, &window,
                         [&window](const QString& iss, const QList<keys::Key>& fetched) {
                             applyFetchedKeys(window, iss, fetched);
                         });
        dialog->show();
        dialog->startFetch();
    });
}

QMenu* addDeployMenu(MainWindow& window)
{
    QMenu* menu = window.menuBar()->addMenu(QObject::tr("&Deploy"));
    QAction* drift = menu->addAction(QObject::tr("Check &Drift of a Deployed Configuration…"));
    drift->setObjectName(QStringLiteral("driftAction"));
    drift->setStatusTip(QObject::tr("Compare an Envoy, Istio or Kong configuration already deployed with this policy; "
                                    "every point where it accepts what the policy rejects goes to the Problems panel."));
    QAction* clear = menu->addAction(QObject::tr("&Clear Drift Findings"));
    clear->setObjectName(QStringLiteral("clearDriftAction"));
    QObject::connect(drift, &QAction::triggered, &window, [&window] {
        const QStringList targets{QStringLiteral("envoy"), QStringLiteral("istio"), QStringLiteral("kong")};
        bool ok = false;
        const QString target = QInputDialog::getItem(&window, QObject::tr("Check drift"), QObject::tr("Gateway:"),
                                                     targets, 0, false, &ok);
        if (!ok)
            return;
        const QString path = QFileDialog::getOpenFileName(&window, QObject::tr("Deployed configuration"), {},
                                                          QObject::tr("YAML or JSON (*.yaml *.yml *.json);;All files (*)"));
        if (path.isEmpty())
            return;
        if (const Status s = checkDrift(window, target, path); !s)
            QMessageBox::warning(&window, QObject::tr("Check drift"), s.error().toString());
    });
    QObject::connect(clear, &QAction::triggered, &window,
                     [&window] { window.problemsPanel()->model()->clearDeployedConfig(); });
    return menu;
}

} // namespace

Status checkDrift(MainWindow& window, const QString& target, const QString& path)
{
    constexpr qint64 kMaxConfigBytes = 16 * 1024 * 1024;
    const exporting::DriftSource source = target == u"istio" ? exporting::DriftSource::Istio
                                          : target == u"kong"  ? exporting::DriftSource::Kong
                                                               : exporting::DriftSource::Envoy;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("ERR_DRIFT_READ"), file.errorString(), path};
    if (file.size() > kMaxConfigBytes)
        return Error{QStringLiteral("ERR_DRIFT_TOO_LARGE"), QObject::tr("the configuration is larger than 16 MiB"), path};
    return window.problemsPanel()->model()->setDeployedConfig(source, file.readAll(), QFileInfo(path).fileName());
}

void installWorkbenchPages(MainWindow& window)
{
    PolicyDocument* document = window.document();
    auto* tokenLab = new TokenLabView(&window);
    tokenLab->setObjectName(QStringLiteral("tokenLabPage"));
    tokenLab->setDocument(document);
    auto* selfTest = new SelfTestView(&window);
    selfTest->setObjectName(QStringLiteral("selfTestPage"));
    auto* corpus = new CorpusView(&window);
    corpus->setObjectName(QStringLiteral("corpusPage"));
    auto* exportView = new ExportView(&window);
    exportView->setObjectName(QStringLiteral("exportPage"));
    auto* rotation = new RotationView(&window);
    rotation->setObjectName(QStringLiteral("rotationPage"));
    // The estate page has its own file and undo stack: it does not follow the policy being edited.
    auto* estatePage = new EstateView(&window);
    estatePage->setObjectName(QStringLiteral("estatePage"));

    window.addPage(tokenLab, QObject::tr("Token Lab"));
    window.addPage(selfTest, QObject::tr("Self-test"));
    window.addPage(corpus, QObject::tr("Corpus"));
    window.addPage(exportView, QObject::tr("Export"));
    window.addPage(rotation, QObject::tr("Key rotation"));
    window.addPage(estatePage, QObject::tr("Estate"));

    // Every page works on the policy as edited, including unsaved changes. One edit can change the
    // policy many times (a rename touches every issuer listing the audience), so pages are brought
    // up to date once per event-loop turn. Self-test and Corpus take the policy cheaply (their work
    // runs on demand). Export and Key rotation redo their whole output for it (a 10,000-issuer
    // export is megabytes of text), and Token Lab compiles a verifier of every issuer, so those
    // catch up when they are shown; Token Lab also while it holds tokens, whose verdicts follow edits.
    QTabWidget* tabs = window.pages();
    auto* pending = new QTimer(&window);
    pending->setSingleShot(true);
    pending->setInterval(0);
    auto stale = std::make_shared<QSet<QWidget*>>();
    auto syncShown = [document, tabs, tokenLab, exportView, rotation, stale] {
        QWidget* shown = tabs->currentWidget();
        for (QWidget* page : {static_cast<QWidget*>(tokenLab), static_cast<QWidget*>(exportView),
                              static_cast<QWidget*>(rotation)}) {
            const bool needed = shown == page || (page == tokenLab && !tokenLab->result().tokens.isEmpty());
            if (!needed || !stale->remove(page))
                continue;
            if (page == tokenLab)
                tokenLab->setPolicy(document->policy());
            else if (page == exportView)
                exportView->setPolicy(document->policy());
            else
                rotation->setPolicy(document->policy());
        }
    };
    auto sync = [document, tokenLab, selfTest, corpus, exportView, rotation, stale, syncShown] {
        const policy::Policy& policy = document->policy();
        selfTest->setPolicy(policy);
        corpus->setPolicy(policy);
        stale->insert(tokenLab);
        stale->insert(exportView);
        stale->insert(rotation);
        syncShown();
    };
    QObject::connect(pending, &QTimer::timeout, tokenLab, sync);
    QObject::connect(&window, &MainWindow::policyChanged, pending, qOverload<>(&QTimer::start));
    QObject::connect(tabs, &QTabWidget::currentChanged, tokenLab, syncShown);
    // Tokens given to a hidden, stale Token Lab: it takes the current policy and evaluates again.
    QObject::connect(tokenLab, &TokenLabView::evaluated, tokenLab, syncShown);
    sync();
    tokenLab->setPolicy(document->policy()); // it starts with the policy, shown or not
    stale->remove(tokenLab);

    addKeysMenu(window);
    QMenu* deploy = addDeployMenu(window);
    // An estate is the deployed chain, not the policy: its file action sits with drift in Deploy.
    deploy->addSeparator();
    deploy->addAction(estatePage->openAction());
    QObject::connect(estatePage->openAction(), &QAction::triggered, &window,
                     [&window, estatePage] { window.pages()->setCurrentWidget(estatePage); });

    QObject::connect(corpus, &CorpusView::openInTokenLab, tokenLab, [&window, tokenLab](const QByteArray& token) {
        tokenLab->setTokenText(QString::fromLatin1(token));
        window.pages()->setCurrentWidget(tokenLab);
    });
}

} // namespace jwb::ui
