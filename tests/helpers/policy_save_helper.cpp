// SPDX-License-Identifier: Apache-2.0
// Test helper for tst_limits: saves a large policy with policy::savePolicyFile so the test can kill
// it part-way and check that the previous file survived.
//   policy_save_helper PATH ISSUERS once            save once, exit 0 (the control run)
//   policy_save_helper PATH ISSUERS fsize BYTES     cap the file size at BYTES first: the kernel
//                                                   kills the process (SIGXFSZ) inside the write
//   policy_save_helper PATH ISSUERS loop            print "ready", then save again and again until
//                                                   killed (the test sends SIGKILL at random moments)
// PATH.expected receives the complete serialization before any save starts.
#include "policy/PolicyIO.h"

#include <QCoreApplication>
#include <QFile>

#include <sys/resource.h>

#include <csignal>

#include <cstdio>

using namespace jwb;

namespace {

policy::Policy bigPolicy(int issuers)
{
    policy::Policy p;
    p.name = QStringLiteral("interrupted-save");
    p.owner = QStringLiteral("sec@example.com");
    p.revision = 2;
    p.defaults.algorithms = QStringList{QStringLiteral("RS256"), QStringLiteral("ES256")};
    for (int i = 0; i < issuers; ++i) {
        policy::Issuer issuer;
        issuer.issuer = QStringLiteral("https://issuer-%1.example.com/").arg(i);
        issuer.trustDomain = QStringLiteral("domain-%1").arg(i % 17);
        issuer.audiences = QStringList{QStringLiteral("api-a-%1").arg(i), QStringLiteral("api-b-%1").arg(i)};
        p.issuers.append(issuer);
    }
    return p;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 4) {
        std::fprintf(stderr, "usage: policy_save_helper PATH ISSUERS once|fsize BYTES|loop\n");
        return 2;
    }
    const QString path = args.at(1);
    const policy::Policy p = bigPolicy(args.at(2).toInt());
    const QString mode = args.at(3);

    QFile expected(path + QStringLiteral(".expected"));
    if (!expected.open(QIODevice::WriteOnly) || expected.write(policy::serializePolicy(p, policy::formatForPath(path))) < 0)
        return 2;
    expected.close();

    if (mode == u"fsize") {
        const rlim_t cap = args.value(4).toULongLong();
        const rlimit limit{cap, cap};
        // The default action, even if whatever started us ignored the signal: die inside the write.
        std::signal(SIGXFSZ, SIG_DFL);
        if (cap == 0 || setrlimit(RLIMIT_FSIZE, &limit) != 0)
            return 2;
    }
    if (mode == u"loop") {
        std::printf("ready\n");
        std::fflush(stdout);
        for (;;) {
            if (!policy::savePolicyFile(p, path))
                return 3;
        }
    }
    const Status saved = policy::savePolicyFile(p, path);
    if (!saved) {
        // Reached only if the size cap did not kill us (SIGXFSZ ignored): the save must then fail.
        std::fprintf(stderr, "%s\n", qPrintable(saved.error().toString()));
        return 3;
    }
    return 0;
}
