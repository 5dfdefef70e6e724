// SPDX-License-Identifier: Apache-2.0
// Fetching an issuer's published keys from its own metadata, with every network step bounded.
#include "keys/KeyFetcher.h"

#include "policy/PolicyIO.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSet>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

#include <optional>

namespace jwb::keys {

namespace {

Q_LOGGING_CATEGORY(lcFetch, "jwb.core.keys.fetch", QtInfoMsg)

Error fetchError(const char* code, const QString& message, const QString& location = {}) {
    return Error{QString::fromLatin1(code), message, location};
}

// URLs are shown without user info: a credential in a URL must not reach an error or a log.
QString shown(const QUrl& url) {
    return url.toString(QUrl::RemoveUserInfo);
}

bool isHttps(const QUrl& url) {
    return url.isValid() && url.scheme() == u"https" && !url.host().isEmpty();
}

// RFC 8414 section 3: the well-known segment goes between the host and the issuer's path.
QUrl oauthMetadataUrl(const QUrl& issuer) {
    QUrl url = issuer;
    QString path = issuer.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(QStringLiteral("/.well-known/oauth-authorization-server") + path);
    return url;
}

// OpenID Connect Discovery 1.0 section 4: the well-known segment is appended to the issuer.
QUrl openIdMetadataUrl(const QUrl& issuer) {
    QUrl url = issuer;
    QString path = issuer.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/.well-known/openid-configuration"));
    return url;
}

} // namespace

Result<FetchPlan> planFetch(const policy::Policy& policy, const QString& issuer) {
    const policy::Issuer* found = policy.findIssuer(issuer);
    if (!found)
        return fetchError("ERR_FETCH_UNKNOWN_ISSUER",
                          QStringLiteral("The policy has no issuer '%1'.").arg(issuer));
    FetchPlan plan;
    plan.issuer = issuer;
    const QUrl issuerUrl(issuer, QUrl::StrictMode);
    const bool issuerIsHttps = isHttps(issuerUrl) && issuerUrl.userInfo().isEmpty() &&
                               !issuerUrl.hasQuery() && !issuerUrl.hasFragment();
    if (issuerIsHttps)
        plan.allowedHosts.append(issuerUrl.host());

    const QString& uri = found->keys.jwksUri;
    if (!uri.isEmpty()) {
        const QUrl jwksUri(uri, QUrl::StrictMode);
        if (!jwksUri.isValid() || jwksUri.host().isEmpty())
            return fetchError("ERR_FETCH_BAD_URL", QStringLiteral("keys.jwks_uri is not a valid URL."), uri);
        if (!isHttps(jwksUri))
            return fetchError(
                "ERR_FETCH_NOT_HTTPS",
                QStringLiteral("keys.jwks_uri must be an https URL; keys are never fetched in the clear."),
                shown(jwksUri));
        plan.jwksUri = jwksUri;
        // The policy naming the URL is what makes its host trusted.
        if (!plan.allowedHosts.contains(jwksUri.host()))
            plan.allowedHosts.append(jwksUri.host());
        return plan;
    }
    if (!issuerIsHttps)
        return fetchError(
            "ERR_FETCH_NOT_HTTPS",
            QStringLiteral("The issuer is not an https URL without query or fragment, so its metadata "
                           "cannot be discovered; set keys.jwks_uri to an https URL."),
            issuer);
    plan.metadataUrls.append(openIdMetadataUrl(issuerUrl));
    plan.metadataUrls.append(oauthMetadataUrl(issuerUrl));
    return plan;
}

Result<QList<Key>> parseFetchedJwks(const QByteArray& body, const QString& sourceName) {
    QJsonParseError jsonError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &jsonError);
    if (jsonError.error != QJsonParseError::NoError)
        return fetchError("ERR_FETCH_INVALID_JSON",
                          QStringLiteral("The JWKS is not valid JSON: %1 at offset %2.")
                              .arg(jsonError.errorString())
                              .arg(jsonError.offset),
                          sourceName);
    auto parsed = parseJwks(body, sourceName);
    if (!parsed)
        return fetchError(
            "ERR_FETCH_INVALID_JWKS",
            QStringLiteral("The JWKS was refused (%1): %2").arg(parsed.error().code, parsed.error().message),
            parsed.error().location.isEmpty() ? sourceName : parsed.error().location);
    if (parsed->isEmpty())
        return fetchError("ERR_FETCH_EMPTY_JWKS",
                          QStringLiteral("The JWKS has no keys; pinning it would reject every token."),
                          sourceName);
    QSet<QString> kids;
    for (qsizetype i = 0; i < parsed->size(); ++i) {
        const Key& key = parsed->at(i);
        // A symmetric key in a published JWKS is a leaked secret, never something to trust.
        if (key.type == KeyType::Oct)
            return fetchError("ERR_FETCH_SECRET_KEY",
                              QStringLiteral("The JWKS publishes a symmetric (oct) key; it is refused."),
                              sourceName + QStringLiteral(": keys[%1]").arg(i));
        if (key.kid.isEmpty())
            continue;
        if (kids.contains(key.kid))
            return fetchError(
                "ERR_FETCH_DUPLICATE_KID",
                QStringLiteral("The JWKS has two keys with kid '%1'; a verifier could pick either.")
                    .arg(key.kid),
                sourceName + QStringLiteral(": keys[%1]").arg(i));
        kids.insert(key.kid);
    }
    return std::move(parsed).value();
}

