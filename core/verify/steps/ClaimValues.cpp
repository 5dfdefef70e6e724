// SPDX-License-Identifier: Apache-2.0
#include "verify/steps/ClaimValues.h"

#include <cmath>

namespace jwb::verify::steps {

namespace {
constexpr qint64 kMaxNumericDate = 253402300799; // 9999-12-31T23:59:59Z
}

TraceText jsonTypeName(const json::Value& v)
{
    switch (v.type()) {
    case json::Type::Null: return u"null";
    case json::Type::Bool: return u"a boolean";
    case json::Type::Number: return u"a number";
    case json::Type::String: return u"a string";
    case json::Type::Array: return u"an array";
    case json::Type::Object: return u"an object";
    }
    return {};
}

DateRead readNumericDate(const json::Value* v, qint64& out)
{
    if (!v)
        return DateRead::Absent;
    if (!v->isNumber())
        return DateRead::WrongType;
    if (v->isInteger()) {
        const long long n = v->toInteger();
        if (n < 0 || n > kMaxNumericDate)
            return DateRead::OutOfRange;
        out = n;
        return DateRead::Ok;
    }
    const double d = v->toDouble();
    if (!std::isfinite(d) || d < 0 || d > static_cast<double>(kMaxNumericDate))
        return DateRead::OutOfRange;
    out = static_cast<qint64>(std::floor(d));
    return DateRead::Ok;
}

TraceStep checkDateClaim(const DateClaimCheck& check, const StepInput& in, const StepResults& results,
                         TraceWriter& out)
{
    const bool untrusted = !results.signatureVerified;
    const json::Value* v = in.token.claims[check.member];
    qint64 instant = 0;
    const DateRead read = readNumericDate(v, instant);
    if (read == DateRead::Absent) {
        TraceStep s = traceStep(check.id, check.absentVerdict, check.absent);
        s.untrusted = untrusted && check.absentVerdict != Verdict::Skipped; // a skip reads nothing
        return s;
    }
    if (read != DateRead::Ok) {
        const bool wrongType = read == DateRead::WrongType;
        TraceStep s = traceStep(check.id, Verdict::Fail, wrongType ? TraceCode::ErrClaimType : TraceCode::ErrClaimRange);
        s.arg1 = check.claimName;
        if (wrongType)
            s.arg2 = jsonTypeName(*v);
        s.untrusted = untrusted;
        return s;
    }
    const qint64 now = in.now;
    const int skew = in.rules.rules.clockSkewSeconds;
    const SkewedBound bound = check.bound;
    const bool holds = bound(now, instant, skew);
    const CompiledException* ex = holds ? nullptr : in.activeException([bound, now, instant](const CompiledException& e) {
        return e.clockSkewSeconds && bound(now, instant, *e.clockSkewSeconds);
    });
    TraceStep s = traceStep(check.id, holds ? Verdict::Pass : ex ? Verdict::Warning : Verdict::Fail,
                            holds ? check.pass : ex ? check.byException : check.fail);
    s.num1 = instant;
    s.num2 = ex ? *ex->clockSkewSeconds : skew;
    s.untrusted = untrusted;
    if (ex)
        markByException(s, out.policyText(ex->id));
    return s;
}

} // namespace jwb::verify::steps
