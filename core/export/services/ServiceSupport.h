// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/export/services: what every service exporter (a verification function for one
// JWT library, issue 21) derives from the policy before writing its own language, and the shared
// gap rows. Not a contract for other layers.

#include "export/ExportSupport.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace jwb::exporting::detail::services {

// A pinned public key as the generated code carries it.
struct ServiceKey {
    QString kid;             // may be empty (PEM-pinned keys)
    QStringList algorithms;  // the pinned algorithms this key can serve
    QByteArray jwk;          // public JWK, compact JSON
    QByteArray pem;          // SubjectPublicKeyInfo PEM
};

// An HMAC secret: never written; the generated code reads it from an environment variable.
struct ServiceSecret {
    QString kid;
    QString envVar;          // JWB_HMAC_SECRET_<KID>: the secret, base64url as in the JWK "k"
    QStringList algorithms;
};

struct ServiceIssuer {
    int planIndex = 0;               // into ServicePlan::plans
    QString iss;
    policy::EffectiveRules rules;    // what the export carries: the base rules loosened by active exceptions
    QStringList audiences;
    QStringList subjects;
    // allowed_types reduced as RFC 7515 section 4.1.9 compares them: lower case, without "application/".
    std::optional<QStringList> types;
    QList<ServiceKey> keys;
    QList<ServiceSecret> secrets;
};

struct ServicePlan {
    QList<IssuerPlan> plans;         // every issuer of the (possibly narrowed) policy
    QList<ServiceIssuer> issuers;    // same order
    qint64 maxTokenBytes = 16384;    // the largest limit of any issuer: checked before decoding
    bool rejectAct = true;           // delegation.act: reject
    bool rejectNested = true;        // delegation.nested: reject (the exports never verify nested JWTs)
};

// ERR_EXPORT_NO_ISSUERS when the policy has none.
Result<ServicePlan> planService(const policy::Policy& policy, const ExportProfile& profile);

// What the library itself enforces, per control: empty means the generated code emulates it.
struct LibraryFacts {
    QString algorithmPin; // always set: every target pins algorithms through the library
    QString crit;         // what the library does with crit by itself (the code refuses every crit)
    QString issuer;
    QString audience;
    QString requiredClaims;
    QString expRequired;
    QString nbf;
    QString iat;
    QString skew;         // how the leeway is passed; empty: the code applies the skew itself
    QString keys;         // how the pinned keys reach the library
    QString secrets;      // how an HMAC secret reaches the library (the environment variable is named)
};

// One row per control for one issuer of a service target.
QList<GapEntry> serviceGaps(Target target, const ServicePlan& plan, const ServiceIssuer& issuer,
                            const LibraryFacts& facts);
// Every issuer's rows, in issuer order.
QList<GapEntry> allServiceGaps(Target target, const ServicePlan& plan, const LibraryFacts& facts);
// A service export: the generated code under the file name its language expects, with every issuer's rows.
ExportResult serviceResult(const QString& code, const QString& fileName, Target target, const ServicePlan& plan,
                           const LibraryFacts& facts);

// Literals shared by the languages: a double-quoted string with JSON escapes is valid in
// JavaScript, Python, Go, Java and C#.
QString quoted(const QString& s);
// "a", "b" (no brackets): each language wraps it.
QString quotedList(const QStringList& items);
// The banner every service export starts with, each line behind `commentPrefix`.
QString serviceBanner(const policy::Policy& policy, Target target, const QString& commentPrefix,
                      const ServicePlan& plan);
// A short language-neutral description of the emulated checks, for the generated file's header.
QString exceptionNote(const ServicePlan& plan, const QString& commentPrefix);

} // namespace jwb::exporting::detail::services
