// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"
#include "policy/PolicyIO.h"
#include "util/Error.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QUndoStack;
class QUndoCommand;

namespace jwb::ui {

struct IssuersChange;

// The policy being edited: the one copy of the policy::Policy value the whole workbench reads,
// its file, and the undo stack. Views and models read `policy()` and listen to the fine-grained
// signals; they never keep a copy of their own.
//
// Edits go through the public edit functions. Each validates first and either pushes exactly one
// QUndoCommand (whose text is what the Edit menu shows) or refuses: it then returns the Error and
// emits editRefused() so the window can say why. The `apply*` primitives are for the commands only:
// they change the value and emit signals, with no validation and no undo entry.
class PolicyDocument final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PolicyDocument)

public:
    explicit PolicyDocument(QObject* parent = nullptr);
    ~PolicyDocument() override;

    const policy::Policy& policy() const { return m_policy; }
    QUndoStack* undoStack() const { return m_undoStack; }
    // Empty while the document has never been saved (sample policy, New).
    QString filePath() const { return m_filePath; }
    policy::Format format() const { return m_format; }
    bool isModified() const;
    // True while the policy's source line numbers describe the file as it is on disk: it was loaded
    // or saved and not edited since (undoing back to that state counts as not edited).
    bool linesMatchFile() const;
    // The file name, or "untitled" for a document without a file.
    QString displayName() const;
    // Columns of the issuer x audience matrix, in display order: every audience any issuer lists,
    // plus audiences added in the editor that no issuer has ticked yet (those are not saved).
    const QStringList& audiences() const { return m_audiences; }
    int issuerCount() const { return static_cast<int>(m_policy.issuers.size()); }
    // The column of `audience` in audiences(), or -1. Constant time: views ask it per cell.
    int audienceColumn(const QString& audience) const { return m_columnOf.value(audience, -1); }
    // Trust domains of the issuers that list `audience` (sorted, unique). More than one means the
    // audience is shared across trust domains: a token from one domain is accepted by the other's API.
    // Both read an index kept up to date by every change, so they cost nothing per issuer.
    QStringList trustDomainsForAudience(const QString& audience) const;
    bool audienceSharedAcrossDomains(const QString& audience) const;
    // How many audiences are shared across trust domains, and the first `limit` of them in column order.
    int sharedAudienceCount() const { return m_sharedCount; }
    QStringList sharedAudiences(int limit) const;
    // The non-empty trust domains of the policy's issuers, sorted.
    QStringList trustDomains() const;

    // Whole-document operations: they replace the policy and clear the undo history.
    void reset(policy::Policy policy, const QString& filePath);
    Status open(const QString& path);
    Status save();
    Status saveAs(const QString& path);
    Status revert();
    void newPolicy();
    // Marks the current state as unsaved (used after recovering an autosave copy).
    void markModified();

    // ---- Edits (validated, undoable). Rows and columns index policy().issuers, exceptions, audiences().
    Status setName(const QString& name);
    Status setOwner(const QString& owner);
    Status setRevision(int revision);

    Status setAudienceAllowed(int issuerRow, int audienceColumn, bool allowed);
    Status addIssuer(const QString& issuer, const QString& trustDomain);
    Status removeIssuer(int row);
    Status renameIssuer(int row, const QString& issuer);
    Status setIssuerTrustDomain(int row, const QString& trustDomain);
    Status setIssuerJwksUri(int row, const QString& uri);
    Status setIssuerSubjects(int row, const QStringList& subjects);
    // `what` names the change for the Edit menu ("clock skew"); edits with the same `mergeKey`
    // in a row merge into one undo step (typing in a spin box).
    Status setIssuerOverrides(int row, const policy::Rules& overrides, const QString& what, const QString& mergeKey);
    // Pins `keys` inline (as public JWKs in keys.jwks), through keys::pinKeysInto. Keys already pinned
    // (same thumbprint) are skipped; refused: a row out of range (ERR_EDIT_NO_SUCH_ITEM), nothing new
    // to pin (ERR_EDIT_DUPLICATE), a key that cannot be written as a JWK (ERR_EDIT_KEY).
    Status importIssuerKeys(int row, const QList<keys::Key>& keys, const QString& sourceName);
    // Pins a key minted in the workbench under the issuer's keys.test_jwks, marked as a test key
    // (lint reports it until it is removed). Refused: a row out of range (ERR_TEST_KEY_ISSUER), a key
    // already pinned for that issuer (ERR_TEST_KEY_DUPLICATE), a key that cannot be written as a JWK
    // (ERR_TEST_KEY_JWK). `key` is the public half; an HMAC test key is its secret, hence the mark.
    Status addTestKey(int row, const keys::Key& key);
    // Removes an inline key by thumbprint; keys from jwks_file/pem_files cannot be removed one by one.
    Status removeIssuerKey(int row, const QString& thumbprint);

    Status addAudience(const QString& audience);
    Status renameAudience(int column, const QString& audience);
    Status removeAudience(int column);

    Status setDefaults(const policy::Rules& defaults, const QString& what, const QString& mergeKey);
    // Convenience for the most common edit; refuses values outside 0..300 (RFC 7519 4.1.4 leeway).
    Status setDefaultClockSkew(int seconds);

    Status addException(const policy::PolicyException& exception);
    Status removeException(int row);
    Status setException(int row, const policy::PolicyException& exception, const QString& what,
                        const QString& mergeKey);
    // An exception id not used yet ("exception-3").
    QString unusedExceptionId() const;

    // Validation shared by the edit functions (and usable by editors before they offer an edit).
    static Status validateRules(const policy::Rules& rules, const QString& where);

    // ---- Primitives for undo commands only.
    void applyMeta(const QString& name, const QString& owner, int revision);
    void applyInsertIssuer(int row, const policy::Issuer& issuer);
    void applyRemoveIssuer(int row);
    void applyIssuer(int row, const policy::Issuer& issuer);
    // Replaces the issuers at `rows` (ascending, unique) with `issuers` (same length) as one change:
    // one issuersChanged(), one audienceSharingChanged() and one policyChanged() for all of them.
    void applyIssuers(const QList<int>& rows, const QList<policy::Issuer>& issuers);
    void applyInsertAudience(int column, const QString& audience);
    void applyRemoveAudience(int column);
    void applyRenameAudience(int column, const QString& audience);
    void applyDefaults(const policy::Rules& defaults);
    void applyInsertException(int row, const policy::PolicyException& exception);
    void applyRemoveException(int row);
    void applyException(int row, const policy::PolicyException& exception);

