// SPDX-License-Identifier: Apache-2.0
// The steps of the pipeline, one file each under steps/, named after the step id it records. Where the
// signature-only path checks a step differently (no policy, a key set instead of pinned keys), its
// variant sits in the same file. The order they run in is the tables in verify/Pipeline.h.
#pragma once

#include "verify/steps/Step.h"

namespace jwb::verify::steps {

TraceStep size(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep structure(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep structureJws(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep header(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep headerJws(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep type(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep algorithm(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep issuer(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep key(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep keyFromSet(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep signature(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep expiry(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep notBefore(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep issuedAt(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep lifetime(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep audience(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep subject(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep requiredClaims(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep delegation(const StepInput& in, StepResults& results, TraceWriter& out);
TraceStep nested(const StepInput& in, StepResults& results, TraceWriter& out);

} // namespace jwb::verify::steps
