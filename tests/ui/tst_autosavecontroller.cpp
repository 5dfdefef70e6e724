// SPDX-License-Identifier: Apache-2.0
// AutosaveController on its own, without a window: where copies live, when they are written and
// removed, what a copy left behind offers, and that a damaged or cut-short copy never replaces work.
// Isolated: test-mode standard paths, the autosave folder emptied before every test.
#include "../core/FileSizeCap.h"
#include "models/AutosaveController.h"
#include "models/PolicyDocument.h"
#include "policy/PolicyIO.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace jwb;
using namespace jwb::ui;

namespace {

policy::Policy sample()
{
    Result<policy::Policy> loaded = policy::loadSamplePolicy();
    if (!loaded)
        qFatal("sample policy did not load: %s", qPrintable(loaded.error().toString()));
    return std::move(loaded).value();
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The sample saved as a file in `dir`, opened in `document`.
QString openSampleFile(const QTemporaryDir& dir, PolicyDocument& document)
{
    const QString path = dir.filePath(QStringLiteral("payments.yaml"));
    if (!policy::savePolicyFile(sample(), path) || !document.open(path))
        qFatal("cannot write and open the sample file");
    return QFileInfo(path).absoluteFilePath();
}

void setFileTime(const QString& path, const QDateTime& when)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite) || !file.setFileTime(when, QFileDevice::FileModificationTime))
        qFatal("cannot set the time of %s", qPrintable(path));
}

} // namespace

