// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keys/Key.h"
#include "policy/Policy.h"
#include "util/Error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

// Kept out of this header so that users of the fetcher need not see QtNetwork (jwb_core links it
// privately); tests and callers that build their own configuration include <QSslConfiguration>.
QT_FORWARD_DECLARE_CLASS(QSslConfiguration)

namespace jwb::keys {

// Bounds on one fetch (metadata plus JWKS, redirects included).
struct FetchLimits {
    int timeoutMs = 10000;         // the whole operation; ERR_FETCH_TIMEOUT when exceeded
    qint64 maxBytes = 1024 * 1024; // per response body; ERR_FETCH_TOO_LARGE, the transfer is aborted
    int maxRedirects = 3;          // same-host https redirects followed per request
};

// Where an issuer's JWKS is fetched from, decided before any connection is made.
struct FetchPlan {
    QString issuer;
    QUrl jwksUri;             // set when the policy names jwks_uri: fetched directly
    QList<QUrl> metadataUrls; // otherwise: the issuer's metadata documents, tried in order
    QStringList allowedHosts; // the issuer's host, plus the jwks_uri host the policy names
};

// What a successful fetch found.
struct FetchedKeys {
    QString issuer;
    QUrl metadataUrl; // the metadata document used; empty when jwks_uri came from the policy
    QUrl jwksUrl;     // where the keys were read (after redirects)
    QList<Key> keys;
};

// Keys compared by RFC 7638 thumbprint: a key whose kid changed but whose material did not is
// "unchanged" (the thumbprint is what a verifier trusts).
struct KeySetDiff {
    QList<Key> added;     // fetched, not pinned
    QList<Key> removed;   // pinned, no longer published
    QList<Key> unchanged; // in both (the fetched entry)
    bool changed() const { return !added.isEmpty() || !removed.isEmpty(); }
};

// Decides the URLs and allowed hosts for `issuer` of `policy`. Errors: ERR_FETCH_UNKNOWN_ISSUER,
// ERR_FETCH_NOT_HTTPS (issuer or jwks_uri not an https URL), ERR_FETCH_BAD_URL.
Result<FetchPlan> planFetch(const policy::Policy& policy, const QString& issuer);

// Parses a fetched JWKS body: ERR_FETCH_INVALID_JSON, ERR_FETCH_INVALID_JWKS (with the key error's
// code and message), ERR_FETCH_EMPTY_JWKS, ERR_FETCH_DUPLICATE_KID.
Result<QList<Key>> parseFetchedJwks(const QByteArray& body, const QString& sourceName);

// The keys pinned for an issuer (test keys excluded: they are never published by the issuer).
QList<Key> pinnedKeys(const policy::Issuer& issuer);
KeySetDiff diffKeySets(const QList<Key>& pinned, const QList<Key>& fetched);

// One key for lists and --format json: {"kid","kty","size" or "curve","thumbprint"}.
QJsonObject keySummaryJson(const Key& key);
// "kid  RSA 2048  thumbprint" (kid shown as "(no kid)" when empty).
QString keySummaryLine(const Key& key);
QJsonObject diffToJson(const KeySetDiff& diff);

// The inline JWKS object that pins `keys` (public members only).
QJsonObject jwksObjectFor(const QList<Key>& keys);
// A copy of `policy` whose `issuer` pins exactly `keys` as inline keys.jwks: jwks_file and
// pem_files are dropped (the fetched set replaces the pinned set), test_jwks, jwks_uri and refresh
// are kept. Keys are re-resolved; ERR_FETCH_UNKNOWN_ISSUER or the resolver's error.
Result<policy::Policy> pinKeys(const policy::Policy& policy, const QString& issuer, const QList<Key>& keys);

// Fetches an issuer's published keys over https with Qt Network. Never follows a redirect to
// another host or to plain http, never reads more than FetchLimits::maxBytes, never runs longer
// than FetchLimits::timeoutMs. Verification never calls this: fetched keys only reach a policy
// through pinKeys() after a person confirms.
//
// Asynchronous use (GUI): start(), then fetched() or failed() is emitted exactly once.
// Synchronous use (CLI): fetch() runs a local event loop until the result is known.
class KeyFetcher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyFetcher)
public:
    explicit KeyFetcher(QObject* parent = nullptr);
    ~KeyFetcher() override;

    void setLimits(const FetchLimits& limits);
    FetchLimits limits() const;
    // The TLS configuration for every request (tests pass one trusting their own CA). Default: the
    // system configuration.
    void setSslConfiguration(const QSslConfiguration& configuration);
    // Trusts exactly the CA certificates in `pem` (instead of the system ones). ERR_FETCH_CA_FILE
    // when it holds no certificate.
    Status setCaCertificatesPem(const QByteArray& pem);

    void start(const policy::Policy& policy, const QString& issuer);
    void abort(); // emits failed(ERR_FETCH_ABORTED) when a fetch was running
    bool isRunning() const;

    Result<FetchedKeys> fetch(const policy::Policy& policy, const QString& issuer);

Q_SIGNALS:
    void progress(const QString& what); // "GET https://…/.well-known/openid-configuration"
    void fetched(const jwb::keys::FetchedKeys& result);
    void failed(const jwb::Error& error);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace jwb::keys
