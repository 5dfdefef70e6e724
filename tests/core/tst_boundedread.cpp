// SPDX-License-Identifier: Apache-2.0
// util::readAtMost: the limit + 1 contract every loader relies on to tell "at the limit" from
// "over it", from a regular file (also from the middle) and from a pipe fed in pieces with pauses
// (as standard input is), and that reading a small file under a large limit does not allocate it.
#include "util/BoundedRead.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <thread>
#include <unistd.h>

using jwb::util::readAtMost;

class TestBoundedRead final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString fileOf(qsizetype bytes)
    {
        const QString path = m_dir.filePath(QStringLiteral("f%1").arg(bytes));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(QByteArray(bytes, 'x')) != bytes)
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private slots:
    // The bounded case closes the pipe under a writer that still has data: EPIPE, not a signal.
    void initTestCase() { std::signal(SIGPIPE, SIG_IGN); }

    void regularFile_readsAtMostTheLimitPlusOne_data()
    {
        QTest::addColumn<qsizetype>("size");
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<qsizetype>("expected");
        QTest::newRow("empty") << qsizetype(0) << qint64(10) << qsizetype(0);
        QTest::newRow("under") << qsizetype(9) << qint64(10) << qsizetype(9);
        QTest::newRow("at the limit") << qsizetype(10) << qint64(10) << qsizetype(10);
        QTest::newRow("one over") << qsizetype(11) << qint64(10) << qsizetype(11);
        QTest::newRow("far over") << qsizetype(300000) << qint64(10) << qsizetype(11);
        QTest::newRow("several chunks, at the limit") << qsizetype(200000) << qint64(200000) << qsizetype(200000);
        QTest::newRow("several chunks, over") << qsizetype(200001) << qint64(200000) << qsizetype(200001);
        QTest::newRow("zero limit") << qsizetype(5) << qint64(0) << qsizetype(1);
    }
    void regularFile_readsAtMostTheLimitPlusOne()
    {
        QFETCH(qsizetype, size);
        QFETCH(qint64, limit);
        QFETCH(qsizetype, expected);
        QFile f(fileOf(size));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = readAtMost(f, limit);
        QCOMPARE(data.size(), expected);
        QCOMPARE(data, QByteArray(expected, 'x'));
        QCOMPARE(f.error(), QFileDevice::NoError);
    }

    void smallFileUnderAHugeLimit_reservesOnlyWhatIsThere()
    {
        QFile f(fileOf(2048));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = readAtMost(f, 64LL * 1024 * 1024);
        QCOMPARE(data.size(), 2048);
        QVERIFY2(data.capacity() < 64 * 1024, qPrintable(QString::number(data.capacity())));
    }

    void fromTheMiddle_countsFromThePosition()
    {
        QFile f(fileOf(100));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.seek(95));
        QCOMPARE(readAtMost(f, 10).size(), 5);
    }

    void pipeFedInPieces_readsToTheEndOrTheBound_data()
    {
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<qsizetype>("expected");
        QTest::newRow("all of it") << qint64(1000000) << qsizetype(3 * 70000);
        QTest::newRow("bounded") << qint64(100000) << qsizetype(100001);
    }
    void pipeFedInPieces_readsToTheEndOrTheBound()
    {
        QFETCH(qint64, limit);
        QFETCH(qsizetype, expected);
        int fds[2];
        QCOMPARE(::pipe(fds), 0);
        // Three pieces with pauses: each read finds only part of the input (standard input does).
        std::thread writer([w = fds[1]] {
            const QByteArray piece(70000, 'x');
            for (int i = 0; i < 3; ++i) {
                qsizetype off = 0;
                while (off < piece.size()) {
                    const ssize_t n = ::write(w, piece.constData() + off, static_cast<size_t>(piece.size() - off));
                    if (n <= 0)
                        break; // the reader stopped at its bound and closed its end
                    off += n;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(30));
            }
            ::close(w);
        });
        QFile in;
        QVERIFY(in.open(fds[0], QIODevice::ReadOnly, QFileDevice::AutoCloseHandle));
        QVERIFY(in.isSequential());
        const QByteArray data = readAtMost(in, limit);
        in.close(); // a writer blocked on a full pipe gets EPIPE and ends
        writer.join();
        QCOMPARE(data.size(), expected);
    }
};

QTEST_GUILESS_MAIN(TestBoundedRead)
#include "tst_boundedread.moc"
