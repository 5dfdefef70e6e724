// SPDX-License-Identifier: Apache-2.0
// service:dotnet: a C# class around Microsoft.IdentityModel's JsonWebTokenHandler with one
// TokenValidationParameters per issuer and the pinned keys as a JsonWebKeySet (nothing fetched).
// Facts (docs/services.md cites them): ClockSkew defaults to 5 minutes; RequireExpirationTime
// defaults to true; ValidAlgorithms, ValidIssuer and ValidAudiences restrict what is accepted;
// TryAllIssuerSigningKeys (default true) lets a token whose kid matches no key be tried against
// every key, so it is turned off; nothing bounds exp - iat or looks at iat against the clock.
// Not run here (no .NET SDK in the test setup): the docs say so.
#include "export/services/ServiceSupport.h"

namespace jwb::exporting::detail {

namespace services {

namespace {

QString csList(const QStringList& l)
{
    return QStringLiteral("new[] { ") + quotedList(l) + QStringLiteral(" }");
}

const char kCode[] = R"CS(
    /// <summary>Thrown when a token is refused; the message says which check.</summary>
    public sealed class TokenRejectedException : Exception
    {
        public TokenRejectedException(string reason) : base("token rejected: " + reason) { }
    }

    private static TokenRejectedException Reject(string reason) => new(reason);

    /// <summary>Returns the verified token, or throws TokenRejectedException.</summary>
    public static async Task<JsonWebToken> VerifyTokenAsync(string token)
    {
        if (token is null || Encoding.UTF8.GetByteCount(token) > MaxTokenBytes) throw Reject("not a token or too large");
        var parts = token.Split('.');
        if (parts.Length != 3) throw Reject("not a compact JWS");
        using var header = DecodeJson(parts[0], "header");
        // Unverified: used only to pick the issuer's entry, as the core does.
        using var unverified = DecodeJson(parts[1], "claims");
        if (!unverified.RootElement.TryGetProperty("iss", out var issElement) || issElement.ValueKind != JsonValueKind.String
            || !Issuers.TryGetValue(issElement.GetString()!, out var rules))
            throw Reject("unknown issuer");
        if (Encoding.UTF8.GetByteCount(token) > rules.MaxTokenBytes) throw Reject("too large for the issuer");
        if (rules.Audiences.Length == 0) throw Reject("the issuer has no audience row");
        CheckHeader(header.RootElement, rules);

        var parameters = new TokenValidationParameters
        {
            ValidAlgorithms = rules.Algorithms, // the pin
            IssuerSigningKeys = rules.Keys.GetSigningKeys(), // the pinned public keys only
            TryAllIssuerSigningKeys = false, // a kid that matches no pinned key is refused, not tried on every key
            ValidIssuer = issElement.GetString(),
            ValidAudiences = rules.Audiences, // any of the issuer's audiences
            RequireSignedTokens = true,
            RequireExpirationTime = rules.RequiredClaims.Contains("exp"),
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(rules.ClockSkewSeconds), // the default is 5 minutes
        };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);
        if (!result.IsValid) throw Reject("IdentityModel: " + result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        CheckClaims(unverified.RootElement, rules, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return jwt;
    }

    // System.Text.Json keeps duplicate member names; the policy refuses such a token (a second
    // "exp" far in the future must not win), so the text is walked once for them.
    private static JsonDocument DecodeJson(string segment, string where)
    {
        byte[] bytes;
        try
        {
            bytes = Base64UrlEncoder.DecodeBytes(segment);
        }
        catch (FormatException)
        {
            throw Reject(where + " is not base64url");
        }
        var reader = new Utf8JsonReader(bytes);
        var names = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: names.Push(new HashSet<string>(StringComparer.Ordinal)); break;
                    case JsonTokenType.StartArray: names.Push(null); break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray: names.Pop(); break;
                    case JsonTokenType.PropertyName:
                        if (!names.Peek()!.Add(reader.GetString()!)) throw Reject(where + " member appears twice");
                        break;
                }
            }
            var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Reject(where + " is not a JSON object");
            return doc;
        }
        catch (JsonException)
        {
            throw Reject(where + " is not JSON");
        }
    }

    // RFC 7515 section 4.1.9: case-insensitive, and "application/" may be left out.
    private static string MediaType(string value)
    {
        var lower = value.ToLowerInvariant();
        return lower.StartsWith("application/", StringComparison.Ordinal) && lower.Length > 12 ? lower[12..] : lower;
    }

