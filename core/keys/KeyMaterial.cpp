// SPDX-License-Identifier: Apache-2.0
#include "keys/KeyMaterial.h"

#include "crypto/VerifyContext.h"
#include "token/Base64Url.h"

#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace jwb::keys {

namespace {

// Each thread holds a small index while it runs and gives it back when it ends, so the live
// threads of a pool have distinct indices and each keeps its own slot in every key. Pool threads
// that expire and are recreated reuse the freed indices instead of drifting onto shared slots.
class ThreadIndexPool final {
public:
    unsigned take()
    {
        const std::lock_guard lock(m_mutex);
        if (m_free.empty())
            return m_next++;
        std::pop_heap(m_free.begin(), m_free.end(), std::greater<>());
        const unsigned index = m_free.back();
        m_free.pop_back();
        return index;
    }
    void give(unsigned index)
    {
        const std::lock_guard lock(m_mutex);
        m_free.push_back(index);
        std::push_heap(m_free.begin(), m_free.end(), std::greater<>()); // lowest index first
    }

private:
    std::mutex m_mutex;
    std::vector<unsigned> m_free;
    unsigned m_next = 0;
};

ThreadIndexPool& threadIndexPool()
{
    // Deliberately never destroyed: threads may end during static destruction.
    static ThreadIndexPool* const pool = new ThreadIndexPool;
    return *pool;
}

struct ThreadIndex {
    const unsigned value = threadIndexPool().take();
    ThreadIndex() = default;
    ~ThreadIndex() { threadIndexPool().give(value); }
    ThreadIndex(const ThreadIndex&) = delete;
    ThreadIndex& operator=(const ThreadIndex&) = delete;
};
thread_local const ThreadIndex t_threadIndex;

unsigned slotCount()
{
    // Enough for every core to keep its own context; a power of two so the index is one AND.
    static const unsigned count = [] {
        const unsigned want = std::clamp(2 * std::thread::hardware_concurrency(), 4u, 64u);
        unsigned n = 1;
        while (n < want)
            n <<= 1;
        return n;
    }();
    return count;
}

const BIGNUM* orderOf(int nid)
{
    // Looked up once per curve and kept: the order is a constant of the curve.
    auto make = [](int curveNid) -> const BIGNUM* {
        EC_GROUP* group = EC_GROUP_new_by_curve_name(curveNid);
        if (!group)
            return nullptr;
        BIGNUM* order = BN_dup(EC_GROUP_get0_order(group));
        EC_GROUP_free(group);
        return order;
    };
    static const BIGNUM* const p256 = make(NID_X9_62_prime256v1);
    static const BIGNUM* const p384 = make(NID_secp384r1);
    static const BIGNUM* const p521 = make(NID_secp521r1);
    switch (nid) {
    case NID_X9_62_prime256v1: return p256;
    case NID_secp384r1: return p384;
    case NID_secp521r1: return p521;
    default: return nullptr;
    }
}

QByteArray jsonMember(const char* name, const QByteArray& value, bool last = false)
{
    // Thumbprint members are ASCII (crv names, kty names, base64url) and never need escaping.
    QByteArray out;
    out += '"';
    out += name;
    out += "\":\"";
    out += value;
    out += last ? "\"" : "\",";
    return out;
}

} // namespace

KeyMaterial::KeyMaterial(crypto::ossl::Pkey pkey, KeyType type, QString curve, int bits, PublicParams params)
    : m_pkey(std::move(pkey))
    , m_type(type)
    , m_curve(std::move(curve))
    , m_bits(bits)
    , m_params(std::move(params))
    , m_slotMask(slotCount() - 1)
    , m_slots(std::make_unique<Slot[]>(slotCount()))
{
    m_description = m_type == KeyType::Rsa ? QStringLiteral("RSA %1").arg(m_bits)
                                           : keyTypeName(m_type) + QLatin1Char(' ') + m_curve;
    if (m_type == KeyType::Rsa) {
        m_unitBytes = static_cast<int>(m_params.n.size());
    } else if (m_type == KeyType::Ec) {
        m_unitBytes = static_cast<int>(m_params.x.size());
        const int nid = m_curve == QLatin1StringView("P-256")   ? NID_X9_62_prime256v1
                        : m_curve == QLatin1StringView("P-384") ? NID_secp384r1
                        : m_curve == QLatin1StringView("P-521") ? NID_secp521r1
                                                                : NID_undef;
        m_ecOrder = orderOf(nid);
    }
}

