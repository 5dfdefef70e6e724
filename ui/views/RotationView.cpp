// SPDX-License-Identifier: Apache-2.0
// Rotation rehearsal view: plan editor, timeline chart of the two risk windows, and the advice.
#include "views/RotationView.h"

#include "util/Time.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTimeZone>
#include <QVBoxLayout>

#include <algorithm>

namespace jwb::ui {

namespace {

const QColor kRejectColor(0xd3, 0x2f, 0x2f); // good tokens rejected
const QColor kAcceptColor(0xf5, 0xa6, 0x23); // retired key still accepted
const QColor kPlanColor(0x37, 0x47, 0x4f);
constexpr int kRowHeight = 34;
constexpr int kLabelWidth = 250;
constexpr int kTopMargin = 58; // legend and the plan's instant labels

QString duration(qint64 s) {
    if (s < 120)
        return QStringLiteral("%1 s").arg(s);
    if (s < 7200)
        return QStringLiteral("%1 min").arg((s + 30) / 60);
    const qint64 minutes = (s + 30) / 60;
    return minutes % 60 ? QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60)
                        : QStringLiteral("%1 h").arg(minutes / 60);
}

QDateTimeEdit* utcEdit(const char* objectName, QWidget* parent) {
    auto* edit = new QDateTimeEdit(parent);
    edit->setObjectName(QLatin1String(objectName));
    edit->setTimeSpec(Qt::UTC);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    edit->setCalendarPopup(true);
    return edit;
}

} // namespace

// The chart: one row per rehearsed verifier on a shared time axis from just before T0 to a while
// after T2. Windows reaching past the axis (a 12 h library cache) are clipped with their length
// written on the bar, so the plan itself stays readable.
class RotationTimeline final : public QWidget {
public:
    explicit RotationTimeline(QWidget* parent)
        : QWidget(parent) {
        setObjectName(QStringLiteral("rotationTimeline"));
        setMinimumHeight(200);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    }

    QSize sizeHint() const override { return {800, minimumHeight()}; }

    void setReport(const std::optional<keys::RehearsalReport>& report) {
        m_report = report;
        const int rows = report ? static_cast<int>(report->targets.size()) + 1 : 0;
        setMinimumHeight(std::max(200, kTopMargin + rows * kRowHeight + 40));
        updateGeometry();
        update();
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        p.fillRect(rect(), palette().base());
        if (!m_report) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(rect(), Qt::AlignCenter, tr("Choose an issuer and a valid plan (T0 ≤ T1 ≤ T2)."));
            return;
        }
        const keys::RehearsalReport& r = *m_report;
        const keys::RotationPlan& plan = r.plan;
        const qint64 span = std::max<qint64>(plan.retireAt - plan.publishAt, 600);
        const qint64 from = plan.publishAt - span / 8;
        const qint64 to = plan.retireAt + span;
        const int left = kLabelWidth;
        const int right = width() - 16;
        const auto x = [&](qint64 t) {
            const double f = double(std::clamp(t, from, to) - from) / double(to - from);
            return left + int(f * (right - left));
        };

        // Legend.
        const QFontMetrics fm(font());
        int lx = 12;
        const auto legend = [&](const QColor& c, const QString& text) {
            p.fillRect(QRect(lx, 10, 14, 12), c);
            p.setPen(palette().color(QPalette::Text));
            p.drawText(lx + 20, 21, text);
            lx += 20 + fm.horizontalAdvance(text) + 24;
        };
        legend(kRejectColor, tr("good tokens rejected"));
        legend(kAcceptColor, tr("retired key still accepted"));

        // Rows: the in-flight window first, then each verifier.
        const int bottom = kTopMargin + (int(r.targets.size()) + 1) * kRowHeight;
        int y = kTopMargin;
        const auto bar = [&](const keys::Window& w, const QColor& c, int rowY) {
            if (w.worstSeconds <= 0)
                return;
            const int x0 = x(w.from);
            const int x1 = std::max(x(w.until), x0 + 3);
            const QRect box(x0, rowY + 8, x1 - x0, kRowHeight - 16);
            p.fillRect(box, c);
            QString text = duration(w.worstSeconds);
            if (w.until > to)
                text += QStringLiteral(" →");
            p.setPen(palette().color(QPalette::Text));
            const int tw = fm.horizontalAdvance(text);
            if (tw + 8 < box.width()) {
                p.setPen(Qt::white);
                p.drawText(box, Qt::AlignCenter, text);
            } else {
                p.drawText(QPoint(std::min(box.right() + 4, right - tw), box.bottom() - 3), text);
            }
        };
        const auto label = [&](const QString& title, const QString& subtitle, int rowY) {
            p.setPen(palette().color(QPalette::Text));
            QFont bold = font();
            bold.setBold(true);
            p.setFont(bold);
            p.drawText(QRect(12, rowY + 2, left - 20, kRowHeight / 2), Qt::AlignLeft | Qt::AlignVCenter,
                       title);
            p.setFont(font());
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(QRect(12, rowY + kRowHeight / 2 - 2, left - 20, kRowHeight / 2),
                       Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(subtitle, Qt::ElideRight, left - 20));
        };
        const auto stripe = [&](int rowY, int index) {
            if (index % 2)
                p.fillRect(QRect(0, rowY, width(), kRowHeight), palette().alternateBase());
        };

