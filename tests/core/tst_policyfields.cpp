// SPDX-License-Identifier: Apache-2.0
// The field table of policy format v1 (PolicyFields): complete and consistent, and what the reader,
// the writer, RuleField and the JSON Schema do agrees with it.

#include "policy/PolicyFields.h"
#include "policy/PolicyIO.h"
#include "policy/RuleField.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <limits>

using namespace jwb;
using namespace jwb::policy;

namespace {

const QString kSchemaPath = QStringLiteral(JWB_SOURCE_DIR "/resources/schema/jwt-policy-v1.schema.json");
const QString kReferencePath = QStringLiteral(JWB_SOURCE_DIR "/docs/policy-format.md");

constexpr Section kSections[] = {Section::Root,          Section::Rules,     Section::Issuer,    Section::Keys,
                                 Section::Refresh,       Section::Jwks,      Section::Exception, Section::Allow,
                                 Section::ExceptionKeys, Section::Delegation, Section::Deployment};

// A small policy in which `{F}` stands where one member of a mapping of `section` goes.
QByteArray hostFor(Section section)
{
    switch (section) {
    case Section::Root: return "jwt_policy: 1\n{F}\n";
    case Section::Rules: return "jwt_policy: 1\ndefaults:\n  {F}\n";
    case Section::Issuer: return "jwt_policy: 1\nissuers:\n  - issuer: a\n    {F}\n";
    case Section::Keys: return "jwt_policy: 1\nissuers:\n  - issuer: a\n    keys:\n      {F}\n";
    case Section::Refresh: return "jwt_policy: 1\nissuers:\n  - issuer: a\n    keys:\n      refresh:\n        {F}\n";
    case Section::Jwks: return "jwt_policy: 1\nissuers:\n  - issuer: a\n    keys:\n      jwks:\n        keys: []\n        {F}\n";
    case Section::Exception:
        return "jwt_policy: 1\nissuers:\n  - issuer: a\nexceptions:\n  - id: e\n    expires: 2030-01-01\n"
               "    issuer: a\n    {F}\n";
    case Section::Allow:
        return "jwt_policy: 1\nissuers:\n  - issuer: a\nexceptions:\n  - id: e\n    expires: 2030-01-01\n"
               "    issuer: a\n    allow:\n      {F}\n";
    case Section::ExceptionKeys:
        return "jwt_policy: 1\nissuers:\n  - issuer: a\nexceptions:\n  - id: e\n    expires: 2030-01-01\n"
               "    issuer: a\n    allow:\n      keys:\n        {F}\n";
    case Section::Delegation: return "jwt_policy: 1\ndelegation:\n  {F}\n";
    case Section::Deployment: return "jwt_policy: 1\ndeployments:\n  - target: envoy\n    {F}\n";
    case Section::None: break;
    }
    return {};
}

Result<Policy> parseWith(Section section, const QByteArray& member)
{
    // A deployment's target is the one required member a host already holds: give it its own host.
    QByteArray text = section == Section::Deployment && member.startsWith("target:")
                          ? QByteArray("jwt_policy: 1\ndeployments:\n  - {F}\n")
                          : hostFor(section);
    text.replace("{F}", member);
    return parsePolicy(text, Format::Yaml, QStringLiteral("policy.yaml"), QString());
}

QByteArray latin1(std::string_view s) { return QByteArray(s.data(), static_cast<qsizetype>(s.size())); }

// ---- the schema side

class SchemaWalk {
public:
    explicit SchemaWalk(const QJsonObject& root) : m_root(root) {}

    // Follows "$ref" (local pointers only, as the schema uses).
    QJsonObject resolve(QJsonObject node) const
    {
        while (node.contains(QLatin1String("$ref"))) {
            const QString ref = node.value(QLatin1String("$ref")).toString();
            QJsonObject target = m_root;
            for (const QString& part : ref.mid(2).split(u'/', Qt::SkipEmptyParts))
                target = target.value(part).toObject();
            // Annotations written beside a $ref (a default) stay with the property.
            for (auto it = node.begin(); it != node.end(); ++it)
                if (it.key() != QLatin1String("$ref") && !target.contains(it.key()))
                    target.insert(it.key(), it.value());
            node = target;
        }
        return node;
    }

