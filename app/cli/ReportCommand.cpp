// SPDX-License-Identifier: Apache-2.0
// jwt-policy report --policy FILE [--estate FILE] [--compare OLD] [--at TIME] [--paper a4|letter]
//                   -o review.pdf|review.html
//
// The design-review document (issue 19): policy facts, the issuer x audience matrix, algorithm pins,
// header allowlist, keys, exceptions, lint findings, self-test, gap tables; with --compare the
// semantic diff, with --estate each verifier and its deployed-config drift. The format follows the
// output's suffix (.pdf, .html/.htm). The report sends no request: estate verifiers are shown as
// "not probed" (jwt-policy estate check probes them).
// Exit 0 when the document is written (whatever it reports), 2 on usage or input errors.
#include "CliSupport.h"

#include "ReviewRender.h"
#include "estate/Estate.h"
#include "policy/PolicyIO.h"
#include "report/ReviewReport.h"

#include <QFileInfo>
#include <QGuiApplication>

namespace jwb::cli {

namespace {

QCommandLineOption outputOption()
{
    return {{QStringLiteral("o"), QStringLiteral("output")},
            QStringLiteral("Where to write the report: a .pdf or .html file."),
            QStringLiteral("FILE")};
}
QCommandLineOption estateOption()
{
    return {QStringLiteral("estate"), QStringLiteral("Estate file: report its verifiers and their drift (never probed)."),
            QStringLiteral("FILE")};
}
QCommandLineOption compareOption()
{
    return {QStringLiteral("compare"), QStringLiteral("Previous revision of the policy: report the semantic diff."),
            QStringLiteral("OLD")};
}
QCommandLineOption paperOption()
{
    return {QStringLiteral("paper"), QStringLiteral("PDF paper size: a4 (default) or letter."), QStringLiteral("a4|letter")};
}

Error usage(const QString& message)
{
    return Error{QStringLiteral("ERR_USAGE_REPORT"), message, {}};
}

class ReportCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("report"); }
    QString description() const override
    {
        return QStringLiteral("Write the design-review document of a policy (PDF or HTML).");
    }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addOption(policyOption());
        parser.addOption(outputOption());
        parser.addOption(estateOption());
        parser.addOption(compareOption());
        parser.addOption(atOption());
        parser.addOption(paperOption());
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        if (const auto none = noPositionalArguments(parser); !none)
            return reportError(io, name(), none.error());
        if (qobject_cast<QGuiApplication*>(QCoreApplication::instance()) == nullptr)
            return reportError(io, name(), Error{QStringLiteral("ERR_REPORT_NO_GUI"),
                                                 QStringLiteral("rendering needs a QGuiApplication (jwt-policy creates one for this verb)"),
                                                 {}});
        const QString output = parser.value(outputOption());
        if (output.isEmpty())
            return reportError(io, name(), usage(QStringLiteral("-o FILE is required (review.pdf or review.html)")));
        const QString suffix = QFileInfo(output).suffix().toLower();
        const bool pdf = suffix == u"pdf";
        if (!pdf && suffix != u"html" && suffix != u"htm")
            return reportError(io, name(), usage(QStringLiteral("cannot tell the format of '%1': name it .pdf, .html or .htm").arg(output)));
        report::PaperSize paper = report::PaperSize::A4;
        if (parser.isSet(paperOption())) {
            const QString p = parser.value(paperOption()).toLower();
            if (p == u"letter")
                paper = report::PaperSize::Letter;
            else if (p != u"a4")
                return reportError(io, name(), usage(QStringLiteral("--paper is a4 or letter, not '%1'").arg(parser.value(paperOption()))));
        }
        const auto at = evaluationInstant(parser);
        if (!at)
            return reportError(io, name(), at.error());
        auto policy = loadPolicyArg(parser);
        if (!policy)
            return reportError(io, name(), policy.error());

        report::ReviewInputs inputs;
        inputs.policy = std::move(policy).value();
        inputs.atUnixSeconds = at.value();
        inputs.policyDate = QFileInfo(parser.value(policyOption())).lastModified().toUTC();
        if (parser.isSet(compareOption())) {
            auto previous = policy::loadPolicyFile(parser.value(compareOption()));
            if (!previous)
                return reportError(io, name(), previous.error());
            inputs.previous = std::move(previous).value();
        }
        if (parser.isSet(estateOption())) {
            auto estate = estate::loadEstateFile(parser.value(estateOption()));
            if (!estate)
                return reportError(io, name(), estate.error());
            inputs.estate = std::move(estate).value();
        }

        const report::ReviewReport review = report::buildReviewReport(inputs);
        const Status written = pdf ? report::writeReviewPdf(review, paper, output) : report::writeReviewHtml(review, output);
        if (!written)
            return reportError(io, name(), written.error());
        if (pdf)
            io.out << QStringLiteral("wrote %1 (%2, %3 pages)\n")
                          .arg(output, report::paperSizeName(paper))
                          .arg(report::reviewPageCount(review, paper));
        else
            io.out << QStringLiteral("wrote %1\n").arg(output);
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeReportCommand() { return std::make_unique<ReportCommand>(); }

} // namespace jwb::cli
