// SPDX-License-Identifier: Apache-2.0
// The estate (issue 23): every verifier of one trust chain, described in one file so that all of
// them can be checked at once. One weak verifier undoes every strong one, and the weakness shows
// only when a token reaches it, so the estate file says where each verifier is reachable for a
// probe, what it has deployed (for drift) and which JWT library a service is built on.
#pragma once

#include "crypto/Signer.h"
#include "export/Drift.h"
#include "export/Export.h"
#include "policy/Policy.h"
#include "probe/Probe.h"
#include "util/Error.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace jwb::estate {

inline constexpr int kEstateFormatVersion = 1;

// verifiers[].kind. A contract (estate files, JSON): add, never rename.
enum class VerifierKind { Envoy, Istio, Kong, Nginx, Opa, Haproxy, Apache, Service };
QString verifierKindName(VerifierKind kind); // "envoy" ... "service"
std::optional<VerifierKind> verifierKindFromName(QStringView name);
QStringList verifierKindNames();
// The export target whose gap report predicts what this kind of verifier enforces; none for
// services (their library decides, and no export describes it).
std::optional<exporting::Target> exportTargetFor(VerifierKind kind);
// The deployed-configuration reader of core/export/Drift.h for this kind, where there is one.
std::optional<exporting::DriftSource> driftSourceFor(VerifierKind kind);

// verifiers[].probe: where and how the verifier is probed, and with which staging key.
struct ProbeSettings {
    probe::ProbeTarget target;              // url, header, prefix, accept/reject, ca, rate, max_requests, timeout
    QString issuer;                         // issuer (default: the verifier's first issuer)
    std::optional<QString> audience;        // audience (default: a valid control per audience)
    QString signingKeyPath;                 // signing_key, absolute; empty when none is given
    std::optional<crypto::SigningKey> signingKey; // the loaded private key (never printed)
    int marginSeconds = 5;                  // margin
};

// verifiers[].library: the JWT library a service verifies with.
struct LibraryRef {
    QString name;      // name, as its package registry spells it ("jsonwebtoken", "PyJWT")
    QString version;   // version, as installed ("9.0.3", "v5.2.1")
    QString ecosystem; // ecosystem (optional): npm, PyPI, Go, Maven, NuGet, RubyGems, C, C++
    // export (optional): the workbench's service export the service runs ("service:jose"). Its gap
    // rows are then the strict reference the probe is compared with, as for a gateway's target.
    std::optional<exporting::Target> exportTarget;
    bool operator==(const LibraryRef&) const = default;
};

struct Verifier {
    QString name;                       // name, unique in the estate
    VerifierKind kind = VerifierKind::Service;
    QString owner;                      // owner
    QStringList issuers;                // issuers: policy issuers this verifier accepts tokens of
    std::optional<ProbeSettings> probe; // probe
    QString configPath;                 // config, absolute; empty when none is given
    std::optional<LibraryRef> library;  // library
};

// The export whose gap report is the strict reference for this verifier: its kind's target, or for a
// service whose library names a generated service export (library.export), that export.
std::optional<exporting::Target> referenceTargetFor(const Verifier& verifier);

struct Estate {
    int formatVersion = kEstateFormatVersion; // jwt_estate
    QString name;                             // name
    QString owner;                            // owner
    QString policyPath;                       // policy, absolute
    policy::Policy policy;                    // the policy, loaded and validated
    QList<Verifier> verifiers;                // verifiers
    QString sourcePath;                       // the estate file, absolute
    QHash<QString, int> sourceLines;          // field path -> line ("verifiers[1].probe.url")

    const Verifier* findVerifier(QStringView verifierName) const;
};

// Bounds checked before work (a hostile estate file).
struct EstateLimits {
    qsizetype maxFileBytes = 1024 * 1024;
    int maxVerifiers = 1000;
    int maxDepth = 32;
};

// Loads an estate from YAML or JSON text. `baseDir` resolves `policy`, `signing_key`, `ca` and
// `config`. Everything is checked before anything is returned: unknown fields, wrong types,
// missing fields, duplicate verifier names, unknown kinds, bad URLs, issuers or audiences the
// policy does not have, unreadable or invalid files, a policy that does not load. Errors are
// ERR_ESTATE_* with location "file:line: field.path". Never a partially loaded estate.
Result<Estate> parseEstate(const QByteArray& text, bool json, const QString& sourceName, const QString& baseDir,
                           const EstateLimits& limits = {});
// ".json" is read as JSON, anything else as YAML.
Result<Estate> loadEstateFile(const QString& path, const EstateLimits& limits = {});

} // namespace jwb::estate
