// SPDX-License-Identifier: Apache-2.0
// service:spring: a Java class for a Spring Security resource server: one NimbusJwtDecoder per
// issuer over a local JWKS (ImmutableJWKSet: nothing fetched), with Spring's validators for issuer
// and timestamps and OAuth2TokenValidator lambdas for what Spring has none of. Facts (docs/services.md
// cites them): Spring's default timestamp validator allows 60 s of skew and checks exp and nbf only
// when present; JwtIssuerValidator compares iss; there is no audience validator by default;
// NimbusJwtDecoder runs Nimbus' DefaultJWTProcessor, whose type verifier accepts typ "JWT" or none.
// Not run here (no JVM in the test setup): the docs say so.
#include "export/services/ServiceSupport.h"

namespace jwb::exporting::detail {

namespace services {

namespace {

QString javaList(const QStringList& l)
{
    return QStringLiteral("List.of(") + quotedList(l) + u')';
}

const char kCode[] = R"JAVA(
    /** Thrown when a token is refused; the message says which check. */
    public static final class TokenRejected extends RuntimeException {
        public TokenRejected(String reason) {
            super("token rejected: " + reason);
        }
    }

    // Jackson refuses a member name given twice (a second "exp" far in the future must not win).
    private static final ObjectMapper STRICT_JSON =
            new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Map<String, JwtDecoder> DECODERS = new HashMap<>();

    static {
        ISSUERS.forEach((iss, rules) -> DECODERS.put(iss, decoderFor(iss, rules)));
    }

    private static JwtDecoder decoderFor(String iss, IssuerRules rules) {
        try {
            Set<JWSAlgorithm> algorithms = new HashSet<>();
            rules.algorithms().forEach(a -> algorithms.add(JWSAlgorithm.parse(a)));
            JWKSource<SecurityContext> keys = new ImmutableJWKSet<>(JWKSet.parse(rules.jwks()));
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            // The pin: Nimbus selects a key only for these algorithms, by kid, from the local set.
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
            // typ is compared in checkHeader (a list, RFC 7515 media-type rules); accept any here.
            processor.setJWSTypeVerifier((type, context) -> { });
            // Claims are Spring's validators' business (set below), not Nimbus' defaults.
            processor.setJWTClaimsSetVerifier((claims, context) -> { });
            NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                    // Spring's default skew is 60 s: the policy's is passed explicitly.
                    new JwtTimestampValidator(Duration.ofSeconds(rules.clockSkewSeconds())),
                    new JwtIssuerValidator(iss),
                    claimsValidator(rules)));
            return decoder;
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("pinned keys of " + iss + " do not parse", e);
        }
    }

    /** Returns the verified token, or throws TokenRejected. */
    public static Jwt verifyToken(String token) {
        if (token == null || token.getBytes(StandardCharsets.UTF_8).length > MAX_TOKEN_BYTES) {
            throw new TokenRejected("not a token or too large");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenRejected("not a compact JWS");
        }
        JsonNode header = decodeJson(parts[0], "header");
        // Unverified: used only to pick the issuer's entry, as the core does.
        JsonNode unverified = decodeJson(parts[1], "claims");
        JsonNode iss = unverified.get("iss");
        IssuerRules rules = iss != null && iss.isTextual() ? ISSUERS.get(iss.asText()) : null;
        if (rules == null) {
            throw new TokenRejected("unknown issuer");
        }
        if (token.getBytes(StandardCharsets.UTF_8).length > rules.maxTokenBytes()) {
            throw new TokenRejected("too large for the issuer");
        }
        if (rules.audiences().isEmpty()) {
            throw new TokenRejected("the issuer has no audience row");
        }
        checkHeader(header, rules);
        try {
            return DECODERS.get(iss.asText()).decode(token);
        } catch (JwtException e) {
            throw new TokenRejected("spring: " + e.getMessage());
        }
    }

