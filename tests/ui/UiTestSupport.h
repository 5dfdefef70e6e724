// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the widget tests: a dialog answerer for modal message boxes, sample loading,
// a model under test over a document holding the sample.
#pragma once

#include "models/PolicyDocument.h"
#include "policy/PolicyIO.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QMessageBox>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace jwb::uitest {

// Answers the next modal QMessageBox(es) while a test calls something that blocks in exec():
// polls for the active modal widget, records what it said, and clicks the chosen button.
class DialogAnswerer final : public QObject {
public:
    using Chooser = std::function<QAbstractButton*(QMessageBox*)>;

    explicit DialogAnswerer(Chooser choose) : m_choose(std::move(choose))
    {
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { poll(); });
        m_timer.start();
    }

    static Chooser standard(QMessageBox::StandardButton which)
    {
        return [which](QMessageBox* box) { return box->button(which); };
    }
    static Chooser named(const QString& objectName)
    {
        return [objectName](QMessageBox* box) { return box->findChild<QAbstractButton*>(objectName); };
    }

    int count() const { return m_count; }
    QString lastName() const { return m_lastName; }
    QString lastText() const { return m_lastText; }

private:
    void poll()
    {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box || box == m_answered)
            return;
        m_answered = box;
        ++m_count;
        m_lastName = box->objectName();
        m_lastText = box->text();
        if (QAbstractButton* button = m_choose(box))
            button->click();
        else
            box->reject();
    }

    Chooser m_choose;
    QTimer m_timer;
    QPointer<QMessageBox> m_answered;
    int m_count = 0;
    QString m_lastName;
    QString m_lastText;
};

inline policy::Policy sample()
{
    Result<policy::Policy> loaded = policy::loadSamplePolicy();
    if (!loaded)
        qFatal("sample policy did not load: %s", qPrintable(loaded.error().toString()));
    return std::move(loaded).value();
}

// A document holding the sample and a Model over it, checked by QAbstractItemModelTester from
// before the sample is loaded. Make one per test function (init) and drop it in cleanup: the
// tester goes first, then the model, then the document it reads.
template <typename Model>
class SampleModelFixture final {
public:
    SampleModelFixture() { m_document.reset(sample(), {}); }

    ui::PolicyDocument* document() { return &m_document; }
    Model* model() { return &m_model; }

private:
    ui::PolicyDocument m_document;
    Model m_model{&m_document};
    QAbstractItemModelTester m_tester{&m_model, QAbstractItemModelTester::FailureReportingMode::QtTest};
};

} // namespace jwb::uitest