    // Every difference between the table's `section` and the schema object `object`, as sentences.
    void compare(Section section, const QJsonObject& object, const QString& where, QStringList& problems) const
    {
        const QJsonObject properties = object.value(QLatin1String("properties")).toObject();
        if (object.value(QLatin1String("additionalProperties")).toBool(true))
            problems << where + QStringLiteral(": the schema allows members the loader refuses");
        QSet<QString> tableNames;
        QStringList tableRequired;
        for (const FieldSpec& f : fieldsOf(section)) {
            const QString name = fieldName(f);
            tableNames.insert(name);
            if (f.required)
                tableRequired << name;
            const QString at = where + u'.' + name;
            if (!properties.contains(name)) {
                problems << at + QStringLiteral(": in the table, not in the schema");
                continue;
            }
            compareField(f, resolve(properties.value(name).toObject()), at, problems);
        }
        for (auto it = properties.begin(); it != properties.end(); ++it)
            if (!tableNames.contains(it.key()))
                problems << where + u'.' + it.key() + QStringLiteral(": in the schema, not in the table");
        QStringList schemaRequired;
        for (const QJsonValue& v : object.value(QLatin1String("required")).toArray())
            schemaRequired << v.toString();
        schemaRequired.sort();
        tableRequired.sort();
        if (schemaRequired != tableRequired)
            problems << where + QStringLiteral(": required is [%1] in the schema, [%2] in the table")
                                    .arg(schemaRequired.join(u','), tableRequired.join(u','));
    }

private:
    void compareField(const FieldSpec& f, const QJsonObject& p, const QString& at, QStringList& problems) const
    {
        const QString type = p.value(QLatin1String("type")).toString();
        const auto expectType = [&](const QString& wanted) {
            if (type != wanted)
                problems << at + QStringLiteral(": type %1 in the schema, %2 in the table").arg(type, wanted);
        };
        switch (f.type) {
        case FieldType::Version:
            if (p.value(QLatin1String("const")).toInteger(-1) != f.minimum || f.minimum != f.maximum)
                problems << at + QStringLiteral(": the version is not the schema's const");
            break;
        case FieldType::String:
            expectType(QStringLiteral("string"));
            if (p.contains(QLatin1String("minLength")))
                problems << at + QStringLiteral(": the schema refuses empty strings, the table does not");
            break;
        case FieldType::NonEmptyString:
            expectType(QStringLiteral("string"));
            if (p.value(QLatin1String("minLength")).toInt() != 1)
                problems << at + QStringLiteral(": the schema accepts empty strings");
            break;
        case FieldType::Instant:
            expectType(QStringLiteral("string"));
            if (!p.contains(QLatin1String("pattern")))
                problems << at + QStringLiteral(": the schema has no date pattern");
            break;
        case FieldType::Integer: {
            expectType(QStringLiteral("integer"));
            // JSON numbers are doubles: the largest bounds compare as the nearest double.
            if (p.value(QLatin1String("minimum")).toDouble(-1e300) != static_cast<double>(f.minimum)
                || p.value(QLatin1String("maximum")).toDouble(-1e300) != static_cast<double>(f.maximum))
                problems << at + QStringLiteral(": range %1..%2 in the schema, %3..%4 in the table")
                                     .arg(p.value(QLatin1String("minimum")).toDouble())
                                     .arg(p.value(QLatin1String("maximum")).toDouble())
                                     .arg(f.minimum)
                                     .arg(f.maximum);
            break;
        }
        case FieldType::Boolean:
            expectType(QStringLiteral("boolean"));
            break;
        case FieldType::StringList: {
            expectType(QStringLiteral("array"));
            const QJsonObject items = resolve(p.value(QLatin1String("items")).toObject());
            if (items.value(QLatin1String("type")).toString() != QLatin1String("string")
                || items.value(QLatin1String("minLength")).toInt() != 1)
                problems << at + QStringLiteral(": the items are not non-empty strings");
            break;
        }
        case FieldType::Choice: {
            QStringList schemaChoices;
            for (const QJsonValue& v : p.value(QLatin1String("enum")).toArray())
                schemaChoices << v.toString();
            if (schemaChoices != choicesOf(f))
                problems << at + QStringLiteral(": choices [%1] in the schema, [%2] in the table")
                                     .arg(schemaChoices.join(u','), choicesOf(f).join(u','));
            break;
        }
        case FieldType::Mapping:
            expectType(QStringLiteral("object"));
            compare(f.child, p, at, problems);
            break;
        case FieldType::List: {
            expectType(QStringLiteral("array"));
            const QJsonObject items = resolve(p.value(QLatin1String("items")).toObject());
            if (f.child != Section::None)
                compare(f.child, items, at + QStringLiteral("[]"), problems);
            else if (items.value(QLatin1String("type")).toString() != QLatin1String("object"))
                problems << at + QStringLiteral(": the items are not objects");
            break;
        }
        }
        // The built-in value, where there is one, is the schema's default.
        const bool hasDefault = p.contains(QLatin1String("default"));
        if (f.builtIn.empty() != !hasDefault) {
            problems << at + QStringLiteral(": default %1 in the schema, %2 in the table")
                                 .arg(hasDefault ? QStringLiteral("present") : QStringLiteral("absent"),
                                      f.builtIn.empty() ? QStringLiteral("absent") : QStringLiteral("present"));
        } else if (hasDefault) {
            const QJsonValue table = QJsonDocument::fromJson("[" + latin1(f.builtIn) + "]").array().at(0);
            if (table != p.value(QLatin1String("default")))
                problems << at + QStringLiteral(": default %1 in the schema, %2 in the table")
                                     .arg(QString::fromUtf8(QJsonDocument(QJsonArray{p.value(QLatin1String("default"))})
                                                                .toJson(QJsonDocument::Compact)),
                                          QString::fromLatin1(latin1(f.builtIn)));
        }
    }

