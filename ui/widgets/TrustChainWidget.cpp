// SPDX-License-Identifier: Apache-2.0
#include "widgets/TrustChainWidget.h"

#include "models/EstateMatrixModel.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>

namespace jwb::ui {

namespace {

constexpr int kMargin = 16;
constexpr int kNodeHeight = 58;
constexpr int kGap = 14;
constexpr int kHeaderHeight = 28;

} // namespace

QList<ChainVerifier> chainVerifiers(const estate::Estate& estate, const estate::EstateReport* report)
{
    QList<ChainVerifier> out;
    for (const estate::Verifier& v : estate.verifiers) {
        ChainVerifier c;
        c.name = v.name;
        c.kind = estate::verifierKindName(v.kind);
        c.gateway = v.kind != estate::VerifierKind::Service;
        c.issuers = v.issuers;
        if (report) {
            for (const estate::VerifierAssessment& a : report->verifiers) {
                if (a.name != v.name)
                    continue;
                c.verdict = a.verdict;
                c.acceptsRejected = a.evidence.probe ? a.evidence.probe->acceptsRejected : 0;
                c.reason = a.reasons.value(0);
            }
        }
        out.append(c);
    }
    return out;
}

QString chainLabel(const ChainVerifier& v)
{
    if (!v.verdict)
        return QObject::tr("not checked");
    if (*v.verdict == estate::Verdict::Weak) {
        if (v.acceptsRejected > 0)
            return v.acceptsRejected == 1 ? QObject::tr("weak: accepts 1 rejected token")
                                          : QObject::tr("weak: accepts %1 rejected tokens").arg(v.acceptsRejected);
        return QObject::tr("weak: %1").arg(v.reason);
    }
    return verdictTitle(*v.verdict);
}

TrustChainWidget::TrustChainWidget(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAccessibleName(tr("Trust chain"));
}

void TrustChainWidget::setChain(const QStringList& issuers, const QList<ChainVerifier>& verifiers)
{
    m_issuers = issuers;
    m_verifiers = verifiers;
    updateGeometry();
    update();
}

QSize TrustChainWidget::sizeHint() const { return {900, 420}; }
QSize TrustChainWidget::minimumSizeHint() const { return {480, 200}; }

TrustChainWidget::Layout TrustChainWidget::layoutNodes() const
{
    Layout l;
    const int columnWidth = std::max(140, (width() - 2 * kMargin - 2 * 80) / 3);
    const int xs[3] = {kMargin, kMargin + columnWidth + 80, kMargin + 2 * (columnWidth + 80)};
    auto column = [&](int count, int x) {
        QList<QRect> rects;
        const int available = height() - kMargin - kHeaderHeight - kMargin - 28; // 28: the legend
        const int needed = count * kNodeHeight + std::max(0, count - 1) * kGap;
        int y = kHeaderHeight + kMargin + std::max(0, (available - needed) / 2);
        for (int i = 0; i < count; ++i) {
            rects.append(QRect(x, y, columnWidth, kNodeHeight));
            y += kNodeHeight + kGap;
        }
        return rects;
    };
    l.issuers = column(static_cast<int>(m_issuers.size()), xs[0]);
    int gateways = 0;
    for (const ChainVerifier& v : m_verifiers)
        gateways += v.gateway ? 1 : 0;
    const QList<QRect> g = column(gateways, xs[1]);
    const QList<QRect> s = column(static_cast<int>(m_verifiers.size()) - gateways, xs[2]);
    int gi = 0;
    int si = 0;
    for (const ChainVerifier& v : m_verifiers)
        l.verifiers.append(v.gateway ? g.at(gi++) : s.at(si++));
    return l;
}

QRect TrustChainWidget::nodeRect(const QString& verifier) const
{
    const Layout l = layoutNodes();
    for (int i = 0; i < m_verifiers.size(); ++i) {
        if (m_verifiers.at(i).name == verifier)
            return l.verifiers.at(i);
    }
    return {};
}

bool TrustChainWidget::event(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const Layout l = layoutNodes();
        for (int i = 0; i < m_verifiers.size(); ++i) {
            if (l.verifiers.at(i).contains(help->pos())) {
                const ChainVerifier& v = m_verifiers.at(i);
                QToolTip::showText(help->globalPos(),
                                   QStringLiteral("%1 (%2)\n%3%4").arg(v.name, v.kind, chainLabel(v),
                                                                       v.reason.isEmpty() ? QString() : u'\n' + v.reason),
                                   this);
                return true;
            }
        }
        QToolTip::hideText();
        e->ignore();
        return true;
    }
    return QWidget::event(e);
}

void TrustChainWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const Layout l = layoutNodes();
    const QFontMetrics fm(font());
    QFont bold = font();
    bold.setBold(true);

    // Column titles.
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    const int columnWidth = l.issuers.isEmpty() ? 160 : l.issuers.first().width();
    const int xs[3] = {kMargin, kMargin + columnWidth + 80, kMargin + 2 * (columnWidth + 80)};
    const QString titles[3] = {tr("Issuers (policy)"), tr("Gateways"), tr("Services")};
    for (int c = 0; c < 3; ++c)
        p.drawText(QRect(xs[c], kMargin / 2, columnWidth, kHeaderHeight), Qt::AlignHCenter | Qt::AlignVCenter, titles[c]);
    p.setFont(font());

    if (m_verifiers.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Open an estate file to see its trust chain."));
        return;
    }

    // An edge to a service goes around the gateway column, above or below it, so that it never
    // looks as if it passed through a gateway: the estate says who trusts an issuer, not the routing.
    QRect gatewayBlock;
    for (int i = 0; i < m_verifiers.size(); ++i) {
        if (m_verifiers.at(i).gateway)
            gatewayBlock = gatewayBlock.united(l.verifiers.at(i));
    }
    int laneAbove = 0;
    int laneBelow = 0;

    // Edges first, under the nodes: issuer -> each verifier that accepts its tokens. An edge into a
    // weak verifier is red too: that is the path an attacker's token takes.
    for (int i = 0; i < m_verifiers.size(); ++i) {
        const ChainVerifier& v = m_verifiers.at(i);
        const bool weak = v.verdict == estate::Verdict::Weak;
        for (const QString& issuer : v.issuers) {
            const int from = static_cast<int>(m_issuers.indexOf(issuer));
            if (from < 0)
                continue;
            const QPointF a(l.issuers.at(from).right(), l.issuers.at(from).center().y());
            const QPointF b(l.verifiers.at(i).left(), l.verifiers.at(i).center().y());
            QPainterPath path(a);
            if (!v.gateway && gatewayBlock.isValid()) {
                const bool above = b.y() < gatewayBlock.center().y();
                const qreal y = above ? gatewayBlock.top() - 14 - 8 * laneAbove++ : gatewayBlock.bottom() + 14 + 8 * laneBelow++;
                const QPointF in(gatewayBlock.left() - 20, y);
                const QPointF out(gatewayBlock.right() + 20, y);
                const qreal dx1 = (in.x() - a.x()) / 2;
                path.cubicTo(a + QPointF(dx1, 0), in - QPointF(dx1, 0), in);
                path.lineTo(out);
                const qreal dx2 = (b.x() - out.x()) / 2;
                path.cubicTo(out + QPointF(dx2, 0), b - QPointF(dx2, 0), b);
            } else {
                const qreal dx = (b.x() - a.x()) / 2;
                path.cubicTo(a + QPointF(dx, 0), b - QPointF(dx, 0), b);
            }
            QPen pen(weak ? verdictColor(pal, estate::Verdict::Weak) : pal.color(QPalette::Mid), weak ? 2.5 : 1.5);
            p.setPen(pen);
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
            // Arrow head at the verifier.
            QPolygonF head;
            head << b << b + QPointF(-9, -5) << b + QPointF(-9, 5);
            p.setBrush(pen.color());
            p.drawPolygon(head);
        }
    }

    for (int i = 0; i < m_issuers.size(); ++i) {
        const QRect r = l.issuers.at(i);
        p.setPen(QPen(pal.color(QPalette::Mid), 1.5));
        p.setBrush(pal.color(QPalette::AlternateBase));
        p.drawRoundedRect(r, 6, 6);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(r.adjusted(8, 4, -8, -4), Qt::AlignCenter,
                   fm.elidedText(m_issuers.at(i), Qt::ElideMiddle, r.width() - 16));
    }

    for (int i = 0; i < m_verifiers.size(); ++i) {
        const ChainVerifier& v = m_verifiers.at(i);
        const QRect r = l.verifiers.at(i);
        const bool weak = v.verdict == estate::Verdict::Weak;
        const QColor fill = v.verdict ? verdictBackground(pal, *v.verdict) : pal.color(QPalette::Base);
        const QColor border = v.verdict ? verdictColor(pal, *v.verdict) : pal.color(QPalette::Mid);
        p.setPen(QPen(border, weak ? 4 : 1.5));
        p.setBrush(fill);
        p.drawRoundedRect(r, 6, 6);
        const QRect inner = r.adjusted(10, 6, -10, -6);
        p.setFont(bold);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(inner, Qt::AlignTop | Qt::AlignHCenter,
                   QFontMetrics(bold).elidedText(QStringLiteral("%1  (%2)").arg(v.name, v.kind), Qt::ElideRight,
                                                 inner.width()));
        p.setFont(weak ? bold : font());
        p.setPen(weak ? verdictColor(pal, estate::Verdict::Weak) : pal.color(QPalette::Text));
        p.drawText(inner, Qt::AlignBottom | Qt::AlignHCenter,
                   (weak ? QFontMetrics(bold) : fm).elidedText(chainLabel(v), Qt::ElideRight, inner.width()));
        p.setFont(font());
    }

    // What the colours say, along the bottom edge.
    const estate::Verdict order[] = {estate::Verdict::Weak, estate::Verdict::BreaksValidTraffic,
                                     estate::Verdict::Inconclusive, estate::Verdict::Conforms};
    int x = kMargin;
    const int y = height() - kMargin - fm.height();
    p.setPen(pal.color(QPalette::Text));
    const QString title = tr("Verifier verdicts:");
    p.drawText(QPoint(x, y + fm.ascent()), title);
    x += fm.horizontalAdvance(title) + 10;
    for (const estate::Verdict verdict : order) {
        const QRect swatch(x, y + 1, 14, fm.height() - 2);
        p.setPen(QPen(verdictColor(pal, verdict), verdict == estate::Verdict::Weak ? 3 : 1.5));
        p.setBrush(verdictBackground(pal, verdict));
        p.drawRoundedRect(swatch, 3, 3);
        p.setPen(pal.color(QPalette::Text));
        const QString name = verdictTitle(verdict);
        p.drawText(QPoint(swatch.right() + 6, y + fm.ascent()), name);
        x = swatch.right() + 6 + fm.horizontalAdvance(name) + 18;
    }
}

} // namespace jwb::ui