        for (int i = 0; i <= int(r.targets.size()); ++i)
            stripe(kTopMargin + i * kRowHeight, i);
        // The plan's instants, drawn under the bars and labels.
        const std::pair<qint64, QString> marks[] = {{plan.publishAt, tr("T0 publish")},
                                                    {plan.signAt, tr("T1 sign")},
                                                    {plan.retireAt, tr("T2 retire")}};
        int lastLabelEnd = -1000;
        int labelRow = 0;
        for (const auto& [t, text] : marks) {
            const int mx = x(t);
            QPen pen(kPlanColor, 1.5, Qt::DashLine);
            p.setPen(pen);
            p.drawLine(mx, kTopMargin - 6, mx, bottom);
            const QString full = text + QLatin1Char(' ') + util::formatInstant(t).mid(11, 5);
            const int tw = fm.horizontalAdvance(full);
            labelRow = (mx - tw / 2 < lastLabelEnd + 6) ? 1 - labelRow : 0;
            const int tx = std::clamp(mx - tw / 2, 4, width() - tw - 4);
            p.setPen(kPlanColor);
            p.drawText(tx, kTopMargin - 12 - labelRow * (fm.height() + 1), full);
            lastLabelEnd = tx + tw;
        }

        label(tr("old-key tokens in flight"), tr("issued before T1, alive at T2"), y);
        bar(r.inFlightOldTokensRejected, kRejectColor, y);
        y += kRowHeight;
        for (const keys::TargetRehearsal& t : r.targets) {
            const QString title =
                t.behaviour.reference ? tr("%1 (reference)").arg(t.behaviour.target) : t.behaviour.target;
            if (!t.behaviour.fetchesKeys) {
                label(title, tr("pinned keys"), y);
                const QString text =
                    tr("keys pinned in the configuration: redeploy with both keys before T1, "
                       "without the old one at T2 (no cache window)");
                const QRect box(left + 8, y + 8, fm.horizontalAdvance(text) + 12, kRowHeight - 16);
                p.fillRect(box, palette().base());
                p.setPen(palette().color(QPalette::PlaceholderText));
                p.drawText(box, Qt::AlignCenter, text);
            } else {
                label(title,
                      tr("cache %1").arg(duration(t.behaviour.cacheSeconds)) +
                          (t.behaviour.refetchOnUnknownKid ? tr(", refetch on new kid") : QString()),
                      y);
                bar(t.goodTokensRejected, kRejectColor, y);
                bar(t.retiredKeyAccepted, kAcceptColor, y);
            }
            y += kRowHeight;
        }

        // Axis with a few ticks.
        p.setPen(palette().color(QPalette::Mid));
        p.drawLine(left, bottom + 2, right, bottom + 2);
        p.setPen(palette().color(QPalette::PlaceholderText));
        for (int i = 0; i <= 4; ++i) {
            const qint64 t = from + (to - from) * i / 4;
            const int tx = x(t);
            p.drawLine(tx, bottom + 2, tx, bottom + 6);
            const QString text = util::formatInstant(t).mid(11, 5);
            p.drawText(tx - fm.horizontalAdvance(text) / 2, bottom + 8 + fm.ascent(), text);
        }
    }

private:
    std::optional<keys::RehearsalReport> m_report;
};

RotationView::RotationView(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("rotationView"));
    m_issuer = new QComboBox(this);
    m_issuer->setObjectName(QStringLiteral("issuerCombo"));
    m_issuer->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_publish = utcEdit("publishEdit", this);
    m_sign = utcEdit("signEdit", this);
    m_retire = utcEdit("retireEdit", this);
    m_publish->setToolTip(tr("T0: the new key appears in the issuer's JWKS"));
    m_sign->setToolTip(tr("T1: tokens are signed with the new key"));
    m_retire->setToolTip(tr("T2: the old key leaves the JWKS"));

    // A default plan a day ahead: publish, sign an hour later, retire a day later.
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const qint64 t0 = (now / 3600 + 24) * 3600;
    setPlan(keys::RotationPlan{t0, t0 + 3600, t0 + 25 * 3600});

    auto* form = new QHBoxLayout;
    form->addWidget(new QLabel(tr("Issuer:"), this));
    form->addWidget(m_issuer, 1);
    form->addSpacing(12);
    form->addWidget(new QLabel(tr("T0 publish:"), this));
    form->addWidget(m_publish);
    form->addWidget(new QLabel(tr("T1 sign:"), this));
    form->addWidget(m_sign);
    form->addWidget(new QLabel(tr("T2 retire:"), this));
    form->addWidget(m_retire);

    m_timeline = new RotationTimeline(this);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("rotationStatus"));
    m_status->setWordWrap(true);
    m_advice = new QPlainTextEdit(this);
    m_advice->setObjectName(QStringLiteral("adviceText"));
    m_advice->setReadOnly(true);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_timeline);
    splitter->addWidget(m_advice);
    // The chart takes the height its rows need; the advice gets the rest.
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);

    connect(m_issuer, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    for (QDateTimeEdit* edit : {m_publish, m_sign, m_retire})
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, [this] { refresh(); });
    refresh();
}