QList<Key> pinnedKeys(const policy::Issuer& issuer) {
    QList<Key> out;
    for (const Key& key : issuer.keys.resolved)
        if (!key.testKey)
            out.append(key);
    return out;
}

KeySetDiff diffKeySets(const QList<Key>& pinned, const QList<Key>& fetched) {
    KeySetDiff diff;
    QSet<QString> pinnedPrints;
    for (const Key& key : pinned)
        pinnedPrints.insert(key.thumbprint);
    QSet<QString> fetchedPrints;
    for (const Key& key : fetched) {
        fetchedPrints.insert(key.thumbprint);
        (pinnedPrints.contains(key.thumbprint) ? diff.unchanged : diff.added).append(key);
    }
    for (const Key& key : pinned)
        if (!fetchedPrints.contains(key.thumbprint))
            diff.removed.append(key);
    return diff;
}

QJsonObject keySummaryJson(const Key& key) {
    QJsonObject o;
    o.insert(QStringLiteral("kid"), key.kid);
    o.insert(QStringLiteral("kty"), keyTypeName(key.type));
    if (key.type == KeyType::Ec || key.type == KeyType::Okp)
        o.insert(QStringLiteral("curve"), key.curve);
    else
        o.insert(QStringLiteral("size"), key.bits);
    o.insert(QStringLiteral("thumbprint"), key.thumbprint);
    return o;
}

QString keySummaryLine(const Key& key) {
    const QString kid = key.kid.isEmpty() ? QStringLiteral("(no kid)") : key.kid;
    const QString kind = (key.type == KeyType::Ec || key.type == KeyType::Okp)
                             ? keyTypeName(key.type) + QLatin1Char(' ') + key.curve
                             : keyTypeName(key.type) + QLatin1Char(' ') + QString::number(key.bits);
    return QStringLiteral("%1  %2  %3").arg(kid, -20).arg(kind, -12).arg(key.thumbprint);
}

QJsonObject diffToJson(const KeySetDiff& diff) {
    auto list = [](const QList<Key>& keys) {
        QJsonArray a;
        for (const Key& k : keys)
            a.append(keySummaryJson(k));
        return a;
    };
    QJsonObject o;
    o.insert(QStringLiteral("added"), list(diff.added));
    o.insert(QStringLiteral("removed"), list(diff.removed));
    o.insert(QStringLiteral("unchanged"), list(diff.unchanged));
    o.insert(QStringLiteral("changed"), diff.changed());
    return o;
}

QJsonObject jwksObjectFor(const QList<Key>& keys) {
    QJsonArray array;
    for (const Key& key : keys)
        array.append(QJsonDocument::fromJson(toPublicJwk(key)).object());
    QJsonObject jwks;
    jwks.insert(QStringLiteral("keys"), array);
    return jwks;
}