    private static JsonNode decodeJson(String segment, String where) {
        if (!segment.matches("[A-Za-z0-9_-]*")) {
            throw new TokenRejected(where + " is not base64url");
        }
        try {
            JsonNode node = STRICT_JSON.readTree(Base64.getUrlDecoder().decode(segment));
            if (node == null || !node.isObject()) {
                throw new TokenRejected(where + " is not a JSON object");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new TokenRejected(where + " is not JSON without duplicate members");
        }
    }

    // RFC 7515 section 4.1.9: case-insensitive, and "application/" may be left out.
    private static String mediaType(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.startsWith("application/") && lower.length() > 12 ? lower.substring(12) : lower;
    }

    // Runs on the unverified header before any key is used: every check here only rejects.
    private static void checkHeader(JsonNode header, IssuerRules rules) {
        if (header.has("crit")) throw new TokenRejected("crit header: no critical extension is implemented");
        if (header.has("b64") && !header.get("b64").equals(BooleanNode.TRUE)) throw new TokenRejected("b64 header other than true");
        if (!header.path("alg").isTextual()) throw new TokenRejected("alg missing or not a string");
        for (String name : List.of("kid", "typ", "cty")) {
            if (header.has(name) && !header.get(name).isTextual()) throw new TokenRejected("header " + name + " is not a string");
        }
        header.fieldNames().forEachRemaining(name -> {
            if (!rules.allowedHeaders().contains(name)) throw new TokenRejected("header member \"" + name + "\" is not allowed");
        });
        if (rules.requireType() && !header.has("typ")) throw new TokenRejected("typ missing");
        if (rules.types() != null && header.has("typ") && !rules.types().contains(mediaType(header.get("typ").asText()))) {
            throw new TokenRejected("typ not allowed");
        }
        if (!rules.algorithms().contains(header.get("alg").asText())) throw new TokenRejected("alg is not pinned");
        if (rules.requireKid() && !header.has("kid")) throw new TokenRejected("kid missing");
        if (REJECT_NESTED && header.has("cty") && mediaType(header.get("cty").asText()).equals("jwt")) {
            throw new TokenRejected("nested JWT");
        }
    }

    private static OAuth2TokenValidatorResult failure(String reason) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", reason, null));
    }

    // What Spring has no validator for, on the verified claims (Jwt#getClaims: dates as Instant).
    private static OAuth2TokenValidator<Jwt> claimsValidator(IssuerRules rules) {
        return jwt -> {
            Map<String, Object> claims = jwt.getClaims();
            Instant now = Instant.now();
            Duration skew = Duration.ofSeconds(rules.clockSkewSeconds());
            if (!claims.containsKey("exp") && rules.requiredClaims().contains("exp")) return failure("exp missing");
            if (jwt.getIssuedAt() != null && jwt.getIssuedAt().isAfter(now.plus(skew))) return failure("iat in the future");
            if (rules.maxLifetimeSeconds() > 0) {
                // The lifetime the issuer granted (exp - iat), not the token's age.
                Instant start = jwt.getIssuedAt() != null ? jwt.getIssuedAt() : jwt.getNotBefore();
                if (jwt.getExpiresAt() == null || start == null) return failure("lifetime unknown (exp and iat or nbf needed)");
                if (Duration.between(start, jwt.getExpiresAt()).getSeconds() > rules.maxLifetimeSeconds()) {
                    return failure("lifetime over the limit");
                }
            }
            Object aud = claims.get("aud");
            List<?> auds = aud instanceof List<?> list ? list : aud == null ? List.of() : List.of(aud);
            if (auds.isEmpty() || !auds.stream().allMatch(String.class::isInstance)) return failure("aud missing or not strings");
            if (auds.stream().noneMatch(rules.audiences()::contains)) return failure("aud not bound to the issuer");
            if (claims.containsKey("sub") && !(claims.get("sub") instanceof String)) return failure("sub is not a string");
            if (!rules.subjects().isEmpty() && !rules.subjects().contains(jwt.getSubject())) return failure("sub not allowed");
            if (claims.containsKey("jti") && !(claims.get("jti") instanceof String)) return failure("jti is not a string");
            for (String name : rules.requiredClaims()) {
                if (!claims.containsKey(name)) return failure(name + " missing");
            }
            if (REJECT_ACT && claims.containsKey("act")) return failure("act (delegation) is not accepted");
            return OAuth2TokenValidatorResult.success();
        };
    }
}
)JAVA";