    QJsonObject m_root;
};

QJsonValue builtInValue(Section section, std::string_view name)
{
    return QJsonDocument::fromJson("[" + latin1(field(section, name).builtIn) + "]").array().at(0);
}

QJsonArray jsonList(const QStringList& list) { return QJsonArray::fromStringList(list); }

} // namespace

class TestPolicyFields final : public QObject {
    Q_OBJECT

private slots:
    void table_isGroupedBySectionWithUniqueNames();
    void table_everyFieldIsComplete();
    void table_builtInValuesAreTheModelsDefaults();
    void schema_agreesWithTableBothWays();
    void reader_allowsExactlyTheTableKeysInTableOrder_data();
    void reader_allowsExactlyTheTableKeysInTableOrder();
    void reader_rangeBoundsFromTable_data();
    void reader_rangeBoundsFromTable();
    void reader_choicesFromTable();
    void writer_writesEveryMappingInTableOrder();
    void ruleField_namesAreTheRulesSection();
    void checkRules_refusesWhatTheLoaderRefuses_data();
    void checkRules_refusesWhatTheLoaderRefuses();
    void checkAllow_refusesOutOfRangeAndEmptyEntries();
    void formatReference_hasARowForEveryField();
};

void TestPolicyFields::table_isGroupedBySectionWithUniqueNames()
{
    QSet<int> closed;
    int current = -1;
    for (const FieldSpec& f : policyFields()) {
        const int s = static_cast<int>(f.section);
        if (s != current) {
            QVERIFY2(!closed.contains(s), qPrintable(QStringLiteral("section %1 is split").arg(sectionName(f.section))));
            if (current >= 0)
                closed.insert(current);
            current = s;
        }
    }
    qsizetype total = 0;
    for (Section section : kSections) {
        QSet<QString> names;
        for (const FieldSpec& f : fieldsOf(section)) {
            QVERIFY2(!names.contains(fieldName(f)), qPrintable(fieldName(f)));
            names.insert(fieldName(f));
            QCOMPARE(findField(section, f.name), &f);
        }
        QVERIFY2(!names.isEmpty(), qPrintable(sectionName(section)));
        total += names.size();
    }
    QCOMPARE(total, static_cast<qsizetype>(policyFields().size()));
    QVERIFY(fieldsOf(Section::None).empty());
    QVERIFY(!findField(Section::Rules, "clock_skew"));
}

