// SPDX-License-Identifier: Apache-2.0
// Sends a probe's tokens to a live verifier, one request at a time, on a network manager and event
// loop of its own so it runs on whichever thread calls it.
#include "probe/Probe.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

#include <algorithm>
#include <numeric>

namespace jwb::probe {

namespace {

constexpr qint64 kMaxBodyBytes = 64 * 1024; // the answer's body is never needed; read and drop this much

ProbeResult resultFor(const ProbeToken& t)
{
    ProbeResult r;
    r.variant = t.variant;
    r.variantClass = t.variantClass;
    r.control = t.control;
    r.issuer = t.issuer;
    r.audience = t.audience;
    r.fingerprint = t.fingerprint;
    r.expectedAccepted = t.expectedAccepted;
    r.expectedStep = t.expectedStep;
    r.trace = t.trace;
    return r;
}

Outcome compare(bool expectedAccepted, Observed observed)
{
    if (observed == Observed::Inconclusive)
        return Outcome::Inconclusive;
    const bool accepted = observed == Observed::Accepted;
    if (accepted == expectedAccepted)
        return Outcome::Conforms;
    return accepted ? Outcome::AcceptsRejected : Outcome::RejectsAccepted;
}

// One request and its answer, bounded by the target's timeout.
class Sender {
public:
    explicit Sender(const ProbeTarget& target)
        : m_target(target)
    {
        m_nam.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        m_nam.setCookieJar(nullptr); // no state carried from one token's answer to the next
        m_tls = QSslConfiguration::defaultConfiguration();
        m_tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    }

    // Adds the CA certificates of `path` (PEM) to the trusted ones; an error text when none load.
    QString addCa(const QString& path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read CA file %1: %2").arg(path, f.errorString());
        const QList<QSslCertificate> certs = QSslCertificate::fromData(f.read(4 * 1024 * 1024), QSsl::Pem);
        if (certs.isEmpty())
            return QStringLiteral("CA file %1 holds no PEM certificate").arg(path);
        m_tls.addCaCertificates(certs);
        return {};
    }

    void send(const QByteArray& token, ProbeResult& r)
    {
        QNetworkRequest request(m_target.url);
        request.setRawHeader(m_target.headerName.toLatin1(), m_target.prefix.toLatin1() + token);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
        request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
        request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
        request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
        request.setTransferTimeout(m_target.timeoutSeconds * 1000);
        if (m_target.url.scheme() == u"https")
            request.setSslConfiguration(m_tls);

        QNetworkReply* reply = m_nam.get(request);
        QEventLoop loop;
        QTimer deadline;
        deadline.setSingleShot(true);
        bool timedOut = false;
        qint64 bodyRead = 0;
        QObject::connect(&deadline, &QTimer::timeout, &loop, [&timedOut, reply] {
            timedOut = true;
            reply->abort();
        });
        QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&bodyRead, reply] {
            bodyRead += reply->readAll().size();
            if (bodyRead > kMaxBodyBytes)
                reply->abort(); // the status is known by now; nothing in the body matters
        });
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        deadline.start(m_target.timeoutSeconds * 1000);
        if (!reply->isFinished())
            loop.exec(QEventLoop::ExcludeUserInputEvents);
        deadline.stop();

        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        r.httpStatus = status.isValid() ? status.toInt() : 0;
        if (r.httpStatus == 0) {
            r.connectionFailed = true;
            // errorString() names the host and the failure, never the request's headers.
            r.error = timedOut || reply->error() == QNetworkReply::TimeoutError || reply->error() == QNetworkReply::OperationCanceledError
                          ? QStringLiteral("no answer within %1 s").arg(m_target.timeoutSeconds)
                          : reply->errorString();
        } else if (m_target.accept.contains(r.httpStatus)) {
            r.observed = Observed::Accepted;
        } else if (m_target.reject.contains(r.httpStatus)) {
            r.observed = Observed::Rejected;
        } else if (r.httpStatus >= 300 && r.httpStatus < 400) {
            r.error = QStringLiteral("redirect (status %1) not followed").arg(r.httpStatus);
        } else {
            r.error = QStringLiteral("status %1 is in neither the accept (%2) nor the reject (%3) statuses")
                          .arg(r.httpStatus)
                          .arg(m_target.accept.toString(), m_target.reject.toString());
        }
        reply->deleteLater();
        // Runs the deferred delete now: the manager may outlive many replies.
        QCoreApplication::sendPostedEvents(reply, QEvent::DeferredDelete);
    }

private:
    const ProbeTarget& m_target;
    QNetworkAccessManager m_nam;
    QSslConfiguration m_tls;
};