RotationView::~RotationView() = default;

void RotationView::setPlan(const keys::RotationPlan& plan) {
    m_updating = true;
    m_publish->setDateTime(QDateTime::fromSecsSinceEpoch(plan.publishAt, QTimeZone::utc()));
    m_sign->setDateTime(QDateTime::fromSecsSinceEpoch(plan.signAt, QTimeZone::utc()));
    m_retire->setDateTime(QDateTime::fromSecsSinceEpoch(plan.retireAt, QTimeZone::utc()));
    m_updating = false;
    refresh();
}

keys::RotationPlan RotationView::plan() const {
    return keys::RotationPlan{m_publish->dateTime().toSecsSinceEpoch(), m_sign->dateTime().toSecsSinceEpoch(),
                              m_retire->dateTime().toSecsSinceEpoch()};
}

void RotationView::setIssuer(const QString& issuer) {
    const int index = m_issuer->findText(issuer);
    if (index >= 0)
        m_issuer->setCurrentIndex(index);
}

QString RotationView::currentIssuer() const {
    return m_issuer->currentText();
}

QString RotationView::adviceText() const {
    return m_advice->toPlainText();
}

void RotationView::setPolicy(const jwb::policy::Policy& policy) {
    const QString previous = m_issuer->currentText();
    m_policy = policy;
    m_updating = true;
    m_issuer->clear();
    for (const policy::Issuer& issuer : policy.issuers)
        m_issuer->addItem(issuer.issuer);
    const int keep = m_issuer->findText(previous);
    m_issuer->setCurrentIndex(keep >= 0 ? keep : (m_issuer->count() ? 0 : -1));
    m_updating = false;
    refresh();
}

void RotationView::refresh() {
    if (m_updating || !m_timeline)
        return;
    m_report.reset();
    const policy::Issuer* issuer = m_policy ? m_policy->findIssuer(m_issuer->currentText()) : nullptr;
    if (!issuer) {
        m_status->setText(m_policy ? tr("The policy has no issuer to rehearse.") : tr("No policy loaded."));
        m_timeline->setReport(m_report);
        m_advice->clear();
        return;
    }
    const auto rehearsed = keys::rehearseRotation(*m_policy, *issuer, plan());
    if (!rehearsed) {
        m_status->setText(tr("Invalid plan: %1.").arg(rehearsed.error().message));
        m_timeline->setReport(m_report);
        m_advice->clear();
        return;
    }
    m_report = rehearsed.value();
    const keys::RehearsalReport& r = *m_report;
    m_status->setText(r.anyGoodTokenRejected()
                          ? tr("Good tokens would be rejected during this rotation.")
                          : tr("No good token is rejected by the deployed verifiers during this rotation."));

    QStringList lines;
    if (r.inFlightOldTokensRejected.worstSeconds > 0)
        lines << tr("Old-key tokens signed just before T1 live %1: retiring at T2 rejects them for up to %2. "
                    "Retire no earlier than %3.")
                     .arg(duration(r.maxTokenLifetime), duration(r.inFlightOldTokensRejected.worstSeconds),
                          util::formatInstant(r.plan.signAt + r.maxTokenLifetime))
              << QString();
    for (const keys::TargetRehearsal& t : r.targets) {
        QString head = t.behaviour.target;
        if (t.behaviour.reference)
            head += tr(" (reference)");
        head += QStringLiteral(" — ") + t.behaviour.source;
        if (t.behaviour.fetchesKeys)
            head += tr(": good tokens rejected up to %1, retired key accepted up to %2")
                        .arg(duration(t.goodTokensRejected.worstSeconds),
                             duration(t.retiredKeyAccepted.worstSeconds));
        lines << head;
        for (const QString& advice : t.advice)
            lines << QStringLiteral("    • ") + advice;
    }
    m_advice->setPlainText(lines.join(QLatin1Char('\n')));
    m_timeline->setReport(m_report);
}

} // namespace jwb::ui