void TestPolicyFields::table_everyFieldIsComplete()
{
    QSet<int> reached{static_cast<int>(Section::Root)};
    for (const FieldSpec& f : policyFields()) {
        const QString at = sectionName(f.section) + u'.' + fieldName(f);
        QVERIFY2(!f.help.empty(), qPrintable(at + QStringLiteral(": no help text")));
        const bool integral = f.type == FieldType::Integer || f.type == FieldType::Version;
        QVERIFY2(!integral || f.minimum <= f.maximum, qPrintable(at));
        QVERIFY2(integral || (f.minimum == 0 && f.maximum == 0), qPrintable(at + QStringLiteral(": a range on a non-number")));
        QVERIFY2((f.type == FieldType::Choice) == !f.choices.empty(), qPrintable(at));
        QVERIFY2(f.type == FieldType::Mapping || f.type == FieldType::List || f.child == Section::None, qPrintable(at));
        QVERIFY2(f.type != FieldType::Mapping || f.child != Section::None, qPrintable(at));
        QVERIFY2((f.section == Section::Rules) == (f.inherit == Inherit::FromDefaults), qPrintable(at));
        QVERIFY2((f.section == Section::Allow) == (f.inherit == Inherit::ByException), qPrintable(at));
        if (!f.builtIn.empty()) {
            QJsonParseError error{};
            QJsonDocument::fromJson("[" + latin1(f.builtIn) + "]", &error);
            QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(at + QStringLiteral(": built-in value is not JSON")));
        }
        if (f.child != Section::None)
            reached.insert(static_cast<int>(f.child));
    }
    // Every section is reachable from the top level.
    for (Section section : kSections)
        QVERIFY2(reached.contains(static_cast<int>(section)), qPrintable(sectionName(section)));
}

void TestPolicyFields::table_builtInValuesAreTheModelsDefaults()
{
    const EffectiveRules builtIn;
    QCOMPARE(builtInValue(Section::Rules, "algorithms"), QJsonValue(jsonList(builtIn.algorithms)));
    QCOMPARE(builtInValue(Section::Rules, "clock_skew_seconds"), QJsonValue(builtIn.clockSkewSeconds));
    QVERIFY(!builtIn.maxLifetimeSeconds);
    QVERIFY(field(Section::Rules, "max_lifetime_seconds").builtIn.empty());
    QCOMPARE(builtInValue(Section::Rules, "required_claims"), QJsonValue(jsonList(builtIn.requiredClaims)));
    QCOMPARE(builtInValue(Section::Rules, "allowed_headers"), QJsonValue(jsonList(builtIn.allowedHeaders)));
    QVERIFY(!builtIn.allowedTypes);
    QVERIFY(field(Section::Rules, "allowed_types").builtIn.empty());
    QCOMPARE(builtInValue(Section::Rules, "require_type"), QJsonValue(builtIn.requireType));
    QCOMPARE(builtInValue(Section::Rules, "require_kid"), QJsonValue(builtIn.requireKid));
    QCOMPARE(builtInValue(Section::Rules, "max_token_bytes"), QJsonValue(builtIn.maxTokenBytes));

    const Delegation delegation;
    QCOMPARE(builtInValue(Section::Delegation, "act"), QJsonValue(QStringLiteral("reject")));
    QCOMPARE(delegation.act, Delegation::Act::Reject);
    QCOMPARE(builtInValue(Section::Delegation, "max_chain"), QJsonValue(delegation.maxChain));
    QCOMPARE(builtInValue(Section::Delegation, "nested"), QJsonValue(QStringLiteral("reject")));
    QCOMPARE(delegation.nested, Delegation::Nested::Reject);
    QCOMPARE(builtInValue(Section::Delegation, "max_nested_depth"), QJsonValue(delegation.maxNestedDepth));
    QCOMPARE(builtInValue(Section::Root, "revision"), QJsonValue(Policy().revision));
    QCOMPARE(builtInValue(Section::Deployment, "only_verifier"), QJsonValue(Deployment().onlyVerifier));
    QCOMPARE(field(Section::Rules, "clock_skew_seconds").maximum, qint64(kMaxClockSkewSeconds));
    QCOMPARE(field(Section::Root, "jwt_policy").minimum, qint64(kFormatVersion));
}