    // Runs on the unverified header before any key is used: every check here only rejects.
    private static void CheckHeader(JsonElement header, IssuerRules rules)
    {
        if (header.TryGetProperty("crit", out _)) throw Reject("crit header: no critical extension is implemented");
        if (header.TryGetProperty("b64", out var b64) && b64.ValueKind != JsonValueKind.True) throw Reject("b64 header other than true");
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String) throw Reject("alg missing or not a string");
        foreach (var name in new[] { "kid", "typ", "cty" })
            if (header.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.String) throw Reject("header " + name + " is not a string");
        foreach (var member in header.EnumerateObject())
            if (!rules.AllowedHeaders.Contains(member.Name)) throw Reject("header member \"" + member.Name + "\" is not allowed");
        var hasTyp = header.TryGetProperty("typ", out var typ);
        if (rules.RequireType && !hasTyp) throw Reject("typ missing");
        if (rules.Types is not null && hasTyp && !rules.Types.Contains(MediaType(typ.GetString()!))) throw Reject("typ not allowed");
        if (!rules.Algorithms.Contains(alg.GetString())) throw Reject("alg is not pinned");
        if (rules.RequireKid && !header.TryGetProperty("kid", out _)) throw Reject("kid missing");
        if (RejectNested && header.TryGetProperty("cty", out var cty) && MediaType(cty.GetString()!) == "jwt") throw Reject("nested JWT");
    }

    private static long? NumericDate(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || d < 0 || d > MaxNumericDate)
            throw Reject(name + " is not a NumericDate");
        return (long)Math.Floor(d);
    }

    // What TokenValidationParameters has no setting for. The claims are the token's (the same bytes
    // the handler verified); now is Unix seconds.
    private static void CheckClaims(JsonElement claims, IssuerRules rules, long now)
    {
        var exp = NumericDate(claims, "exp");
        var nbf = NumericDate(claims, "nbf");
        var iat = NumericDate(claims, "iat");
        if (iat is not null && iat > now + rules.ClockSkewSeconds) throw Reject("iat in the future");
        if (rules.MaxLifetimeSeconds > 0)
        {
            // The lifetime the issuer granted (exp - iat), not the token's age.
            var start = iat ?? nbf;
            if (exp is null || start is null) throw Reject("lifetime unknown (exp and iat or nbf needed)");
            if (exp - start > rules.MaxLifetimeSeconds) throw Reject("lifetime over the limit");
        }
        if (!claims.TryGetProperty("aud", out var aud)) throw Reject("aud missing");
        var auds = aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray().ToArray() : new[] { aud };
        if (auds.Length == 0 || auds.Any(a => a.ValueKind != JsonValueKind.String)) throw Reject("aud is not a string or an array of strings");
        var hasSub = claims.TryGetProperty("sub", out var sub);
        if (hasSub && sub.ValueKind != JsonValueKind.String) throw Reject("sub is not a string");
        if (rules.Subjects.Length > 0 && (!hasSub || !rules.Subjects.Contains(sub.GetString()))) throw Reject("sub not allowed");
        if (claims.TryGetProperty("jti", out var jti) && jti.ValueKind != JsonValueKind.String) throw Reject("jti is not a string");
        foreach (var name in rules.RequiredClaims)
            if (!claims.TryGetProperty(name, out _)) throw Reject(name + " missing");
        if (RejectAct && claims.TryGetProperty("act", out _)) throw Reject("act (delegation) is not accepted");
    }
}
)CS";

LibraryFacts dotnetFacts()
{
    LibraryFacts f;
    f.algorithmPin = QStringLiteral("TokenValidationParameters.ValidAlgorithms");
    f.crit = QStringLiteral("(IdentityModel) is not documented to refuse unknown crit names");
    f.issuer = QStringLiteral("TokenValidationParameters.ValidIssuer");
    f.audience = QStringLiteral("TokenValidationParameters.ValidAudiences: any of the issuer's audiences");
    f.expRequired = QStringLiteral("TokenValidationParameters.RequireExpirationTime");
    f.nbf = QStringLiteral("ValidateLifetime checks a present nbf with ClockSkew");
    f.skew = QStringLiteral("TokenValidationParameters.ClockSkew (default 5 minutes) for exp and nbf; the code applies "
                            "it to iat");
    f.keys = QStringLiteral("IssuerSigningKeys from a JsonWebKeySet of the pinned public keys, "
                            "TryAllIssuerSigningKeys off so the kid must match");
    f.secrets = QStringLiteral("nothing in the generated class yet (add to IssuerSigningKeys a SymmetricSecurityKey that)");
    return f;
}

