// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"
#include "util/Error.h"

#include <QByteArray>
#include <QString>

namespace jwb::policy {

enum class Format { Yaml, Json };
Format formatForPath(const QString& path); // ".json" -> Json, anything else -> Yaml

// Bounds checked before work (hostile policy files). Sized for real multi-tenant estates: 10,000
// issuers with one inline EC key each are about 4 MB of YAML, so 64 MiB and 100,000 issuers leave
// room while still bounding what one file can make the loader hold.
struct LoadLimits {
    qsizetype maxFileBytes = 64 * 1024 * 1024;
    int maxIssuers = 100000;
    int maxKeysPerIssuer = 256;
};

// Loads a policy from YAML or JSON text (JSON is YAML 1.2 flow, but is parsed as JSON so that JSON
// syntax errors are reported as such). `baseDir` resolves jwks_file/pem_files. Everything is
// validated before anything is returned: unknown fields, wrong types, out-of-range values, duplicate
// issuers or exception ids, unreadable key files are ERR_POLICY_* errors whose location is
// "file:line: field.path". Never a partially loaded policy.
Result<Policy> parsePolicy(const QByteArray& text, Format format, const QString& sourceName,
                           const QString& baseDir, const LoadLimits& limits = {});
Result<Policy> loadPolicyFile(const QString& path, const LoadLimits& limits = {});
// The sample policy embedded in the binary (":/policies/sample.yaml"), keys included.
Result<Policy> loadSamplePolicy();

// Canonical, stable-ordered output: fields in schema order, defaults omitted only where unset,
// lists as written. load -> save -> load gives an equal Policy; saving twice gives identical bytes.
QByteArray serializePolicy(const Policy& policy, Format format);
// The line of every field in `text` (as serializePolicy wrote it), without reading key files: what
// a saved policy's sourceLines become. Empty when the text does not read as a policy.
SourceLines sourceLinesOf(const QByteArray& text, Format format);
// Atomic save (QSaveFile): the previous file stays intact until the new one is complete.
Status savePolicyFile(const Policy& policy, const QString& path);

// Re-resolves `issuer.keys.resolved` (and exception keys) from the sources, relative to baseDir.
Status resolveKeys(Policy& policy, const QString& baseDir);

} // namespace jwb::policy