Result<policy::Policy> pinKeys(const policy::Policy& policy, const QString& issuer, const QList<Key>& keys) {
    policy::Policy copy = policy;
    qsizetype index = -1;
    for (qsizetype i = 0; i < copy.issuers.size(); ++i)
        if (copy.issuers.at(i).issuer == issuer)
            index = i;
    if (index < 0)
        return fetchError("ERR_FETCH_UNKNOWN_ISSUER",
                          QStringLiteral("The policy has no issuer '%1'.").arg(issuer));
    policy::KeySources& sources = copy.issuers[index].keys;
    sources.jwks = jwksObjectFor(keys);
    sources.jwksFile.clear();
    sources.pemFiles.clear();
    const QString baseDir = copy.sourcePath.isEmpty() ? QString() : QFileInfo(copy.sourcePath).absolutePath();
    const Status resolved = policy::resolveKeys(copy, baseDir);
    if (!resolved)
        return resolved.error();
    return copy;
}

// ---------------------------------------------------------------------------------------------------

class KeyFetcher::Private {
public:
    enum class Stage { Metadata, Jwks };

    explicit Private(KeyFetcher* owner)
        : q(owner)
        , timer(owner) {
        timer.setSingleShot(true);
    }

    KeyFetcher* q;
    QNetworkAccessManager* nam = nullptr; // created on first use: construction is cheap for the GUI
    QTimer timer;
    FetchLimits limits;
    std::optional<QSslConfiguration> ssl;
    FetchPlan plan;
    FetchedKeys result;
    QPointer<QNetworkReply> reply;
    Stage stage = Stage::Metadata;
    int metadataIndex = 0;
    int redirects = 0;
    QUrl current;
    QByteArray body;
    bool running = false;
    quint64 generation = 0; // a queued report of an earlier start() must not end a later one

    void begin(const policy::Policy& policy, const QString& issuer);
    void get(const QUrl& url, Stage s);
    void onReadyRead();
    void onMetaData();
    void onFinished();
    void handleMetadata();
    void handleJwks();
    void fail(const Error& error);
    void succeed();
    void dropReply();
    Status checkTarget(const QUrl& url, const char* what) const;
};

void KeyFetcher::Private::begin(const policy::Policy& policy, const QString& issuer) {
    auto planned = planFetch(policy, issuer);
    running = true;
    const quint64 run = ++generation;
    if (!planned) {
        // Reported after start() returns, like every other outcome, so callers connect once.
        const Error& error = planned.error();
        QMetaObject::invokeMethod(
            q,
            [this, error, run] {
                if (run == generation)
                    fail(error);
            },
            Qt::QueuedConnection);
        return;
    }
    plan = std::move(planned).value();
    result = FetchedKeys{};
    result.issuer = plan.issuer;
    metadataIndex = 0;
    timer.start(limits.timeoutMs);
    if (!plan.jwksUri.isEmpty())
        get(plan.jwksUri, Stage::Jwks);
    else
        get(plan.metadataUrls.first(), Stage::Metadata);
}

Status KeyFetcher::Private::checkTarget(const QUrl& url, const char* what) const {
    if (!isHttps(url))
        return fetchError(
            "ERR_FETCH_NOT_HTTPS",
            QStringLiteral("The %1 URL is not https; it is not fetched.").arg(QLatin1String(what)),
            shown(url));
    if (!plan.allowedHosts.contains(url.host()))
        return fetchError(
            "ERR_FETCH_FOREIGN_HOST",
            QStringLiteral("The %1 URL is on host '%2', which is neither the issuer's host nor the "
                           "host of the policy's keys.jwks_uri.")
                .arg(QLatin1String(what), url.host()),
            shown(url));
    return Ok{};
}

void KeyFetcher::Private::get(const QUrl& url, Stage s) {
    stage = s;
    current = url;
    redirects = 0;
    const Status allowed = checkTarget(url, s == Stage::Metadata ? "metadata" : "JWKS");
    if (!allowed) {
        fail(allowed.error());
        return;
    }
    if (!nam)
        nam = new QNetworkAccessManager(q);
    QNetworkRequest request(url);
    // Redirects are judged here, one by one; HTTP/2 buys nothing for two small documents.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setRawHeader("Accept", "application/json");
    if (ssl)
        request.setSslConfiguration(*ssl);
    body.clear();
    Q_EMIT q->progress(QStringLiteral("GET %1").arg(shown(url)));
    qCDebug(lcFetch) << "GET" << shown(url);
    reply = nam->get(request);
    QObject::connect(reply, &QNetworkReply::metaDataChanged, q, [this] { onMetaData(); });
    QObject::connect(reply, &QNetworkReply::readyRead, q, [this] { onReadyRead(); });
    QObject::connect(reply, &QNetworkReply::finished, q, [this] { onFinished(); });
}

