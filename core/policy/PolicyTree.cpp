// SPDX-License-Identifier: Apache-2.0
// Reads YAML (and JSON, which yaml-cpp also reads) through yaml-cpp's event interface into a tree
// that keeps lines and duplicate keys. The node API is not used: it merges aliases and hides
// duplicate keys, both of which a policy loader must see.

#include "policy/PolicyTree.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <optional>
#include <sstream>

namespace jwb::policy::detail {
namespace {

struct TreeError {
    int line = 0;
    QString message;
};

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHexDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool allOf(std::string_view s, bool (*pred)(char))
{
    if (s.empty())
        return false;
    for (char c : s) {
        if (!pred(c))
            return false;
    }
    return true;
}

bool isCoreInteger(std::string_view s)
{
    if (s.size() > 2 && s[0] == '0' && s[1] == 'o')
        return allOf(s.substr(2), [](char c) { return c >= '0' && c <= '7'; });
    if (s.size() > 2 && s[0] == '0' && s[1] == 'x')
        return allOf(s.substr(2), isHexDigit);
    if (!s.empty() && (s[0] == '-' || s[0] == '+'))
        s.remove_prefix(1);
    return allOf(s, isDigit);
}

bool isCoreFloat(std::string_view s)
{
    if (s == ".nan" || s == ".NaN" || s == ".NAN")
        return true;
    if (!s.empty() && (s[0] == '-' || s[0] == '+'))
        s.remove_prefix(1);
    if (s == ".inf" || s == ".Inf" || s == ".INF")
        return true;
    std::size_t i = 0;
    std::size_t intDigits = 0;
    while (i < s.size() && isDigit(s[i])) {
        ++i;
        ++intDigits;
    }
    std::size_t fracDigits = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && isDigit(s[i])) {
            ++i;
            ++fracDigits;
        }
    }
    if (intDigits == 0 && fracDigits == 0)
        return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+'))
            ++i;
        std::size_t expDigits = 0;
        while (i < s.size() && isDigit(s[i])) {
            ++i;
            ++expDigits;
        }
        if (expDigits == 0)
            return false;
    }
    return i == s.size();
}

// Builds the tree from parser events. Containers being read sit on a stack; a finished node is
// attached to its parent (as sequence item, mapping key, or mapping value).
class TreeBuilder final : public YAML::EventHandler {
public:
    explicit TreeBuilder(const TreeLimits& limits) : m_limits(limits) {}

    std::optional<TreeNode> takeRoot() { return std::move(m_root); }

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override
    {
        TreeNode node;
        node.kind = TreeNode::Kind::Null;
        setMark(node, mark);
        attach(std::move(node));
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override
    {
        throw TreeError{mark.line + 1, QStringLiteral("YAML aliases (*name) are not allowed in a policy file")};
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t, const std::string& value) override
    {
        TreeNode node;
        node.kind = TreeNode::Kind::Scalar;
        node.text = value;
        if (tag == "?")
            node.plain = true;
        else if (tag == "!" || tag == "tag:yaml.org,2002:str")
            node.plain = false;
        else
            throw TreeError{mark.line + 1, QStringLiteral("YAML tag \"%1\" is not allowed in a policy file")
                                              .arg(QString::fromStdString(tag))};
        setMark(node, mark);
        attach(std::move(node));
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
        checkContainerTag(mark, tag);
        push(TreeNode::Kind::Sequence, mark);
    }
    void OnSequenceEnd() override { pop(); }

    void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {
        checkContainerTag(mark, tag);
        push(TreeNode::Kind::Map, mark);
    }
    void OnMapEnd() override
    {
        if (!m_stack.empty() && m_stack.back().pendingKey)
            throw TreeError{m_stack.back().node.line, QStringLiteral("mapping key without a value")};
        pop();
    }

private:
    struct Frame {
        TreeNode node;
        std::optional<TreeNode> pendingKey;
    };

    static void setMark(TreeNode& node, const YAML::Mark& mark)
    {
        node.line = mark.line + 1;
        node.column = mark.column + 1;
    }

    static void checkContainerTag(const YAML::Mark& mark, const std::string& tag)
    {
        if (tag != "?" && tag != "!" && tag != "tag:yaml.org,2002:map" && tag != "tag:yaml.org,2002:seq")
            throw TreeError{mark.line + 1, QStringLiteral("YAML tag \"%1\" is not allowed in a policy file")
                                               .arg(QString::fromStdString(tag))};
    }

    void push(TreeNode::Kind kind, const YAML::Mark& mark)
    {
        if (static_cast<int>(m_stack.size()) >= m_limits.maxDepth)
            throw TreeError{mark.line + 1,
                            QStringLiteral("nested deeper than %1 levels").arg(m_limits.maxDepth)};
        Frame frame;
        frame.node.kind = kind;
        setMark(frame.node, mark);
        m_stack.push_back(std::move(frame));
    }

    void pop()
    {
        if (m_stack.empty())
            throw TreeError{0, QStringLiteral("unbalanced document structure")};
        TreeNode node = std::move(m_stack.back().node);
        m_stack.pop_back();
        attach(std::move(node));
    }

    void attach(TreeNode node)
    {
        if (m_stack.empty()) {
            if (m_root)
                throw TreeError{node.line, QStringLiteral("more than one document")};
            m_root = std::move(node);
            return;
        }
        Frame& parent = m_stack.back();
        if (parent.node.kind == TreeNode::Kind::Sequence) {
            parent.node.items.push_back(std::move(node));
        } else if (!parent.pendingKey) {
            if (node.kind != TreeNode::Kind::Scalar)
                throw TreeError{node.line, QStringLiteral("a mapping key must be a plain string")};
            parent.pendingKey = std::move(node);
        } else {
            // A null value sits where the next token is; report it on its key's line.
            if (node.kind == TreeNode::Kind::Null && node.line > parent.pendingKey->line)
                node.line = parent.pendingKey->line;
            parent.node.members.push_back(TreeNode::Member{std::move(*parent.pendingKey), std::move(node)});
            parent.pendingKey.reset();
        }
    }

    TreeLimits m_limits;
    std::vector<Frame> m_stack;
    std::optional<TreeNode> m_root;
};

Error syntaxError(const QString& sourceName, int line, const QString& message)
{
    QString location = sourceName;
    if (line > 0)
        location += QStringLiteral(":%1").arg(line);
    return Error{QStringLiteral("ERR_POLICY_SYNTAX"), message, location};
}

Result<TreeNode> readTree(const QByteArray& text, const QString& sourceName, const TreeLimits& limits,
                          const QString& language)
{
    try {
        std::istringstream stream(text.toStdString());
        YAML::Parser parser(stream);
        TreeBuilder builder(limits);
        parser.HandleNextDocument(builder);
        if (parser.HandleNextDocument(builder))
            return syntaxError(sourceName, 0, QStringLiteral("more than one %1 document").arg(language));
        std::optional<TreeNode> root = builder.takeRoot();
        if (!root)
            return syntaxError(sourceName, 0, QStringLiteral("the file is empty"));
        return std::move(*root);
    } catch (const TreeError& e) {
        return syntaxError(sourceName, e.line, QStringLiteral("%1: %2").arg(language, e.message));
    } catch (const YAML::Exception& e) {
        return syntaxError(sourceName, e.mark.is_null() ? 0 : e.mark.line + 1,
                           QStringLiteral("%1 syntax error at column %2: %3")
                               .arg(language)
                               .arg(e.mark.is_null() ? 0 : e.mark.column + 1)
                               .arg(QString::fromStdString(e.msg)));
    } catch (const std::exception& e) {
        return syntaxError(sourceName, 0,
                           QStringLiteral("%1 could not be read: %2").arg(language, QString::fromLocal8Bit(e.what())));
    }
}

} // namespace