QString issuerTable(const ServicePlan& plan)
{
    QString t = QStringLiteral("    // One entry per issuer, selected by the exact iss; every value is the policy's.\n"
                               "    private static readonly Dictionary<string, IssuerRules> Issuers = new(StringComparer.Ordinal)\n    {\n");
    for (const ServiceIssuer& si : plan.issuers) {
        const auto& r = si.rules;
        QStringList jwks;
        for (const auto& k : si.keys)
            jwks << QString::fromUtf8(k.jwk);
        t += QStringLiteral("        [%1] = new IssuerRules(\n").arg(quoted(si.iss));
        t += QStringLiteral("            Algorithms: %1,\n").arg(csList(r.algorithms));
        t += QStringLiteral("            Audiences: %1,\n").arg(csList(si.audiences));
        t += QStringLiteral("            Subjects: %1, // empty: any sub\n").arg(csList(si.subjects));
        t += QStringLiteral("            AllowedHeaders: %1,\n").arg(csList(r.allowedHeaders));
        t += QStringLiteral("            Types: %1, // null: typ is not checked\n")
                 .arg(si.types ? csList(*si.types) : QStringLiteral("null"));
        t += QStringLiteral("            RequireType: %1,\n            RequireKid: %2,\n")
                 .arg(r.requireType ? u"true" : u"false", r.requireKid ? u"true" : u"false");
        t += QStringLiteral("            RequiredClaims: %1,\n").arg(csList(r.requiredClaims));
        t += QStringLiteral("            MaxLifetimeSeconds: %1, // exp - iat; 0: no limit\n").arg(r.maxLifetimeSeconds.value_or(0));
        t += QStringLiteral("            ClockSkewSeconds: %1,\n            MaxTokenBytes: %2,\n")
                 .arg(r.clockSkewSeconds)
                 .arg(r.maxTokenBytes);
        t += QStringLiteral("            // The pinned public keys (public members only).\n");
        t += QStringLiteral("            Keys: new JsonWebKeySet(%1)),\n")
                 .arg(quoted(QStringLiteral("{\"keys\":[") + jwks.join(u',') + QStringLiteral("]}")));
    }
    t += QStringLiteral("    };\n");
    return t;
}

class ServiceDotnetExporter final : public Exporter {
public:
    Target target() const override { return Target::ServiceDotnet; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto planned = planService(policy, profile);
        if (!planned)
            return planned.error();
        const ServicePlan& plan = *planned;
        QString t = serviceBanner(policy, target(), QStringLiteral("//"), plan);
        t += QStringLiteral("//\n// Use: var jwt = await JwtVerification.VerifyTokenAsync(bearerToken); // throws TokenRejectedException\n"
                            "// Needs Microsoft.IdentityModel.JsonWebTokens 7 or later, .NET 8. Generated, not run by the\n"
                            "// workbench's tests (see docs/services.md).\n");
        for (const auto& si : plan.issuers) {
            for (const auto& s : si.secrets)
                t += QStringLiteral("// HMAC kid '%1' of %2 is not verified by this class: add a SymmetricSecurityKey read from %3.\n")
                         .arg(s.kid, si.iss, s.envVar);
        }
        t += QStringLiteral("using System.Text;\nusing System.Text.Json;\nusing Microsoft.IdentityModel.JsonWebTokens;\n"
                            "using Microsoft.IdentityModel.Tokens;\n\nnamespace Jwb.Verification;\n\n"
                            "public static class JwtVerification\n{\n");
        t += QStringLiteral("    private const int MaxTokenBytes = %1; // the largest limit of any issuer\n"
                            "    private const double MaxNumericDate = 253402300799; // 9999-12-31T23:59:59Z, as the core\n"
                            "    private const bool RejectAct = %2; // delegation.act: %3\n"
                            "    private const bool RejectNested = true; // nested JWTs are never verified here\n\n")
                 .arg(plan.maxTokenBytes)
                 .arg(plan.rejectAct ? u"true" : u"false", plan.rejectAct ? u"reject" : u"allow (not checked further here)");
        t += QStringLiteral("    private sealed record IssuerRules(string[] Algorithms, string[] Audiences, string[] Subjects,\n"
                            "        string[] AllowedHeaders, string[]? Types, bool RequireType, bool RequireKid,\n"
                            "        string[] RequiredClaims, long MaxLifetimeSeconds, int ClockSkewSeconds, int MaxTokenBytes,\n"
                            "        JsonWebKeySet Keys);\n\n");
        t += issuerTable(plan);
        t += QString::fromUtf8(kCode);
        return serviceResult(t, QStringLiteral("JwtVerification.cs"), target(), plan, dotnetFacts());
    }
};

} // namespace

} // namespace services

std::unique_ptr<Exporter> makeServiceDotnetExporter()
{
    return std::make_unique<services::ServiceDotnetExporter>();
}

} // namespace jwb::exporting::detail