LibraryFacts springFacts()
{
    LibraryFacts f;
    f.algorithmPin = QStringLiteral("Nimbus JWSVerificationKeySelector with the pinned algorithms");
    f.crit = QStringLiteral("(Nimbus DefaultJWTProcessor) refuses crit names its verifier does not know");
    f.issuer = QStringLiteral("JwtIssuerValidator");
    f.nbf = QStringLiteral("JwtTimestampValidator checks a present nbf with the skew");
    f.skew = QStringLiteral("JwtTimestampValidator(Duration.ofSeconds(skew)) (Spring's default is 60 s); the code "
                            "applies it to iat");
    f.keys = QStringLiteral("ImmutableJWKSet with the pinned public keys; Nimbus selects by kid and algorithm");
    f.secrets = QStringLiteral("nothing in the generated class yet (add to the issuer's JWKSet an OctetSequenceKey that)");
    return f;
}

QString issuerTable(const ServicePlan& plan)
{
    QString t = QStringLiteral("    // One entry per issuer, selected by the exact iss; every value is the policy's.\n"
                               "    private static final Map<String, IssuerRules> ISSUERS = Map.ofEntries(\n");
    QStringList entries;
    for (const ServiceIssuer& si : plan.issuers) {
        const auto& r = si.rules;
        QString e = QStringLiteral("            Map.entry(%1, new IssuerRules(\n").arg(quoted(si.iss));
        e += QStringLiteral("                    %1, // algorithms\n").arg(javaList(r.algorithms));
        e += QStringLiteral("                    %1, // audiences\n").arg(javaList(si.audiences));
        e += QStringLiteral("                    %1, // subjects (empty: any)\n").arg(javaList(si.subjects));
        e += QStringLiteral("                    %1, // allowed headers\n").arg(javaList(r.allowedHeaders));
        e += QStringLiteral("                    %1, // typ values (null: not checked)\n")
                 .arg(si.types ? javaList(*si.types) : QStringLiteral("null"));
        e += QStringLiteral("                    %1, %2, // require typ, require kid\n")
                 .arg(r.requireType ? u"true" : u"false", r.requireKid ? u"true" : u"false");
        e += QStringLiteral("                    %1, // required claims\n").arg(javaList(r.requiredClaims));
        e += QStringLiteral("                    %1L, %2, %3, // max lifetime (0: none), skew, max token bytes\n")
                 .arg(r.maxLifetimeSeconds.value_or(0))
                 .arg(r.clockSkewSeconds)
                 .arg(r.maxTokenBytes);
        QStringList jwks;
        for (const auto& k : si.keys)
            jwks << QString::fromUtf8(k.jwk);
        QString jwksText = QStringLiteral("{\"keys\":[") + jwks.join(u',') + QStringLiteral("]}");
        e += QStringLiteral("                    %1%2))").arg(quoted(jwksText),
                                                          si.secrets.isEmpty() ? QString()
                                                                               : QStringLiteral(" /* HMAC secrets: see the gap report */"));
        entries << e;
    }
    t += entries.join(QStringLiteral(",\n")) + QStringLiteral(");\n");
    return t;
}

