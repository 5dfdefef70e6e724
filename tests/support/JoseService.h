// SPDX-License-Identifier: Apache-2.0
// The jose service (tests/live/services/jose-service.mjs, panva/jose jwtVerify) configured to
// match the staging policy, strictly or with its issuer and audience checks left out.
// Tests including this link Qt6::Network (LiveServer).
#pragma once

#include "LiveServer.h"
#include "StagingPolicy.h"

#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>

namespace jwb::testing {

// What a failed start needs to say: which program to install, or what the service printed.
inline QString joseStartProblem(LiveServer& server)
{
    return server.error() + QStringLiteral("\n--- service log ---\n") + QString::fromUtf8(server.log());
}

// Starts the jose service on server.port() with the staging key's JWKS. False when node or the
// jose package is missing or the service does not listen: joseStartProblem() says why.
inline bool startJoseService(LiveServer& server, const QTemporaryDir& dir, bool weak)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString modules = QStringLiteral(JWB_SOURCE_DIR "/tests/node/node_modules");
    if (node.isEmpty() || !QFile::exists(modules + QStringLiteral("/jose/package.json"))) {
        writeFile(server.logPath(), "node 20 and tests/node/node_modules/jose are needed: run installer/deps-node.sh "
                                    "(and apt-get install nodejs)\n");
        return server.start(QStringLiteral("node-not-found"), {}); // fails with the log above
    }
    const QString jwks = writeInto(dir, QStringLiteral("jose-jwks.json"), QJsonDocument(stagingJwks()).toJson());
    const QString options = writeInto(dir, weak ? QStringLiteral("jose-weak.json") : QStringLiteral("jose-strict.json"),
                                      QJsonDocument(joseOptions(weak)).toJson());
    return server.start(node,
                        {QStringLiteral(JWB_SOURCE_DIR "/tests/live/services/jose-service.mjs"), QStringLiteral("{port}"),
                         jwks, options, modules});
}

} // namespace jwb::testing