void KeyFetcher::Private::onMetaData() {
    if (!reply)
        return;
    const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && length.toLongLong() > limits.maxBytes)
        fail(fetchError("ERR_FETCH_TOO_LARGE",
                        QStringLiteral("The response announces %1 bytes; at most %2 are read.")
                            .arg(length.toLongLong())
                            .arg(limits.maxBytes),
                        shown(current)));
}

void KeyFetcher::Private::onReadyRead() {
    if (!reply)
        return;
    body += reply->read(limits.maxBytes + 1 - body.size());
    if (body.size() > limits.maxBytes)
        fail(fetchError("ERR_FETCH_TOO_LARGE",
                        QStringLiteral("The response is larger than %1 bytes; the transfer was stopped.")
                            .arg(limits.maxBytes),
                        shown(current)));
}

void KeyFetcher::Private::onFinished() {
    if (!reply)
        return;
    onReadyRead();
    if (!reply)
        return;
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError netError = reply->error();
    const QString netMessage = reply->errorString();
    const QByteArray location = reply->rawHeader("Location");
    dropReply();
    if (!statusAttr.isValid()) {
        const bool tls = netError == QNetworkReply::SslHandshakeFailedError;
        fail(Error{tls ? QStringLiteral("ERR_FETCH_TLS") : QStringLiteral("ERR_FETCH_NETWORK"),
                   tls ? QStringLiteral("The TLS connection was refused: %1").arg(netMessage)
                       : QStringLiteral("The request failed: %1").arg(netMessage),
                   shown(current)});
        return;
    }
    const int status = statusAttr.toInt();
    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        const QUrl target = current.resolved(QUrl::fromEncoded(location, QUrl::StrictMode));
        if (location.isEmpty() || !target.isValid()) {
            fail(fetchError("ERR_FETCH_REDIRECT",
                            QStringLiteral("A redirect without a valid Location was refused."),
                            shown(current)));
            return;
        }
        // Only within the same https origin: a redirect must not move trust to another server.
        if (target.scheme() != u"https" || target.host() != current.host() ||
            target.port(443) != current.port(443)) {
            fail(fetchError(
                "ERR_FETCH_REDIRECT",
                QStringLiteral("A redirect to %1 was refused: only redirects within the same https host "
                               "are followed.")
                    .arg(shown(target)),
                shown(current)));
            return;
        }
        if (++redirects > limits.maxRedirects) {
            fail(fetchError("ERR_FETCH_REDIRECT",
                            QStringLiteral("More than %1 redirects; stopped.").arg(limits.maxRedirects),
                            shown(current)));
            return;
        }
        const int followed = redirects;
        get(target, stage);
        redirects = followed;
        return;
    }
    if (status != 200) {
        if (stage == Stage::Metadata && metadataIndex + 1 < plan.metadataUrls.size()) {
            ++metadataIndex;
            get(plan.metadataUrls.at(metadataIndex), Stage::Metadata);
            return;
        }
        fail(fetchError("ERR_FETCH_HTTP_STATUS", QStringLiteral("The server answered HTTP %1.").arg(status),
                        shown(current)));
        return;
    }
    if (stage == Stage::Metadata)
        handleMetadata();
    else
        handleJwks();
}

void KeyFetcher::Private::handleMetadata() {
    QJsonParseError jsonError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &jsonError);
    if (jsonError.error != QJsonParseError::NoError || !doc.isObject()) {
        fail(fetchError("ERR_FETCH_INVALID_JSON",
                        jsonError.error != QJsonParseError::NoError
                            ? QStringLiteral("The metadata is not valid JSON: %1 at offset %2.")
                                  .arg(jsonError.errorString())
                                  .arg(jsonError.offset)
                            : QStringLiteral("The metadata is not a JSON object."),
                        shown(current)));
        return;
    }
    const QJsonObject metadata = doc.object();
    // OpenID Connect Discovery 4.3 / RFC 8414 3.3: the document must name exactly this issuer,
    // otherwise one issuer could publish keys for another.
    const QJsonValue issuerValue = metadata.value(QStringLiteral("issuer"));
    if (!issuerValue.isString() || issuerValue.toString() != plan.issuer) {
        fail(fetchError(
            "ERR_FETCH_METADATA_ISSUER",
            QStringLiteral("The metadata names issuer '%1', not '%2'.")
                .arg(issuerValue.isString() ? issuerValue.toString() : QStringLiteral("(none)"), plan.issuer),
            shown(current) + QStringLiteral(": issuer")));
        return;
    }
    const QJsonValue uriValue = metadata.value(QStringLiteral("jwks_uri"));
    const QUrl jwksUrl(uriValue.toString(), QUrl::StrictMode);
    if (!uriValue.isString() || !jwksUrl.isValid() || jwksUrl.host().isEmpty()) {
        fail(fetchError("ERR_FETCH_METADATA", QStringLiteral("The metadata has no valid jwks_uri."),
                        shown(current) + QStringLiteral(": jwks_uri")));
        return;
    }
    result.metadataUrl = current;
    get(jwksUrl, Stage::Jwks);
}

