// SPDX-License-Identifier: Apache-2.0
// service:golang-jwt: a Go package with VerifyToken(token) around github.com/golang-jwt/jwt/v4's
// Parser with WithValidMethods and a Keyfunc that pins by kid and algorithm. Facts from
// golang-jwt v4.4 (parser.go, map_claims.go): MapClaims.Valid checks exp, iat and nbf only when
// present and with no leeway at all (v4 has no leeway option; v5 added WithLeeway), and checks no
// issuer or audience; so the claims are validated here, with the policy's skew, after
// WithoutClaimsValidation. json.Number (WithJSONNumber) keeps the dates exact.
#include "export/services/ServiceSupport.h"

namespace jwb::exporting::detail {

namespace services {

namespace {

QString goList(const QStringList& l)
{
    return QStringLiteral("[]string{") + quotedList(l) + u'}';
}

const char kCode[] = R"GO(
// TokenRejected says which check refused a token.
type TokenRejected struct{ Reason string }

func (e *TokenRejected) Error() string { return "token rejected: " + e.Reason }

func reject(format string, args ...interface{}) error {
	return &TokenRejected{Reason: fmt.Sprintf(format, args...)}
}

func init() {
	for iss, rules := range issuers {
		for i := range rules.Keys {
			block, _ := pem.Decode([]byte(rules.Keys[i].PEM))
			if block == nil {
				panic("pinned key of " + iss + " is not PEM")
			}
			key, err := x509.ParsePKIXPublicKey(block.Bytes)
			if err != nil {
				panic("pinned key of " + iss + ": " + err.Error())
			}
			rules.Keys[i].key = key
		}
	}
}

// rejectDuplicateMembers walks the JSON text: encoding/json keeps the last of two equal member
// names, and the policy refuses such a token (a second "exp" far in the future must not win).
func rejectDuplicateMembers(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func() error
	walk = func() error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		delim, ok := tok.(json.Delim)
		if !ok || (delim != '{' && delim != '[') {
			return nil
		}
		seen := map[string]bool{}
		for dec.More() {
			if delim == '{' {
				name, err := dec.Token()
				if err != nil {
					return err
				}
				if seen[name.(string)] {
					return fmt.Errorf("member %q appears twice", name)
				}
				seen[name.(string)] = true
			}
			if err := walk(); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	}
	return walk()
}

func decodeJSON(segment, where string) (map[string]interface{}, error) {
	data, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		return nil, reject("%s is not base64url", where)
	}
	var value map[string]interface{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&value); err != nil || value == nil || dec.More() {
		return nil, reject("%s is not a JSON object", where)
	}
	if err := rejectDuplicateMembers(data); err != nil {
		return nil, reject("%s: %v", where, err)
	}
	return value, nil
}

func contains(list []string, value string) bool {
	for _, item := range list {
		if item == value {
			return true
		}
	}
	return false
}

// mediaType compares as RFC 7515 section 4.1.9 says: case-insensitive, "application/" optional.
func mediaType(value string) string {
	lower := strings.ToLower(value)
	if strings.HasPrefix(lower, "application/") && len(lower) > 12 {
		return lower[12:]
	}
	return lower
}

// checkHeader runs on the unverified header before any key is used: every check here only rejects.
func checkHeader(header map[string]interface{}, rules *issuerRules) error {
	if _, ok := header["crit"]; ok {
		return reject("crit header: no critical extension is implemented")
	}
	if b64, ok := header["b64"]; ok && b64 != true {
		return reject("b64 header other than true")
	}
	alg, ok := header["alg"].(string)
	if !ok {
		return reject("alg missing or not a string")
	}
	for _, name := range []string{"kid", "typ", "cty"} {
		if v, ok := header[name]; ok {
			if _, isString := v.(string); !isString {
				return reject("header %s is not a string", name)
			}
		}
	}
	for name := range header {
		if !contains(rules.AllowedHeaders, name) {
			return reject("header member %q is not allowed", name)
		}
	}
	typ, hasTyp := header["typ"].(string)
	if rules.RequireType && !hasTyp {
		return reject("typ missing")
	}
	if rules.Types != nil && hasTyp && !contains(rules.Types, mediaType(typ)) {
		return reject("typ not allowed")
	}
	if !contains(rules.Algorithms, alg) {
		return reject("alg %s is not pinned", alg)
	}
	if _, hasKid := header["kid"]; rules.RequireKid && !hasKid {
		return reject("kid missing")
	}
	if cty, ok := header["cty"].(string); ok && rejectNested && mediaType(cty) == "jwt" {
		return reject("nested JWT")
	}
	return nil
}

// candidateKeys: keys come only from the issuer's entry, by exact kid when the token names one,
// else every pinned key that serves the alg, as the core does. jku, x5u, jwk and x5c never select
// a key.
func candidateKeys(header map[string]interface{}, rules *issuerRules) ([]interface{}, error) {
	alg := header["alg"].(string)
	kid, hasKid := header["kid"].(string)
	if secret, ok := rules.Secrets[kid]; hasKid && ok && contains(secret.Algorithms, alg) {
		value := os.Getenv(secret.Env)
		if value == "" {
			return nil, reject("HMAC secret %s is not set", secret.Env)
		}
		key, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(value, "="))
		if err != nil {
			return nil, reject("HMAC secret %s is not base64url", secret.Env)
		}
		return []interface{}{key}, nil
	}
	var keys []interface{}
	for _, k := range rules.Keys {
		if contains(k.Algorithms, alg) && (!hasKid || k.Kid == kid) {
			keys = append(keys, k.key)
		}
	}
	if len(keys) == 0 {
		return nil, reject("no pinned key for kid %q and alg %s", kid, alg)
	}
	return keys, nil
}

// numericDate reads a NumericDate (RFC 7519 section 2) in the core's range, fractions floored.
func numericDate(claims jwt.MapClaims, name string) (int64, bool, error) {
	v, present := claims[name]
	if !present {
		return 0, false, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return 0, true, reject("%s is not a NumericDate", name)
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f > maxNumericDate {
		return 0, true, reject("%s is not a NumericDate", name)
	}
	return int64(math.Floor(f)), true, nil
}

// checkClaims runs on the verified claims: golang-jwt v4 validates them with no leeway, so all of
// it is done here with the policy's skew. now is Unix seconds.
func checkClaims(claims jwt.MapClaims, rules *issuerRules, iss string, now int64) error {
	skew := rules.ClockSkewSeconds
	exp, hasExp, err := numericDate(claims, "exp")
	if err != nil {
		return err
	}
	nbf, hasNbf, err := numericDate(claims, "nbf")
	if err != nil {
		return err
	}
	iat, hasIat, err := numericDate(claims, "iat")
	if err != nil {
		return err
	}
	if claims["iss"] != iss {
		return reject("iss changed")
	}
	if !hasExp && contains(rules.RequiredClaims, "exp") {
		return reject("exp missing")
	}
	if hasExp && !(now < exp+skew) {
		return reject("expired")
	}
	if hasNbf && nbf > now+skew {
		return reject("not yet valid (nbf)")
	}
	if hasIat && iat > now+skew {
		return reject("iat in the future")
	}
	if rules.MaxLifetimeSeconds > 0 {
		// The lifetime the issuer granted (exp - iat), not the token's age.
		start, hasStart := iat, hasIat
		if !hasIat {
			start, hasStart = nbf, hasNbf
		}
		if !hasExp || !hasStart {
			return reject("lifetime unknown (exp and iat or nbf needed)")
		}
		if exp-start > rules.MaxLifetimeSeconds {
			return reject("lifetime over the limit")
		}
	}
	var auds []interface{}
	switch aud := claims["aud"].(type) {
	case string:
		auds = []interface{}{aud}
	case []interface{}:
		auds = aud
	case nil:
		return reject("aud missing")
	}
	bound := false
	for _, a := range auds {
		s, ok := a.(string)
		if !ok {
			return reject("aud is not a string or an array of strings")
		}
		bound = bound || contains(rules.Audiences, s)
	}
	if len(auds) == 0 {
		return reject("aud is empty or not a string or an array of strings")
	}
	if !bound {
		return reject("aud not bound to the issuer")
	}
	sub, subIsString := claims["sub"].(string)
	if _, present := claims["sub"]; present && !subIsString {
		return reject("sub is not a string")
	}
	if len(rules.Subjects) > 0 && (!subIsString || !contains(rules.Subjects, sub)) {
		return reject("sub not allowed")
	}
	if jti, present := claims["jti"]; present {
		if _, ok := jti.(string); !ok {
			return reject("jti is not a string")
		}
	}
	for _, name := range rules.RequiredClaims {
		if _, present := claims[name]; !present {
			return reject("%s missing", name)
		}
	}
	if _, present := claims["act"]; present && rejectAct {
		return reject("act (delegation) is not accepted")
	}
	return nil
}

// VerifyToken returns the verified claims, or an error (*TokenRejected says which check).
func VerifyToken(token string) (jwt.MapClaims, error) {
	if len(token) > maxTokenBytes {
		return nil, reject("too large")
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, reject("not a compact JWS")
	}
	header, err := decodeJSON(parts[0], "header")
	if err != nil {
		return nil, err
	}
	// Unverified: used only to pick the issuer's entry, as the core does.
	unverified, err := decodeJSON(parts[1], "claims")
	if err != nil {
		return nil, err
	}
	iss, _ := unverified["iss"].(string)
	rules, ok := issuers[iss]
	if !ok {
		return nil, reject("unknown issuer")
	}
	if len(token) > rules.MaxTokenBytes {
		return nil, reject("too large for the issuer")
	}
	if len(rules.Audiences) == 0 {
		return nil, reject("the issuer has no audience row")
	}
	if err := checkHeader(header, rules); err != nil {
		return nil, err
	}
	keys, err := candidateKeys(header, rules)
	if err != nil {
		return nil, err
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods(rules.Algorithms), // the pin; "none" is never in it
		jwt.WithJSONNumber(),
		jwt.WithoutClaimsValidation(), // v4 has no leeway: checkClaims applies the policy's skew
	)
	for _, key := range keys {
		claims := jwt.MapClaims{}
		pinned := key
		_, err := parser.ParseWithClaims(token, claims, func(t *jwt.Token) (interface{}, error) {
			// Pins by kid and algorithm: the key was chosen for this kid and this alg only.
			if t.Method.Alg() != header["alg"] {
				return nil, errors.New("alg changed")
			}
			return pinned, nil
		})
		var ve *jwt.ValidationError
		if errors.As(err, &ve) && ve.Errors&jwt.ValidationErrorSignatureInvalid != 0 {
			continue // the next candidate key (only when the token names no kid)
		}
		if err != nil {
			return nil, reject("golang-jwt: %v", err)
		}
		if err := checkClaims(claims, rules, iss, time.Now().Unix()); err != nil {
			return nil, err
		}
		return claims, nil
	}
	return nil, reject("signature invalid")
}
)GO";

LibraryFacts golangJwtFacts()
{
    LibraryFacts f;
    f.algorithmPin = QStringLiteral("Parser WithValidMethods; the Keyfunc hands out a key only for the alg it was "
                                    "pinned for");
    f.crit = QStringLiteral("(golang-jwt v4) ignores crit");
    f.keys = QStringLiteral("the pinned public keys as PEM in the package (x509.ParsePKIXPublicKey at init), chosen by "
                            "exact kid and alg");
    f.secrets = QStringLiteral("candidateKeys()");
    // Everything about claims is code: v4 has no leeway, no issuer or audience check by default.
    return f;
}

QString issuerTable(const ServicePlan& plan)
{
    QString t = QStringLiteral("// One entry per issuer, selected by the exact iss; every value is the policy's.\n"
                               "var issuers = map[string]*issuerRules{\n");
    for (const ServiceIssuer& si : plan.issuers) {
        const auto& r = si.rules;
        t += QStringLiteral("\t%1: {\n").arg(quoted(si.iss));
        t += QStringLiteral("\t\tAlgorithms:         %1,\n").arg(goList(r.algorithms));
        t += QStringLiteral("\t\tAudiences:          %1,\n").arg(goList(si.audiences));
        t += QStringLiteral("\t\tSubjects:           %1, // empty: any sub\n").arg(goList(si.subjects));
        t += QStringLiteral("\t\tAllowedHeaders:     %1,\n").arg(goList(r.allowedHeaders));
        t += QStringLiteral("\t\tTypes:              %1, // nil: typ is not checked\n")
                 .arg(si.types ? goList(*si.types) : QStringLiteral("nil"));
        t += QStringLiteral("\t\tRequireType:        %1,\n").arg(r.requireType ? u"true" : u"false");
        t += QStringLiteral("\t\tRequireKid:         %1,\n").arg(r.requireKid ? u"true" : u"false");
        t += QStringLiteral("\t\tRequiredClaims:     %1,\n").arg(goList(r.requiredClaims));
        t += QStringLiteral("\t\tMaxLifetimeSeconds: %1, // exp - iat; 0: no limit\n").arg(r.maxLifetimeSeconds.value_or(0));
        t += QStringLiteral("\t\tClockSkewSeconds:   %1,\n").arg(r.clockSkewSeconds);
        t += QStringLiteral("\t\tMaxTokenBytes:      %1,\n").arg(r.maxTokenBytes);
        t += QStringLiteral("\t\t// The pinned public keys (public parts only), as PEM.\n\t\tKeys: []pinnedKey{");
        for (const auto& k : si.keys)
            t += QStringLiteral("\n\t\t\t{Kid: %1, Algorithms: %2, PEM: `%3`},")
                     .arg(quoted(k.kid), goList(k.algorithms), QString::fromLatin1(k.pem.trimmed()));
        t += si.keys.isEmpty() ? QStringLiteral("},\n") : QStringLiteral("\n\t\t},\n");
        t += QStringLiteral("\t\t// HMAC secrets are never exported: kid -> the environment variable holding it (base64url).\n"
                            "\t\tSecrets: map[string]secretRef{");
        QStringList secrets;
        for (const auto& s : si.secrets)
            secrets << QStringLiteral("%1: {Env: %2, Algorithms: %3}").arg(quoted(s.kid), quoted(s.envVar), goList(s.algorithms));
        t += secrets.join(QStringLiteral(", ")) + QStringLiteral("},\n\t},\n");
    }
    t += QStringLiteral("}\n");
    return t;
}

class ServiceGolangJwtExporter final : public Exporter {
public:
    Target target() const override { return Target::ServiceGolangJwt; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto planned = planService(policy, profile);
        if (!planned)
            return planned.error();
        const ServicePlan& plan = *planned;
        QString t = serviceBanner(policy, target(), QStringLiteral("//"), plan);
        t += QStringLiteral("//\n// Use: claims, err := jwtverify.VerifyToken(bearerToken) // err is a *TokenRejected\n"
                            "// Needs github.com/golang-jwt/jwt/v4 (Debian: golang-github-golang-jwt-jwt-dev).\n");
        t += QStringLiteral("package jwtverify\n\nimport (\n\t\"bytes\"\n\t\"crypto/x509\"\n\t\"encoding/base64\"\n"
                            "\t\"encoding/json\"\n\t\"encoding/pem\"\n\t\"errors\"\n\t\"fmt\"\n\t\"math\"\n\t\"os\"\n"
                            "\t\"strings\"\n\t\"time\"\n\n\t\"github.com/golang-jwt/jwt/v4\"\n)\n\n");
        t += QStringLiteral("const (\n\t// The largest limit of any issuer, checked before decoding.\n\tmaxTokenBytes = %1\n"
                            "\t// 9999-12-31T23:59:59Z, as the core.\n\tmaxNumericDate = 253402300799\n"
                            "\t// delegation.act: %3.\n\trejectAct = %2\n"
                            "\t// Nested JWTs (cty JWT) are never verified by this code.\n\trejectNested = true\n)\n\n")
                 .arg(plan.maxTokenBytes)
                 .arg(plan.rejectAct ? u"true" : u"false", plan.rejectAct ? u"reject" : u"allow (not checked further here)");
        t += QStringLiteral("type pinnedKey struct {\n\tKid        string\n\tAlgorithms []string\n\tPEM        string\n"
                            "\tkey        interface{}\n}\n\n"
                            "type secretRef struct {\n\tEnv        string\n\tAlgorithms []string\n}\n\n"
                            "type issuerRules struct {\n\tAlgorithms         []string\n\tAudiences          []string\n"
                            "\tSubjects           []string\n\tAllowedHeaders     []string\n\tTypes              []string\n"
                            "\tRequireType        bool\n\tRequireKid         bool\n\tRequiredClaims     []string\n"
                            "\tMaxLifetimeSeconds int64\n\tClockSkewSeconds   int64\n\tMaxTokenBytes      int\n"
                            "\tKeys               []pinnedKey\n\tSecrets            map[string]secretRef\n}\n\n");
        t += issuerTable(plan);
        t += QString::fromUtf8(kCode);
        return serviceResult(t, QStringLiteral("jwtverify.go"), target(), plan, golangJwtFacts());
    }
};

} // namespace

} // namespace services

std::unique_ptr<Exporter> makeServiceGolangJwtExporter()
{
    return std::make_unique<services::ServiceGolangJwtExporter>();
}

} // namespace jwb::exporting::detail