signals:
    void aboutToReset();
    void resetDone();
    void metaChanged();
    void issuerAboutToBeInserted(int row);
    void issuerInserted(int row);
    void issuerAboutToBeRemoved(int row);
    void issuerRemoved(int row);
    // The issuers at `rows` (ascending, unique) were replaced in one change (an edit, its undo or
    // redo): renaming an audience changes every issuer listing it, and views refresh once for all.
    void issuersChanged(const QList<int>& rows);
    void audienceAboutToBeInserted(int column);
    void audienceInserted(int column);
    void audienceAboutToBeRemoved(int column);
    void audienceRemoved(int column);
    void audienceRenamed(int column);
    // Audiences that became, or stopped being, shared across trust domains with the last change.
    void audienceSharingChanged(const QStringList& audiences);
    void defaultsChanged();
    void exceptionAboutToBeInserted(int row);
    void exceptionInserted(int row);
    void exceptionAboutToBeRemoved(int row);
    void exceptionRemoved(int row);
    void exceptionChanged(int row);
    // After any change of the policy value (edit, undo, redo, load).
    void policyChanged();
    void filePathChanged(const QString& path);
    void modifiedChanged(bool modified);
    // The policy was written to `path` (save or save as), which is now filePath().
    void saved(const QString& path);
    // An edit was refused; `message` says what and why, for the status bar.
    void editRefused(const QString& message);

private:
    Status refuse(Error error);
    Status push(QUndoCommand* command);
    Status checkIssuerRow(int row) const;
    // One undo step that replaces issuer `row`'s keys (after keys::pinKeysInto has checked them).
    Status pushIssuerKeys(int row, policy::KeySources keys, const QString& text);
    Status checkIssuerName(const QString& issuer, int ignoreRow) const;
    // Every issuer listing `audience`, before and after `change` (an audience rename or removal).
    IssuersChange issuersListing(const QString& audience, const std::function<void(policy::Issuer&)>& change) const;
    void rebuildAudiences();
    void reindexColumnsFrom(int column);
    // Adds (+1) or removes (-1) one issuer's audiences and trust domain from the sharing index;
    // audiences whose shared flag flipped are added to `flipped`.
    void countIssuer(const policy::Issuer& issuer, int delta, QStringList* flipped);
    void emitSharing(const QStringList& flipped);

    policy::Policy m_policy;
    QStringList m_audiences;
    QHash<QString, int> m_columnOf;                     // audience -> its index in m_audiences
    QHash<QString, QHash<QString, int>> m_audienceUse;  // audience -> trust domain -> issuers listing it
    QHash<QString, int> m_domainUse;                    // trust domain -> issuers in it
    int m_sharedCount = 0;                              // audiences listed from more than one domain
    QString m_filePath;
    policy::Format m_format = policy::Format::Yaml;
    QUndoStack* m_undoStack = nullptr;
    bool m_forcedModified = false;
};

} // namespace jwb::ui
