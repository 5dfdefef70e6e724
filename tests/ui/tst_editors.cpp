// SPDX-License-Identifier: Apache-2.0
// The editors change the policy only through the document: key import (and its refusal), the
// "inherit" state of overrides, the exception expiry date, the dangerous-header and mixed-family
// warnings.
#include "UiTestSupport.h"
#include "editors/AlgorithmPinsWidget.h"
#include "editors/ChecklistWidget.h"
#include "editors/DefaultsEditor.h"
#include "editors/ExceptionsEditor.h"
#include "editors/IssuerDetailsEditor.h"
#include "models/PolicyDocument.h"

#include "models/ExceptionsModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QScrollArea>
#include <QScrollBar>
#include <QTableView>
#include <QDateEdit>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>
#include <QTest>
#include <QUndoStack>

#include <algorithm>
#include <iterator>

using namespace jwb;
using namespace jwb::ui;

class TestEditors final : public QObject {
    Q_OBJECT

private slots:
    void init() { m_doc.reset(uitest::sample(), {}); }

    void importPastedJwks_pinsKeyUndoable()
    {
        IssuerDetailsEditor editor(&m_doc);
        editor.setIssuerRow(0);
        Result<keys::Key> key = keys::hmacKey(QByteArray(48, 's'), QStringLiteral("imported-hs"), QStringLiteral("t"));
        QVERIFY(key.ok());
        QJsonArray list{QJsonDocument::fromJson(keys::toPublicJwk(key.value())).object()};
        const QByteArray jwks = QJsonDocument(QJsonObject{{QStringLiteral("keys"), list}}).toJson();
        QVERIFY(editor.importKeyData(jwks, QStringLiteral("pasted keys")));
        const auto& resolved = m_doc.policy().issuers.at(0).keys.resolved;
        QCOMPARE(resolved.size(), 2);
        QCOMPARE(resolved.last().kid, QStringLiteral("imported-hs"));
        QCOMPARE(m_doc.undoStack()->undoText(),
                 QStringLiteral("Import 1 key(s) from pasted keys for https://login.example.com/"));
        m_doc.undoStack()->undo();
        QCOMPARE(m_doc.policy(), uitest::sample());
    }

    void importGarbage_reportedPolicyUntouched()
    {
        IssuerDetailsEditor editor(&m_doc);
        editor.setIssuerRow(0);
        uitest::DialogAnswerer answer(uitest::DialogAnswerer::standard(QMessageBox::Ok));
        QVERIFY(!editor.importKeyData("this is not a key", QStringLiteral("notes.txt")));
        QCOMPARE(answer.count(), 1);
        QVERIFY2(answer.lastText().contains(QStringLiteral("notes.txt")), qPrintable(answer.lastText()));
        QCOMPARE(m_doc.policy(), uitest::sample());
        QCOMPARE(m_doc.undoStack()->count(), 0);
    }

    void overrideInherit_untickSetsShownValue_tickUnsets()
    {
        IssuerDetailsEditor editor(&m_doc);
        editor.setIssuerRow(0); // login: no overrides, inherits 30 s from defaults
        auto* inherit = editor.findChild<QCheckBox*>(QStringLiteral("overridesClockSkewInherit"));
        auto* spin = editor.findChild<QSpinBox*>(QStringLiteral("overridesClockSkew"));
        QVERIFY(inherit && spin);
        QVERIFY(inherit->isChecked());
        QVERIFY(!spin->isEnabled());
        QCOMPARE(spin->value(), 30);
        inherit->click();
        QCOMPARE(m_doc.policy().issuers.at(0).overrides.clockSkewSeconds, std::optional<int>(30));
        QVERIFY(spin->isEnabled());
        spin->setValue(5);
        QCOMPARE(m_doc.policy().issuers.at(0).overrides.clockSkewSeconds, std::optional<int>(5));
        QCOMPARE(m_doc.undoStack()->undoText(), QStringLiteral("Set clock skew to 5 s for https://login.example.com/"));
        inherit->click();
        QCOMPARE(m_doc.policy().issuers.at(0).overrides.clockSkewSeconds, std::nullopt);
        QCOMPARE(spin->value(), 30);
    }

