// SPDX-License-Identifier: Apache-2.0
// util::writeFileAtomically: every byte or nothing. A failed write (unwritable place, a parent that
// is a file, a write cut short by the file size limit) is an error naming the path, leaves the old
// content as it was and no temporary file behind.
#include "FileSizeCap.h"
#include "TestFiles.h"
#include "util/AtomicFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace jwb;
using testing::readFile;
using testing::writeExactly;

namespace {

const QByteArray kOld = "previous content\n";

QStringList entries(const QTemporaryDir& dir)
{
    return QDir(dir.path())
        .entryList(QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// Larger than the size cap below, so the write stops part-way.
QByteArray bigData()
{
    QByteArray data;
    for (int i = 0; i < 400; ++i)
        data += "line " + QByteArray::number(i) + " of a file that must arrive whole\n";
    return data;
}

} // namespace

class TestAtomicFile final : public QObject {
    Q_OBJECT

private slots:
    void write_newFile_hasEveryByteAndNoTemporaryLeft();
    void write_existingFile_replacedWhole();
    void write_emptyData_givesEmptyFile();
    void write_parentIsAFile_errorNamesPathAndNothingChanges();
    void write_missingDirectory_errorNamesPath();
    void write_readOnlyDirectory_keepsOldFile();
    void write_cutShortByFileSizeLimit_keepsOldFile();
    void write_callerCode_isTheErrorCode();
};

void TestAtomicFile::write_newFile_hasEveryByteAndNoTemporaryLeft()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(QStringLiteral("out.txt"));
    const QByteArray data = bigData();
    const Status status = util::writeFileAtomically(path, data);
    QVERIFY2(status.ok(), qPrintable(status ? QString() : status.error().toString()));
    QCOMPARE(readFile(path), data);
    QCOMPARE(entries(tmp), QStringList{QStringLiteral("out.txt")});
}

void TestAtomicFile::write_existingFile_replacedWhole()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(QStringLiteral("out.txt"));
    QVERIFY(writeExactly(path, bigData()));
    QVERIFY(util::writeFileAtomically(path, kOld).ok());
    // Shorter than before: no tail of the old content survives.
    QCOMPARE(readFile(path), kOld);
    QCOMPARE(entries(tmp), QStringList{QStringLiteral("out.txt")});
}

void TestAtomicFile::write_emptyData_givesEmptyFile()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(QStringLiteral("out.txt"));
    QVERIFY(writeExactly(path, kOld));
    QVERIFY(util::writeFileAtomically(path, {}).ok());
    QVERIFY(QFile::exists(path));
    QCOMPARE(QFileInfo(path).size(), 0);
}

void TestAtomicFile::write_parentIsAFile_errorNamesPathAndNothingChanges()
{
    // Fails for every user, root included (unlike permissions).
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString parent = tmp.filePath(QStringLiteral("plain-file"));
    QVERIFY(writeExactly(parent, kOld));
    const QString path = parent + QStringLiteral("/out.txt");
    const Status status = util::writeFileAtomically(path, bigData());
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, QStringLiteral("ERR_FILE_WRITE"));
    QCOMPARE(status.error().location, path);
    QVERIFY(status.error().toString().contains(path));
    QVERIFY(!status.error().message.isEmpty());
    QCOMPARE(readFile(parent), kOld);
    QCOMPARE(entries(tmp), QStringList{QStringLiteral("plain-file")});
}

void TestAtomicFile::write_missingDirectory_errorNamesPath()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(QStringLiteral("absent/out.txt"));
    const Status status = util::writeFileAtomically(path, kOld);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, QStringLiteral("ERR_FILE_WRITE"));
    QCOMPARE(status.error().location, path);
    QVERIFY(entries(tmp).isEmpty());
}

void TestAtomicFile::write_readOnlyDirectory_keepsOldFile()
{
    if (geteuid() == 0)
        QSKIP("root ignores directory permissions; the parent-is-a-file and file-size-limit cases fail for "
              "root too");
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(QStringLiteral("out.txt"));
    QVERIFY(writeExactly(path, kOld));
    QVERIFY(QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    const Status status = util::writeFileAtomically(path, bigData());
    QFile::setPermissions(tmp.path(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, QStringLiteral("ERR_FILE_WRITE"));
    QCOMPARE(status.error().location, path);
    QCOMPARE(readFile(path), kOld);
    QCOMPARE(entries(tmp), QStringList{QStringLiteral("out.txt")});
}

void TestAtomicFile::write_cutShortByFileSizeLimit_keepsOldFile()
{
    // The short write the helper exists for: the kernel accepts the first 512 bytes and refuses the
    // rest (EFBIG; SIGXFSZ ignored so the test survives). A buffered QSaveFile would commit those
    // 512 bytes over the old file.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(QStringLiteral("out.txt"));
    QVERIFY(writeExactly(path, kOld));
    const QByteArray data = bigData();
    QVERIFY(data.size() > 4 * 512);

    Status status = Ok{};
    {
        const testing::FileSizeCap cap(512);
        QVERIFY(cap.active());
        status = util::writeFileAtomically(path, data);
    }

    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, QStringLiteral("ERR_FILE_WRITE"));
    QCOMPARE(status.error().location, path);
    // The count is in the message: a short write has no error string of its own to show.
    QVERIFY2(status.error().message.contains(QString::number(data.size())),
             qPrintable(status.error().message));
    QCOMPARE(readFile(path), kOld);
    QCOMPARE(entries(tmp), QStringList{QStringLiteral("out.txt")});
}

void TestAtomicFile::write_callerCode_isTheErrorCode()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(QStringLiteral("absent/out.txt"));
    const Status status = util::writeFileAtomically(path, kOld, QStringLiteral("ERR_OUTPUT_WRITE"));
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, QStringLiteral("ERR_OUTPUT_WRITE"));
}

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