TreeNode::ScalarType TreeNode::scalarType() const
{
    if (kind == Kind::Null)
        return ScalarType::Null;
    if (!plain)
        return ScalarType::String;
    return resolvePlainScalar(text);
}

TreeNode::ScalarType resolvePlainScalar(const std::string& text)
{
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
        return TreeNode::ScalarType::Null;
    if (text == "true" || text == "True" || text == "TRUE" || text == "false" || text == "False"
        || text == "FALSE")
        return TreeNode::ScalarType::Bool;
    if (isCoreInteger(text))
        return TreeNode::ScalarType::Integer;
    if (isCoreFloat(text))
        return TreeNode::ScalarType::Float;
    return TreeNode::ScalarType::String;
}

bool ambiguousForYaml11(const std::string& text)
{
    static const QRegularExpression yaml11(QStringLiteral(
        "^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF"
        "|[-+]?0b[01_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?|[-+]?[0-9][0-9_]*"
        "|[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*(?:[eE][-+][0-9]+)?"
        "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?|=|<<)$"));
    return yaml11.match(QString::fromStdString(text)).hasMatch();
}

Result<TreeNode> readYamlTree(const QByteArray& text, const QString& sourceName, const TreeLimits& limits)
{
    return readTree(text, sourceName, limits, QStringLiteral("YAML"));
}

Result<TreeNode> readJsonTree(const QByteArray& text, const QString& sourceName, const TreeLimits& limits)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const qsizetype offset = std::clamp<qsizetype>(parseError.offset, 0, text.size());
        const QByteArrayView before(text.constData(), offset);
        const int line = static_cast<int>(before.count('\n')) + 1;
        const qsizetype lineStart = before.lastIndexOf('\n') + 1;
        const int column = static_cast<int>(offset - lineStart) + 1;
        return syntaxError(sourceName, line,
                           QStringLiteral("JSON syntax error at column %1: %2").arg(column).arg(parseError.errorString()));
    }
    if (!document.isObject())
        return syntaxError(sourceName, 1, QStringLiteral("JSON: the policy must be a JSON object"));
    return readTree(text, sourceName, limits, QStringLiteral("JSON"));
}

QString childPath(const QString& parent, std::string_view key)
{
    const QString k = QString::fromUtf8(key.data(), static_cast<qsizetype>(key.size()));
    return parent.isEmpty() ? k : parent + u'.' + k;
}

QString indexPath(const QString& parent, qsizetype index)
{
    return parent + u'[' + QString::number(index) + u']';
}

QString typeName(const TreeNode& node)
{
    switch (node.kind) {
    case TreeNode::Kind::Null: return QStringLiteral("null");
    case TreeNode::Kind::Sequence: return QStringLiteral("a list");
    case TreeNode::Kind::Map: return QStringLiteral("a mapping");
    case TreeNode::Kind::Scalar: break;
    }
    switch (node.scalarType()) {
    case TreeNode::ScalarType::Null: return QStringLiteral("null");
    case TreeNode::ScalarType::Bool: return QStringLiteral("a boolean");
    case TreeNode::ScalarType::Integer: return QStringLiteral("an integer");
    case TreeNode::ScalarType::Float: return QStringLiteral("a number with a fraction");
    case TreeNode::ScalarType::String: return QStringLiteral("a string");
    }
    return QString();
}

QString locate(const QString& sourceName, int line, const QString& path)
{
    QString location = sourceName;
    if (line > 0)
        location += u':' + QString::number(line);
    if (!path.isEmpty())
        location += (location.isEmpty() ? QString() : QStringLiteral(": ")) + path;
    return location;
}

} // namespace jwb::policy::detail