    // The inherit boxes of the two lists sit inside the list widgets' "Add" rows; disabling a list while
    // it inherits must not disable its own inherit box, or the override could never be set again.
    void overrideListInherit_staysUsableWhileInheriting_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("required claims") << QStringLiteral("RequiredClaims");
        QTest::newRow("header allowlist") << QStringLiteral("AllowedHeaders");
    }

    void overrideListInherit_staysUsableWhileInheriting()
    {
        QFETCH(QString, name);
        IssuerDetailsEditor editor(&m_doc);
        editor.setIssuerRow(0); // login: no overrides
        auto* inherit = editor.findChild<QCheckBox*>(QStringLiteral("overrides%1Inherit").arg(name));
        auto* checklist = editor.findChild<ChecklistWidget*>(QStringLiteral("overrides%1").arg(name));
        QVERIFY(inherit && checklist);
        QVERIFY(inherit->isChecked());
        QVERIFY(inherit->isEnabled());
        QVERIFY(!checklist->list()->isEnabled());
        QVERIFY(!checklist->addField()->isEnabled());
        inherit->click();
        const policy::Rules& own = m_doc.policy().issuers.at(0).overrides;
        QVERIFY(name == QLatin1String("RequiredClaims") ? own.requiredClaims.has_value() : own.allowedHeaders.has_value());
        QVERIFY(checklist->list()->isEnabled());
        QVERIFY(checklist->addField()->isEnabled());
        inherit->click();
        QCOMPARE(m_doc.policy(), uitest::sample());
        QVERIFY(inherit->isEnabled());
    }

    void undoElsewhere_refreshesEditor()
    {
        IssuerDetailsEditor editor(&m_doc);
        editor.setIssuerRow(1);
        auto* spin = editor.findChild<QSpinBox*>(QStringLiteral("overridesClockSkew"));
        QCOMPARE(spin->value(), 10);
        policy::Rules rules = m_doc.policy().issuers.at(1).overrides;
        rules.clockSkewSeconds = 20;
        QVERIFY(m_doc.setIssuerOverrides(1, rules, QStringLiteral("clock skew to 20 s"), QStringLiteral("clock_skew_seconds")).ok());
        QCOMPARE(spin->value(), 20);
        m_doc.undoStack()->undo();
        QCOMPARE(spin->value(), 10);
    }

    void exceptionExpiryDate_storedAsEndOfThatDay()
    {
        ExceptionsEditor editor(&m_doc);
        editor.selectRow(0);
        auto* date = editor.findChild<QDateEdit*>(QStringLiteral("exceptionExpiresEdit"));
        QVERIFY(date);
        QCOMPARE(date->date(), QDate(2027, 3, 31));
        date->setDate(QDate(2027, 1, 15));
        const auto& e = m_doc.policy().exceptions.at(0);
        QVERIFY(e.expiresIsDate);
        QCOMPARE(e.expires, QDateTime(QDate(2027, 1, 16), QTime(0, 0), Qt::UTC));
        QVERIFY(e.activeAt(QDateTime(QDate(2027, 1, 15), QTime(23, 59, 59), Qt::UTC)));
        QVERIFY(!e.activeAt(QDateTime(QDate(2027, 1, 16), QTime(0, 0), Qt::UTC)));
        m_doc.undoStack()->undo();
        QCOMPARE(date->date(), QDate(2027, 3, 31));
    }

    // The issuer combo shows the selected exception's issuer, and follows a rename of that issuer.
    void exceptionIssuerCombo_showsItsIssuer_followsRename()
    {
        ExceptionsEditor editor(&m_doc);
        auto* issuer = editor.findChild<QComboBox*>(QStringLiteral("exceptionIssuerCombo"));
        QVERIFY(issuer);
        QCOMPARE(issuer->currentIndex(), -1); // no exception selected
        editor.selectRow(0);
        const QString named = m_doc.policy().exceptions.at(0).issuer;
        QCOMPARE(issuer->currentText(), named);
        const int row = static_cast<int>(std::distance(
            m_doc.policy().issuers.cbegin(),
            std::find_if(m_doc.policy().issuers.cbegin(), m_doc.policy().issuers.cend(),
                         [&named](const policy::Issuer& i) { return i.issuer == named; })));
        QVERIFY(m_doc.renameIssuer(row, QStringLiteral("https://renamed.example.com/")).ok());
        QCOMPARE(issuer->currentText(), QStringLiteral("https://renamed.example.com/"));
        QCOMPARE(issuer->currentIndex(), row);
        m_doc.undoStack()->undo();
        QCOMPARE(issuer->currentText(), named);
    }

    void dangerousHeaderTicked_markedAndWarned()
    {
        DefaultsEditor editor(&m_doc);
        auto* headers = editor.findChild<ChecklistWidget*>(QStringLiteral("defaultsAllowedHeaders"));
        auto* warning = editor.findChild<QLabel*>(QStringLiteral("defaultsHeaderWarning"));
        QVERIFY(headers && warning);
        QListWidgetItem* jku = headers->item(QStringLiteral("jku"));
        QVERIFY(jku);
        QVERIFY(jku->text().contains(QStringLiteral("\u26A0")));
        QVERIFY(!warning->isVisibleTo(&editor));
        jku->setCheckState(Qt::Checked);
        QVERIFY(m_doc.policy().defaults.allowedHeaders->contains(QStringLiteral("jku")));
        QVERIFY(warning->isVisibleTo(&editor));
        QVERIFY(warning->text().contains(QStringLiteral("jku")));
    }

    void mixedAlgorithmFamilies_flagged()
    {
        DefaultsEditor editor(&m_doc);
        auto* pins = editor.findChild<AlgorithmPinsWidget*>(QStringLiteral("defaultsAlgorithms"));
        QVERIFY(pins);
        auto* warning = pins->findChild<QLabel*>(QStringLiteral("algorithmFamilyWarning"));
        QVERIFY(!warning->isVisibleTo(pins));
        pins->checkBox(QStringLiteral("HS256"))->click();
        QCOMPARE(m_doc.policy().defaults.algorithms, (QStringList{QStringLiteral("HS256"), QStringLiteral("RS256")}));
        QVERIFY(pins->mixesFamilies());
        QVERIFY(warning->isVisibleTo(pins));
        QVERIFY(warning->text().contains(QStringLiteral("HMAC")));
    }

    void skewSpinBox_boundedTo300()
    {
        DefaultsEditor editor(&m_doc);
        auto* spin = editor.findChild<QSpinBox*>(QStringLiteral("defaultsClockSkew"));
        QCOMPARE(spin->maximum(), 300);
        QCOMPARE(spin->minimum(), 0);
        spin->setValue(900);
        QCOMPARE(m_doc.policy().defaults.clockSkewSeconds, std::optional<int>(300));
    }

    void requiredClaims_issAndAudAlwaysCheckedDisabledWithReason_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::newRow("defaults") << QStringLiteral("defaults");
        QTest::newRow("overrides") << QStringLiteral("overrides");
    }

    void requiredClaims_issAndAudAlwaysCheckedDisabledWithReason()
    {
        QFETCH(QString, prefix);
        DefaultsEditor defaults(&m_doc);
        IssuerDetailsEditor details(&m_doc);
        details.setIssuerRow(0);
        QWidget* editor = prefix == QLatin1String("defaults") ? static_cast<QWidget*>(&defaults) : &details;
        auto* list = editor->findChild<ChecklistWidget*>(prefix + QStringLiteral("RequiredClaims"));
        QVERIFY(list);
        for (const QString& name : {QStringLiteral("iss"), QStringLiteral("aud")}) {
            QListWidgetItem* item = list->item(name);
            QVERIFY(item);
            QCOMPARE(item->checkState(), Qt::Checked);
            QVERIFY(!(item->flags() & Qt::ItemIsEnabled));
            QVERIFY(!(item->flags() & Qt::ItemIsUserCheckable));
            QVERIFY(item->toolTip().contains(QStringLiteral("Always required")));
        }
        // Shown, not written: ticking another claim leaves iss/aud out of the policy's list.
        QVERIFY(!list->checked().contains(QStringLiteral("iss")));
        list->item(QStringLiteral("jti"))->setCheckState(Qt::Checked);
        const QStringList written = prefix == QLatin1String("defaults")
                                        ? m_doc.policy().defaults.requiredClaims.value_or(QStringList())
                                        : m_doc.policy().issuers.at(0).overrides.requiredClaims.value_or(QStringList());
        if (prefix == QLatin1String("defaults"))
            QCOMPARE(written, (QStringList{QStringLiteral("exp"), QStringLiteral("iat"), QStringLiteral("sub"),
                                           QStringLiteral("jti")}));
        QVERIFY(!written.contains(QStringLiteral("iss")));
        QVERIFY(!written.contains(QStringLiteral("aud")));
    }

    void exceptionsTable_idAndOwnerFitContents_reasonStretchedLast()
    {
        ExceptionsEditor editor(&m_doc);
        editor.resize(1024, 500);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QTableView* view = editor.view();
        QHeaderView* header = view->horizontalHeader();
        QCOMPARE(header->logicalIndex(header->count() - 1), int(ExceptionsModel::ReasonColumn));
        QCOMPARE(header->sectionResizeMode(ExceptionsModel::ReasonColumn), QHeaderView::Stretch);
        for (int column : {int(ExceptionsModel::IdColumn), int(ExceptionsModel::OwnerColumn),
                           int(ExceptionsModel::StatusColumn), int(ExceptionsModel::ExpiresColumn)}) {
            QCOMPARE(header->sectionResizeMode(column), QHeaderView::ResizeToContents);
            // Neither the longest value nor the header text is cut.
            for (int row = 0; row < view->model()->rowCount(); ++row) {
                const QString text = view->model()->index(row, column).data().toString();
                QVERIFY2(view->columnWidth(column) > view->fontMetrics().horizontalAdvance(text), qPrintable(text));
            }
            QVERIFY(view->columnWidth(column) >= header->sectionSizeHint(column));
        }
    }

    void newDocument_detailsPanelStartsAtTheTop()
    {
        IssuerDetailsEditor editor(&m_doc);
        editor.resize(520, 360);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.setIssuerRow(1);
        editor.setCurrentPage(IssuerDetailsEditor::RulesPage);
        auto* scroll = editor.findChild<QScrollArea*>();
        QVERIFY(scroll);
        QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 0);
        scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
        QVERIFY(scroll->verticalScrollBar()->value() > 0);
        m_doc.newPolicy();
        QVERIFY(m_doc.addIssuer(QStringLiteral("https://new.example/"), {}).ok());
        editor.setIssuerRow(0);
        QApplication::processEvents();
        QCOMPARE(scroll->verticalScrollBar()->value(), 0);
    }

    void activeException_showsOnAlgorithmsTabWithIdAndExpiry()
    {
        policy::Policy p = uitest::sample();
        policy::PolicyException e;
        e.id = QStringLiteral("login-ps256-trial");
        e.owner = QStringLiteral("iam@example.com");
        e.reason = QStringLiteral("trial");
        e.issuer = p.issuers.at(0).issuer;
        e.expires = QDateTime(QDate(2099, 1, 1), QTime(0, 0), Qt::UTC);
        e.expiresIsDate = true;
        e.allow.algorithms = QStringList{QStringLiteral("PS256")};
        p.exceptions.append(e);
        m_doc.reset(p, {});
        IssuerDetailsEditor editor(&m_doc);
        editor.setIssuerRow(0);
        auto* note = editor.findChild<QLabel*>(QStringLiteral("overridesExceptionNote"));
        QVERIFY(note);
        QVERIFY(note->isVisibleTo(&editor) || !editor.isVisible());
        QVERIFY(!note->isHidden());
        QVERIFY(note->text().contains(QStringLiteral("login-ps256-trial")));
        QVERIFY(note->text().contains(QStringLiteral("2098-12-31")));
        QVERIFY(note->text().contains(QStringLiteral("PS256")));
        auto* pins = editor.findChild<AlgorithmPinsWidget*>(QStringLiteral("overridesAlgorithms"));
        QVERIFY(pins);
        QCOMPARE(pins->exceptionFor(QStringLiteral("PS256")), QStringLiteral("login-ps256-trial, until 2098-12-31"));
        QVERIFY(pins->checkBox(QStringLiteral("PS256"))->toolTip().contains(QStringLiteral("login-ps256-trial")));
        QVERIFY(pins->exceptionFor(QStringLiteral("RS256")).isEmpty());
        // Removing the exception clears the marks.
        QVERIFY(m_doc.removeException(static_cast<int>(m_doc.policy().exceptions.size()) - 1).ok());
        QVERIFY(pins->exceptionFor(QStringLiteral("PS256")).isEmpty());
        QVERIFY(note->isHidden());
        // The defaults never show it.
        DefaultsEditor defaults(&m_doc);
        QVERIFY(defaults.findChild<QLabel*>(QStringLiteral("defaultsExceptionNote"))->isHidden());
    }

    void narrowAlgorithmPins_everyFamilyFitsTheDetailsPanel()
    {
        IssuerDetailsEditor editor(&m_doc);
        editor.setIssuerRow(0);
        editor.setCurrentPage(IssuerDetailsEditor::RulesPage);
        editor.resize(440, 600); // the details panel's minimum width
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        auto* pins = editor.findChild<AlgorithmPinsWidget*>(QStringLiteral("overridesAlgorithms"));
        auto* scroll = editor.findChild<QScrollArea*>();
        for (QGroupBox* group : pins->findChildren<QGroupBox*>()) {
            const QRect inViewport(group->mapTo(scroll->viewport(), QPoint(0, 0)), group->size());
            QVERIFY2(inViewport.right() <= scroll->viewport()->width(), qPrintable(group->title()));
            QVERIFY2(group->width() >= group->minimumSizeHint().width(), qPrintable(group->title()));
        }
    }

private:
    PolicyDocument m_doc;
};

QTEST_MAIN(TestEditors)
#include "tst_editors.moc"
