// SPDX-License-Identifier: Apache-2.0
#include "report/ReviewReport.h"

#include "crypto/Algorithm.h"
#include "estate/Advisories.h"
#include "export/Drift.h"
#include "export/Export.h"
#include "lint/Lint.h"
#include "policy/PolicyDiff.h"
#include "util/Time.h"
#include "verify/SelfTest.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMap>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace jwb::report {

namespace {

constexpr qint64 kDaySeconds = 86400;
// An exception this close to its end is called out as expiring, not just listed.
constexpr qint64 kExpiringSoonDays = 30;

QString orNone(const QString& s)
{
    return s.isEmpty() ? QStringLiteral("(none)") : s;
}

QString count(qsizetype n, const QString& one, const QString& many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

ReviewBlock paragraph(const QString& text, Tone tone = Tone::Plain)
{
    ReviewBlock b;
    b.kind = ReviewBlock::Kind::Paragraph;
    b.text = text;
    b.tone = tone;
    return b;
}

ReviewBlock heading(const QString& text)
{
    ReviewBlock b;
    b.kind = ReviewBlock::Kind::Heading;
    b.text = text;
    return b;
}

ReviewBlock tableBlock(ReviewTable table)
{
    ReviewBlock b;
    b.kind = ReviewBlock::Kind::Table;
    b.table = std::move(table);
    return b;
}

// Adds a row unless the table is at its bound, in which case the row is only counted.
void addRow(ReviewTable& table, int bound, QStringList cells, Tone tone = Tone::Plain)
{
    if (table.rows.size() >= bound) {
        ++table.elided;
        return;
    }
    table.rows << std::move(cells);
    table.tones << tone;
}

void noteElided(ReviewTable& table, const QString& what, const QString& where)
{
    if (table.elided > 0)
        table.elidedNote = QStringLiteral("%1 more %2 not listed (the first %3 are shown); %4.")
                               .arg(table.elided)
                               .arg(what)
                               .arg(table.rows.size())
                               .arg(where);
}

QString familiesOf(const QStringList& algorithms)
{
    QMap<int, QStringList> byFamily; // Family order: HMAC, RSA, RSA-PSS, ECDSA, EdDSA, none
    for (const QString& name : algorithms) {
        const crypto::Algorithm alg = crypto::algorithmFromName(name);
        const int key = alg == crypto::Algorithm::Unsupported ? static_cast<int>(crypto::Family::None)
                                                              : static_cast<int>(crypto::family(alg));
        byFamily[key] << name;
    }
    QStringList parts;
    for (auto it = byFamily.cbegin(); it != byFamily.cend(); ++it) {
        const auto fam = static_cast<crypto::Family>(it.key());
        const QString label = fam == crypto::Family::None ? QStringLiteral("unsupported/none")
                                                          : crypto::familyName(fam);
        parts << QStringLiteral("%1: %2").arg(label, it.value().join(QStringLiteral(", ")));
    }
    return parts.isEmpty() ? QStringLiteral("nothing (fails closed)") : parts.join(QStringLiteral("; "));
}

QString issuersSample(const QStringList& issuers, int shown = 3)
{
    QString text = issuers.mid(0, shown).join(QStringLiteral(", "));
    if (issuers.size() > shown)
        text += QStringLiteral(" and %1 more").arg(issuers.size() - shown);
    return text;
}

class Builder {
public:
    Builder(const ReviewInputs& in, const ReviewLimits& limits) : m_in(in), m_p(in.policy), m_limits(limits) {}

    ReviewReport build()
    {
        m_report.policyName = m_p.name;
        m_report.title = QStringLiteral("Policy review: %1").arg(m_p.name.isEmpty() ? QStringLiteral("unnamed policy") : m_p.name);
        m_report.subtitle = QStringLiteral("Revision %1 \u2014 owner %2").arg(m_p.revision).arg(orNone(m_p.owner));
        m_report.generatedAt = util::formatInstant(m_in.atUnixSeconds);

        m_findings = lint::lintPolicy(m_p, m_in.atUnixSeconds);
        if (m_in.runSelfTest)
            m_selfTest = verify::runSelfTest(m_p, m_in.atUnixSeconds);
        exporting::ExportProfile profile;
        profile.atUnixSeconds = m_in.atUnixSeconds;
        auto gaps = exporting::gapReport(m_p, profile);
        if (gaps)
            m_gaps = gaps.value();
        else
            m_gapError = gaps.error().toString();

        summary();
        if (m_in.previous)
            changes();
        matrix();
        issuers();
        algorithms();
        headers();
        keys();
        exceptions();
        findings();
        selfTest();
        gapTables();
        if (m_in.estate)
            estateSection();
        redactAll();
        return std::move(m_report);
    }

private:
    ReviewSection& open(const QString& id, const QString& title)
    {
        m_report.sections.append(ReviewSection{id, title, {}});
        return m_report.sections.last();
    }

    void summary()
    {
        ReviewSection& s = open(QStringLiteral("summary"), QStringLiteral("Summary"));
        QSet<QString> audiences;
        QSet<QString> domains;
        for (const auto& i : m_p.issuers) {
            for (const auto& a : i.audiences)
                audiences.insert(a);
            domains.insert(i.trustDomain);
        }
        int errors = 0;
        int warnings = 0;
        int infos = 0;
        for (const auto& f : m_findings)
            (f.severity == lint::Severity::Error ? errors : f.severity == lint::Severity::Warning ? warnings : infos)++;
        int expired = 0;
        for (const auto& e : m_p.exceptions)
            expired += e.activeAt(QDateTime::fromSecsSinceEpoch(m_in.atUnixSeconds, Qt::UTC)) ? 0 : 1;
        int blocking = 0;
        for (const auto& g : m_gaps)
            blocking += exporting::isBlockingGap(m_p, g) ? 1 : 0;

        ReviewBlock facts;
        facts.kind = ReviewBlock::Kind::Facts;
        facts.facts = {
            {QStringLiteral("Policy"), orNone(m_p.name)},
            {QStringLiteral("Owner"), orNone(m_p.owner)},
            {QStringLiteral("Revision"), QString::number(m_p.revision)},
            {QStringLiteral("Policy file"), m_p.sourcePath.isEmpty() ? QStringLiteral("(built-in sample)")
                                                                     : QFileInfo(m_p.sourcePath).fileName()},
            {QStringLiteral("Policy date"), m_in.policyDate.isValid()
                                                ? util::formatInstant(m_in.policyDate.toSecsSinceEpoch())
                                                : QStringLiteral("unknown")},
            {QStringLiteral("Evaluated at"), m_report.generatedAt},
            {QStringLiteral("Issuers"), QStringLiteral("%1 in %2").arg(m_p.issuers.size())
                                            .arg(count(domains.size(), QStringLiteral("trust domain"), QStringLiteral("trust domains")))},
            {QStringLiteral("Audiences"), QString::number(audiences.size())},
            {QStringLiteral("Exceptions"), QStringLiteral("%1 (%2 expired)").arg(m_p.exceptions.size()).arg(expired)},
            {QStringLiteral("Lint"), QStringLiteral("%1 error(s), %2 warning(s), %3 info").arg(errors).arg(warnings).arg(infos)},
            {QStringLiteral("Self-test"), !m_in.runSelfTest ? QStringLiteral("not run")
                                          : QStringLiteral("%1 variant(s) run, %2 accepted")
                                                .arg(m_selfTest.variants.size())
                                                .arg(m_selfTest.acceptedCount())},
            {QStringLiteral("Blocking gaps"), m_gapError.isEmpty() ? QString::number(blocking) : QStringLiteral("gap report failed")},
        };
        if (m_in.previous)
            facts.facts.append({QStringLiteral("Compared with"),
                                QStringLiteral("revision %1 (%2)").arg(m_in.previous->revision)
                                    .arg(m_in.previous->sourcePath.isEmpty() ? QStringLiteral("previous")
                                                                             : QFileInfo(m_in.previous->sourcePath).fileName())});
        if (m_in.estate)
            facts.facts.append({QStringLiteral("Estate"), QStringLiteral("%1 (%2)").arg(orNone(m_in.estate->name))
                                                              .arg(count(m_in.estate->verifiers.size(), QStringLiteral("verifier"), QStringLiteral("verifiers")))});
        s.blocks << facts;
        if (errors > 0)
            s.blocks << paragraph(QStringLiteral("The policy has %1 lint error(s): see Lint findings.").arg(errors), Tone::Bad);
        if (m_selfTest.acceptedCount() > 0)
            s.blocks << paragraph(QStringLiteral("The self-test found %1 attack variant(s) the policy accepts.").arg(m_selfTest.acceptedCount()), Tone::Bad);
        if (expired > 0)
            s.blocks << paragraph(QStringLiteral("%1 exception(s) expired and no longer apply: see Exceptions.").arg(expired),
                                  Tone::Warning);
    }

    void changes()
    {
        ReviewSection& s = open(QStringLiteral("changes"), QStringLiteral("Change under review"));
        const QList<policy::Change> diff = policy::diffPolicies(*m_in.previous, m_p);
        int counts[3] = {0, 0, 0};
        for (const auto& c : diff)
            ++counts[static_cast<int>(c.classification)];
        s.blocks << paragraph(QStringLiteral("From revision %1 to revision %2: %3 loosening, %4 tightening, %5 neutral.")
                                  .arg(m_in.previous->revision)
                                  .arg(m_p.revision)
                                  .arg(counts[static_cast<int>(policy::ChangeClass::Loosening)])
                                  .arg(counts[static_cast<int>(policy::ChangeClass::Tightening)])
                                  .arg(counts[static_cast<int>(policy::ChangeClass::Neutral)]),
                              counts[static_cast<int>(policy::ChangeClass::Loosening)] > 0 ? Tone::Warning : Tone::Plain);
        if (diff.isEmpty()) {
            s.blocks << paragraph(QStringLiteral("No semantic change."));
            return;
        }
        // Loosening first: it is what the review must approve.
        const policy::ChangeClass order[] = {policy::ChangeClass::Loosening, policy::ChangeClass::Tightening,
                                             policy::ChangeClass::Neutral};
        ReviewTable t;
        t.columns = {QStringLiteral("Class"), QStringLiteral("Change"), QStringLiteral("Issuer"), QStringLiteral("What changed")};
        t.columnWeights = {12, 18, 25, 45};
        for (const auto cls : order) {
            for (const auto& c : diff) {
                if (c.classification != cls)
                    continue;
                addRow(t, m_limits.tableRows, {policy::changeClassName(c.classification), c.kind, c.issuer, c.message},
                       cls == policy::ChangeClass::Loosening ? Tone::Warning
                       : cls == policy::ChangeClass::Tightening ? Tone::Good : Tone::Plain);
            }
        }
        noteElided(t, QStringLiteral("changes"), QStringLiteral("run jwt-policy diff for all of them"));
        s.blocks << tableBlock(std::move(t));
    }

    void matrix()
    {
        ReviewSection& s = open(QStringLiteral("matrix"), QStringLiteral("Issuer \u00d7 audience matrix"));
        ReviewMatrix m;
        QStringList audiences;
        QHash<QString, int> grants; // audience -> issuers granting it
        QMap<QString, QList<const policy::Issuer*>> byDomain;
        for (const auto& i : m_p.issuers) {
            byDomain[i.trustDomain] << &i;
            for (const auto& a : i.audiences) {
                if (!grants.contains(a))
                    audiences << a;
                ++grants[a];
            }
        }
        m.totalIssuers = static_cast<int>(m_p.issuers.size());
        m.totalAudiences = static_cast<int>(audiences.size());
        m.totalTrustDomains = static_cast<int>(byDomain.size());
        if (m_p.issuers.isEmpty()) {
            s.blocks << paragraph(QStringLiteral("The policy has no issuer: every token is rejected."), Tone::Warning);
            return;
        }
        const bool full = m.totalIssuers <= m_limits.matrixIssuers && m.totalAudiences <= m_limits.matrixAudiences;
        if (full) {
            m.mode = ReviewMatrix::Mode::Full;
            m.columns = audiences;
            for (auto it = byDomain.cbegin(); it != byDomain.cend(); ++it) {
                for (const policy::Issuer* i : it.value()) {
                    ReviewMatrix::Row row{i->issuer, i->trustDomain, 1, {}};
                    for (const auto& a : audiences)
                        row.values << (i->audiences.contains(a) ? 1 : 0);
                    m.rows << row;
                }
            }
            m.maxValue = 1;
            m.note = QStringLiteral("Rows are issuers grouped by trust domain, columns audiences; a filled cell is an "
                                    "audience the issuer's tokens are accepted for.");
        } else {
            m.mode = ReviewMatrix::Mode::HeatMap;
            std::stable_sort(audiences.begin(), audiences.end(),
                             [&grants](const QString& a, const QString& b) { return grants.value(a) > grants.value(b); });
            m.elidedColumns = std::max(0, static_cast<int>(audiences.size()) - m_limits.heatMapAudiences);
            m.columns = audiences.mid(0, m_limits.heatMapAudiences);
            QList<QString> domains = byDomain.keys();
            std::stable_sort(domains.begin(), domains.end(), [&byDomain](const QString& a, const QString& b) {
                return byDomain.value(a).size() > byDomain.value(b).size();
            });
            m.elidedRows = std::max(0, static_cast<int>(domains.size()) - m_limits.heatMapDomains);
            m.maxValue = 1;
            for (const QString& d : domains.mid(0, m_limits.heatMapDomains)) {
                const auto& members = byDomain.value(d);
                ReviewMatrix::Row row{d.isEmpty() ? QStringLiteral("(none)") : d, d, static_cast<int>(members.size()), {}};
                for (const auto& a : m.columns) {
                    int n = 0;
                    for (const policy::Issuer* i : members)
                        n += i->audiences.contains(a) ? 1 : 0;
                    row.values << n;
                    m.maxValue = std::max(m.maxValue, n);
                }
                m.rows << row;
            }
            m.note = QStringLiteral("%1 issuers \u00d7 %2 audiences do not fit a readable grid, so this is a heat map: "
                                    "rows are trust domains (issuer count in brackets), columns audiences, each cell "
                                    "the number of the domain's issuers accepted for that audience.")
                         .arg(m.totalIssuers)
                         .arg(m.totalAudiences);
            if (m.elidedRows > 0)
                m.note += QStringLiteral(" %1 smaller trust domains are not shown.").arg(m.elidedRows);
            if (m.elidedColumns > 0)
                m.note += QStringLiteral(" %1 less granted audiences are not shown.").arg(m.elidedColumns);
            m.note += QStringLiteral(" The workbench's matrix page shows every cell.");
        }
        ReviewBlock b;
        b.kind = ReviewBlock::Kind::Matrix;
        b.matrix = m;
        s.blocks << b;
        s.blocks << paragraph(m.note);

        // Cross-domain audiences are what a reviewer looks for: one audience trusted from two domains.
        ReviewTable t;
        t.caption = QStringLiteral("Audiences accepted from more than one trust domain");
        t.columns = {QStringLiteral("Audience"), QStringLiteral("Trust domains")};
        t.columnWeights = {35, 65};
        for (const auto& a : audiences) {
            QStringList ds;
            for (auto it = byDomain.cbegin(); it != byDomain.cend(); ++it) {
                if (std::any_of(it.value().cbegin(), it.value().cend(),
                                [&a](const policy::Issuer* i) { return i->audiences.contains(a); }))
                    ds << orNone(it.key());
            }
            if (ds.size() > 1)
                addRow(t, m_limits.tableRows, {a, ds.join(QStringLiteral(", "))}, Tone::Notice);
        }
        noteElided(t, QStringLiteral("audiences"), QStringLiteral("the workbench's matrix page lists them"));
        if (!t.rows.isEmpty())
            s.blocks << tableBlock(std::move(t));
    }

    void issuers()
    {
        ReviewSection& s = open(QStringLiteral("issuers"), QStringLiteral("Issuers"));
        ReviewTable t;
        t.columns = {QStringLiteral("Issuer"), QStringLiteral("Trust domain"), QStringLiteral("Audiences"),
                     QStringLiteral("Subjects"), QStringLiteral("Keys")};
        t.columnWeights = {34, 14, 28, 12, 12};
        for (const auto& i : m_p.issuers) {
            QString keys = count(i.keys.resolved.size(), QStringLiteral("pinned"), QStringLiteral("pinned"));
            if (!i.keys.jwksUri.isEmpty())
                keys += QStringLiteral(", jwks_uri");
            addRow(t, m_limits.tableRows,
                   {i.issuer, orNone(i.trustDomain), i.audiences.join(QStringLiteral(", ")),
                    i.subjects.isEmpty() ? QStringLiteral("any") : QString::number(i.subjects.size()), keys});
        }
        noteElided(t, QStringLiteral("issuers"), QStringLiteral("the matrix above covers all of them, and the policy file lists them"));
        s.blocks << tableBlock(std::move(t));
    }

    void algorithms()
    {
        ReviewSection& s = open(QStringLiteral("algorithms"), QStringLiteral("Algorithm pins"));
        s.blocks << paragraph(QStringLiteral("The effective pin of each issuer (defaults, then its overrides), by algorithm "
                                             "family. Issuers with the same pin share a row."));
        QMap<QString, QStringList> byPin; // families text -> issuers, in first-seen order of pins
        QStringList pinOrder;
        for (const auto& i : m_p.issuers) {
            const QString pin = familiesOf(m_p.effectiveRules(i).algorithms);
            if (!byPin.contains(pin))
                pinOrder << pin;
            byPin[pin] << i.issuer;
        }
        ReviewTable t;
        t.columns = {QStringLiteral("Pin by family"), QStringLiteral("Issuers"), QStringLiteral("Count")};
        t.columnWeights = {35, 55, 10};
        for (const auto& pin : pinOrder) {
            const QStringList& list = byPin.value(pin);
            const bool weak = pin.contains(QStringLiteral("none")) || pin.contains(QStringLiteral("nothing"));
            addRow(t, m_limits.tableRows, {pin, issuersSample(list, 8), QString::number(list.size())},
                   weak ? Tone::Bad : Tone::Plain);
        }
        noteElided(t, QStringLiteral("distinct pins"), QStringLiteral("see the policy file"));
        s.blocks << tableBlock(std::move(t));

        ReviewTable ex;
        ex.caption = QStringLiteral("Algorithms added by exceptions");
        ex.columns = {QStringLiteral("Exception"), QStringLiteral("Issuer"), QStringLiteral("Adds"), QStringLiteral("Until")};
        ex.columnWeights = {25, 35, 25, 15};
        for (const auto& e : m_p.exceptions) {
            if (e.allow.algorithms && !e.allow.algorithms->isEmpty())
                addRow(ex, m_limits.tableRows, {e.id, e.issuer, familiesOf(*e.allow.algorithms), expiryText(e)},
                       e.activeAt(at()) ? Tone::Notice : Tone::Plain);
        }
        noteElided(ex, QStringLiteral("exceptions"), QStringLiteral("see Exceptions"));
        if (!ex.rows.isEmpty())
            s.blocks << tableBlock(std::move(ex));
    }

    void headers()
    {
        ReviewSection& s = open(QStringLiteral("headers"), QStringLiteral("Header allowlist and token rules"));
        struct Row { QString headers, types, claims, other; QStringList issuers; };
        QList<Row> rows;
        for (const auto& i : m_p.issuers) {
            const policy::EffectiveRules r = m_p.effectiveRules(i);
            Row row{r.allowedHeaders.join(QStringLiteral(", ")),
                    r.allowedTypes ? r.allowedTypes->join(QStringLiteral(", ")) : QStringLiteral("not checked"),
                    r.requiredClaims.join(QStringLiteral(", ")),
                    QStringLiteral("skew %1 s; lifetime %2; typ %3; kid %4; max %5 bytes")
                        .arg(r.clockSkewSeconds)
                        .arg(r.maxLifetimeSeconds ? QStringLiteral("%1 s").arg(*r.maxLifetimeSeconds) : QStringLiteral("unlimited"))
                        .arg(r.requireType ? QStringLiteral("required") : QStringLiteral("optional"))
                        .arg(r.requireKid ? QStringLiteral("required") : QStringLiteral("optional"))
                        .arg(r.maxTokenBytes),
                    {}};
            auto it = std::find_if(rows.begin(), rows.end(), [&row](const Row& o) {
                return o.headers == row.headers && o.types == row.types && o.claims == row.claims && o.other == row.other;
            });
            if (it == rows.end()) {
                row.issuers << i.issuer;
                rows << row;
            } else {
                it->issuers << i.issuer;
            }
            if (rows.size() > m_limits.tableRows * 4)
                break; // pathological variety: the table below is bounded anyway
        }
        ReviewTable t;
        t.columns = {QStringLiteral("Allowed headers"), QStringLiteral("Types"), QStringLiteral("Required claims"),
                     QStringLiteral("Other rules"), QStringLiteral("Issuers")};
        t.columnWeights = {17, 13, 15, 27, 28};
        for (const auto& r : rows) {
            const bool risky = r.headers.contains(QStringLiteral("jku")) || r.headers.contains(QStringLiteral("jwk"))
                               || r.headers.contains(QStringLiteral("x5u"));
            addRow(t, m_limits.tableRows, {r.headers, r.types, r.claims, r.other, issuersSample(r.issuers, 6)},
                   risky ? Tone::Bad : Tone::Plain);
        }
        noteElided(t, QStringLiteral("rule sets"), QStringLiteral("see the policy file"));
        s.blocks << tableBlock(std::move(t));
        QStringList extra;
        for (const auto& e : m_p.exceptions) {
            if (e.allow.headers && !e.allow.headers->isEmpty())
                extra << QStringLiteral("%1 adds %2 for %3").arg(e.id, e.allow.headers->join(QStringLiteral(", ")), e.issuer);
        }
        if (!extra.isEmpty())
            s.blocks << paragraph(QStringLiteral("Exceptions widening the allowlist: %1.").arg(extra.join(QStringLiteral("; "))), Tone::Notice);
    }

    void keyRow(ReviewTable& t, const QString& issuer, const keys::Key& k, const QString& via)
    {
        QString size = k.curve.isEmpty() ? QStringLiteral("%1 bits").arg(k.bits) : k.curve;
        QString notes = via;
        if (k.testKey)
            notes = (notes.isEmpty() ? QString() : notes + QStringLiteral("; ")) + QStringLiteral("TEST KEY (minted on a workbench)");
        if (k.certNotAfter > 0)
            notes = (notes.isEmpty() ? QString() : notes + QStringLiteral("; "))
                    + QStringLiteral("certificate until %1").arg(util::formatInstant(k.certNotAfter).left(10));
        addRow(t, m_limits.tableRows,
               {k.kid.isEmpty() ? QStringLiteral("(no kid)") : k.kid, issuer, keys::keyTypeName(k.type), size,
                k.thumbprint, notes},
               k.testKey ? Tone::Bad : Tone::Plain);
    }

    void keys()
    {
        ReviewSection& s = open(QStringLiteral("keys"), QStringLiteral("Keys"));
        ReviewTable t;
        t.columns = {QStringLiteral("kid"), QStringLiteral("Issuer"), QStringLiteral("Type"), QStringLiteral("Size / curve"),
                     QStringLiteral("RFC 7638 thumbprint"), QStringLiteral("Notes")};
        t.columnWeights = {16, 24, 7, 10, 26, 17};
        int testKeys = 0;
        int remote = 0;
        for (const auto& i : m_p.issuers) {
            for (const auto& k : i.keys.resolved) {
                testKeys += k.testKey ? 1 : 0;
                keyRow(t, i.issuer, k, {});
            }
            remote += i.keys.jwksUri.isEmpty() ? 0 : 1;
        }
        for (const auto& e : m_p.exceptions) {
            if (!e.allow.keys)
                continue;
            for (const auto& k : e.allow.keys->resolved) {
                testKeys += k.testKey ? 1 : 0;
                keyRow(t, e.issuer, k, QStringLiteral("exception %1").arg(e.id));
            }
        }
        s.blocks << paragraph(QStringLiteral("Only public parameters are shown: key id, type, size or curve and the "
                                             "RFC 7638 thumbprint. %1 issuer(s) also name a jwks_uri for gateways that fetch keys.")
                                  .arg(remote));
        if (testKeys > 0)
            s.blocks << paragraph(QStringLiteral("%1 pinned: their private parts were made on a workbench. A production "
                                                 "export refuses them.")
                                      .arg(count(testKeys, QStringLiteral("test key is"), QStringLiteral("test keys are"))),
                                  Tone::Bad);
        noteElided(t, QStringLiteral("keys"), QStringLiteral("run jwt-policy keys for the full list"));
        if (t.rows.isEmpty())
            s.blocks << paragraph(QStringLiteral("No key is pinned."), Tone::Warning);
        else
            s.blocks << tableBlock(std::move(t));
    }

    QDateTime at() const { return QDateTime::fromSecsSinceEpoch(m_in.atUnixSeconds, Qt::UTC); }

    static QString expiryText(const policy::PolicyException& e)
    {
        return e.expiresIsDate ? e.expires.toUTC().date().toString(Qt::ISODate) : util::formatInstant(e.expires.toSecsSinceEpoch());
    }

    void exceptions()
    {
        ReviewSection& s = open(QStringLiteral("exceptions"), QStringLiteral("Exceptions"));
        if (m_p.exceptions.isEmpty()) {
            s.blocks << paragraph(QStringLiteral("The policy has no exception."));
            return;
        }
        ReviewTable t;
        t.columns = {QStringLiteral("Exception"), QStringLiteral("Issuer"), QStringLiteral("Owner"), QStringLiteral("Reason"),
                     QStringLiteral("Expires"), QStringLiteral("Days left")};
        t.columnWeights = {16, 19, 16, 23, 15, 11}; // Expires holds an unbreakable date: keep it on one line at A4
        QStringList expired;
        for (const auto& e : m_p.exceptions) {
            const qint64 left = e.expires.toSecsSinceEpoch() - m_in.atUnixSeconds;
            QString days;
            Tone tone = Tone::Plain;
            if (left <= 0) {
                days = QStringLiteral("EXPIRED %1 d ago").arg(-left / kDaySeconds);
                tone = Tone::Bad;
                expired << e.id;
            } else {
                const qint64 d = (left + kDaySeconds - 1) / kDaySeconds;
                days = QString::number(d);
                tone = d <= kExpiringSoonDays ? Tone::Warning : Tone::Notice;
            }
            addRow(t, m_limits.tableRows, {e.id, e.issuer, orNone(e.owner), orNone(e.reason), expiryText(e), days}, tone);
        }
        if (!expired.isEmpty())
            s.blocks << paragraph(QStringLiteral("Expired, no longer applied, to be removed or renewed: %1.")
                                      .arg(expired.join(QStringLiteral(", "))),
                                  Tone::Bad);
        noteElided(t, QStringLiteral("exceptions"), QStringLiteral("see the workbench's Exceptions page"));
        s.blocks << tableBlock(std::move(t));
    }

    void findings()
    {
        ReviewSection& s = open(QStringLiteral("lint"), QStringLiteral("Lint findings"));
        if (m_findings.isEmpty()) {
            s.blocks << paragraph(QStringLiteral("No finding."), Tone::Good);
            return;
        }
        const lint::Severity order[] = {lint::Severity::Error, lint::Severity::Warning, lint::Severity::Info};
        for (const auto sev : order) {
            ReviewTable t;
            t.columns = {QStringLiteral("Rule"), QStringLiteral("Line"), QStringLiteral("Finding"), QStringLiteral("Reference")};
            t.columnWeights = {18, 7, 58, 17};
            for (const auto& f : m_findings) {
                if (f.severity != sev)
                    continue;
                addRow(t, m_limits.findingsPerSeverity,
                       {f.ruleId, f.line > 0 ? QString::number(f.line) : f.path, f.message, f.reference},
                       sev == lint::Severity::Error ? Tone::Bad : sev == lint::Severity::Warning ? Tone::Warning : Tone::Plain);
            }
            if (t.rows.isEmpty())
                continue;
            s.blocks << heading(QStringLiteral("%1 (%2)").arg(lint::severityName(sev)).arg(t.rows.size() + t.elided));
            noteElided(t, QStringLiteral("findings of this severity"), QStringLiteral("run jwt-policy lint for all of them"));
            s.blocks << tableBlock(std::move(t));
        }
    }

    void selfTest()
    {
        ReviewSection& s = open(QStringLiteral("selftest"), QStringLiteral("Self-test"));
        if (!m_in.runSelfTest) {
            s.blocks << paragraph(QStringLiteral("Not run for this report."));
            return;
        }
        int notApplicable = 0;
        for (const auto& v : m_selfTest.variants)
            notApplicable += v.applicable ? 0 : 1;
        const int accepted = m_selfTest.acceptedCount();
        s.blocks << paragraph(QStringLiteral("%1 attack variant(s) run against the policy at %2: %3 accepted, %4 not applicable.")
                                  .arg(m_selfTest.variants.size())
                                  .arg(m_report.generatedAt)
                                  .arg(accepted)
                                  .arg(notApplicable),
                              accepted > 0 ? Tone::Bad : Tone::Good);
        if (accepted > 0) {
            ReviewTable t;
            t.caption = QStringLiteral("Variants accepted");
            t.columns = {QStringLiteral("Variant"), QStringLiteral("Issuer"), QStringLiteral("What it tries"), QStringLiteral("Why it matters")};
            t.columnWeights = {18, 22, 25, 35};
            for (const auto& v : m_selfTest.variants) {
                if (v.accepted)
                    addRow(t, m_limits.tableRows, {v.id, v.issuer, v.title, v.finding}, Tone::Bad);
            }
            noteElided(t, QStringLiteral("accepted variants"), QStringLiteral("run jwt-policy selftest for all of them"));
            s.blocks << tableBlock(std::move(t));
        }
        for (const auto& n : m_selfTest.notes)
            s.blocks << paragraph(n, Tone::Notice);
    }

    void gapTables()
    {
        ReviewSection& s = open(QStringLiteral("gaps"), QStringLiteral("Enforcement gaps per export target"));
        if (!m_gapError.isEmpty()) {
            s.blocks << paragraph(QStringLiteral("The gap report could not be made: %1").arg(m_gapError), Tone::Bad);
            return;
        }
        s.blocks << paragraph(QStringLiteral("What each target's export enforces, emulates or cannot enforce, per control and "
                                             "issuer. A not-enforced control must be verified again by the service behind "
                                             "the target; on a target the deployments mark only_verifier it is blocking."));
        QStringList targets;
        QMap<QString, QList<const exporting::GapEntry*>> byTarget;
        for (const auto& g : m_gaps) {
            if (!byTarget.contains(g.target))
                targets << g.target;
            byTarget[g.target] << &g;
        }
        QSet<QString> deployed;
        for (const auto& d : m_p.deployments)
            deployed.insert(d.target);
        ReviewTable sum;
        sum.caption = QStringLiteral("Per target");
        sum.columns = {QStringLiteral("Target"), QStringLiteral("Enforced"), QStringLiteral("Emulated"),
                       QStringLiteral("Not enforced"), QStringLiteral("Not used"), QStringLiteral("Blocking")};
        sum.columnWeights = {30, 14, 14, 14, 14, 14};
        for (const auto& target : targets) {
            const auto& rows = byTarget.value(target);
            int c[4] = {0, 0, 0, 0};
            int blocking = 0;
            for (const auto* g : rows) {
                ++c[static_cast<int>(g->status)];
                blocking += exporting::isBlockingGap(m_p, *g) ? 1 : 0;
            }
            addRow(sum, 1000,
                   {target + (deployed.contains(target) ? QStringLiteral(" (deployed)") : QString()), QString::number(c[0]),
                    QString::number(c[1]), QString::number(c[2]), QString::number(c[3]), QString::number(blocking)},
                   blocking > 0 ? Tone::Bad : c[2] > 0 ? Tone::Notice : Tone::Good);
        }
        s.blocks << tableBlock(std::move(sum));

        for (const auto& target : targets) {
            ReviewTable t;
            t.columns = {QStringLiteral("Control"), QStringLiteral("Issuer"), QStringLiteral("Status"), QStringLiteral("How / why")};
            t.columnWeights = {17, 25, 13, 45};
            int shownStatuses = 0;
            for (const auto* g : byTarget.value(target)) {
                if (g->status == exporting::GapStatus::Enforced || g->status == exporting::GapStatus::NotUsed)
                    continue;
                ++shownStatuses;
                const bool blocking = exporting::isBlockingGap(m_p, *g);
                addRow(t, m_limits.gapRowsPerTarget,
                       {exporting::controlTitle(g->control), g->issuer,
                        exporting::gapStatusName(g->status) + (blocking ? QStringLiteral(" (blocking)") : QString()), g->detail},
                       blocking ? Tone::Bad : g->status == exporting::GapStatus::NotEnforced ? Tone::Warning : Tone::Notice);
            }
            s.blocks << heading(target);
            if (shownStatuses == 0) {
                s.blocks << paragraph(QStringLiteral("Every control the policy uses is enforced."), Tone::Good);
                continue;
            }
            t.caption = QStringLiteral("Emulated and not-enforced controls (enforced ones are counted above)");
            noteElided(t, QStringLiteral("rows"), QStringLiteral("run jwt-policy gaps for all of them"));
            s.blocks << tableBlock(std::move(t));
        }
    }

    void estateSection()
    {
        const estate::Estate& e = *m_in.estate;
        ReviewSection& s = open(QStringLiteral("estate"), QStringLiteral("Estate: %1").arg(orNone(e.name)));
        s.blocks << paragraph(QStringLiteral("Verifiers of the estate %1 (owner %2). Deployed configurations are compared with "
                                             "the policy where drift can read them, and service libraries looked up in the "
                                             "bundled advisories. Verifiers are not probed: a report sends no request. Run "
                                             "jwt-policy estate check for the probe results.")
                                  .arg(orNone(e.name), orNone(e.owner)));
        ReviewTable t;
        t.columns = {QStringLiteral("Verifier"), QStringLiteral("Kind"), QStringLiteral("Owner"), QStringLiteral("Issuers"),
                     QStringLiteral("Probe"), QStringLiteral("Drift"), QStringLiteral("Library")};
        t.columnWeights = {14, 8, 15, 20, 9, 20, 14};
        ReviewTable drift;
        drift.caption = QStringLiteral("Drift findings");
        drift.columns = {QStringLiteral("Verifier"), QStringLiteral("Kind"), QStringLiteral("Class"), QStringLiteral("Where"), QStringLiteral("Finding")};
        drift.columnWeights = {14, 12, 10, 24, 40};
        const auto advisories = estate::loadBundledAdvisories();
        for (const auto& v : e.verifiers) {
            QString driftText = QStringLiteral("no config given");
            Tone tone = Tone::Plain;
            const auto source = estate::driftSourceFor(v.kind);
            if (!v.configPath.isEmpty() && !source) {
                driftText = QStringLiteral("not readable for this kind");
            } else if (!v.configPath.isEmpty()) {
                QFile f(v.configPath);
                if (!f.open(QIODevice::ReadOnly)) {
                    driftText = QStringLiteral("config unreadable: %1").arg(f.errorString());
                    tone = Tone::Warning;
                } else {
                    const auto report = exporting::detectDrift(m_p, *source, f.read(4 * 1024 * 1024),
                                                               QFileInfo(v.configPath).fileName(), m_in.atUnixSeconds);
                    if (!report) {
                        driftText = report.error().toString();
                        tone = Tone::Warning;
                    } else {
                        int loosening = 0;
                        for (const auto& d : report->findings) {
                            loosening += d.classification == exporting::DriftClass::Loosening ? 1 : 0;
                            addRow(drift, m_limits.tableRows,
                                   {v.name, d.kind, exporting::driftClassName(d.classification), d.path, d.message},
                                   d.classification == exporting::DriftClass::Loosening ? Tone::Bad : Tone::Notice);
                        }
                        driftText = QStringLiteral("%1 finding(s), %2 loosening").arg(report->findings.size()).arg(loosening);
                        tone = loosening > 0 ? Tone::Bad : Tone::Good;
                    }
                }
            }
            QString lib = QStringLiteral("-");
            if (v.library) {
                lib = QStringLiteral("%1 %2").arg(v.library->name, v.library->version);
                if (advisories) {
                    const auto hits = estate::matchAdvisories(advisories.value(), v.library->name, v.library->version, v.library->ecosystem);
                    QStringList ids;
                    for (const auto& a : hits)
                        ids << a.id;
                    if (!ids.isEmpty()) {
                        lib += QStringLiteral(": %1").arg(ids.join(QStringLiteral(", ")));
                        tone = Tone::Bad;
                    }
                }
            }
            addRow(t, m_limits.tableRows,
                   {v.name, estate::verifierKindName(v.kind), orNone(v.owner), v.issuers.join(QStringLiteral(", ")),
                    v.probe ? QStringLiteral("not probed") : QStringLiteral("no probe set"), driftText, lib},
                   tone);
        }
        noteElided(t, QStringLiteral("verifiers"), QStringLiteral("see the estate file"));
        s.blocks << tableBlock(std::move(t));
        noteElided(drift, QStringLiteral("drift findings"), QStringLiteral("run jwt-policy drift for all of them"));
        if (!drift.rows.isEmpty())
            s.blocks << tableBlock(std::move(drift));
    }

    void redactAll()
    {
        auto fix = [](QString& s) { s = redactSecrets(s); };
        fix(m_report.title);
        fix(m_report.subtitle);
        for (auto& sec : m_report.sections) {
            for (auto& b : sec.blocks) {
                fix(b.text);
                for (auto& [label, value] : b.facts)
                    fix(value);
                for (auto& row : b.table.rows)
                    for (auto& cell : row)
                        fix(cell);
                for (auto& r : b.matrix.rows)
                    fix(r.label);
                for (auto& c : b.matrix.columns)
                    fix(c);
            }
        }
    }

    const ReviewInputs& m_in;
    const policy::Policy& m_p;
    const ReviewLimits& m_limits;
    ReviewReport m_report;
    QList<lint::Finding> m_findings;
    verify::SelfTestReport m_selfTest;
    QList<exporting::GapEntry> m_gaps;
    QString m_gapError;
};

} // namespace

const ReviewSection* ReviewReport::section(QStringView id) const
{
    for (const auto& s : sections) {
        if (s.id == id)
            return &s;
    }
    return nullptr;
}

ReviewReport buildReviewReport(const ReviewInputs& inputs, const ReviewLimits& limits)
{
    return Builder(inputs, limits).build();
}

QString redactSecrets(const QString& text)
{
    // A compact JWS/JWE: base64url segments joined by dots, the first an encoded JSON object ("eyJ").
    static const QRegularExpression jws(QStringLiteral("eyJ[A-Za-z0-9_-]{4,}(\\.[A-Za-z0-9_-]*){2,4}"));
    static const QRegularExpression pem(QStringLiteral("-----BEGIN [A-Z0-9 ]+-----[\\s\\S]*?(-----END [A-Z0-9 ]+-----|$)"));
    if (!text.contains(QStringLiteral("eyJ")) && !text.contains(QStringLiteral("-----BEGIN")))
        return text;
    QString out = text;
    out.replace(pem, QStringLiteral("[redacted PEM block]"));
    out.replace(jws, QStringLiteral("[redacted token]"));
    return out;
}

QString reviewReportText(const ReviewReport& report)
{
    QStringList lines{report.title, report.subtitle};
    for (const auto& s : report.sections) {
        lines << QString() << s.title;
        for (const auto& b : s.blocks) {
            switch (b.kind) {
            case ReviewBlock::Kind::Paragraph:
            case ReviewBlock::Kind::Heading:
                lines << b.text;
                break;
            case ReviewBlock::Kind::Facts:
                for (const auto& [label, value] : b.facts)
                    lines << label + QStringLiteral(": ") + value;
                break;
            case ReviewBlock::Kind::Table:
                if (!b.table.caption.isEmpty())
                    lines << b.table.caption;
                lines << b.table.columns.join(QStringLiteral(" | "));
                for (const auto& row : b.table.rows)
                    lines << row.join(QStringLiteral(" | "));
                if (!b.table.elidedNote.isEmpty())
                    lines << b.table.elidedNote;
                break;
            case ReviewBlock::Kind::Matrix:
                lines << QStringLiteral("[matrix] ") + b.matrix.columns.join(QStringLiteral(", "));
                for (const auto& r : b.matrix.rows)
                    lines << r.label;
                break;
            }
        }
    }
    return lines.join(u'\n') + u'\n';
}

} // namespace jwb::report
