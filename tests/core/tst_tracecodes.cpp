// SPDX-License-Identifier: Apache-2.0
// The table of trace codes (core/verify/TraceCodes.h) over its whole length: every code has a unique,
// well-formed string and a message, every code string the core's verification sources name is in
// the table, and every message formats without a placeholder left over.
#include "verify/TraceCodes.h"

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace jwb;
using verify::TraceCode;
using verify::TraceCodeInfo;

namespace {

QString codeString(const TraceCodeInfo& info)
{
    return QString::fromUtf16(info.code.data(), static_cast<qsizetype>(info.code.size()));
}

QSet<QString> tableCodes()
{
    QSet<QString> codes;
    for (const TraceCodeInfo& info : verify::kTraceCodes)
        codes.insert(codeString(info));
    return codes;
}

// Code strings quoted in a source file ("ERR_EXPIRED", u"OK_SIZE").
QSet<QString> quotedCodes(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    static const QRegularExpression quoted(QStringLiteral("\"((?:ERR|OK|WARN|SKIPPED)_[A-Z0-9_]+)\""));
    QSet<QString> codes;
    const QString text = QString::fromUtf8(f.readAll());
    for (auto it = quoted.globalMatch(text); it.hasNext();)
        codes.insert(it.next().captured(1));
    return codes;
}

} // namespace

class TestTraceCodes : public QObject {
    Q_OBJECT

private slots:
    void table_hasOneEntryPerCodeInOrder()
    {
        QCOMPARE(std::size(verify::kTraceCodes), verify::kTraceCodeCount);
        for (std::size_t i = 0; i < verify::kTraceCodeCount; ++i)
            QCOMPARE(static_cast<std::size_t>(verify::kTraceCodes[i].id), i);
    }

    void codeStrings_areUniqueAndWellFormed()
    {
        static const QRegularExpression errorCode(QStringLiteral("^ERR_[A-Z0-9_]+$"));
        static const QRegularExpression otherCode(QStringLiteral("^(OK|WARN|SKIPPED)_[A-Z0-9_]+$"));
        QSet<QString> seen;
        int errors = 0;
        for (const TraceCodeInfo& info : verify::kTraceCodes) {
            const QString code = codeString(info);
            QVERIFY2(!seen.contains(code), qPrintable(code));
            seen.insert(code);
            if (code.startsWith(u"ERR")) {
                ++errors;
                QVERIFY2(errorCode.match(code).hasMatch(), qPrintable(code));
            } else {
                QVERIFY2(otherCode.match(code).hasMatch(), qPrintable(code));
            }
        }
        QVERIFY(errors > 60); // the table holds the failure codes, not only the others
    }

    void everyCode_hasAMessage()
    {
        for (const TraceCodeInfo& info : verify::kTraceCodes)
            QVERIFY2(!info.message.empty(), qPrintable(codeString(info)));
    }

    void everyCodeInTheVerificationSources_isInTheTable()
    {
        // The pipeline's own sources, and the decoder whose codes the structure step reports.
        QStringList files{QStringLiteral(JWB_SOURCE_DIR "/core/token/CompactToken.cpp")};
        QDirIterator it(QStringLiteral(JWB_SOURCE_DIR "/core/verify"), {QStringLiteral("*.cpp"), QStringLiteral("*.h")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files.append(it.next());
        QVERIFY(files.size() > 20); // the steps' files were found
        const QSet<QString> known = tableCodes();
        int found = 0;
        for (const QString& file : std::as_const(files)) {
            for (const QString& code : quotedCodes(file)) {
                ++found;
                QVERIFY2(known.contains(code), qPrintable(code + QStringLiteral(" in ") + file));
            }
        }
        QVERIFY(found >= static_cast<int>(verify::kTraceCodeCount)); // the table itself names every code
    }

    void stringLookup_findsEveryCodeAndNothingElse()
    {
        for (const TraceCodeInfo& info : verify::kTraceCodes) {
            const std::optional<TraceCode> found = verify::traceCodeFromString(codeString(info));
            QVERIFY2(found && *found == info.id, qPrintable(codeString(info)));
            QCOMPARE(verify::codeText(info.id).toString(), codeString(info));
        }
        QVERIFY(!verify::traceCodeFromString(u"ERR_NO_SUCH_CODE"));
        QVERIFY(!verify::traceCodeFromString(u""));
    }

    void everyMessage_formatsWithoutPlaceholdersLeft()
    {
        static const QRegularExpression placeholder(QStringLiteral("\\{[a-z][0-9]\\}"));
        for (const TraceCodeInfo& info : verify::kTraceCodes) {
            verify::TraceStep step = verify::traceStep(verify::StepId::Size, verify::Verdict::Fail, info.id);
            step.arg1 = u"first";
            step.arg2 = u"second";
            step.num1 = 1700000000;
            step.num2 = 60;
            const QString reason = step.reason();
            QVERIFY2(!reason.isEmpty(), qPrintable(codeString(info)));
            QVERIFY2(!placeholder.match(reason).hasMatch(), qPrintable(codeString(info) + u": " + reason));
        }
    }

    void payloadNotJson_showsTheDecodersMessage()
    {
        verify::TraceStep step =
            verify::traceStep(verify::StepId::Structure, verify::Verdict::Fail, TraceCode::ErrTokenPayloadJson);
        step.arg1 = u"the payload is not a JSON object";
        QCOMPARE(step.reason(), QStringLiteral("the payload is not a JSON object"));
        QCOMPARE(step.code.toString(), QStringLiteral("ERR_TOKEN_PAYLOAD_JSON"));
    }

    void codeWithFixedReference_replacesTheStepsReference()
    {
        const verify::TraceStep alg = verify::traceStep(verify::StepId::Algorithm, verify::Verdict::Fail, TraceCode::ErrAlgNone);
        QCOMPARE(alg.reference(), QStringLiteral("RFC 7518 §3.6, RFC 8725 §3.1"));
        const verify::TraceStep pinned =
            verify::traceStep(verify::StepId::Algorithm, verify::Verdict::Fail, TraceCode::ErrAlgNotPinned);
        QCOMPARE(pinned.reference(), verify::stepReference(verify::StepId::Algorithm));
    }
};

QTEST_GUILESS_MAIN(TestTraceCodes)
#include "tst_tracecodes.moc"