KeyMaterial::KeyMaterial(const QByteArray& secret)
    : m_secret(secret.constData(), secret.size()) // an unshared copy, so the destructor wipes the only one
    , m_type(KeyType::Oct)
    , m_bits(static_cast<int>(m_secret.size()) * 8)
    , m_description(QStringLiteral("oct %1").arg(m_bits))
    , m_slotMask(slotCount() - 1)
    , m_slots(std::make_unique<Slot[]>(slotCount()))
{
}

KeyMaterial::~KeyMaterial()
{
    // Every user of this key has returned its context (they hold a reference to the key while
    // verifying), so whatever is in the slots now is unused.
    for (unsigned i = 0; i <= m_slotMask; ++i)
        delete m_slots[i].context.load(std::memory_order_acquire);
    // The secret is not left behind in freed memory.
    if (!m_secret.isEmpty())
        OPENSSL_cleanse(m_secret.data(), static_cast<size_t>(m_secret.size()));
}

unsigned KeyMaterial::slotIndex() const
{
    return t_threadIndex.value & m_slotMask;
}

crypto::VerifyContext* KeyMaterial::acquireContext() const
{
    const unsigned own = slotIndex();
    if (crypto::VerifyContext* c = m_slots[own].context.exchange(nullptr, std::memory_order_acquire))
        return c;
    // Own slot empty (first use by this thread, or more threads than slots): borrow an idle context
    // from another slot before paying for a new one. Contexts of one key are interchangeable.
    for (unsigned i = 1; i <= m_slotMask; ++i) {
        Slot& slot = m_slots[(own + i) & m_slotMask];
        if (slot.context.load(std::memory_order_relaxed) == nullptr)
            continue;
        if (crypto::VerifyContext* c = slot.context.exchange(nullptr, std::memory_order_acquire))
            return c;
    }
    return nullptr;
}

void KeyMaterial::releaseContext(crypto::VerifyContext* context) const
{
    const unsigned own = slotIndex();
    for (unsigned i = 0; i <= m_slotMask; ++i) {
        crypto::VerifyContext* expected = nullptr;
        if (m_slots[(own + i) & m_slotMask].context.compare_exchange_strong(
                expected, context, std::memory_order_release, std::memory_order_relaxed))
            return;
    }
    delete context; // every slot holds one already: enough are kept
}

QString KeyMaterial::thumbprint() const
{
    // RFC 7638 section 3.2: only the required members, in lexicographic order, no whitespace.
    QByteArray json = "{";
    switch (m_type) {
    case KeyType::Rsa:
        json += jsonMember("e", token::encodeBase64Url(m_params.e));
        json += jsonMember("kty", "RSA");
        json += jsonMember("n", token::encodeBase64Url(m_params.n), true);
        break;
    case KeyType::Ec:
        json += jsonMember("crv", m_curve.toLatin1());
        json += jsonMember("kty", "EC");
        json += jsonMember("x", token::encodeBase64Url(m_params.x));
        json += jsonMember("y", token::encodeBase64Url(m_params.y), true);
        break;
    case KeyType::Okp: // RFC 8037 section 2
        json += jsonMember("crv", m_curve.toLatin1());
        json += jsonMember("kty", "OKP");
        json += jsonMember("x", token::encodeBase64Url(m_params.x), true);
        break;
    case KeyType::Oct:
        json += jsonMember("k", token::encodeBase64Url(m_secret));
        json += jsonMember("kty", "oct", true);
        break;
    }
    json += '}';

    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(json.constData(), static_cast<size_t>(json.size()), digest, &length, crypto::ossl::sha(256),
                   nullptr) != 1) {
        crypto::ossl::clearErrors();
        return {};
    }
    if (m_type == KeyType::Oct)
        OPENSSL_cleanse(json.data(), static_cast<size_t>(json.size()));
    return QString::fromLatin1(
        token::encodeBase64Url(QByteArrayView(reinterpret_cast<const char*>(digest), static_cast<qsizetype>(length))));
}

} // namespace jwb::keys