void TestPolicyFields::schema_agreesWithTableBothWays()
{
    QFile file(kSchemaPath);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(kSchemaPath));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    QVERIFY(!root.isEmpty());
    QStringList problems;
    SchemaWalk(root).compare(Section::Root, root, QStringLiteral("policy"), problems);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestPolicyFields::reader_allowsExactlyTheTableKeysInTableOrder_data()
{
    QTest::addColumn<int>("section");
    for (Section section : kSections)
        QTest::newRow(qPrintable(sectionName(section))) << static_cast<int>(section);
}

void TestPolicyFields::reader_allowsExactlyTheTableKeysInTableOrder()
{
    QFETCH(int, section);
    const auto s = static_cast<Section>(section);
    const Result<Policy> loaded = parseWith(s, "not_a_field: 1");
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, QStringLiteral("ERR_POLICY_UNKNOWN_FIELD"));
    QStringList names;
    for (const FieldSpec& f : fieldsOf(s))
        names << fieldName(f);
    QVERIFY2(loaded.error().message.endsWith(QStringLiteral("(allowed here: %1)").arg(names.join(QStringLiteral(", ")))),
             qPrintable(loaded.error().message));
}

void TestPolicyFields::reader_rangeBoundsFromTable_data()
{
    QTest::addColumn<int>("section");
    QTest::addColumn<QByteArray>("member");
    QTest::addColumn<QString>("code"); // empty: loads
    for (const FieldSpec& f : policyFields()) {
        if (f.type != FieldType::Integer && f.type != FieldType::Version)
            continue;
        const QByteArray name = latin1(f.name);
        const auto row = [&](const char* what, const QByteArray& value, const QString& code) {
            QTest::newRow(qPrintable(sectionName(f.section) + u'.' + fieldName(f) + u' ' + QLatin1String(what)))
                << static_cast<int>(f.section) << QByteArray(name + ": " + value) << code;
        };
        const QString refused = f.type == FieldType::Version ? QStringLiteral("ERR_POLICY_VERSION")
                                                             : QStringLiteral("ERR_POLICY_RANGE");
        if (f.type == FieldType::Version) {
            // Every host already starts with jwt_policy: the version is the whole text (section -1).
            for (const qint64 version : {f.minimum - 1, f.maximum + 1})
                QTest::newRow(qPrintable(QStringLiteral("jwt_policy %1").arg(version)))
                    << -1 << QByteArray(name + ": " + QByteArray::number(version)) << refused;
            continue;
        }
        row("min", QByteArray::number(f.minimum), QString());
        row("max", QByteArray::number(f.maximum), QString());
        row("min-1", QByteArray::number(f.minimum - 1), refused);
        // max+1 of the widest fields is beyond qint64: written out, it is still refused as a range error.
        row("max+1",
            f.maximum == std::numeric_limits<qint64>::max() ? QByteArray("9223372036854775808")
                                                            : QByteArray::number(f.maximum + 1),
            refused);
    }
}

