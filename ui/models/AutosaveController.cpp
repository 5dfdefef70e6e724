// SPDX-License-Identifier: Apache-2.0
#include "models/AutosaveController.h"

#include "models/PolicyDocument.h"
#include "policy/PolicyIO.h"
#include "util/AtomicFile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <utility>

namespace jwb::ui {

namespace {

constexpr int kDefaultIntervalMs = 30 * 1000;

} // namespace

AutosaveController::AutosaveController(PolicyDocument* document, QObject* parent)
    : QObject(parent), m_document(document)
{
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &AutosaveController::write);
    // A save makes the copy obsolete, whoever asked for it.
    connect(m_document, &PolicyDocument::saved, this, &AutosaveController::remove);
    m_timer.start();
}

AutosaveController::~AutosaveController() = default;

QString AutosaveController::directory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/autosave");
}

QString AutosaveController::pathFor(const QString& filePath)
{
    if (filePath.isEmpty())
        return directory() + QStringLiteral("/untitled.autosave.yaml");
    // A hash of the absolute path keeps names short and unique; the base name keeps them readable
    // for someone looking in the folder.
    const QFileInfo file(filePath);
    const QByteArray hash =
        QCryptographicHash::hash(file.absoluteFilePath().toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    return directory() + u'/' + file.completeBaseName() + u'-' + QString::fromLatin1(hash)
           + QStringLiteral(".autosave.yaml");
}

bool AutosaveController::write()
{
    if (!m_document->isModified())
        return false;
    const QString path = pathFor(m_document->filePath());
    // A failed mkpath is reported by the write below, which names the path.
    QDir().mkpath(QFileInfo(path).absolutePath());
    // The same all-or-nothing writer as policy::savePolicyFile: a crash or a full disk mid-write
    // leaves the previous copy, never half of a new one.
    const Status written =
        util::writeFileAtomically(path, policy::serializePolicy(m_document->policy(), policy::Format::Yaml),
                                  QStringLiteral("ERR_AUTOSAVE_WRITE"));
    if (!written) {
        emit writeFailed(written.error());
        return false;
    }
    if (!m_written.isEmpty() && m_written != path)
        QFile::remove(m_written);
    m_written = path;
    return true;
}

void AutosaveController::remove()
{
    if (!m_written.isEmpty())
        QFile::remove(m_written);
    m_written.clear();
    QFile::remove(pathFor(m_document->filePath()));
}

AutosaveController::Recovery AutosaveController::findRecovery()
{
    const QString filePath = m_document->filePath();
    Recovery found;
    found.path = pathFor(filePath);
    const QFileInfo copy(found.path);
    if (!copy.exists())
        return found;
    found.savedAt = copy.lastModified();
    if (!filePath.isEmpty() && QFileInfo(filePath).lastModified() > found.savedAt) {
        // The file was saved after the copy was taken: the copy is stale, not lost work.
        QFile::remove(found.path);
        return found;
    }
    QFile file(found.path);
    Result<policy::Policy> read = Error{QStringLiteral("ERR_AUTOSAVE_READ"), file.errorString(), found.path};
    if (file.open(QIODevice::ReadOnly)) {
        const QString baseDir = filePath.isEmpty() ? QString() : QFileInfo(filePath).absolutePath();
        read = policy::parsePolicy(file.readAll(), policy::Format::Yaml, found.path, baseDir);
        file.close();
    }
    if (!read) {
        // Never load a damaged copy, and never delete it silently: keep it aside for inspection.
        found.state = Recovery::State::Damaged;
        found.error = read.error();
        found.keptAs = found.path + QStringLiteral(".corrupt");
        QFile::remove(found.keptAs);
        QFile::rename(found.path, found.keptAs);
        return found;
    }
    if (read.value() == m_document->policy()) {
        QFile::remove(found.path);
        return found;
    }
    found.state = Recovery::State::Available;
    found.policy = std::move(read).value();
    return found;
}

void AutosaveController::recover(Recovery recovery)
{
    if (recovery.state != Recovery::State::Available)
        return;
    const QString filePath = m_document->filePath();
    recovery.policy.sourcePath = filePath;
    m_document->reset(std::move(recovery.policy), filePath);
    m_document->markModified();
    m_written = recovery.path;
}

void AutosaveController::discard(const Recovery& recovery)
{
    if (recovery.state == Recovery::State::Available)
        QFile::remove(recovery.path);
}

} // namespace jwb::ui
