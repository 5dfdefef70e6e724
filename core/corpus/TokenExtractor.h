// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>
#include <QList>

namespace jwb::corpus {

// Finds JWS-compact-shaped strings in one log line: after "Bearer ", inside quotes, inside JSON
// strings, in query strings, several per line. The result views point into `line` (valid as long as
// it is); the extractor only finds candidates, parseCompact judges them.
//
// A candidate is three base64url runs joined by two dots, where
// - the first run starts with "eyJ". Every JOSE header is a JSON object, and a JSON object written
//   without leading whitespace starts with `{"`, whose base64url form is "eyJ". Anchoring on it keeps
//   dotted text that is not a token out of the report: host names, package names, version numbers,
//   file names (a.b.c). A header with leading whitespace is not found; no JOSE library writes one.
// - the first run starts the word: it is not preceded by a base64url character or a dot, so the tail
//   of a longer run, or of a 4- or 5-segment string, is never taken for a token.
// - the payload run is not empty; the signature run may be (an unsecured token is reported, not hidden).
// - '=' directly after a run is kept in it: a padded token is extracted whole and rejected for its
//   padding, never silently repaired into the canonical token.
// - it is followed by the end of the line or a character that is neither base64url nor '='. A dot
//   directly after it ends a sentence only if no base64url character follows; otherwise the string
//   has more than three segments (a JWE, or not a token at all) and nothing of it is extracted.
// '+' and '/' (standard base64) end a run, so a token containing them is either skipped (in the
// header or payload) or cut short in its signature, where it then fails signature verification.
QList<QByteArrayView> extractTokens(QByteArrayView line);

} // namespace jwb::corpus