class TestAutosaveController final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("jwb-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_autosavecontroller"));
    }

    // Every test starts with the sample as an untitled, clean document and its controller.
    void init()
    {
        QDir(AutosaveController::directory()).removeRecursively();
        m_document = std::make_unique<PolicyDocument>();
        m_document->reset(sample(), {});
        m_autosave = std::make_unique<AutosaveController>(m_document.get());
    }

    void cleanup()
    {
        m_autosave.reset();
        m_document.reset();
    }

    void directory_underTestModeDataLocation()
    {
        const QString data = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
        QVERIFY2(data.contains(QStringLiteral(".qttest")), qPrintable(data)); // never the user's real folder
        QCOMPARE(AutosaveController::directory(), data + QStringLiteral("/autosave"));
    }

    void pathFor_oneSlotPerFile()
    {
        QTemporaryDir a;
        QTemporaryDir b;
        const QString first = AutosaveController::pathFor(a.filePath(QStringLiteral("payments.yaml")));
        const QString second = AutosaveController::pathFor(b.filePath(QStringLiteral("payments.yaml")));
        QVERIFY(first != second); // same name, other folder: other slot
        QVERIFY(first.startsWith(AutosaveController::directory() + QStringLiteral("/payments-")));
        QVERIFY(first.endsWith(QStringLiteral(".autosave.yaml")));
        QCOMPARE(AutosaveController::pathFor(a.filePath(QStringLiteral("sub/../payments.yaml"))), first);
        QCOMPARE(AutosaveController::pathFor({}),
                 AutosaveController::directory() + QStringLiteral("/untitled.autosave.yaml"));
    }

    void timer_defaultThirtySeconds_setIntervalWritesWhenDirty()
    {
        QVERIFY(m_autosave->isActive());
        QCOMPARE(m_autosave->interval(), 30 * 1000);
        QVERIFY(m_document->setDefaultClockSkew(45).ok());
        m_autosave->setInterval(20);
        QCOMPARE(m_autosave->interval(), 20);
        QTRY_VERIFY(QFile::exists(AutosaveController::pathFor({})));
        m_autosave->stop();
        QVERIFY(!m_autosave->isActive());
    }

    void clean_writesNothing()
    {
        QSignalSpy failed(m_autosave.get(), &AutosaveController::writeFailed);
        QVERIFY(!m_autosave->write());
        QVERIFY(!QFile::exists(AutosaveController::pathFor({})));
        QCOMPARE(failed.count(), 0);
    }

    void dirty_writesCopyOfDocumentToItsFilesSlot()
    {
        QTemporaryDir dir;
        const QString path = openSampleFile(dir, *m_document);
        QVERIFY(editAndWrite(45));
        const QString copy = AutosaveController::pathFor(path);
        QVERIFY(QFile::exists(copy));
        QVERIFY(!QFile::exists(AutosaveController::pathFor({})));
        Result<policy::Policy> read = policy::parsePolicy(readAll(copy), policy::Format::Yaml, copy, dir.path());
        QVERIFY2(read.ok(), read.ok() ? "" : qPrintable(read.error().toString()));
        QCOMPARE(read->defaults.clockSkewSeconds, std::optional<int>(45));
        QVERIFY(m_document->isModified()); // only a real save makes the document clean
    }

    void save_removesCopy_saveAsRemovesUntitledCopy()
    {
        QVERIFY(editAndWrite(45));
        QVERIFY(QFile::exists(AutosaveController::pathFor({})));
        QTemporaryDir dir;
        QVERIFY(m_document->saveAs(dir.filePath(QStringLiteral("saved.yaml"))).ok());
        QVERIFY(!QFile::exists(AutosaveController::pathFor({})));

        QVERIFY(m_document->setDefaultClockSkew(50).ok());
        QVERIFY(m_autosave->write());
        const QString copy = AutosaveController::pathFor(m_document->filePath());
        QVERIFY(QFile::exists(copy));
        QVERIFY(m_document->save().ok());
        QVERIFY(!QFile::exists(copy));
    }

    void remove_dropsCopy()
    {
        QVERIFY(editAndWrite(45));
        m_autosave->remove();
        QVERIFY(!QFile::exists(AutosaveController::pathFor({})));
    }

    void unwritableFolder_writeFailedNamesPath()
    {
        // A regular file where the autosave folder should be.
        QVERIFY(QDir().mkpath(QFileInfo(AutosaveController::directory()).absolutePath()));
        QFile blocker(AutosaveController::directory());
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QSignalSpy failed(m_autosave.get(), &AutosaveController::writeFailed);
        QVERIFY(m_document->setDefaultClockSkew(45).ok());
        const bool written = m_autosave->write();
        QVERIFY(QFile::remove(AutosaveController::directory()));
        QVERIFY(!written);
        QCOMPARE(failed.count(), 1);
        const auto error = failed.at(0).at(0).value<Error>();
        QCOMPARE(error.code, QStringLiteral("ERR_AUTOSAVE_WRITE"));
        QCOMPARE(error.location, AutosaveController::pathFor({}));
        QVERIFY(m_document->isModified());
    }

    void writeCutShort_previousCopyKeptWhole()
    {
        QVERIFY(editAndWrite(45));
        const QString copy = AutosaveController::pathFor({});
        const QByteArray before = readAll(copy);
        QVERIFY(before.size() > 512);
        QVERIFY(m_document->setDefaultClockSkew(50).ok());
        QSignalSpy failed(m_autosave.get(), &AutosaveController::writeFailed);
        bool written = true;
        {
            const testing::FileSizeCap cap(512);
            QVERIFY(cap.active());
            written = m_autosave->write();
        }
        QVERIFY(!written);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(readAll(copy), before);
        QCOMPARE(QDir(AutosaveController::directory()).entryList(QDir::Files),
                 QStringList{QFileInfo(copy).fileName()}); // no temporary file left behind
    }

    void newerCopy_available_recoveredAsUnsavedChangesToSameFile()
    {
        QTemporaryDir dir;
        QString path;
        {
            PolicyDocument crashed;
            path = openSampleFile(dir, crashed);
            AutosaveController autosave(&crashed);
            QVERIFY(crashed.setDefaultClockSkew(45).ok());
            QVERIFY(autosave.write());
        } // no remove(): the copy is left behind, as after a crash
        const QString copy = AutosaveController::pathFor(path);
        setFileTime(path, QDateTime::currentDateTimeUtc().addSecs(-60));

        PolicyDocument next;
        QVERIFY(next.open(path).ok());
        AutosaveController autosave(&next);
        AutosaveController::Recovery found = autosave.findRecovery();
        QCOMPARE(found.state, AutosaveController::Recovery::State::Available);
        QCOMPARE(found.path, copy);
        QCOMPARE(found.policy.defaults.clockSkewSeconds, std::optional<int>(45));
        QVERIFY(found.savedAt.isValid());
        QCOMPARE(next.policy().defaults.clockSkewSeconds, std::optional<int>(30)); // finding loads nothing

        autosave.recover(std::move(found));
        QCOMPARE(next.policy().defaults.clockSkewSeconds, std::optional<int>(45));
        QCOMPARE(next.filePath(), path);
        QVERIFY(next.isModified());
        QVERIFY(QFile::exists(copy)); // kept until the work is saved
        QVERIFY(next.save().ok());
        QVERIFY(!QFile::exists(copy));
    }

    void discard_removesCopy_documentUntouched()
    {
        QTemporaryDir dir;
        const QString path = openSampleFile(dir, *m_document);
        const QString copy = AutosaveController::pathFor(path);
        QVERIFY(QDir().mkpath(AutosaveController::directory()));
        policy::Policy edited = sample();
        edited.defaults.clockSkewSeconds = 45;
        QVERIFY(policy::savePolicyFile(edited, copy).ok());
        const AutosaveController::Recovery found = m_autosave->findRecovery();
        QCOMPARE(found.state, AutosaveController::Recovery::State::Available);
        m_autosave->discard(found);
        QVERIFY(!QFile::exists(copy));
        QCOMPARE(m_document->policy(), sample());
        QVERIFY(!m_document->isModified());
    }

    void staleOrUnchangedCopy_nothingAndRemoved_data()
    {
        QTest::addColumn<bool>("olderThanFile");
        QTest::newRow("older than the file") << true;
        QTest::newRow("same policy as the document") << false;
    }

    void staleOrUnchangedCopy_nothingAndRemoved()
    {
        QFETCH(bool, olderThanFile);
        QTemporaryDir dir;
        const QString path = openSampleFile(dir, *m_document);
        const QString copy = AutosaveController::pathFor(path);
        QVERIFY(QDir().mkpath(AutosaveController::directory()));
        policy::Policy content = sample();
        if (olderThanFile)
            content.defaults.clockSkewSeconds = 45;
        QVERIFY(policy::savePolicyFile(content, copy).ok());
        setFileTime(copy, QDateTime::currentDateTimeUtc().addSecs(olderThanFile ? -86400 : 60));
        QCOMPARE(m_autosave->findRecovery().state, AutosaveController::Recovery::State::Nothing);
        QVERIFY(!QFile::exists(copy));
        QCOMPARE(m_document->policy(), sample());
    }

    void noCopy_nothing()
    {
        QCOMPARE(m_autosave->findRecovery().state, AutosaveController::Recovery::State::Nothing);
    }

    void damagedCopy_errorAndKeptAside_neverLoaded()
    {
        QTemporaryDir dir;
        const QString path = openSampleFile(dir, *m_document);
        const QString copy = AutosaveController::pathFor(path);
        QVERIFY(QDir().mkpath(AutosaveController::directory()));
        const QByteArray damaged = "jwt_policy: 1\nname: [unterminated\n  defaults: {clock_skew_seconds: 900\n";
        {
            QFile file(copy);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(damaged);
        }
        AutosaveController::Recovery found = m_autosave->findRecovery();
        QCOMPARE(found.state, AutosaveController::Recovery::State::Damaged);
        QVERIFY(found.error.code.startsWith(QStringLiteral("ERR_")));
        QVERIFY2(found.error.toString().contains(copy), qPrintable(found.error.toString()));
        QCOMPARE(found.keptAs, copy + QStringLiteral(".corrupt"));
        QVERIFY(!QFile::exists(copy));
        QCOMPARE(readAll(found.keptAs), damaged); // not lost
        m_autosave->recover(found);                  // a damaged copy is never loaded, even when asked
        QCOMPARE(m_document->policy(), sample());
        QVERIFY(!m_document->isModified());
    }

private:
    // An edit (default clock skew), then a copy written now.
    bool editAndWrite(int skew) { return m_document->setDefaultClockSkew(skew).ok() && m_autosave->write(); }

    std::unique_ptr<PolicyDocument> m_document;
    std::unique_ptr<AutosaveController> m_autosave;
};

QTEST_GUILESS_MAIN(TestAutosaveController)
#include "tst_autosavecontroller.moc"
