// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "models/TraceEvaluation.h"

#include <QWidget>

namespace jwb::ui {

// A strip drawing a token's time claims on one axis: iat, nbf and exp as ticks, the validity span,
// the clock-skew windows around nbf and exp (hatched: accepted only thanks to the skew) and the
// evaluation instant as a vertical line. All times are UTC.
class TimelineStrip final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineStrip)

public:
    explicit TimelineStrip(QWidget* parent = nullptr);

    void setTimes(const TokenTimes& times);
    void clear();
    const TokenTimes& times() const { return m_times; }
    bool hasTimes() const { return m_hasTimes; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateToolTip();

    TokenTimes m_times;
    bool m_hasTimes = false;
};

} // namespace jwb::ui
