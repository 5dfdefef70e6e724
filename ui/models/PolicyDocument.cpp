// SPDX-License-Identifier: Apache-2.0
#include "models/PolicyDocument.h"

#include "commands/AudienceCommands.h"
#include "commands/ExceptionCommands.h"
#include "commands/IssuerCommands.h"
#include "commands/PolicyCommands.h"
#include "crypto/Algorithm.h"
#include "keys/Key.h"
#include "keys/KeyPinning.h"
#include "lint/JwksUri.h"
#include "policy/PolicyFields.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUndoStack>

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

namespace jwb::ui {

namespace {

const QString kErrRange = QStringLiteral("ERR_EDIT_OUT_OF_RANGE");
const QString kErrDuplicate = QStringLiteral("ERR_EDIT_DUPLICATE");
const QString kErrEmpty = QStringLiteral("ERR_EDIT_EMPTY");
const QString kErrWhitespace = QStringLiteral("ERR_EDIT_WHITESPACE");
const QString kErrNoSuchItem = QStringLiteral("ERR_EDIT_NO_SUCH_ITEM");
const QString kErrAlgorithm = QStringLiteral("ERR_EDIT_ALGORITHM");
const QString kErrInUse = QStringLiteral("ERR_EDIT_IN_USE");
const QString kErrUri = QStringLiteral("ERR_EDIT_URI");
const QString kErrKey = QStringLiteral("ERR_EDIT_KEY");
const QString kErrNoFile = QStringLiteral("ERR_EDIT_NO_FILE");

bool hasOuterWhitespace(const QString& s)
{
    return !s.isEmpty() && (s.front().isSpace() || s.back().isSpace());
}

Status checkName(const QString& value, const QString& what, const QString& where)
{
    if (value.isEmpty())
        return Error{kErrEmpty, QStringLiteral("The %1 cannot be empty.").arg(what), where};
    if (hasOuterWhitespace(value))
        return Error{kErrWhitespace,
                     QStringLiteral("The %1 \"%2\" starts or ends with whitespace; values are compared byte for "
                                    "byte, so it would never match a token.")
                         .arg(what, value),
                     where};
    return Ok{};
}

// The document refuses what the loader refuses (policy::checkRules and checkAllow, from the field
// table), with its own ERR_EDIT_* codes. It also never writes a new entry that lint reports as an
// error (none, an algorithm it does not know) or that cannot match (outer whitespace, a repeat); an
// entry the file already holds is the loader's and lint's to judge, and does not block other edits.
// docs/policy-format.md says the same for people.
Error editError(const Error& core)
{
    const QString code = core.code == QLatin1String("ERR_POLICY_RANGE") ? kErrRange
                         : core.code == QLatin1String("ERR_POLICY_VALUE") ? kErrEmpty
                                                                         : core.code;
    // "defaults.clock_skew_seconds" -> "clock_skew_seconds must be between 0 and 300 (got 900)."
    QString field = core.location.mid(core.location.lastIndexOf(u'.') + 1);
    if (const qsizetype index = field.indexOf(u'['); index >= 0)
        field.truncate(index);
    return Error{code, QStringLiteral("%1 %2.").arg(field, core.message), core.location};
}

// The entries of `after` that `before` does not hold as often: what this edit adds.
QStringList addedEntries(const std::optional<QStringList>& before, const QStringList& after)
{
    QHash<QString, int> held;
    if (before) {
        for (const QString& s : *before)
            ++held[s];
    }
    QStringList added;
    for (const QString& s : after) {
        int& n = held[s];
        if (n > 0)
            --n;
        else
            added.append(s);
    }
    return added;
}

Status checkAddedEntries(const std::optional<QStringList>& before, const std::optional<QStringList>& after,
                         const QString& where, bool algorithms)
{
    if (!after)
        return Ok{};
    for (const QString& name : addedEntries(before, *after)) {
        if (algorithms && crypto::isNoneSpelling(name))
            return Error{kErrAlgorithm,
                         QStringLiteral("\"%1\" is an unsecured token and is never accepted (RFC 8725 section 3.1).")
                             .arg(name),
                         where};
        if (algorithms && crypto::algorithmFromName(name) == crypto::Algorithm::Unsupported)
            return Error{kErrAlgorithm, QStringLiteral("\"%1\" is not a supported JWS algorithm (RFC 7518 section 3.1).")
                                            .arg(name),
                         where};
        if (Status s = checkName(name, QStringLiteral("list entry"), where); !s)
            return s;
        if (after->count(name) > 1)
            return Error{kErrDuplicate,
                         algorithms ? QStringLiteral("Algorithm %1 is listed twice.").arg(name)
                                    : QStringLiteral("A value is listed twice."),
                         where};
    }
    return Ok{};
}

Status checkRulesEdit(const policy::Rules& before, const policy::Rules& after, const QString& where)
{
    if (Status s = policy::checkRules(after, where); !s)
        return editError(s.error());
    const std::tuple<const std::optional<QStringList>*, const std::optional<QStringList>*, const char*> lists[] = {
        {&before.algorithms, &after.algorithms, "algorithms"},
        {&before.requiredClaims, &after.requiredClaims, "required_claims"},
        {&before.allowedHeaders, &after.allowedHeaders, "allowed_headers"},
        {&before.allowedTypes, &after.allowedTypes, "allowed_types"},
    };
    for (const auto& [old, now, field] : lists) {
        const QString at = where + u'.' + QLatin1String(field);
        if (Status s = checkAddedEntries(*old, *now, at, old == &before.algorithms); !s)
            return s;
    }
    return Ok{};
}

QString quoted(const QString& s) { return s.isEmpty() ? QStringLiteral("\"\"") : s; }

} // namespace

PolicyDocument::PolicyDocument(QObject* parent) : QObject(parent), m_undoStack(new QUndoStack(this))
{
    connect(m_undoStack, &QUndoStack::cleanChanged, this, [this](bool) { emit modifiedChanged(isModified()); });
    // Undoing a column removal before its ticks are restored is fine transiently; afterwards every
    // audience an issuer lists must have a column.
    connect(m_undoStack, &QUndoStack::indexChanged, this, [this](int) {
        // The audiences in use are the keys of the sharing index: no walk over the issuers.
        QStringList missing;
        for (auto it = m_audienceUse.cbegin(); it != m_audienceUse.cend(); ++it)
            if (!m_columnOf.contains(it.key()))
                missing.append(it.key());
        missing.sort();
        for (const QString& aud : std::as_const(missing))
            applyInsertAudience(static_cast<int>(m_audiences.size()), aud);
    });
}

PolicyDocument::~PolicyDocument() = default;

bool PolicyDocument::isModified() const { return m_forcedModified || !m_undoStack->isClean(); }

bool PolicyDocument::linesMatchFile() const { return !isModified() && !m_policy.sourceLines.isEmpty(); }

QString PolicyDocument::displayName() const
{
    return m_filePath.isEmpty() ? tr("untitled") : QFileInfo(m_filePath).fileName();
}

QStringList PolicyDocument::trustDomainsForAudience(const QString& audience) const
{
    const auto it = m_audienceUse.constFind(audience);
    if (it == m_audienceUse.cend())
        return {};
    QStringList domains = it->keys();
    domains.sort();
    return domains;
}

bool PolicyDocument::audienceSharedAcrossDomains(const QString& audience) const
{
    const auto it = m_audienceUse.constFind(audience);
    return it != m_audienceUse.cend() && it->size() > 1;
}

QStringList PolicyDocument::sharedAudiences(int limit) const
{
    QStringList shared;
    if (m_sharedCount == 0)
        return shared;
    for (const QString& aud : m_audiences) {
        if (shared.size() >= limit)
            break;
        if (audienceSharedAcrossDomains(aud))
            shared.append(aud);
    }
    return shared;
}

QStringList PolicyDocument::trustDomains() const
{
    QStringList domains;
    for (auto it = m_domainUse.cbegin(); it != m_domainUse.cend(); ++it)
        if (!it.key().isEmpty())
            domains.append(it.key());
    domains.sort();
    return domains;
}

void PolicyDocument::countIssuer(const policy::Issuer& issuer, int delta, QStringList* flipped)
{
    int& inDomain = m_domainUse[issuer.trustDomain];
    inDomain += delta;
    if (inDomain <= 0)
        m_domainUse.remove(issuer.trustDomain);
    for (const QString& aud : issuer.audiences) {
        QHash<QString, int>& domains = m_audienceUse[aud];
        const bool wasShared = domains.size() > 1;
        int& n = domains[issuer.trustDomain];
        n += delta;
        if (n <= 0)
            domains.remove(issuer.trustDomain);
        const bool shared = domains.size() > 1;
        if (domains.isEmpty())
            m_audienceUse.remove(aud);
        if (shared != wasShared) {
            m_sharedCount += shared ? 1 : -1;
            if (flipped && !flipped->contains(aud))
                flipped->append(aud);
        }
    }
}

void PolicyDocument::emitSharing(const QStringList& flipped)
{
    if (!flipped.isEmpty())
        emit audienceSharingChanged(flipped);
}

void PolicyDocument::reindexColumnsFrom(int column)
{
    for (int c = column; c < m_audiences.size(); ++c)
        m_columnOf.insert(m_audiences.at(c), c);
}

void PolicyDocument::rebuildAudiences()
{
    m_audiences.clear();
    m_columnOf.clear();
    m_audienceUse.clear();
    m_domainUse.clear();
    m_sharedCount = 0;
    for (const policy::Issuer& issuer : std::as_const(m_policy.issuers)) {
        countIssuer(issuer, +1, nullptr);
        for (const QString& aud : issuer.audiences) {
            if (m_columnOf.contains(aud))
                continue;
            m_columnOf.insert(aud, static_cast<int>(m_audiences.size()));
            m_audiences.append(aud);
        }
    }
}

void PolicyDocument::reset(policy::Policy policy, const QString& filePath)
{
    emit aboutToReset();
    m_policy = std::move(policy);
    m_filePath = filePath;
    m_format = filePath.isEmpty() ? policy::Format::Yaml : policy::formatForPath(filePath);
    rebuildAudiences();
    m_forcedModified = false;
    m_undoStack->clear();
    m_undoStack->setClean();
    emit resetDone();
    emit filePathChanged(m_filePath);
    emit policyChanged();
    emit modifiedChanged(false);
}

Status PolicyDocument::open(const QString& path)
{
    Result<policy::Policy> loaded = policy::loadPolicyFile(path);
    if (!loaded)
        return loaded.error();
    reset(std::move(loaded).value(), QFileInfo(path).absoluteFilePath());
    return Ok{};
}

Status PolicyDocument::save()
{
    if (m_filePath.isEmpty())
        return Error{kErrNoFile, tr("The policy has no file yet; use Save As."), {}};
    return saveAs(m_filePath);
}

Status PolicyDocument::saveAs(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    Status written = policy::savePolicyFile(m_policy, absolute);
    if (!written)
        return written;
    const bool moved = absolute != m_filePath;
    m_filePath = absolute;
    m_format = policy::formatForPath(absolute);
    m_policy.sourcePath = absolute;
    // The file now holds the canonical text, not the one loaded: line numbers come from what was
    // written, so findings point at the right lines of the saved file.
    m_policy.sourceLines = policy::sourceLinesOf(policy::serializePolicy(m_policy, m_format), m_format);
    m_forcedModified = false;
    m_undoStack->setClean();
    if (moved)
        emit filePathChanged(m_filePath);
    emit modifiedChanged(false);
    emit saved(m_filePath);
    return Ok{};
}

Status PolicyDocument::revert()
{
    if (m_filePath.isEmpty())
        return Error{kErrNoFile, tr("The policy has no file to revert to."), {}};
    return open(m_filePath);
}

void PolicyDocument::newPolicy()
{
    // A new policy starts strict: one asymmetric pin, a small leeway, exp/iat required, kid required.
    policy::Policy fresh;
    fresh.name = QStringLiteral("new-policy");
    fresh.revision = 1;
    fresh.defaults.algorithms = QStringList{QStringLiteral("RS256")};
    fresh.defaults.clockSkewSeconds = 30;
    fresh.defaults.requiredClaims = QStringList{QStringLiteral("exp"), QStringLiteral("iat")};
    fresh.defaults.allowedHeaders = QStringList{QStringLiteral("alg"), QStringLiteral("typ"), QStringLiteral("kid")};
    fresh.defaults.requireKid = true;
    reset(std::move(fresh), {});
}

void PolicyDocument::markModified()
{
    m_forcedModified = true;
    emit modifiedChanged(true);
}

Status PolicyDocument::refuse(Error error)
{
    emit editRefused(error.toString());
    return error;
}

Status PolicyDocument::push(QUndoCommand* command)
{
    m_undoStack->push(command);
    return Ok{};
}

Status PolicyDocument::checkIssuerRow(int row) const
{
    if (row < 0 || row >= issuerCount())
        return Error{kErrNoSuchItem, tr("There is no issuer at row %1.").arg(row + 1), {}};
    return Ok{};
}

Status PolicyDocument::checkIssuerName(const QString& issuer, int ignoreRow) const
{
    Status named = checkName(issuer, tr("issuer"), QStringLiteral("issuers[].issuer"));
    if (!named)
        return named;
    for (int i = 0; i < issuerCount(); ++i)
        if (i != ignoreRow && m_policy.issuers.at(i).issuer == issuer)
            return Error{kErrDuplicate, tr("Issuer %1 is already in the policy.").arg(issuer),
                         QStringLiteral("issuers[%1].issuer").arg(i)};
    return Ok{};
}

Status PolicyDocument::validateRules(const policy::Rules& rules, const QString& where)
{
    // Every entry counts as new: the whole rule set is judged as if it were written from scratch.
    return checkRulesEdit(policy::Rules{}, rules, where);
}

// ---- meta

Status PolicyDocument::setName(const QString& name)
{
    if (name == m_policy.name)
        return Ok{};
    if (Status s = checkName(name, tr("policy name"), QStringLiteral("name")); !s)
        return refuse(s.error());
    PolicyMeta before{m_policy.name, m_policy.owner, m_policy.revision};
    PolicyMeta after = before;
    after.name = name;
    return push(new SetMetaCommand(this, before, after, tr("Rename policy to %1").arg(name), QStringLiteral("name")));
}

Status PolicyDocument::setOwner(const QString& owner)
{
    if (owner == m_policy.owner)
        return Ok{};
    PolicyMeta before{m_policy.name, m_policy.owner, m_policy.revision};
    PolicyMeta after = before;
    after.owner = owner;
    return push(new SetMetaCommand(this, before, after, tr("Set policy owner to %1").arg(quoted(owner)),
                                   QStringLiteral("owner")));
}

Status PolicyDocument::setRevision(int revision)
{
    if (revision == m_policy.revision)
        return Ok{};
    if (const QString problem = policy::rangeProblem(policy::field(policy::Section::Root, "revision"), revision);
        !problem.isEmpty())
        return refuse(Error{kErrRange, tr("revision %1.").arg(problem), QStringLiteral("revision")});
    PolicyMeta before{m_policy.name, m_policy.owner, m_policy.revision};
    PolicyMeta after = before;
    after.revision = revision;
    return push(new SetMetaCommand(this, before, after, tr("Set policy revision to %1").arg(revision),
                                   QStringLiteral("revision")));
}

// ---- issuers and the matrix

Status PolicyDocument::setAudienceAllowed(int issuerRow, int audienceColumn, bool allowed)
{
    if (Status s = checkIssuerRow(issuerRow); !s)
        return refuse(s.error());
    if (audienceColumn < 0 || audienceColumn >= m_audiences.size())
        return refuse(Error{kErrNoSuchItem, tr("There is no audience column %1.").arg(audienceColumn + 1), {}});
    const policy::Issuer& before = m_policy.issuers.at(issuerRow);
    const QString& audience = m_audiences.at(audienceColumn);
    if (before.audiences.contains(audience) == allowed)
        return Ok{};
    policy::Issuer after = before;
    if (allowed)
        after.audiences.append(audience);
    else
        after.audiences.removeAll(audience);
    const QString text = allowed ? tr("Allow audience %1 for %2").arg(audience, before.issuer)
                                 : tr("Disallow audience %1 for %2").arg(audience, before.issuer);
    return push(new SetIssuerCommand(this, issuerRow, before, after, text));
}

Status PolicyDocument::addIssuer(const QString& issuer, const QString& trustDomain)
{
    if (Status s = checkIssuerName(issuer, -1); !s)
        return refuse(s.error());
    policy::Issuer entry;
    entry.issuer = issuer;
    entry.trustDomain = trustDomain;
    return push(new InsertIssuerCommand(this, issuerCount(), entry, tr("Add issuer %1").arg(issuer)));
}

Status PolicyDocument::removeIssuer(int row)
{
    if (Status s = checkIssuerRow(row); !s)
        return refuse(s.error());
    const policy::Issuer& issuer = m_policy.issuers.at(row);
    for (int i = 0; i < m_policy.exceptions.size(); ++i) {
        const policy::PolicyException& e = m_policy.exceptions.at(i);
        if (e.issuer == issuer.issuer)
            return refuse(Error{kErrInUse,
                                tr("Issuer %1 is named by exception %2; remove the exception or point it at "
                                   "another issuer first.")
                                    .arg(issuer.issuer, e.id),
                                QStringLiteral("exceptions[%1].issuer").arg(i)});
    }
    return push(new RemoveIssuerCommand(this, row, issuer, tr("Remove issuer %1").arg(issuer.issuer)));
}

Status PolicyDocument::renameIssuer(int row, const QString& issuer)
{
    if (Status s = checkIssuerRow(row); !s)
        return refuse(s.error());
    const policy::Issuer& before = m_policy.issuers.at(row);
    if (before.issuer == issuer)
        return Ok{};
    if (Status s = checkIssuerName(issuer, row); !s)
        return refuse(s.error());
    auto* macro = new QUndoCommand(tr("Rename issuer %1 to %2").arg(before.issuer, issuer));
    policy::Issuer after = before;
    after.issuer = issuer;
    new SetIssuerCommand(this, row, before, after, macro->text(), {}, macro);
    // Exceptions name their issuer; they follow the rename so the policy stays loadable.
    for (int i = 0; i < m_policy.exceptions.size(); ++i) {
        const policy::PolicyException& e = m_policy.exceptions.at(i);
        if (e.issuer != before.issuer)
            continue;
        policy::PolicyException moved = e;
        moved.issuer = issuer;
        new SetExceptionCommand(this, i, e, moved, macro->text(), {}, macro);
    }
    return push(macro);
}

Status PolicyDocument::setIssuerTrustDomain(int row, const QString& trustDomain)
{
    if (Status s = checkIssuerRow(row); !s)
        return refuse(s.error());
    const policy::Issuer& before = m_policy.issuers.at(row);
    if (before.trustDomain == trustDomain)
        return Ok{};
    policy::Issuer after = before;
    after.trustDomain = trustDomain;
    return push(new SetIssuerCommand(this, row, before, after,
                                     tr("Set trust domain of %1 to %2").arg(before.issuer, quoted(trustDomain)),
                                     QStringLiteral("trust_domain")));
}

Status PolicyDocument::setIssuerJwksUri(int row, const QString& uri)
{
    if (Status s = checkIssuerRow(row); !s)
        return refuse(s.error());
    const policy::Issuer& before = m_policy.issuers.at(row);
    if (before.keys.jwksUri == uri)
        return Ok{};
    // The editor never writes what lint reports as jwks-uri-not-https (a file may hold one: lint says so).
    if (!uri.isEmpty()) {
        if (!lint::isHttpsUrl(uri))
            return refuse(Error{kErrUri,
                                tr("jwks_uri \"%1\" is not an https URL; keys fetched over plain HTTP can be "
                                   "replaced in transit (OpenID Connect Discovery 1.0 section 3).")
                                    .arg(uri),
                                QStringLiteral("issuers[%1].keys.jwks_uri").arg(row)});
    }
    policy::Issuer after = before;
    after.keys.jwksUri = uri;
    return push(new SetIssuerCommand(this, row, before, after,
                                     tr("Set jwks_uri of %1 to %2").arg(before.issuer, quoted(uri)),
                                     QStringLiteral("jwks_uri")));
}

Status PolicyDocument::setIssuerSubjects(int row, const QStringList& subjects)
{
    if (Status s = checkIssuerRow(row); !s)
        return refuse(s.error());
    const policy::Issuer& before = m_policy.issuers.at(row);
    if (before.subjects == subjects)
        return Ok{};
    for (const QString& sub : subjects)
        if (Status s = checkName(sub, tr("subject"), QStringLiteral("issuers[%1].subjects").arg(row)); !s)
            return refuse(s.error());
    policy::Issuer after = before;
    after.subjects = subjects;
    const QString text = subjects.isEmpty() ? tr("Accept any subject from %1").arg(before.issuer)
                                            : tr("Set subjects of %1 to %2").arg(before.issuer, subjects.join(u", "));
    return push(new SetIssuerCommand(this, row, before, after, text, QStringLiteral("subjects")));
}

Status PolicyDocument::setIssuerOverrides(int row, const policy::Rules& overrides, const QString& what,
                                          const QString& mergeKey)
{
    if (Status s = checkIssuerRow(row); !s)
        return refuse(s.error());
    const policy::Issuer& before = m_policy.issuers.at(row);
    if (before.overrides == overrides)
        return Ok{};
    if (Status s = checkRulesEdit(before.overrides, overrides, QStringLiteral("issuers[%1].overrides").arg(row)); !s)
        return refuse(s.error());
    policy::Issuer after = before;
    after.overrides = overrides;
    return push(new SetIssuerCommand(this, row, before, after, tr("Set %1 for %2").arg(what, before.issuer),
                                     QStringLiteral("overrides.") + mergeKey));
}

Status PolicyDocument::importIssuerKeys(int row, const QList<keys::Key>& keys, const QString& sourceName)
{
    if (Status s = checkIssuerRow(row); !s)
        return refuse(s.error());
    const policy::Issuer& issuer = m_policy.issuers.at(row);
    Result<keys::PinnedKeys> pinned =
        keys::pinKeysInto(issuer.keys, keys::PinRequest{keys, keys::PinTarget::InlineJwks, sourceName}, issuer.issuer);
    if (!pinned)
        return refuse(pinned.error());
    const int added = static_cast<int>(pinned->added.size());
    return pushIssuerKeys(row, std::move(pinned).value().sources,
                          tr("Import %n key(s) from %1 for %2", nullptr, added).arg(sourceName, issuer.issuer));
}

Status PolicyDocument::addTestKey(int row, const keys::Key& key)
{
    if (row < 0 || row >= issuerCount())
        return refuse(Error{QStringLiteral("ERR_TEST_KEY_ISSUER"), tr("There is no issuer to add the test key to."), {}});
    const policy::Issuer& issuer = m_policy.issuers.at(row);
    Result<keys::PinnedKeys> pinned = keys::pinKeysInto(
        issuer.keys, keys::PinRequest{{key}, keys::PinTarget::TestJwks, tr("the test key")}, issuer.issuer);
    if (!pinned)
        return refuse(pinned.error());
    const QString name = key.kid.isEmpty() ? key.thumbprint.left(12) : key.kid;
    return pushIssuerKeys(row, std::move(pinned).value().sources,
                          tr("Add test key %1 to %2").arg(name, issuer.issuer));
}

Status PolicyDocument::pushIssuerKeys(int row, policy::KeySources keys, const QString& text)
{
    const policy::Issuer& before = m_policy.issuers.at(row);
    policy::Issuer after = before;
    after.keys = std::move(keys);
    return push(new SetIssuerCommand(this, row, before, after, text));
}

Status PolicyDocument::removeIssuerKey(int row, const QString& thumbprint)
{
    if (Status s = checkIssuerRow(row); !s)
        return refuse(s.error());
    const policy::Issuer& before = m_policy.issuers.at(row);
    const auto it = std::find_if(before.keys.resolved.cbegin(), before.keys.resolved.cend(),
                                 [&thumbprint](const keys::Key& k) { return k.thumbprint == thumbprint; });
    if (it == before.keys.resolved.cend())
        return refuse(Error{kErrNoSuchItem, tr("No key with thumbprint %1.").arg(thumbprint), {}});
    const keys::Key key = *it;
    policy::Issuer after = before;
    after.keys.resolved.removeAt(std::distance(before.keys.resolved.cbegin(), it));
    QJsonObject jwks = after.keys.jwks.value_or(QJsonObject{});
    QJsonArray array = jwks.value(QLatin1String("keys")).toArray();
    int found = -1;
    for (int i = 0; i < array.size() && found < 0; ++i) {
        const QByteArray json = QJsonDocument(array.at(i).toObject()).toJson(QJsonDocument::Compact);
        Result<keys::Key> parsed = keys::parseJwk(json, QStringLiteral("inline jwks #%1").arg(i));
        if (parsed && parsed->thumbprint == thumbprint)
            found = i;
    }
    if (found < 0)
        return refuse(Error{kErrInUse,
                            tr("Key %1 comes from %2; remove it from that file or drop the file from the issuer's "
                               "keys.")
                                .arg(key.kid.isEmpty() ? key.thumbprint : key.kid, key.source),
                            QStringLiteral("issuers[%1].keys").arg(row)});
    array.removeAt(found);
    if (array.isEmpty()) {
        after.keys.jwks.reset();
    } else {
        jwks.insert(QLatin1String("keys"), array);
        after.keys.jwks = jwks;
    }
    return push(new SetIssuerCommand(this, row, before, after,
                                     tr("Remove key %1 from %2").arg(key.kid.isEmpty() ? key.thumbprint : key.kid,
                                                                     before.issuer)));
}

Status PolicyDocument::addAudience(const QString& audience)
{
    if (Status s = checkName(audience, tr("audience"), QStringLiteral("issuers[].audiences")); !s)
        return refuse(s.error());
    if (m_columnOf.contains(audience))
        return refuse(Error{kErrDuplicate, tr("Audience %1 already has a column.").arg(audience), {}});
    return push(new InsertAudienceCommand(this, static_cast<int>(m_audiences.size()), audience,
                                          tr("Add audience %1").arg(audience)));
}

IssuersChange PolicyDocument::issuersListing(const QString& audience,
                                             const std::function<void(policy::Issuer&)>& change) const
{
    IssuersChange issuers;
    for (int row = 0; row < issuerCount(); ++row) {
        const policy::Issuer& before = m_policy.issuers.at(row);
        if (!before.audiences.contains(audience))
            continue;
        policy::Issuer after = before;
        change(after);
        issuers.rows.append(row);
        issuers.before.append(before);
        issuers.after.append(std::move(after));
    }
    return issuers;
}

Status PolicyDocument::renameAudience(int column, const QString& audience)
{
    if (column < 0 || column >= m_audiences.size())
        return refuse(Error{kErrNoSuchItem, tr("There is no audience column %1.").arg(column + 1), {}});
    const QString old = m_audiences.at(column);
    if (old == audience)
        return Ok{};
    if (Status s = checkName(audience, tr("audience"), QStringLiteral("issuers[].audiences")); !s)
        return refuse(s.error());
    if (m_columnOf.contains(audience))
        return refuse(Error{kErrDuplicate, tr("Audience %1 already has a column.").arg(audience), {}});
    auto* macro = new QUndoCommand(tr("Rename audience %1 to %2").arg(old, audience));
    // The column label first, then the ticks: undo runs in reverse and restores ticks before the label.
    // The ticks are one change of every issuer listing the audience, announced once.
    new RenameAudienceCommand(this, column, old, audience, macro);
    new SetIssuersCommand(this, issuersListing(old, [&old, &audience](policy::Issuer& issuer) {
                              issuer.audiences[issuer.audiences.indexOf(old)] = audience;
                          }),
                          macro);
    return push(macro);
}

Status PolicyDocument::removeAudience(int column)
{
    if (column < 0 || column >= m_audiences.size())
        return refuse(Error{kErrNoSuchItem, tr("There is no audience column %1.").arg(column + 1), {}});
    const QString audience = m_audiences.at(column);
    auto* macro = new QUndoCommand(tr("Remove audience %1").arg(audience));
    new SetIssuersCommand(
        this, issuersListing(audience, [&audience](policy::Issuer& issuer) { issuer.audiences.removeAll(audience); }),
        macro);
    new RemoveAudienceCommand(this, column, audience, macro);
    return push(macro);
}

// ---- defaults

Status PolicyDocument::setDefaults(const policy::Rules& defaults, const QString& what, const QString& mergeKey)
{
    if (defaults == m_policy.defaults)
        return Ok{};
    if (Status s = checkRulesEdit(m_policy.defaults, defaults, QStringLiteral("defaults")); !s)
        return refuse(s.error());
    return push(new SetDefaultsCommand(this, m_policy.defaults, defaults, tr("Set default %1").arg(what), mergeKey));
}

Status PolicyDocument::setDefaultClockSkew(int seconds)
{
    policy::Rules rules = m_policy.defaults;
    rules.clockSkewSeconds = seconds;
    return setDefaults(rules, tr("clock skew to %1 s").arg(seconds), QStringLiteral("clock_skew_seconds"));
}

// ---- exceptions

namespace {

// `before`: the exception as it is now (nullptr when it is being added).
Status checkException(const policy::Policy& policy, const policy::PolicyException& e,
                      const policy::PolicyException* before, int row)
{
    const QString where = QStringLiteral("exceptions[%1]").arg(row);
    if (Status s = checkName(e.id, QStringLiteral("exception id"), where + QStringLiteral(".id")); !s)
        return s;
    for (int i = 0; i < policy.exceptions.size(); ++i)
        if (i != row && policy.exceptions.at(i).id == e.id)
            return Error{kErrDuplicate, QStringLiteral("Exception id %1 is already used.").arg(e.id),
                         where + QStringLiteral(".id")};
    if (!policy.findIssuer(e.issuer))
        return Error{kErrNoSuchItem,
                     QStringLiteral("Exception %1 must name an issuer of the policy (\"%2\" is not one).")
                         .arg(e.id, e.issuer),
                     where + QStringLiteral(".issuer")};
    if (!e.expires.isValid())
        return Error{kErrEmpty, QStringLiteral("Exception %1 needs an expiry date.").arg(e.id),
                     where + QStringLiteral(".expires")};
    if (Status s = policy::checkAllow(e.allow, where + QStringLiteral(".allow")); !s)
        return editError(s.error());
    const std::optional<QStringList> held = before ? before->allow.algorithms : std::nullopt;
    return checkAddedEntries(held, e.allow.algorithms, where + QStringLiteral(".allow.algorithms"), true);
}

} // namespace

QString PolicyDocument::unusedExceptionId() const
{
    for (int n = static_cast<int>(m_policy.exceptions.size()) + 1;; ++n) {
        const QString id = QStringLiteral("exception-%1").arg(n);
        const bool used = std::any_of(m_policy.exceptions.cbegin(), m_policy.exceptions.cend(),
                                      [&id](const policy::PolicyException& e) { return e.id == id; });
        if (!used)
            return id;
    }
}

Status PolicyDocument::addException(const policy::PolicyException& exception)
{
    const int row = static_cast<int>(m_policy.exceptions.size());
    if (Status s = checkException(m_policy, exception, nullptr, row); !s)
        return refuse(s.error());
    return push(new InsertExceptionCommand(this, row, exception, tr("Add exception %1").arg(exception.id)));
}

Status PolicyDocument::removeException(int row)
{
    if (row < 0 || row >= m_policy.exceptions.size())
        return refuse(Error{kErrNoSuchItem, tr("There is no exception at row %1.").arg(row + 1), {}});
    const policy::PolicyException& e = m_policy.exceptions.at(row);
    return push(new RemoveExceptionCommand(this, row, e, tr("Remove exception %1").arg(e.id)));
}

Status PolicyDocument::setException(int row, const policy::PolicyException& exception, const QString& what,
                                    const QString& mergeKey)
{
    if (row < 0 || row >= m_policy.exceptions.size())
        return refuse(Error{kErrNoSuchItem, tr("There is no exception at row %1.").arg(row + 1), {}});
    const policy::PolicyException& before = m_policy.exceptions.at(row);
    if (before == exception)
        return Ok{};
    if (Status s = checkException(m_policy, exception, &before, row); !s)
        return refuse(s.error());
    return push(new SetExceptionCommand(this, row, before, exception,
                                        tr("Set %1 of exception %2").arg(what, exception.id), mergeKey));
}

// ---- primitives

void PolicyDocument::applyMeta(const QString& name, const QString& owner, int revision)
{
    m_policy.name = name;
    m_policy.owner = owner;
    m_policy.revision = revision;
    emit metaChanged();
    emit policyChanged();
}

void PolicyDocument::applyInsertIssuer(int row, const policy::Issuer& issuer)
{
    emit issuerAboutToBeInserted(row);
    m_policy.issuers.insert(row, issuer);
    QStringList flipped;
    countIssuer(issuer, +1, &flipped);
    emit issuerInserted(row);
    emitSharing(flipped);
    emit policyChanged();
}

void PolicyDocument::applyRemoveIssuer(int row)
{
    emit issuerAboutToBeRemoved(row);
    QStringList flipped;
    countIssuer(m_policy.issuers.at(row), -1, &flipped);
    m_policy.issuers.removeAt(row);
    emit issuerRemoved(row);
    emitSharing(flipped);
    emit policyChanged();
}

void PolicyDocument::applyIssuer(int row, const policy::Issuer& issuer) { applyIssuers({row}, {issuer}); }

void PolicyDocument::applyIssuers(const QList<int>& rows, const QList<policy::Issuer>& issuers)
{
    Q_ASSERT(rows.size() == issuers.size());
    if (rows.isEmpty())
        return; // an audience no issuer lists: renaming or removing it changes no issuer
    QStringList flipped;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const int row = rows.at(i);
        countIssuer(m_policy.issuers.at(row), -1, &flipped);
        m_policy.issuers[row] = issuers.at(i);
        countIssuer(issuers.at(i), +1, &flipped);
    }
    emit issuersChanged(rows);
    emitSharing(flipped);
    emit policyChanged();
}