void TestPolicyFields::reader_rangeBoundsFromTable()
{
    QFETCH(int, section);
    QFETCH(QByteArray, member);
    QFETCH(QString, code);
    const Result<Policy> loaded = section < 0 ? parsePolicy(member, Format::Yaml, QStringLiteral("policy.yaml"), QString())
                                              : parseWith(static_cast<Section>(section), member);
    if (code.isEmpty()) {
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
        return;
    }
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, code);
    const QByteArray name = member.left(member.indexOf(':'));
    QVERIFY2(loaded.error().location.endsWith(QString::fromLatin1(name)), qPrintable(loaded.error().location));
}

void TestPolicyFields::reader_choicesFromTable()
{
    for (const FieldSpec& f : policyFields()) {
        if (f.type != FieldType::Choice)
            continue;
        for (const QString& choice : choicesOf(f)) {
            const Result<Policy> loaded = parseWith(f.section, latin1(f.name) + ": " + choice.toLatin1());
            QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
        }
        const Result<Policy> wrong = parseWith(f.section, latin1(f.name) + ": sometimes");
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, QStringLiteral("ERR_POLICY_VALUE"));
        QCOMPARE(wrong.error().message,
                 QStringLiteral("\"sometimes\" is not one of: %1").arg(choicesOf(f).join(QStringLiteral(", "))));
    }
}

void TestPolicyFields::writer_writesEveryMappingInTableOrder()
{
    // A policy with every field set, so that every mapping the writer produces is complete.
    Policy p;
    p.name = QStringLiteral("all-fields");
    p.owner = QStringLiteral("team");
    p.revision = 3;
    Rules rules;
    rules.algorithms = QStringList{QStringLiteral("RS256")};
    rules.clockSkewSeconds = 5;
    rules.maxLifetimeSeconds = 600;
    rules.requiredClaims = QStringList{QStringLiteral("exp")};
    rules.allowedHeaders = QStringList{QStringLiteral("alg")};
    rules.allowedTypes = QStringList{QStringLiteral("JWT")};
    rules.requireType = true;
    rules.requireKid = true;
    rules.maxTokenBytes = 4096;
    p.defaults = rules;
    Issuer issuer;
    issuer.issuer = QStringLiteral("https://a.example/");
    issuer.trustDomain = QStringLiteral("d");
    issuer.audiences = QStringList{QStringLiteral("api")};
    issuer.subjects = QStringList{QStringLiteral("s")};
    const QJsonObject jwks{{QStringLiteral("keys"), QJsonArray{}}};
    issuer.keys.jwks = jwks;
    issuer.keys.jwksFile = QStringLiteral("a.jwks.json");
    issuer.keys.pemFiles = QStringList{QStringLiteral("a.pem")};
    issuer.keys.jwksUri = QStringLiteral("https://a.example/jwks");
    issuer.keys.testJwks = jwks;
    issuer.keys.refresh = KeyRefresh{60, 600, true, 10};
    issuer.overrides = rules;
    p.issuers.append(issuer);
    PolicyException e;
    e.id = QStringLiteral("e1");
    e.owner = QStringLiteral("o");
    e.reason = QStringLiteral("r");
    e.expires = QDateTime(QDate(2030, 1, 2), QTime(0, 0), Qt::UTC);
    e.expiresIsDate = true;
    e.issuer = issuer.issuer;
    e.allow.algorithms = QStringList{QStringLiteral("HS256")};
    e.allow.headers = QStringList{QStringLiteral("x")};
    e.allow.clockSkewSeconds = 30;
    e.allow.maxLifetimeSeconds = 900;
    e.allow.kids = QStringList{QStringLiteral("k")};
    KeySources extra;
    extra.jwks = jwks;
    extra.jwksFile = QStringLiteral("b.jwks.json");
    extra.pemFiles = QStringList{QStringLiteral("b.pem")};
    e.allow.keys = extra;
    p.exceptions.append(e);
    p.hasDelegation = true;
    p.delegation.allowedActors = QStringList{QStringLiteral("actor")};
    p.deployments.append(Deployment{QStringLiteral("envoy"), true});

    // The mappings of that policy, by path prefix, with their sections.
    const std::pair<QString, Section> mappings[] = {
        {QString(), Section::Root},
        {QStringLiteral("defaults."), Section::Rules},
        {QStringLiteral("issuers[0]."), Section::Issuer},
        {QStringLiteral("issuers[0].keys."), Section::Keys},
        {QStringLiteral("issuers[0].keys.refresh."), Section::Refresh},
        {QStringLiteral("issuers[0].keys.jwks."), Section::Jwks},
        {QStringLiteral("issuers[0].overrides."), Section::Rules},
        {QStringLiteral("exceptions[0]."), Section::Exception},
        {QStringLiteral("exceptions[0].allow."), Section::Allow},
        {QStringLiteral("exceptions[0].allow.keys."), Section::ExceptionKeys},
        {QStringLiteral("delegation."), Section::Delegation},
        {QStringLiteral("deployments[0]."), Section::Deployment},
    };
    for (const Format format : {Format::Yaml, Format::Json}) {
        const SourceLines lines = sourceLinesOf(serializePolicy(p, format), format);
        QVERIFY(!lines.isEmpty());
        for (const auto& [prefix, section] : mappings) {
            int previous = 0;
            for (const FieldSpec& f : fieldsOf(section)) {
                const QString path = prefix + fieldName(f);
                QVERIFY2(lines.contains(path), qPrintable(path + QStringLiteral(" was not written")));
                QVERIFY2(lines.value(path) > previous, qPrintable(path + QStringLiteral(" is out of table order")));
                previous = lines.value(path);
            }
        }
    }
}

