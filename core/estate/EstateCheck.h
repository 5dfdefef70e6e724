// SPDX-License-Identifier: Apache-2.0
// Checking a whole estate: every verifier is probed (one after another, each bounded by its probe
// settings), its deployed configuration compared with the policy where drift can read it, and its
// library looked up in the advisories; then each is judged and the matrix built.
#pragma once

#include "estate/Advisories.h"
#include "estate/Estate.h"
#include "estate/EstateReport.h"
#include "util/Error.h"

#include <atomic>
#include <functional>

namespace jwb::estate {

struct EstateCheckOptions {
    // The clock the probes mint against (a live verifier reads its own); default: the system clock.
    std::function<qint64()> clock;
    const std::atomic_bool* cancel = nullptr;
    // Called before each verifier is checked, and after each probe token.
    std::function<void(const QString& verifier, int index, int total)> onVerifier;
    std::function<void(int done, int total)> onToken;
};

// Everything that can fail for a reason in the estate's files is checked before the first request
// is sent: each probe's token set is minted once (ERR_PROBE_* errors: a signing key that is not
// pinned, an issuer without a usable algorithm), each config is read and compared (ERR_DRIFT_*),
// each target's gap report is made (ERR_EXPORT_*). Those errors name the verifier
// ("estate.yaml:12: verifiers[1].probe") and nothing is probed. A verifier that does not answer is
// not an error: its tokens are inconclusive.
Result<EstateReport> checkEstate(const Estate& estate, const AdvisoryDb& advisories,
                                 const EstateCheckOptions& options = {});

} // namespace jwb::estate