void PolicyDocument::applyInsertAudience(int column, const QString& audience)
{
    emit audienceAboutToBeInserted(column);
    m_audiences.insert(column, audience);
    reindexColumnsFrom(column);
    emit audienceInserted(column);
    emit policyChanged();
}

void PolicyDocument::applyRemoveAudience(int column)
{
    emit audienceAboutToBeRemoved(column);
    m_columnOf.remove(m_audiences.at(column));
    m_audiences.removeAt(column);
    reindexColumnsFrom(column);
    emit audienceRemoved(column);
    emit policyChanged();
}

void PolicyDocument::applyRenameAudience(int column, const QString& audience)
{
    m_columnOf.remove(m_audiences.at(column));
    m_audiences[column] = audience;
    m_columnOf.insert(audience, column);
    emit audienceRenamed(column);
    emit policyChanged();
}

void PolicyDocument::applyDefaults(const policy::Rules& defaults)
{
    m_policy.defaults = defaults;
    emit defaultsChanged();
    emit policyChanged();
}

void PolicyDocument::applyInsertException(int row, const policy::PolicyException& exception)
{
    emit exceptionAboutToBeInserted(row);
    m_policy.exceptions.insert(row, exception);
    emit exceptionInserted(row);
    emit policyChanged();
}

void PolicyDocument::applyRemoveException(int row)
{
    emit exceptionAboutToBeRemoved(row);
    m_policy.exceptions.removeAt(row);
    emit exceptionRemoved(row);
    emit policyChanged();
}

void PolicyDocument::applyException(int row, const policy::PolicyException& exception)
{
    m_policy.exceptions[row] = exception;
    emit exceptionChanged(row);
    emit policyChanged();
}

} // namespace jwb::ui
