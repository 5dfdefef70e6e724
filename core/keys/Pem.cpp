// SPDX-License-Identifier: Apache-2.0
// PEM public keys and X.509 certificates (RFC 7468) as policy keys.

#include "keys/Key.h"

#include "keys/KeyFactory.h"

#include <QDateTime>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace jwb::keys {

namespace {

using detail::keyError;

constexpr int kMaxPemBlocks = 256;

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
struct X509Free { void operator()(X509* x) const { X509_free(x); } };

bool isPrivateBlock(const QByteArray& label)
{
    return label.endsWith("PRIVATE KEY"); // PRIVATE KEY, RSA/EC/ENCRYPTED/OPENSSH PRIVATE KEY, ...
}

QString subjectOf(X509* cert)
{
    const std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    if (!bio || X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) < 0)
        return {};
    char* text = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &text);
    return QString::fromUtf8(text, static_cast<qsizetype>(length));
}

qint64 notAfterOf(X509* cert)
{
    struct tm tmValue {};
    const ASN1_TIME* notAfter = X509_get0_notAfter(cert);
    if (!notAfter || ASN1_TIME_to_tm(notAfter, &tmValue) != 1)
        return 0;
    const QDate date(tmValue.tm_year + 1900, tmValue.tm_mon + 1, tmValue.tm_mday);
    const QTime time(tmValue.tm_hour, tmValue.tm_min, tmValue.tm_sec);
    return QDateTime(date, time, Qt::UTC).toSecsSinceEpoch();
}

Result<Key> keyFromBlock(const QByteArray& label, const unsigned char* der, long length, const QString& location)
{
    const unsigned char* p = der;
    if (label == "PUBLIC KEY") { // SubjectPublicKeyInfo
        crypto::ossl::Pkey pkey(d2i_PUBKEY_ex(nullptr, &p, length, nullptr, nullptr));
        if (!pkey || p != der + length) {
            crypto::ossl::clearErrors();
            return keyError("ERR_KEY_PEM", QStringLiteral("The PUBLIC KEY block is not a valid SubjectPublicKeyInfo."),
                            location);
        }
        return detail::keyFromPublicPkey(std::move(pkey), location, detail::Strength::Enforce);
    }
    if (label == "RSA PUBLIC KEY") { // PKCS #1 RSAPublicKey
        crypto::ossl::Pkey pkey(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, length));
        if (!pkey || p != der + length) {
            crypto::ossl::clearErrors();
            return keyError("ERR_KEY_PEM", QStringLiteral("The RSA PUBLIC KEY block is not a valid PKCS #1 key."),
                            location);
        }
        return detail::keyFromPublicPkey(std::move(pkey), location, detail::Strength::Enforce);
    }
    if (label == "CERTIFICATE") {
        const std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, length));
        if (!cert || p != der + length) {
            crypto::ossl::clearErrors();
            return keyError("ERR_KEY_PEM", QStringLiteral("The CERTIFICATE block is not a valid X.509 certificate."),
                            location);
        }
        // Only the public key is used: the certificate's chain and validity are not a trust decision
        // here (the policy pins the key), but they are shown so an expired certificate is noticed.
        crypto::ossl::Pkey pkey(X509_get_pubkey(cert.get()));
        if (!pkey) {
            crypto::ossl::clearErrors();
            return keyError("ERR_KEY_UNSUPPORTED", QStringLiteral("The certificate's public key cannot be read."),
                            location);
        }
        Result<Key> key = detail::keyFromPublicPkey(std::move(pkey), location, detail::Strength::Enforce);
        if (key) {
            key.value().certSubject = subjectOf(cert.get());
            key.value().certNotAfter = notAfterOf(cert.get());
        }
        return key;
    }
    if (isPrivateBlock(label))
        return keyError("ERR_KEY_PRIVATE_IN_PEM",
                        QStringLiteral("The file contains a %1 block; a policy may only hold public keys or "
                                       "certificates.")
                            .arg(QString::fromLatin1(label)),
                        location);
    return keyError("ERR_KEY_UNSUPPORTED",
                    QStringLiteral("PEM blocks of type %1 are not supported; use PUBLIC KEY, RSA PUBLIC KEY or "
                                   "CERTIFICATE.")
                        .arg(QString::fromLatin1(label)),
                    location);
}

} // namespace

Result<QList<Key>> parsePem(QByteArrayView pem, const QString& sourceName)
{
    if (pem.size() > 4 * 1024 * 1024 || pem.size() > INT_MAX)
        return keyError("ERR_KEY_TOO_LARGE", QStringLiteral("The key file is larger than 4 MiB."), sourceName);
    static const char kEmpty[] = "";
    const std::unique_ptr<BIO, BioFree> bio(
        BIO_new_mem_buf(pem.isEmpty() ? kEmpty : pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        return keyError("ERR_KEY_INTERNAL", QStringLiteral("Out of memory reading the key file."), sourceName);

    ERR_clear_error();
    QList<Key> keys;
    for (int index = 0;; ++index) {
        char* name = nullptr;
        char* header = nullptr;
        unsigned char* data = nullptr;
        long length = 0;
        if (PEM_read_bio(bio.get(), &name, &header, &data, &length) != 1) {
            const unsigned long err = ERR_peek_last_error();
            crypto::ossl::clearErrors();
            if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE)
                break; // no further block: the normal end
            return keyError("ERR_KEY_PEM",
                            QStringLiteral("PEM block %1 is damaged (bad base64 or missing END line).").arg(index + 1),
                            sourceName);
        }
        const QByteArray label(name);
        const bool encrypted = header && *header;
        const QString location =
            sourceName + QStringLiteral(": PEM block %1 (%2)").arg(index + 1).arg(QString::fromLatin1(label));
        Result<Key> key = encrypted && !isPrivateBlock(label)
                              ? Result<Key>(keyError("ERR_KEY_PEM",
                                                     QStringLiteral("Encrypted or annotated PEM blocks are not "
                                                                    "supported for public keys."),
                                                     location))
                              : keyFromBlock(label, data, length, location);
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_clear_free(data, static_cast<size_t>(length));
        if (!key)
            return key.error(); // a bad key file never half-loads
        if (index >= kMaxPemBlocks)
            return keyError("ERR_KEY_TOO_MANY",
                            QStringLiteral("The file has more than %1 PEM blocks.").arg(kMaxPemBlocks), sourceName);
        keys.append(std::move(key).value());
    }
    for (qsizetype i = 0; i < keys.size(); ++i)
        keys[i].source = keys.size() == 1 ? sourceName : sourceName + QStringLiteral(" #%1").arg(i);
    if (keys.isEmpty())
        return keyError("ERR_KEY_PEM",
                        QStringLiteral("No PEM block (-----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----) was "
                                       "found."),
                        sourceName);
    return keys;
}

} // namespace jwb::keys
