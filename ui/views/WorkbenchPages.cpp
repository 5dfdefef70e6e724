// SPDX-License-Identifier: Apache-2.0
#include "views/WorkbenchPages.h"

#include "models/PolicyDocument.h"
#include "views/CorpusView.h"
#include "views/ExportView.h"
#include "views/MainWindow.h"
#include "views/RotationView.h"
#include "views/SelfTestView.h"
#include "views/TokenLabView.h"

#include <QTabWidget>

namespace jwb::ui {

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

    window.addPage(tokenLab, QObject::tr("Token Lab"));
    window.addPage(selfTest, QObject::tr("Self-test"));
    window.addPage(corpus, QObject::tr("Corpus"));
    window.addPage(exportView, QObject::tr("Export"));
    window.addPage(rotation, QObject::tr("Key rotation"));

    // Every page works on the policy as edited, including unsaved changes.
    auto sync = [document, tokenLab, selfTest, corpus, exportView, rotation] {
        const policy::Policy& policy = document->policy();
        tokenLab->setPolicy(policy);
        selfTest->setPolicy(policy);
        corpus->setPolicy(policy);
        exportView->setPolicy(policy);
        rotation->setPolicy(policy);
    };
    QObject::connect(&window, &MainWindow::policyChanged, tokenLab, sync);
    sync();

    QObject::connect(corpus, &CorpusView::openInTokenLab, tokenLab, [&window, tokenLab](const QByteArray& token) {
        tokenLab->setTokenText(QString::fromLatin1(token));
        window.pages()->setCurrentWidget(tokenLab);
    });
}

} // namespace jwb::ui