// Waits `ms` milliseconds, or less when `cancel` is raised.
void pause(qint64 ms, const std::atomic_bool* cancel)
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < ms && !(cancel && cancel->load())) {
        QEventLoop loop;
        QTimer::singleShot(static_cast<int>(std::min<qint64>(ms - waited.elapsed(), 50)), &loop, &QEventLoop::quit);
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
}

} // namespace

ProbeReport runProbe(const TokenSet& set, const ProbeTarget& target, const std::atomic_bool* cancel,
                     const std::function<void(int done, int total)>& progress)
{
    ProbeReport report;
    report.url = target.url.toString(QUrl::RemoveUserInfo);
    report.issuer = set.issuer;
    report.marginSeconds = set.marginSeconds;
    report.notCovered = set.notCovered;
    for (const ProbeToken& t : set.tokens)
        report.results.append(resultFor(t));

    QString blocked; // why nothing can be sent at all
    if (!target.url.isValid() || (target.url.scheme() != u"http" && target.url.scheme() != u"https")
        || target.url.host().isEmpty())
        blocked = QStringLiteral("not sent: the URL is not an http or https URL");
    else if (target.ratePerSecond <= 0 || target.timeoutSeconds <= 0)
        blocked = QStringLiteral("not sent: rate and timeout must be positive");

    Sender sender(target);
    if (blocked.isEmpty() && !target.caFile.isEmpty()) {
        const QString caError = sender.addCa(target.caFile);
        if (!caError.isEmpty())
            blocked = QStringLiteral("not sent: ") + caError;
    }

    // The tokens whose verdict changes soonest go first, so they reach the verifier well inside
    // their margin; the rest keep the set's order.
    QList<int> order(set.tokens.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&set](int a, int b) {
        return set.tokens.at(a).stableUntil < set.tokens.at(b).stableUntil;
    });

    const qint64 intervalMs = target.ratePerSecond > 0 ? static_cast<qint64>(1000.0 / target.ratePerSecond) : 0;
    QElapsedTimer sinceLast;
    int done = 0;
    for (const int i : order) {
        const ProbeToken& token = set.tokens.at(i);
        ProbeResult& r = report.results[i];
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        if (!blocked.isEmpty()) {
            r.error = blocked;
        } else if (cancel && cancel->load()) {
            report.cancelled = true;
            r.error = QStringLiteral("not sent: cancelled");
        } else if (token.stableFrom > token.stableUntil) {
            r.error = QStringLiteral("not sent: the core's verdict changes within %1 s of the minting instant").arg(set.marginSeconds);
        } else if (report.sent >= target.maxRequests) {
            r.error = QStringLiteral("not sent: --max-requests %1 reached").arg(target.maxRequests);
        } else if (now < token.stableFrom || now > token.stableUntil) {
            r.error = QStringLiteral("not sent: %1 s after minting the core's verdict no longer holds")
                          .arg(now - set.mintedAtUnixSeconds);
        } else {
            if (sinceLast.isValid())
                pause(intervalMs - sinceLast.elapsed(), cancel);
            if (cancel && cancel->load()) {
                report.cancelled = true;
                r.error = QStringLiteral("not sent: cancelled");
            } else {
                sinceLast.start();
                ++report.sent;
                sender.send(token.token, r);
                if (r.connectionFailed)
                    ++report.connectionFailures;
            }
        }
        r.result = compare(r.expectedAccepted, r.observed);
        if (progress)
            progress(++done, static_cast<int>(set.tokens.size()));
    }
    for (const ProbeResult& r : report.results) {
        switch (r.result) {
        case Outcome::Conforms: ++report.conforms; break;
        case Outcome::AcceptsRejected: ++report.acceptsRejected; break;
        case Outcome::RejectsAccepted: ++report.rejectsAccepted; break;
        case Outcome::Inconclusive: ++report.inconclusive; break;
        }
    }
    return report;
}

} // namespace jwb::probe
