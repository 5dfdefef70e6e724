// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Error.h"

#include <QByteArray>
#include <QString>

#include <string_view>

#include <string>
#include <utility>
#include <vector>

namespace jwb::policy::detail {

// A YAML/JSON document as read, before any meaning is given to it: every node keeps its line, and a
// mapping keeps every entry in document order (duplicates included, so the loader can refuse them
// instead of silently keeping one as yaml-cpp's node API would).
struct TreeNode {
    enum class Kind { Null, Scalar, Sequence, Map };
    enum class ScalarType { Null, Bool, Integer, Float, String };

    Kind kind = Kind::Null;
    std::string text;  // scalar value
    bool plain = true; // an unquoted, untagged scalar: its type is resolved (YAML 1.2 core schema)
    int line = 0;      // 1-based
    int column = 0;    // 1-based
    std::vector<TreeNode> items;                          // Sequence
    struct Member;                                        // Map entry: key (first), value (second)
    std::vector<Member> members;                          // Map, in document order

    // The type of a scalar: quoted or !!str scalars are strings; plain ones resolve like YAML 1.2's
    // core schema (null, true/false, decimal/hex/octal integers, floats), JSON's literals included.
    ScalarType scalarType() const;
};

// Not std::pair: a pair of the enclosing, still incomplete type is ill-formed, and clang with
// libstdc++ (the fuzzing build) refuses it.
struct TreeNode::Member {
    TreeNode first;
    TreeNode second;
};

struct TreeLimits {
    int maxDepth = 64;
};

// Parses YAML text into a tree. Aliases, custom tags, complex keys and several documents are
// refused (a policy needs none of them, and aliases would let a small file expand exponentially).
// Errors: ERR_POLICY_SYNTAX with location "sourceName:line".
Result<TreeNode> readYamlTree(const QByteArray& text, const QString& sourceName, const TreeLimits& limits = {});
// Validates `text` as JSON first (so JSON mistakes are reported as JSON errors with line and column),
// then reads it into the same tree.
Result<TreeNode> readJsonTree(const QByteArray& text, const QString& sourceName, const TreeLimits& limits = {});

// How a plain scalar would be read back: used by the writer to quote strings that would otherwise
// change type ("true", "30", "null", "").
TreeNode::ScalarType resolvePlainScalar(const std::string& text);
// Whether a plain `text` could be taken for a value of another type by a YAML 1.1 reader (yes/no,
// on/off, dates, sexagesimal numbers). The writer quotes those too, for other tools' sake.
bool ambiguousForYaml11(const std::string& text);

// Field paths and locations as every tree reader (policy, estate) reports them.
QString childPath(const QString& parent, std::string_view key);   // "issuers[0]" + "keys" -> "issuers[0].keys"
QString indexPath(const QString& parent, qsizetype index);        // "issuers" + 2 -> "issuers[2]"
QString typeName(const TreeNode& node);                           // "a list", "an integer", ...
QString locate(const QString& sourceName, int line, const QString& path); // "file.yaml:12: issuers[0]"

} // namespace jwb::policy::detail
