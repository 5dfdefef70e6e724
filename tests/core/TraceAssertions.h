// SPDX-License-Identifier: Apache-2.0
// Assertions on verification traces, shared by the pipeline and published-vector tests.
#pragma once

#include "verify/Trace.h"

#include <QString>
#include <QTest>

namespace jwb::testing {

// The trace rejects the token, and its first failing step is `step` with error `code` (any code
// when empty). The first check that does not hold fails the running test function.
inline void expectRejectedAt(const verify::Trace& trace, verify::StepId step, const QString& code = {})
{
    QVERIFY2(!trace.accepted, qPrintable(trace.toText()));
    const verify::TraceStep* failure = trace.firstFailure();
    QVERIFY(failure);
    QCOMPARE(verify::stepIdName(failure->id), verify::stepIdName(step));
    if (!code.isEmpty())
        QCOMPARE(failure->code.toString(), code);
}

} // namespace jwb::testing
