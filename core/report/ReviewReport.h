// SPDX-License-Identifier: Apache-2.0
// The design-review document (issue 19) as plain data: sections of paragraphs, facts, tables and one
// issuer x audience matrix, each built from the core's own reports (lint, self-test, gap report,
// semantic diff, drift). Nothing here decides a finding, and nothing here draws: ui/report renders
// this model to PDF and HTML, the GUI previews it.
//
// Secrets: the model is made of names, kids, key descriptions and RFC 7638 thumbprints only. No key
// material, HMAC secret or token is ever copied into it, and a last pass (redactSecrets) replaces
// anything shaped like a compact JWS or a PEM block in any text with a marker, so a message that
// quotes one by accident cannot carry it into a document that is printed and filed.
//
// Size: a policy may have 10,000 issuers. Every table is bounded (ReviewLimits) and says how many
// rows it left out and where to find them; the matrix becomes a trust-domain heat map when the
// issuer x audience grid would not be readable on a page.
#pragma once

#include "estate/Estate.h"
#include "policy/Policy.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace jwb::report {

// How a row or paragraph should stand out; the renderer picks the colours.
enum class Tone { Plain, Good, Notice, Warning, Bad };

struct ReviewTable {
    QString caption;
    QStringList columns;
    QList<QStringList> rows;   // each as long as `columns`
    QList<Tone> tones;         // one per row
    QList<int> columnWeights;  // relative column widths; empty: equal
    int elided = 0;            // rows left out by the bound
    QString elidedNote;        // what was left out, and where to see it
};

// The issuer x audience matrix as a picture. Full: one row per issuer (grouped by trust domain), one
// column per audience, value 1 where the issuer's row grants the audience. HeatMap: one row per trust
// domain, value = how many of the domain's issuers grant the audience (used when the grid would not
// be readable, see ReviewLimits).
struct ReviewMatrix {
    enum class Mode { Full, HeatMap };
    struct Row {
        QString label;        // issuer (Full) or trust domain (HeatMap)
        QString trustDomain;  // the row's trust domain ("" shown as "(none)")
        int issuers = 1;      // HeatMap: issuers in the domain
        QList<int> values;    // one per column
    };
    Mode mode = Mode::Full;
    QStringList columns;      // audiences, most granted first in HeatMap mode
    QList<Row> rows;
    int maxValue = 1;
    int totalIssuers = 0;
    int totalAudiences = 0;
    int totalTrustDomains = 0;
    int elidedRows = 0;
    int elidedColumns = 0;
    QString note;             // how to read it, and what was elided
};

struct ReviewBlock {
    enum class Kind { Paragraph, Facts, Table, Matrix, Heading };
    Kind kind = Kind::Paragraph;
    QString text;                                // Paragraph, Heading (a sub-heading)
    Tone tone = Tone::Plain;                     // Paragraph
    QList<std::pair<QString, QString>> facts;    // Facts: label, value
    ReviewTable table;                           // Table
    ReviewMatrix matrix;                         // Matrix
};

struct ReviewSection {
    QString id;      // stable anchor: "summary", "matrix", "keys", ...
    QString title;
    QList<ReviewBlock> blocks;
};

struct ReviewReport {
    QString title;           // "Policy review: payments-platform"
    QString subtitle;        // "revision 3, owner ..."
    QString policyName;
    QString generatedAt;     // RFC 3339, the evaluation instant
    QList<ReviewSection> sections;

    const ReviewSection* section(QStringView id) const;
};

struct ReviewLimits {
    int matrixIssuers = 40;     // a full matrix up to this many issuers ...
    int matrixAudiences = 24;   // ... and this many audiences; a heat map beyond
    int heatMapDomains = 40;    // heat-map rows (trust domains with most issuers first)
    int heatMapAudiences = 30;  // heat-map columns (most granted audiences first)
    int tableRows = 200;        // any table
    int findingsPerSeverity = 200;
    int gapRowsPerTarget = 60;
};

// What the report is made from. The policy (and the previous revision, the estate) are loaded by the
// caller; nothing here reads the network. Estate verifiers are reported with their deployed-config
// drift (read from local files) and library advisories (the bundled list); they are never probed.
struct ReviewInputs {
    policy::Policy policy;
    std::optional<policy::Policy> previous;   // --compare OLD
    std::optional<estate::Estate> estate;     // --estate FILE
    qint64 atUnixSeconds = 0;                 // the evaluation instant (exceptions, lint, self-test)
    QDateTime policyDate;                     // when the policy file was last changed; invalid: unknown
    bool runSelfTest = true;
};

ReviewReport buildReviewReport(const ReviewInputs& inputs, const ReviewLimits& limits = {});

// Replaces compact JWS/JWE-shaped strings and PEM blocks in `text` with "[redacted]".
QString redactSecrets(const QString& text);

// Every text of the report in reading order, one line per paragraph, fact or table row (cells joined
// by " | "): for tests and for a plain-text dump.
QString reviewReportText(const ReviewReport& report);

} // namespace jwb::report
