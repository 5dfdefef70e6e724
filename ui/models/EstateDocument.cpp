// SPDX-License-Identifier: Apache-2.0
#include "models/EstateDocument.h"

#include "commands/EstateCommands.h"
#include "estate/EstateWriter.h"
#include "util/AtomicFile.h"

#include <QFileInfo>

namespace jwb::ui {

EstateDocument::EstateDocument(QObject* parent) : QObject(parent) {}

QString EstateDocument::baseDir() const
{
    return m_filePath.isEmpty() ? QString() : QFileInfo(m_filePath).absolutePath();
}

Status EstateDocument::open(const QString& path)
{
    // Loaded completely (the policy and every referenced file) before anything here changes.
    auto loaded = estate::loadEstateFile(path);
    if (!loaded)
        return loaded.error();
    emit aboutToReset();
    m_estate = std::move(loaded).value();
    m_filePath = m_estate->sourcePath;
    m_stack.clear();
    m_stack.setClean();
    emit resetDone();
    emit filePathChanged(m_filePath);
    emit changed();
    return Ok{};
}

Status EstateDocument::save()
{
    return saveAs(m_filePath);
}

Status EstateDocument::saveAs(const QString& path)
{
    if (!m_estate)
        return Error{QStringLiteral("ERR_ESTATE_WRITE"), tr("no estate is open"), path};
    if (path.isEmpty())
        return Error{QStringLiteral("ERR_ESTATE_WRITE"), tr("the estate has no file name yet"), path};
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QString dir = QFileInfo(absolute).absolutePath();
    const bool json = estate::isJsonEstatePath(absolute);
    const QByteArray text = json ? estate::estateToJson(*m_estate, dir) : estate::estateToYaml(*m_estate, dir);
    // Read back before writing: relative paths change with the folder, and a file the loader would
    // refuse is never written.
    auto reread = estate::parseEstate(text, json, absolute, dir);
    if (!reread)
        return reread.error();
    if (Status written = util::writeFileAtomically(absolute, text, QStringLiteral("ERR_ESTATE_WRITE")); !written)
        return written;
    m_estate = std::move(reread).value();
    m_estate->sourcePath = absolute;
    const bool renamed = absolute != m_filePath;
    m_filePath = absolute;
    m_stack.setClean();
    if (renamed)
        emit filePathChanged(m_filePath);
    return Ok{};
}

Result<estate::Estate> EstateDocument::checked(const QList<estate::Verifier>& verifiers) const
{
    estate::Estate candidate = *m_estate;
    candidate.verifiers = verifiers;
    const bool json = estate::isJsonEstatePath(m_filePath);
    const QByteArray text =
        json ? estate::estateToJson(candidate, baseDir()) : estate::estateToYaml(candidate, baseDir());
    auto reread = estate::parseEstate(text, json, m_filePath.isEmpty() ? QStringLiteral("estate") : m_filePath, baseDir());
    if (reread)
        reread.value().sourcePath = m_filePath;
    return reread;
}

Status EstateDocument::refuse(const Error& error)
{
    emit editRefused(error);
    return error;
}

Status EstateDocument::insertVerifier(int row, const estate::Verifier& verifier)
{
    if (!m_estate || row < 0 || row > verifierCount())
        return refuse(Error{QStringLiteral("ERR_ESTATE_EDIT"), tr("no verifier position %1").arg(row), m_filePath});
    QList<estate::Verifier> verifiers = m_estate->verifiers;
    verifiers.insert(row, verifier);
    auto result = checked(verifiers);
    if (!result)
        return refuse(result.error());
    m_stack.push(new EstateInsertVerifierCommand(this, row, result->verifiers.at(row)));
    return Ok{};
}

Status EstateDocument::removeVerifier(int row)
{
    if (!m_estate || row < 0 || row >= verifierCount())
        return refuse(Error{QStringLiteral("ERR_ESTATE_EDIT"), tr("no verifier in row %1").arg(row), m_filePath});
    QList<estate::Verifier> verifiers = m_estate->verifiers;
    verifiers.removeAt(row);
    // The loader decides what an estate must keep (at least one verifier).
    if (auto result = checked(verifiers); !result)
        return refuse(result.error());
    m_stack.push(new EstateRemoveVerifierCommand(this, row, m_estate->verifiers.at(row)));
    return Ok{};
}

Status EstateDocument::replaceVerifier(int row, const estate::Verifier& verifier, const QString& what)
{
    if (!m_estate || row < 0 || row >= verifierCount())
        return refuse(Error{QStringLiteral("ERR_ESTATE_EDIT"), tr("no verifier in row %1").arg(row), m_filePath});
    QList<estate::Verifier> verifiers = m_estate->verifiers;
    verifiers[row] = verifier;
    auto result = checked(verifiers);
    if (!result)
        return refuse(result.error());
    m_stack.push(new EstateEditVerifierCommand(this, row, m_estate->verifiers.at(row), result->verifiers.at(row), what));
    return Ok{};
}

estate::Verifier EstateDocument::newVerifier() const
{
    estate::Verifier v;
    v.kind = estate::VerifierKind::Service;
    if (m_estate && !m_estate->policy.issuers.isEmpty())
        v.issuers = {m_estate->policy.issuers.first().issuer};
    for (int n = verifierCount() + 1;; ++n) {
        v.name = QStringLiteral("verifier-%1").arg(n);
        if (!m_estate || !m_estate->findVerifier(v.name))
            break;
    }
    return v;
}

void EstateDocument::refreshLines()
{
    if (auto reread = checked(m_estate->verifiers))
        m_estate->sourceLines = reread->sourceLines;
}

void EstateDocument::applyInsert(int row, const estate::Verifier& verifier)
{
    emit verifierAboutToBeInserted(row);
    m_estate->verifiers.insert(row, verifier);
    refreshLines();
    emit verifierInserted();
    emit changed();
}

void EstateDocument::applyRemove(int row)
{
    emit verifierAboutToBeRemoved(row);
    m_estate->verifiers.removeAt(row);
    refreshLines();
    emit verifierRemoved();
    emit changed();
}

void EstateDocument::applyReplace(int row, const estate::Verifier& verifier)
{
    m_estate->verifiers[row] = verifier;
    refreshLines();
    emit verifierChanged(row);
    emit changed();
}

} // namespace jwb::ui
