// SPDX-License-Identifier: Apache-2.0
#include "widgets/TokenEdit.h"

#include <QEvent>
#include <QMimeData>
#include <QTextBlock>
#include <QUrl>

namespace jwb::ui {

namespace {

bool isDark(const QPalette& palette) { return palette.color(QPalette::Base).lightnessF() < 0.5; }

QStringList localFiles(const QMimeData* source)
{
    QStringList files;
    if (!source || !source->hasUrls())
        return files;
    for (const QUrl& url : source->urls())
        if (url.isLocalFile())
            files.append(url.toLocalFile());
    return files;
}

} // namespace

TokenHighlighter::TokenHighlighter(QTextDocument* document) : QSyntaxHighlighter(document)
{
    setPalette(QPalette());
}

QColor TokenHighlighter::segmentColor(const QPalette& palette, int segment)
{
    // Rose, violet, blue: the order readers know from JWT debuggers, as tints of the palette.
    static constexpr int kHues[3] = {345, 275, 205};
    return QColor::fromHsl(kHues[qBound(0, segment, 2)], 170, isDark(palette) ? 175 : 95);
}

void TokenHighlighter::setPalette(const QPalette& palette)
{
    for (int i = 0; i < 3; ++i) {
        m_formats[i] = QTextCharFormat();
        m_formats[i].setForeground(segmentColor(palette, i));
    }
    m_formats[2].setFontItalic(true);
    rehighlight();
}

void TokenHighlighter::highlightBlock(const QString& text)
{
    int segment = 0;
    qsizetype start = -1;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        const bool end = i == text.size() || text.at(i).isSpace();
        const bool dot = !end && text.at(i) == u'.';
        if (start < 0 && !end && !dot)
            start = i;
        if (start >= 0 && (end || dot)) {
            setFormat(static_cast<int>(start), static_cast<int>(i - start), m_formats[qMin(segment, 2)]);
            start = -1;
        }
        if (dot)
            ++segment;
        else if (end)
            segment = 0; // whitespace separates a "Bearer" prefix from the token
    }
}

TokenEdit::TokenEdit(QWidget* parent) : QPlainTextEdit(parent), m_highlighter(new TokenHighlighter(document()))
{
    setObjectName(QStringLiteral("tokenEdit"));
    setAccessibleName(tr("Tokens, one per line"));
    setPlaceholderText(tr("Paste a JWT here (one per line for several), or drop a file."));
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setWordWrapMode(QTextOption::WrapAnywhere);
    setTabChangesFocus(true);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    setFont(mono);
    m_highlighter->setPalette(palette());
}

void TokenEdit::setMarkedLine(int line)
{
    if (line == m_markedLine)
        return;
    m_markedLine = line;
    updateMark();
}

int TokenEdit::cursorLine() const { return textCursor().blockNumber() + 1; }

void TokenEdit::updateMark()
{
    QList<QTextEdit::ExtraSelection> selections;
    const QTextBlock block = document()->findBlockByNumber(m_markedLine - 1);
    if (m_markedLine > 0 && block.isValid() && document()->blockCount() > 1) {
        QTextEdit::ExtraSelection mark;
        QColor wash = palette().color(QPalette::Highlight);
        wash.setAlpha(40);
        mark.format.setBackground(wash);
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        mark.cursor = QTextCursor(block);
        selections.append(mark);
    }
    setExtraSelections(selections);
}

bool TokenEdit::canInsertFromMimeData(const QMimeData* source) const
{
    return !localFiles(source).isEmpty() || QPlainTextEdit::canInsertFromMimeData(source);
}

void TokenEdit::insertFromMimeData(const QMimeData* source)
{
    const QStringList files = localFiles(source);
    if (!files.isEmpty()) {
        emit filesDropped(files);
        return;
    }
    QPlainTextEdit::insertFromMimeData(source);
}

void TokenEdit::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->setPalette(palette());
        updateMark();
    }
    QPlainTextEdit::changeEvent(event);
}

} // namespace jwb::ui