class ServiceSpringExporter final : public Exporter {
public:
    Target target() const override { return Target::ServiceSpring; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto planned = planService(policy, profile);
        if (!planned)
            return planned.error();
        const ServicePlan& plan = *planned;
        QString t = serviceBanner(policy, target(), QStringLiteral("//"), plan);
        t += QStringLiteral("//\n// Use: JwtVerification.verifyToken(bearerToken) // throws TokenRejected; or expose\n"
                            "// a JwtDecoder bean that calls it. Needs spring-security-oauth2-jose (Nimbus JOSE+JWT) and\n"
                            "// Jackson, Java 17. Generated, not run by the workbench's tests (see docs/services.md).\n");
        for (const auto& si : plan.issuers) {
            for (const auto& s : si.secrets)
                t += QStringLiteral("// HMAC kid '%1' of %2 is not verified by this class: add an OctetSequenceKey read from %3.\n")
                         .arg(s.kid, si.iss, s.envVar);
        }
        t += QStringLiteral(
            "package jwb.verification;\n\n"
            "import com.fasterxml.jackson.core.JsonParser;\nimport com.fasterxml.jackson.databind.JsonNode;\n"
            "import com.fasterxml.jackson.databind.ObjectMapper;\nimport com.fasterxml.jackson.databind.node.BooleanNode;\n"
            "import com.nimbusds.jose.JWSAlgorithm;\nimport com.nimbusds.jose.jwk.JWKSet;\n"
            "import com.nimbusds.jose.jwk.source.ImmutableJWKSet;\nimport com.nimbusds.jose.jwk.source.JWKSource;\n"
            "import com.nimbusds.jose.proc.JWSVerificationKeySelector;\nimport com.nimbusds.jose.proc.SecurityContext;\n"
            "import com.nimbusds.jwt.proc.DefaultJWTProcessor;\nimport java.io.IOException;\n"
            "import java.nio.charset.StandardCharsets;\nimport java.time.Duration;\nimport java.time.Instant;\n"
            "import java.util.Base64;\nimport java.util.HashMap;\nimport java.util.HashSet;\nimport java.util.List;\n"
            "import java.util.Locale;\nimport java.util.Map;\nimport java.util.Set;\n"
            "import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;\n"
            "import org.springframework.security.oauth2.core.OAuth2Error;\n"
            "import org.springframework.security.oauth2.core.OAuth2TokenValidator;\n"
            "import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;\n"
            "import org.springframework.security.oauth2.jwt.Jwt;\nimport org.springframework.security.oauth2.jwt.JwtDecoder;\n"
            "import org.springframework.security.oauth2.jwt.JwtException;\n"
            "import org.springframework.security.oauth2.jwt.JwtIssuerValidator;\n"
            "import org.springframework.security.oauth2.jwt.JwtTimestampValidator;\n"
            "import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;\n\n"
            "public final class JwtVerification {\n"
            "    private JwtVerification() {\n    }\n\n");
        t += QStringLiteral("    private static final int MAX_TOKEN_BYTES = %1; // the largest limit of any issuer\n"
                            "    private static final boolean REJECT_ACT = %2; // delegation.act: %3\n"
                            "    private static final boolean REJECT_NESTED = true; // nested JWTs are never verified here\n\n")
                 .arg(plan.maxTokenBytes)
                 .arg(plan.rejectAct ? u"true" : u"false", plan.rejectAct ? u"reject" : u"allow (not checked further here)");
        t += QStringLiteral("    private record IssuerRules(List<String> algorithms, List<String> audiences, List<String> subjects,\n"
                            "            List<String> allowedHeaders, List<String> types, boolean requireType, boolean requireKid,\n"
                            "            List<String> requiredClaims, long maxLifetimeSeconds, int clockSkewSeconds,\n"
                            "            int maxTokenBytes, String jwks) {\n    }\n\n");
        t += issuerTable(plan);
        t += QString::fromUtf8(kCode);
        return serviceResult(t, QStringLiteral("JwtVerification.java"), target(), plan, springFacts());
    }
};

} // namespace

} // namespace services

std::unique_ptr<Exporter> makeServiceSpringExporter()
{
    return std::make_unique<services::ServiceSpringExporter>();
}

} // namespace jwb::exporting::detail