void TestPolicyFields::ruleField_namesAreTheRulesSection()
{
    const std::span<const FieldSpec> rules = fieldsOf(Section::Rules);
    QCOMPARE(rules.size(), std::size(kRuleFields));
    for (std::size_t i = 0; i < rules.size(); ++i)
        QCOMPARE(fieldName(kRuleFields[i]), fieldName(rules[i]));
}

void TestPolicyFields::checkRules_refusesWhatTheLoaderRefuses_data()
{
    QTest::addColumn<QByteArray>("member");
    QTest::addColumn<QString>("code"); // empty: accepted by both
    for (const FieldSpec& f : fieldsOf(Section::Rules)) {
        const QByteArray name = latin1(f.name);
        if (f.type == FieldType::Integer) {
            QTest::newRow(qPrintable(fieldName(f) + QStringLiteral(" min-1")))
                << QByteArray(name + ": " + QByteArray::number(f.minimum - 1)) << QStringLiteral("ERR_POLICY_RANGE");
            QTest::newRow(qPrintable(fieldName(f) + QStringLiteral(" min")))
                << QByteArray(name + ": " + QByteArray::number(f.minimum)) << QString();
            if (f.maximum < std::numeric_limits<qint64>::max())
                QTest::newRow(qPrintable(fieldName(f) + QStringLiteral(" max+1")))
                    << QByteArray(name + ": " + QByteArray::number(f.maximum + 1)) << QStringLiteral("ERR_POLICY_RANGE");
        } else if (f.type == FieldType::StringList) {
            QTest::newRow(qPrintable(fieldName(f) + QStringLiteral(" empty entry")))
                << QByteArray(name + ": [a, \"\"]") << QStringLiteral("ERR_POLICY_VALUE");
            QTest::newRow(qPrintable(fieldName(f) + QStringLiteral(" entries"))) << QByteArray(name + ": [a, b]") << QString();
        }
    }
}