void KeyFetcher::Private::handleJwks() {
    auto keys = parseFetchedJwks(body, shown(current));
    if (!keys) {
        fail(keys.error());
        return;
    }
    result.jwksUrl = current;
    result.keys = std::move(keys).value();
    succeed();
}

void KeyFetcher::Private::dropReply() {
    if (!reply)
        return;
    QNetworkReply* r = reply;
    reply = nullptr;
    QObject::disconnect(r, nullptr, q, nullptr);
    if (r->isRunning())
        r->abort();
    r->deleteLater();
}

void KeyFetcher::Private::fail(const Error& error) {
    if (!running)
        return;
    running = false;
    timer.stop();
    dropReply();
    body.clear();
    qCDebug(lcFetch) << "fetch failed:" << error.code << error.location;
    Q_EMIT q->failed(error);
}

void KeyFetcher::Private::succeed() {
    running = false;
    timer.stop();
    body.clear();
    Q_EMIT q->fetched(result);
}

KeyFetcher::KeyFetcher(QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this)) {
    connect(&d->timer, &QTimer::timeout, this, [this] {
        d->fail(
            fetchError("ERR_FETCH_TIMEOUT",
                       QStringLiteral("No complete answer within %1 ms; stopped.").arg(d->limits.timeoutMs),
                       shown(d->current)));
    });
}

KeyFetcher::~KeyFetcher() {
    d->running = false; // no signals from a dying object
    d->dropReply();
}

void KeyFetcher::setLimits(const FetchLimits& limits) {
    d->limits = limits;
}
FetchLimits KeyFetcher::limits() const {
    return d->limits;
}
void KeyFetcher::setSslConfiguration(const QSslConfiguration& configuration) {
    d->ssl = configuration;
}

Status KeyFetcher::setCaCertificatesPem(const QByteArray& pem) {
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certificates.isEmpty())
        return fetchError("ERR_FETCH_CA_FILE", QStringLiteral("No PEM certificate found in the CA file."));
    QSslConfiguration configuration = d->ssl ? *d->ssl : QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(certificates);
    d->ssl = configuration;
    return Ok{};
}

void KeyFetcher::start(const policy::Policy& policy, const QString& issuer) {
    if (d->running) {
        d->running = false;
        d->timer.stop();
        d->dropReply();
    }
    d->begin(policy, issuer);
}

void KeyFetcher::abort() {
    d->fail(fetchError("ERR_FETCH_ABORTED", QStringLiteral("The fetch was cancelled."), shown(d->current)));
}

bool KeyFetcher::isRunning() const {
    return d->running;
}

Result<FetchedKeys> KeyFetcher::fetch(const policy::Policy& policy, const QString& issuer) {
    std::optional<Result<FetchedKeys>> outcome;
    QEventLoop loop;
    const auto onFetched =
        connect(this, &KeyFetcher::fetched, &loop, [&outcome, &loop](const FetchedKeys& keys) {
            outcome.emplace(keys);
            loop.quit();
        });
    const auto onFailed = connect(this, &KeyFetcher::failed, &loop, [&outcome, &loop](const Error& error) {
        outcome.emplace(error);
        loop.quit();
    });
    start(policy, issuer);
    // The timer bounds this loop: every path ends in fetched() or failed().
    if (!outcome)
        loop.exec();
    disconnect(onFetched);
    disconnect(onFailed);
    if (!outcome)
        return fetchError("ERR_FETCH_ABORTED", QStringLiteral("The fetch ended without a result."));
    return *outcome;
}

} // namespace jwb::keys
