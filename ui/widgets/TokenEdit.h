// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QPlainTextEdit>
#include <QSyntaxHighlighter>

namespace jwb::ui {

// Colours the three segments of every compact token in a document (header, payload, signature),
// one token per line. Colours come from the palette so they stay readable in dark themes.
class TokenHighlighter final : public QSyntaxHighlighter {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenHighlighter)

public:
    explicit TokenHighlighter(QTextDocument* document);
    void setPalette(const QPalette& palette);
    static QColor segmentColor(const QPalette& palette, int segment); // 0 header, 1 payload, 2 signature

protected:
    void highlightBlock(const QString& text) override;

private:
    QTextCharFormat m_formats[3];
};

// The Token Lab's input: paste or type tokens one per line; files dropped on it are reported
// (not inserted as text) so the view can load them; the selected token's line is marked.
class TokenEdit final : public QPlainTextEdit {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenEdit)

public:
    explicit TokenEdit(QWidget* parent = nullptr);

    // Marks line `line` (1-based; 0 clears) as the one whose trace is shown.
    void setMarkedLine(int line);
    int markedLine() const { return m_markedLine; }
    // 1-based line of the text cursor.
    int cursorLine() const;

signals:
    void filesDropped(const QStringList& paths);

protected:
    bool canInsertFromMimeData(const QMimeData* source) const override;
    void insertFromMimeData(const QMimeData* source) override;
    void changeEvent(QEvent* event) override;

private:
    void updateMark();

    TokenHighlighter* m_highlighter;
    int m_markedLine = 0;
};

} // namespace jwb::ui