void TestPolicyFields::checkRules_refusesWhatTheLoaderRefuses()
{
    QFETCH(QByteArray, member);
    QFETCH(QString, code);
    const Result<Policy> loaded = parseWith(Section::Rules, member);
    if (code.isEmpty()) {
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
        QVERIFY(checkRules(loaded->defaults, QStringLiteral("defaults")).ok());
        return;
    }
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, code);
    // The same value, built in the model, is refused by checkRules with the loader's code and message.
    Rules rules;
    const QByteArray name = member.left(member.indexOf(':'));
    const QByteArray value = member.mid(member.indexOf(':') + 2);
    if (code == QLatin1String("ERR_POLICY_RANGE")) {
        const qint64 n = value.toLongLong();
        if (name == "clock_skew_seconds")
            rules.clockSkewSeconds = static_cast<int>(n);
        else if (name == "max_lifetime_seconds")
            rules.maxLifetimeSeconds = n;
        else if (name == "max_token_bytes")
            rules.maxTokenBytes = n;
        else
            QFAIL(name.constData());
    } else {
        const QStringList list{QStringLiteral("a"), QString()};
        if (name == "algorithms")
            rules.algorithms = list;
        else if (name == "required_claims")
            rules.requiredClaims = list;
        else if (name == "allowed_headers")
            rules.allowedHeaders = list;
        else if (name == "allowed_types")
            rules.allowedTypes = list;
        else
            QFAIL(name.constData());
    }
    const Status checked = checkRules(rules, QStringLiteral("defaults"));
    QVERIFY(!checked);
    QCOMPARE(checked.error().code, loaded.error().code);
    QCOMPARE(checked.error().message, loaded.error().message);
    QVERIFY2(loaded.error().location.endsWith(checked.error().location), qPrintable(loaded.error().location));
}

void TestPolicyFields::checkAllow_refusesOutOfRangeAndEmptyEntries()
{
    ExceptionAllow allow;
    QVERIFY(checkAllow(allow, QStringLiteral("exceptions[0].allow")).ok());
    allow.clockSkewSeconds = kMaxClockSkewSeconds + 1;
    Status s = checkAllow(allow, QStringLiteral("exceptions[0].allow"));
    QVERIFY(!s);
    QCOMPARE(s.error().code, QStringLiteral("ERR_POLICY_RANGE"));
    QCOMPARE(s.error().location, QStringLiteral("exceptions[0].allow.clock_skew_seconds"));
    allow.clockSkewSeconds.reset();
    allow.maxLifetimeSeconds = 0;
    s = checkAllow(allow, QStringLiteral("exceptions[0].allow"));
    QVERIFY(!s);
    QCOMPARE(s.error().message, QStringLiteral("must be at least 1 (got 0)"));
    allow.maxLifetimeSeconds.reset();
    allow.kids = QStringList{QString()};
    s = checkAllow(allow, QStringLiteral("exceptions[0].allow"));
    QVERIFY(!s);
    QCOMPARE(s.error().code, QStringLiteral("ERR_POLICY_VALUE"));
    QCOMPARE(s.error().location, QStringLiteral("exceptions[0].allow.kids[0]"));
}

void TestPolicyFields::formatReference_hasARowForEveryField()
{
    QFile file(kReferencePath);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(kReferencePath));
    const QString text = QString::fromUtf8(file.readAll());
    // The tables of docs/policy-format.md follow the field table: one row per field, in table order.
    qsizetype at = text.indexOf(QStringLiteral("## The fields"));
    QVERIFY(at >= 0);
    for (const FieldSpec& f : policyFields()) {
        const qsizetype row = text.indexOf(QStringLiteral("| `%1`").arg(fieldName(f)), at);
        QVERIFY2(row > at, qPrintable(sectionName(f.section) + u'.' + fieldName(f)
                                      + QStringLiteral(" has no row (in table order) in docs/policy-format.md")));
        at = row;
    }
}

QTEST_GUILESS_MAIN(TestPolicyFields)
#include "tst_policyfields.moc"
