// SPDX-License-Identifier: Apache-2.0
// Reading and checking the date claims, shared by the steps expiry, not_before, issued_at and lifetime.
#pragma once

#include "verify/steps/Step.h"

namespace jwb::verify::steps {

// How a JSON value reads for a trace: "a string", "an array", ...
TraceText jsonTypeName(const json::Value& v);

enum class DateRead { Absent, Ok, WrongType, OutOfRange };

// NumericDate (RFC 7519 §2): a JSON number of seconds, fractions allowed (floored).
DateRead readNumericDate(const json::Value* v, qint64& out);

// A bound on the evaluation instant that the clock skew widens: `holds(now, instant, skew)`.
using SkewedBound = bool (*)(qint64 now, qint64 instant, qint64 skew);

// A step that checks one date claim against the evaluation instant.
struct DateClaimCheck {
    StepId id;
    Members::Name member;
    TraceText claimName;   // "exp", as reasons name it
    Verdict absentVerdict; // the step when the claim is missing: skipped, or failed when it is required
    TraceCode absent;
    SkewedBound bound;
    TraceCode pass;
    TraceCode byException; // held only within the wider skew of an active exception: a warning
    TraceCode fail;
};

// The step's outcome: `absent` when the claim is missing; a failure when it is not a NumericDate;
// a pass when `bound` holds with the rules' clock skew; else a warning when it holds with an active
// exception's skew; else a failure. num1 is the claim's instant, num2 the skew applied.
TraceStep checkDateClaim(const DateClaimCheck& check, const StepInput& in, const StepResults& results,
                         TraceWriter& out);

} // namespace jwb::verify::steps
