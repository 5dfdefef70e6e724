// SPDX-License-Identifier: Apache-2.0
// The JWT library advisories: a strict reader of the bundled list and the version ordering used to
// decide whether an installed version is affected.

#include "estate/Advisories.h"

#include "policy/CoreResources.h"
#include "util/BoundedRead.h"

#include <QDate>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <initializer_list>
#include <cstring>
#include <vector>

namespace jwb::estate {

namespace {

constexpr qint64 kMaxAdvisoriesBytes = 4 * 1024 * 1024;
constexpr int kFormatVersion = 1;

const QStringList& weaknessNames()
{
    static const QStringList names{QStringLiteral("algorithm_confusion"), QStringLiteral("none_algorithm"),
                                   QStringLiteral("key_selection"),       QStringLiteral("claim_check"),
                                   QStringLiteral("signature"),           QStringLiteral("parser"),
                                   QStringLiteral("denial_of_service")};
    return names;
}

// ---- version ordering ----

// A numeric part or a tag ("rc", "post").
struct Part {
    bool numeric = false;
    QString text; // digits without leading zeros ("" is zero), or a lower-case tag
};

std::vector<Part> splitVersion(QStringView version)
{
    if (version.startsWith(u'v') || version.startsWith(u'V'))
        version = version.mid(1);
    if (const qsizetype plus = version.indexOf(u'+'); plus >= 0)
        version = version.left(plus); // build metadata never orders versions
    std::vector<Part> parts;
    qsizetype i = 0;
    while (i < version.size()) {
        const QChar c = version.at(i);
        if (c.isDigit()) {
            qsizetype j = i;
            while (j < version.size() && version.at(j).isDigit())
                ++j;
            QString digits = version.mid(i, j - i).toString();
            while (digits.startsWith(u'0'))
                digits.remove(0, 1);
            parts.push_back({true, digits});
            i = j;
        } else if (c.isLetter()) {
            qsizetype j = i;
            while (j < version.size() && version.at(j).isLetter())
                ++j;
            parts.push_back({false, version.mid(i, j - i).toString().toLower()});
            i = j;
        } else {
            ++i; // separators: . - _ ~
        }
    }
    return parts;
}

// Where a tag sorts against the release it qualifies (0): pre-release tags below, post-release
// tags above. An unknown tag is taken for a pre-release, the common case ("1.0.0-beta2").
int tagRank(const QString& tag)
{
    static const std::initializer_list<std::pair<const char16_t*, int>> ranks = {
        {u"dev", -6},   {u"snapshot", -6}, {u"alpha", -5}, {u"a", -5},   {u"beta", -4},     {u"b", -4},
        {u"milestone", -3}, {u"m", -3},    {u"pre", -2},   {u"preview", -2}, {u"rc", -1},   {u"c", -1},
        {u"cr", -1},    {u"final", 0},     {u"ga", 0},     {u"release", 0}, {u"post", 1},   {u"p", 1},
        {u"patch", 1},  {u"sp", 1},        {u"r", 1},
    };
    for (const auto& [name, rank] : ranks) {
        if (tag == QStringView(name))
            return rank;
    }
    return -2;
}

int compareNumbers(const QString& a, const QString& b)
{
    if (a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// How the parts left over after the shorter version ended compare with "nothing": zeros and
// release tags are nothing, a number is more, a pre-release tag is less, a post-release tag more.
int compareRest(const std::vector<Part>& parts, std::size_t from)
{
    for (std::size_t i = from; i < parts.size(); ++i) {
        const Part& p = parts[i];
        if (p.numeric) {
            if (!p.text.isEmpty())
                return 1;
            continue;
        }
        const int rank = tagRank(p.text);
        if (rank != 0)
            return rank < 0 ? -1 : 1;
    }
    return 0;
}

QString str(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toString();
}

} // namespace

int compareVersions(QStringView a, QStringView b)
{
    const std::vector<Part> pa = splitVersion(a);
    const std::vector<Part> pb = splitVersion(b);
    const std::size_t n = std::min(pa.size(), pb.size());
    for (std::size_t i = 0; i < n; ++i) {
        const Part& x = pa[i];
        const Part& y = pb[i];
        int c = 0;
        if (x.numeric && y.numeric) {
            c = compareNumbers(x.text, y.text);
        } else if (!x.numeric && !y.numeric) {
            const int rx = tagRank(x.text);
            const int ry = tagRank(y.text);
            c = rx != ry ? (rx < ry ? -1 : 1) : std::clamp(x.text.compare(y.text), -1, 1);
        } else {
            // A number against a tag: "1.0.1" > "1.0-rc1"; "1.0.post1" > "1.0.0"... the tag decides.
            const int rank = tagRank(x.numeric ? y.text : x.text);
            const int tagSide = rank >= 0 ? 1 : -1; // how the tagged side compares
            c = x.numeric ? -tagSide : tagSide;
        }
        if (c != 0)
            return c;
    }
    if (pa.size() == pb.size())
        return 0;
    return pa.size() > pb.size() ? compareRest(pa, n) : -compareRest(pb, n);
}

bool versionInRange(QStringView version, const AffectedRange& range)
{
    if (!range.introduced.isEmpty() && range.introduced != u"0" && compareVersions(version, range.introduced) < 0)
        return false;
    if (!range.fixed.isEmpty())
        return compareVersions(version, range.fixed) < 0;
    if (!range.lastAffected.isEmpty())
        return compareVersions(version, range.lastAffected) <= 0;
    return true;
}

QList<Advisory> matchAdvisories(const AdvisoryDb& db, QStringView library, QStringView version, QStringView ecosystem)
{
    QList<Advisory> matches;
    for (const Advisory& a : db.advisories) {
        if (!ecosystem.isEmpty() && a.ecosystem.compare(ecosystem, Qt::CaseInsensitive) != 0)
            continue;
        bool named = a.library.compare(library, Qt::CaseInsensitive) == 0;
        for (const QString& alias : a.libraryAliases)
            named = named || alias.compare(library, Qt::CaseInsensitive) == 0;
        if (!named)
            continue;
        if (std::any_of(a.affected.begin(), a.affected.end(),
                        [version](const AffectedRange& r) { return versionInRange(version, r); }))
            matches.append(a);
    }
    return matches;
}

Result<AdvisoryDb> parseAdvisories(const QByteArray& json, const QString& sourceName)
{
    const auto bad = [&sourceName](const QString& where, const QString& message) {
        return Error{QStringLiteral("ERR_ADVISORIES_FORMAT"), message,
                     where.isEmpty() ? sourceName : sourceName + QStringLiteral(": ") + where};
    };
    if (json.size() > kMaxAdvisoriesBytes)
        return bad(QString(), QStringLiteral("the advisories file is larger than %1 bytes").arg(kMaxAdvisoriesBytes));
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{QStringLiteral("ERR_ADVISORIES_SYNTAX"),
                     QStringLiteral("not valid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()),
                     sourceName};
    if (!doc.isObject())
        return bad(QString(), QStringLiteral("the advisories file must be a JSON object"));
    const QJsonObject root = doc.object();
    const auto unknown = [](const QJsonObject& o, std::initializer_list<const char*> allowed) -> QString {
        for (auto it = o.begin(); it != o.end(); ++it) {
            bool known = false;
            for (const char* name : allowed)
                known = known || it.key() == QLatin1String(name);
            if (!known)
                return it.key();
        }
        return QString();
    };
    if (const QString k = unknown(root, {"jwt_advisories", "updated", "description", "advisories"}); !k.isEmpty())
        return bad(k, QStringLiteral("unknown field \"%1\"").arg(k));
    if (root.value(QStringLiteral("jwt_advisories")).toInt(-1) != kFormatVersion)
        return bad(QStringLiteral("jwt_advisories"), QStringLiteral("expected format version %1").arg(kFormatVersion));
    AdvisoryDb db;
    db.updated = str(root, "updated");
    if (!QDate::fromString(db.updated, Qt::ISODate).isValid() || db.updated.size() != 10)
        return bad(QStringLiteral("updated"), QStringLiteral("expected the date of the last check, as 2026-12-31"));
    if (!root.value(QStringLiteral("advisories")).isArray())
        return bad(QStringLiteral("advisories"), QStringLiteral("expected a list of advisories"));
    const QJsonArray list = root.value(QStringLiteral("advisories")).toArray();
    QStringList ids;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("advisories[%1]").arg(i);
        if (!list.at(i).isObject())
            return bad(where, QStringLiteral("expected an object"));
        const QJsonObject o = list.at(i).toObject();
        if (const QString k = unknown(o, {"id", "aliases", "ecosystem", "library", "library_aliases", "weakness",
                                          "affected", "fixed", "summary", "reference"});
            !k.isEmpty())
            return bad(where + u'.' + k, QStringLiteral("unknown field \"%1\"").arg(k));
        for (const char* required : {"id", "ecosystem", "library", "weakness", "summary", "reference"}) {
            if (!o.value(QLatin1String(required)).isString() || str(o, required).isEmpty())
                return bad(where + u'.' + QLatin1String(required), QStringLiteral("a non-empty string is required"));
        }
        Advisory a;
        a.id = str(o, "id");
        a.ecosystem = str(o, "ecosystem");
        a.library = str(o, "library");
        a.weakness = str(o, "weakness");
        a.summary = str(o, "summary");
        a.reference = str(o, "reference");
        if (ids.contains(a.id + u'/' + a.library))
            return bad(where + QStringLiteral(".id"), QStringLiteral("%1 is listed twice for %2").arg(a.id, a.library));
        ids << a.id + u'/' + a.library;
        if (!weaknessNames().contains(a.weakness))
            return bad(where + QStringLiteral(".weakness"),
                       QStringLiteral("\"%1\" is not one of: %2").arg(a.weakness, weaknessNames().join(QStringLiteral(", "))));
        if (!a.reference.startsWith(QStringLiteral("https://")))
            return bad(where + QStringLiteral(".reference"), QStringLiteral("expected an https URL"));
        for (const char* listName : {"aliases", "library_aliases"}) {
            const QJsonValue v = o.value(QLatin1String(listName));
            if (v.isUndefined())
                continue;
            if (!v.isArray())
                return bad(where + u'.' + QLatin1String(listName), QStringLiteral("expected a list of strings"));
            QStringList values;
            for (const QJsonValue item : v.toArray()) {
                if (!item.isString() || item.toString().isEmpty())
                    return bad(where + u'.' + QLatin1String(listName), QStringLiteral("expected a list of strings"));
                values << item.toString();
            }
            (std::strcmp(listName, "aliases") == 0 ? a.aliases : a.libraryAliases) = values;
        }
        const QJsonValue fixed = o.value(QStringLiteral("fixed"));
        if (!fixed.isNull() && !fixed.isUndefined() && !fixed.isString())
            return bad(where + QStringLiteral(".fixed"), QStringLiteral("expected a version or null"));
        a.fixed = fixed.toString();
        const QJsonValue affected = o.value(QStringLiteral("affected"));
        if (!affected.isArray() || affected.toArray().isEmpty())
            return bad(where + QStringLiteral(".affected"), QStringLiteral("expected a non-empty list of ranges"));
        const QJsonArray ranges = affected.toArray();
        for (qsizetype r = 0; r < ranges.size(); ++r) {
            const QString rangeWhere = where + QStringLiteral(".affected[%1]").arg(r);
            const QJsonObject ro = ranges.at(r).toObject();
            if (!ranges.at(r).isObject())
                return bad(rangeWhere, QStringLiteral("expected {introduced, fixed} or {introduced, last_affected}"));
            if (const QString k = unknown(ro, {"introduced", "fixed", "last_affected"}); !k.isEmpty())
                return bad(rangeWhere + u'.' + k, QStringLiteral("unknown field \"%1\"").arg(k));
            AffectedRange range{str(ro, "introduced"), str(ro, "fixed"), str(ro, "last_affected")};
            if (range.introduced.isEmpty() || (range.fixed.isEmpty() == range.lastAffected.isEmpty()))
                return bad(rangeWhere,
                           QStringLiteral("a range has \"introduced\" and exactly one of \"fixed\" or \"last_affected\""));
            for (const QString& version : {range.introduced, range.fixed, range.lastAffected}) {
                if (!version.isEmpty() && splitVersion(version).empty())
                    return bad(rangeWhere, QStringLiteral("\"%1\" is not a version").arg(version));
            }
            a.affected.append(range);
        }
        db.advisories.append(std::move(a));
    }
    return db;
}

Result<AdvisoryDb> loadAdvisoriesFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("ERR_ADVISORIES_READ"),
                     QStringLiteral("cannot read the advisories file: %1").arg(file.errorString()), path};
    if (file.size() > kMaxAdvisoriesBytes)
        return Error{QStringLiteral("ERR_ADVISORIES_FORMAT"),
                     QStringLiteral("the advisories file is larger than %1 bytes").arg(kMaxAdvisoriesBytes), path};
    return parseAdvisories(util::readAtMost(file, kMaxAdvisoriesBytes), path);
}

Result<AdvisoryDb> loadBundledAdvisories()
{
    ensureCoreResources();
    return loadAdvisoriesFile(QStringLiteral(":/advisories/jwt-libraries.json"));
}

} // namespace jwb::estate
