// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <utility>
#include <vector>

namespace jwb::policy::detail {

// An ordered document to be written as YAML or JSON. The policy is turned into this once, so both
// outputs carry the same fields in the same (schema) order; QJsonObject would sort the keys.
struct OutNode {
    enum class Kind { Map, List, String, Integer, Double, Bool, Null };

    Kind kind = Kind::Null;
    QString text;          // String; Integer as decimal text
    double number = 0;     // Double
    bool boolean = false;  // Bool
    bool flow = false;     // List/Map written on one line
    bool plainDate = false;// String written unquoted in YAML (an exception's expiry date)
    struct Member;                // Map entry: key (first), value (second)
    std::vector<Member> members;
    std::vector<OutNode> items;

    static OutNode string(const QString& s);
    static OutNode integer(qint64 v);
    static OutNode boolean_(bool b);
    static OutNode map();
    static OutNode list(bool flowStyle);
    static OutNode stringList(const QStringList& list); // flow style
    static OutNode fromJson(const QJsonValue& value);   // objects in Qt's (sorted) key order

    OutNode& add(const QString& key, OutNode value);
    bool isEmpty() const { return members.empty() && items.empty(); }
};

// Not std::pair: see TreeNode::Member in PolicyTree.h.
struct OutNode::Member {
    QString first;
    OutNode second;
};

QByteArray writeYaml(const OutNode& root);
QByteArray writeJson(const OutNode& root);

} // namespace jwb::policy::detail
