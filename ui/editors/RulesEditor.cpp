// SPDX-License-Identifier: Apache-2.0
#include "editors/RulesEditor.h"

#include "editors/AlgorithmPinsWidget.h"
#include "editors/ChecklistWidget.h"
#include "editors/ListText.h"
#include "models/Palette.h"
#include "policy/PolicyFields.h"
#include "widgets/TabChain.h"

#include <QCheckBox>
#include <QDateTime>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <string_view>

namespace jwb::ui {

namespace {

using Entry = ChecklistWidget::Entry;

QList<Entry> knownHeaders()
{
    return {
        {QStringLiteral("alg"), RulesEditor::tr("signature algorithm; must stay allowed (RFC 7515 \u00A74.1.1)"), false},
        {QStringLiteral("typ"), RulesEditor::tr("media type, e.g. JWT or at+jwt (RFC 7515 \u00A74.1.9)"), false},
        {QStringLiteral("kid"), RulesEditor::tr("selects one of the issuer's pinned keys (RFC 7515 \u00A74.1.4)"), false},
        {QStringLiteral("cty"), RulesEditor::tr("content type; \"JWT\" marks a nested token (RFC 7515 \u00A74.1.10)"), false},
        {QStringLiteral("crit"), RulesEditor::tr("extensions that must be understood (RFC 7515 \u00A74.1.11)"), false},
        {QStringLiteral("x5t"), RulesEditor::tr("SHA-1 certificate thumbprint, informational (RFC 7515 \u00A74.1.7)"), false},
        {QStringLiteral("x5t#S256"), RulesEditor::tr("SHA-256 certificate thumbprint (RFC 7515 \u00A74.1.8)"), false},
        {QStringLiteral("b64"), RulesEditor::tr("unencoded payload option; rejected by verify (RFC 7797 \u00A73)"), false},
        {QStringLiteral("jku"), RulesEditor::tr("URL of a key set chosen by the token (RFC 7515 \u00A74.1.2)"), true},
        {QStringLiteral("x5u"), RulesEditor::tr("URL of a certificate chosen by the token (RFC 7515 \u00A74.1.5)"), true},
        {QStringLiteral("jwk"), RulesEditor::tr("public key embedded by the token itself (RFC 7515 \u00A74.1.3)"), true},
        {QStringLiteral("x5c"), RulesEditor::tr("certificate chain embedded by the token (RFC 7515 \u00A74.1.6)"), true},
    };
}

bool isDangerousHeader(const QString& name)
{
    return name == QLatin1String("jku") || name == QLatin1String("x5u") || name == QLatin1String("jwk")
           || name == QLatin1String("x5c");
}

QList<Entry> knownClaims()
{
    return {
        {QStringLiteral("exp"), RulesEditor::tr("expiration time (RFC 7519 \u00A74.1.4)"), false},
        {QStringLiteral("iat"), RulesEditor::tr("issued at; needed for the lifetime check (RFC 7519 \u00A74.1.6)"), false},
        {QStringLiteral("nbf"), RulesEditor::tr("not before (RFC 7519 \u00A74.1.5)"), false},
        {QStringLiteral("iss"), RulesEditor::tr("issuer (RFC 7519 \u00A74.1.1)"), false},
        {QStringLiteral("sub"), RulesEditor::tr("subject (RFC 7519 \u00A74.1.2)"), false},
        {QStringLiteral("aud"), RulesEditor::tr("audience (RFC 7519 \u00A74.1.3)"), false},
        {QStringLiteral("jti"), RulesEditor::tr("token id, for replay detection (RFC 7519 \u00A74.1.7)"), false},
    };
}

const policy::FieldSpec& ruleField(std::string_view name) { return policy::field(policy::Section::Rules, name); }

QString text(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// A rule field's tooltip, from the field table: what it does, its range, what it rests on.
QString fieldToolTip(std::string_view name)
{
    const policy::FieldSpec& f = ruleField(name);
    QString tip = text(f.help);
    if (f.type == policy::FieldType::Integer)
        tip += u' '
               + (policy::hasUpperLimit(f) ? RulesEditor::tr("From %1 to %2.").arg(f.minimum).arg(f.maximum)
                                           : RulesEditor::tr("At least %1.").arg(f.minimum));
    if (!f.reference.empty())
        tip += u' ' + RulesEditor::tr("See %1.").arg(text(f.reference));
    return tip;
}

// A spin box holds an int: the table's range, clipped to what it can show.
void setFieldRange(QSpinBox* box, std::string_view name)
{
    const policy::FieldSpec& f = ruleField(name);
    constexpr qint64 intMax = std::numeric_limits<int>::max();
    box->setRange(static_cast<int>(std::min(f.minimum, intMax)), static_cast<int>(std::min(f.maximum, intMax)));
}

QWidget* row(QWidget* control, QCheckBox* inherit)
{
    auto* w = new QWidget;
    auto* l = new QHBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(control, 1);
    l->addWidget(inherit);
    return w;
}

} // namespace

RulesEditor::RulesEditor(Mode mode, Layout layout, const QString& namePrefix, QWidget* parent)
    : QWidget(parent), m_mode(mode), m_prefix(namePrefix)
{
    const auto named = [this](QWidget* w, const char* suffix, const QString& accessible) {
        w->setObjectName(m_prefix + QLatin1String(suffix));
        w->setAccessibleName(accessible);
    };

    // --- Signature
    m_algorithms = new AlgorithmPinsWidget(this);
    named(m_algorithms, "Algorithms", tr("Algorithm pin"));
    m_algorithmsInherit = makeInherit(QStringLiteral("Algorithms"), tr("algorithms"));

    // --- Time
    m_clockSkew = new QSpinBox(this);
    setFieldRange(m_clockSkew, "clock_skew_seconds");
    m_clockSkew->setSuffix(tr(" s"));
    named(m_clockSkew, "ClockSkew", tr("Clock skew in seconds"));
    m_clockSkew->setToolTip(fieldToolTip("clock_skew_seconds"));
    m_clockSkewInherit = makeInherit(QStringLiteral("ClockSkew"), tr("clock skew"));

    m_maxLifetime = new QSpinBox(this);
    setFieldRange(m_maxLifetime, "max_lifetime_seconds");
    m_maxLifetime->setSuffix(tr(" s"));
    m_maxLifetime->setSingleStep(60);
    named(m_maxLifetime, "MaxLifetime", tr("Maximum lifetime in seconds"));
    m_maxLifetime->setToolTip(fieldToolTip("max_lifetime_seconds"));
    m_maxLifetimeInherit = makeInherit(QStringLiteral("MaxLifetime"), tr("maximum lifetime"));
    if (mode == Mode::Defaults)
        m_maxLifetimeInherit->setText(tr("No limit"));

    m_maxTokenBytes = new QSpinBox(this);
    setFieldRange(m_maxTokenBytes, "max_token_bytes");
    m_maxTokenBytes->setSuffix(tr(" bytes"));
    m_maxTokenBytes->setSingleStep(1024);
    named(m_maxTokenBytes, "MaxTokenBytes", tr("Maximum token size in bytes"));
    m_maxTokenBytes->setToolTip(fieldToolTip("max_token_bytes"));
    m_maxTokenBytesInherit = makeInherit(QStringLiteral("MaxTokenBytes"), tr("maximum token size"));

    // --- Header
    m_requireKid = new QCheckBox(tr("Require kid"), this);
    named(m_requireKid, "RequireKid", tr("Require kid header"));
    m_requireKid->setToolTip(fieldToolTip("require_kid"));
    m_requireKidInherit = makeInherit(QStringLiteral("RequireKid"), tr("require kid"));

    m_requireType = new QCheckBox(tr("Require typ"), this);
    named(m_requireType, "RequireType", tr("Require typ header"));
    m_requireType->setToolTip(fieldToolTip("require_type"));
    m_requireTypeInherit = makeInherit(QStringLiteral("RequireType"), tr("require typ"));

    m_allowedTypes = new QLineEdit(this);
    named(m_allowedTypes, "AllowedTypes", tr("Accepted typ values"));
    m_allowedTypes->setPlaceholderText(tr("JWT, at+jwt"));
    m_allowedTypes->setToolTip(tr("Comma-separated. %1").arg(fieldToolTip("allowed_types")));
    m_allowedTypesInherit = makeInherit(QStringLiteral("AllowedTypes"), tr("accepted types"));
    if (mode == Mode::Defaults)
        m_allowedTypesInherit->setText(tr("Not checked"));

    // --- Lists
    m_requiredClaims = new ChecklistWidget(knownClaims(), tr("Other claim name"), this);
    named(m_requiredClaims, "RequiredClaims", tr("Required claims"));
    m_requiredClaims->list()->setAccessibleName(tr("Required claims"));
    m_requiredClaims->setToolTip(fieldToolTip("required_claims"));
    m_requiredClaims->list()->setToolTip(m_requiredClaims->toolTip());
    m_requiredClaimsInherit = makeInherit(QStringLiteral("RequiredClaims"), tr("required claims"));
    // The pipeline always requires and checks these two (its issuer and audience steps), whatever
    // required_claims says: show them ticked rather than suggest they could be left out.
    m_requiredClaims->setLocked(QStringLiteral("iss"),
                                tr("Always required: the issuer step rejects a token without iss, and iss selects "
                                   "the trust entry (RFC 7519 \u00A74.1.1)."));
    m_requiredClaims->setLocked(QStringLiteral("aud"),
                                tr("Always required: the audience step rejects a token without an aud this issuer "
                                   "may mint for (RFC 7519 \u00A74.1.3, RFC 8725 \u00A73.9)."));

    m_allowedHeaders = new ChecklistWidget(knownHeaders(), tr("Other header name"), this);
    named(m_allowedHeaders, "AllowedHeaders", tr("Header allowlist"));
    m_allowedHeaders->list()->setAccessibleName(tr("Header allowlist"));
    m_allowedHeaders->setToolTip(fieldToolTip("allowed_headers"));
    m_allowedHeaders->list()->setToolTip(m_allowedHeaders->toolTip());
    m_allowedHeadersInherit = makeInherit(QStringLiteral("AllowedHeaders"), tr("header allowlist"));
    m_headerWarning = new QLabel(this);
    m_headerWarning->setObjectName(m_prefix + QStringLiteral("HeaderWarning"));
    m_headerWarning->setWordWrap(true);
    m_headerWarning->setVisible(false);
    m_headerWarning->setToolTip(tr("jku, x5u, jwk and x5c let a token name or carry its own key. Verify never uses "
                                   "them to pick a key, but a gateway that does is trivially forged "
                                   "(RFC 8725 section 3.10)."));

    // --- Layout
    auto* signature = new QGroupBox(tr("Algorithm pin"), this);
    signature->setToolTip(fieldToolTip("algorithms"));
    // Wide: the inherit box beside the families, to keep the group short; narrow: below them.
    QBoxLayout* sigLayout = layout == Layout::Wide ? static_cast<QBoxLayout*>(new QHBoxLayout(signature))
                                                   : static_cast<QBoxLayout*>(new QVBoxLayout(signature));
    sigLayout->addWidget(m_algorithms, 1);
    sigLayout->addWidget(m_algorithmsInherit, 0, Qt::AlignRight | Qt::AlignBottom);
    m_exceptionNote = new QLabel(this);
    m_exceptionNote->setObjectName(m_prefix + QStringLiteral("ExceptionNote"));
    m_exceptionNote->setWordWrap(true);
    m_exceptionNote->setVisible(false);
    if (layout == Layout::Narrow) {
        // Five family groups side by side do not fit a details panel: three, then two.
        m_algorithms->setColumns(3);
    }
    // Only an issuer's overrides have exceptions; the defaults never show the note.
    sigLayout->addWidget(m_exceptionNote);

    auto* limits = new QGroupBox(tr("Time, size and header"), this);
    auto* form = new QFormLayout(limits);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    const auto addRow = [form](const QString& label, QWidget* control, QCheckBox* inherit) {
        auto* l = new QLabel(label);
        l->setBuddy(control);
        l->setToolTip(control->toolTip());
        form->addRow(l, row(control, inherit));
    };
    addRow(tr("&Clock skew:"), m_clockSkew, m_clockSkewInherit);
    addRow(tr("Max &lifetime:"), m_maxLifetime, m_maxLifetimeInherit);
    addRow(tr("Max token &size:"), m_maxTokenBytes, m_maxTokenBytesInherit);
    addRow(tr("Accepted t&ypes:"), m_allowedTypes, m_allowedTypesInherit);
    form->addRow(QString(), row(m_requireType, m_requireTypeInherit));
    form->addRow(QString(), row(m_requireKid, m_requireKidInherit));

    auto* claims = new QGroupBox(tr("Required claims"), this);
    claims->setToolTip(m_requiredClaims->toolTip());
    auto* claimsLayout = new QVBoxLayout(claims);
    claimsLayout->addWidget(m_requiredClaims);
    m_requiredClaims->addTrailingWidget(m_requiredClaimsInherit);

    auto* headers = new QGroupBox(tr("Header allowlist"), this);
    headers->setToolTip(m_allowedHeaders->toolTip());
    auto* headersLayout = new QVBoxLayout(headers);
    headersLayout->addWidget(m_allowedHeaders);
    headersLayout->addWidget(m_headerWarning);
    m_allowedHeaders->addTrailingWidget(m_allowedHeadersInherit);

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    if (layout == Layout::Wide) {
        grid->addWidget(signature, 0, 0);
        grid->addWidget(limits, 1, 0);
        grid->addWidget(claims, 0, 1);
        grid->addWidget(headers, 1, 1);
        grid->setColumnStretch(0, 1);
        grid->setColumnStretch(1, 1);
        grid->setRowStretch(1, 1);
        // The claims list is short and fixed; the header list takes the remaining height.
        QListWidget* claimList = m_requiredClaims->list();
        claimList->setFixedHeight(claimList->sizeHintForRow(0) * claimList->count() + 2 * claimList->frameWidth() + 2);
    } else {
        grid->addWidget(signature, 0, 0);
        grid->addWidget(limits, 1, 0);
        grid->addWidget(claims, 2, 0);
        grid->addWidget(headers, 3, 0);
        m_requiredClaims->list()->setMinimumHeight(150);
        m_allowedHeaders->list()->setMinimumHeight(220);
    }

    // Tab follows the reading order: pins, then the time/size/header form, then the lists. Without
    // this the form's controls, reparented into their rows when the form was built, came last.
    setTabChain({m_algorithmsInherit, m_clockSkew, m_clockSkewInherit, m_maxLifetime, m_maxLifetimeInherit,
                 m_maxTokenBytes, m_maxTokenBytesInherit, m_allowedTypes, m_allowedTypesInherit, m_requireType,
                 m_requireTypeInherit, m_requireKid, m_requireKidInherit});

    // --- Edits
    connect(m_algorithms, &AlgorithmPinsWidget::edited, this, [this] {
        m_own.algorithms = m_algorithms->algorithms();
        emitEdit(tr("algorithms to %1").arg(m_own.algorithms->isEmpty() ? tr("none (rejects every token)")
                                                                         : m_own.algorithms->join(u", ")),
                 QStringLiteral("algorithms"));
    });
    connect(m_clockSkew, &QSpinBox::valueChanged, this, [this](int v) {
        m_own.clockSkewSeconds = v;
        emitEdit(tr("clock skew to %1 s").arg(v), QStringLiteral("clock_skew_seconds"));
    });
    connect(m_maxLifetime, &QSpinBox::valueChanged, this, [this](int v) {
        m_own.maxLifetimeSeconds = v;
        emitEdit(tr("maximum lifetime to %1 s").arg(v), QStringLiteral("max_lifetime_seconds"));
    });
    connect(m_maxTokenBytes, &QSpinBox::valueChanged, this, [this](int v) {
        m_own.maxTokenBytes = v;
        emitEdit(tr("maximum token size to %1 bytes").arg(v), QStringLiteral("max_token_bytes"));
    });
    connect(m_requireKid, &QCheckBox::toggled, this, [this](bool on) {
        m_own.requireKid = on;
        emitEdit(on ? tr("require kid on") : tr("require kid off"), QStringLiteral("require_kid"));
    });
    connect(m_requireType, &QCheckBox::toggled, this, [this](bool on) {
        m_own.requireType = on;
        emitEdit(on ? tr("require typ on") : tr("require typ off"), QStringLiteral("require_type"));
    });
    connect(m_allowedTypes, &QLineEdit::textEdited, this, [this](const QString& text) {
        m_own.allowedTypes = splitList(text);
        emitEdit(tr("accepted types to %1").arg(text), QStringLiteral("allowed_types"));
    });
    connect(m_requiredClaims, &ChecklistWidget::edited, this, [this] {
        m_own.requiredClaims = m_requiredClaims->checked();
        emitEdit(tr("required claims to %1").arg(m_own.requiredClaims->join(u", ")), QStringLiteral("required_claims"));
    });
    connect(m_allowedHeaders, &ChecklistWidget::edited, this, [this] {
        m_own.allowedHeaders = m_allowedHeaders->checked();
        emitEdit(tr("header allowlist to %1").arg(m_own.allowedHeaders->join(u", ")), QStringLiteral("allowed_headers"));
    });

    // Inherit boxes: ticking unsets the field; unticking sets it to the value currently shown.
    const auto inheritToggle = [this](QCheckBox* box, const QString& what, const QString& key, auto set) {
        connect(box, &QCheckBox::toggled, this, [this, what, key, set](bool inherit) {
            set(inherit);
            emitEdit(inherit ? tr("%1 to %2").arg(what, inheritWord()) : tr("%1 to own value").arg(what), key);
        });
    };
    inheritToggle(m_algorithmsInherit, tr("algorithms"), QStringLiteral("algorithms.inherit"), [this](bool inherit) {
        m_own.algorithms = inherit ? std::nullopt : std::optional<QStringList>(m_algorithms->algorithms());
    });
    inheritToggle(m_clockSkewInherit, tr("clock skew"), QStringLiteral("clock_skew_seconds.inherit"), [this](bool inherit) {
        m_own.clockSkewSeconds = inherit ? std::nullopt : std::optional<int>(m_clockSkew->value());
    });
    inheritToggle(m_maxLifetimeInherit, tr("maximum lifetime"), QStringLiteral("max_lifetime_seconds.inherit"),
                  [this](bool inherit) {
                      m_own.maxLifetimeSeconds = inherit ? std::nullopt : std::optional<qint64>(m_maxLifetime->value());
                  });
    inheritToggle(m_maxTokenBytesInherit, tr("maximum token size"), QStringLiteral("max_token_bytes.inherit"),
                  [this](bool inherit) {
                      m_own.maxTokenBytes = inherit ? std::nullopt : std::optional<qint64>(m_maxTokenBytes->value());
                  });
    inheritToggle(m_requireKidInherit, tr("require kid"), QStringLiteral("require_kid.inherit"), [this](bool inherit) {
        m_own.requireKid = inherit ? std::nullopt : std::optional<bool>(m_requireKid->isChecked());
    });
    inheritToggle(m_requireTypeInherit, tr("require typ"), QStringLiteral("require_type.inherit"), [this](bool inherit) {
        m_own.requireType = inherit ? std::nullopt : std::optional<bool>(m_requireType->isChecked());
    });
    inheritToggle(m_allowedTypesInherit, tr("accepted types"), QStringLiteral("allowed_types.inherit"),
                  [this](bool inherit) {
                      m_own.allowedTypes = inherit ? std::nullopt
                                                   : std::optional<QStringList>(splitList(m_allowedTypes->text()));
                  });
    inheritToggle(m_requiredClaimsInherit, tr("required claims"), QStringLiteral("required_claims.inherit"),
                  [this](bool inherit) {
                      m_own.requiredClaims = inherit ? std::nullopt
                                                     : std::optional<QStringList>(m_requiredClaims->checked());
                  });
    inheritToggle(m_allowedHeadersInherit, tr("header allowlist"), QStringLiteral("allowed_headers.inherit"),
                  [this](bool inherit) {
                      m_own.allowedHeaders = inherit ? std::nullopt
                                                     : std::optional<QStringList>(m_allowedHeaders->checked());
                  });
}

QString RulesEditor::inheritWord() const
{
    return m_mode == Mode::Defaults ? tr("built-in") : tr("inherited");
}

QCheckBox* RulesEditor::makeInherit(const QString& name, const QString& field)
{
    auto* box = new QCheckBox(m_mode == Mode::Defaults ? tr("Built-in") : tr("Inherit"), this);
    box->setObjectName(m_prefix + name + QStringLiteral("Inherit"));
    box->setAccessibleName(m_mode == Mode::Defaults ? tr("Use built-in %1").arg(field) : tr("Inherit %1").arg(field));
    box->setToolTip(m_mode == Mode::Defaults
                        ? tr("Ticked: %1 is not written to the policy and the built-in value applies.").arg(field)
                        : tr("Ticked: this issuer inherits %1 from the policy defaults.").arg(field));
    return box;
}

void RulesEditor::emitEdit(const QString& what, const QString& mergeKey)
{
    if (m_updating)
        return;
    updateEnabled();
    emit edited(m_own, what, mergeKey);
}

void RulesEditor::updateEnabled()
{
    m_algorithms->setEnabled(!m_algorithmsInherit->isChecked());
    m_clockSkew->setEnabled(!m_clockSkewInherit->isChecked());
    m_maxLifetime->setEnabled(!m_maxLifetimeInherit->isChecked());
    m_maxTokenBytes->setEnabled(!m_maxTokenBytesInherit->isChecked());
    m_requireKid->setEnabled(!m_requireKidInherit->isChecked());
    m_requireType->setEnabled(!m_requireTypeInherit->isChecked());
    m_allowedTypes->setEnabled(!m_allowedTypesInherit->isChecked());
    m_requiredClaims->setContentEnabled(!m_requiredClaimsInherit->isChecked());
    m_allowedHeaders->setContentEnabled(!m_allowedHeadersInherit->isChecked());
}

void RulesEditor::setRules(const policy::Rules& own, const policy::EffectiveRules& inherited)
{
    m_updating = true;
    m_own = own;
    const auto setSpin = [](QSpinBox* box, qint64 value) {
        const QSignalBlocker block(box);
        if (box->value() != value)
            box->setValue(static_cast<int>(std::clamp<qint64>(value, box->minimum(), box->maximum())));
    };
    const auto setCheck = [](QCheckBox* box, bool value) {
        const QSignalBlocker block(box);
        box->setChecked(value);
    };

    setCheck(m_algorithmsInherit, !own.algorithms);
    m_algorithms->setAlgorithms(own.algorithms.value_or(inherited.algorithms));

    setCheck(m_clockSkewInherit, !own.clockSkewSeconds);
    setSpin(m_clockSkew, own.clockSkewSeconds.value_or(inherited.clockSkewSeconds));

    setCheck(m_maxLifetimeInherit, !own.maxLifetimeSeconds);
    const std::optional<qint64> lifetime = own.maxLifetimeSeconds ? own.maxLifetimeSeconds : inherited.maxLifetimeSeconds;
    setSpin(m_maxLifetime, lifetime.value_or(3600));

    setCheck(m_maxTokenBytesInherit, !own.maxTokenBytes);
    setSpin(m_maxTokenBytes, own.maxTokenBytes.value_or(inherited.maxTokenBytes));

    setCheck(m_requireKidInherit, !own.requireKid);
    setCheck(m_requireKid, own.requireKid.value_or(inherited.requireKid));
    setCheck(m_requireTypeInherit, !own.requireType);
    setCheck(m_requireType, own.requireType.value_or(inherited.requireType));

    setCheck(m_allowedTypesInherit, !own.allowedTypes);
    const std::optional<QStringList> types = own.allowedTypes ? own.allowedTypes : inherited.allowedTypes;
    const QString typesText = types ? types->join(QStringLiteral(", ")) : QString();
    if (m_allowedTypes->text() != typesText && !(m_allowedTypes->hasFocus() && splitList(m_allowedTypes->text()) == types))
        m_allowedTypes->setText(typesText);
    m_allowedTypes->setPlaceholderText(types ? QString() : tr("typ not checked"));

    setCheck(m_requiredClaimsInherit, !own.requiredClaims);
    m_requiredClaims->setChecked(own.requiredClaims.value_or(inherited.requiredClaims));
    setCheck(m_allowedHeadersInherit, !own.allowedHeaders);
    const QStringList headers = own.allowedHeaders.value_or(inherited.allowedHeaders);
    m_allowedHeaders->setChecked(headers);

    QStringList dangerous;
    for (const QString& h : headers)
        if (isDangerousHeader(h))
            dangerous.append(h);
    if (!dangerous.isEmpty()) {
        m_headerWarning->setText(tr("\u26A0 %1 allowed: these let a token name or carry its own key "
                                    "(RFC 8725 section 3.10). Allow them only if no component uses them.")
                                     .arg(dangerous.join(u", ")));
        QPalette p = m_headerWarning->palette();
        p.setColor(QPalette::WindowText, tintColor(p, Tint::Danger));
        m_headerWarning->setPalette(p);
    }
    m_headerWarning->setVisible(!dangerous.isEmpty());

    updateEnabled();
    m_updating = false;
}

void RulesEditor::setActiveExceptions(const QList<policy::PolicyException>& exceptions)
{
    QMap<QString, QString> granted;
    QStringList notes;
    for (const policy::PolicyException& e : exceptions) {
        const QDateTime until = e.expiresIsDate ? e.expires.toUTC().addSecs(-1) : e.expires.toUTC();
        const QString when = until.toString(e.expiresIsDate ? QStringLiteral("yyyy-MM-dd") : QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
        const QString name = tr("%1, until %2").arg(e.id, when);
        QStringList allows;
        if (e.allow.algorithms && !e.allow.algorithms->isEmpty()) {
            for (const QString& alg : *e.allow.algorithms)
                if (!granted.contains(alg))
                    granted.insert(alg, name);
            allows.append(tr("algorithms %1").arg(e.allow.algorithms->join(u", ")));
        }
        if (e.allow.keys && !e.allow.keys->resolved.isEmpty())
            allows.append(tr("%n extra key(s) (Keys tab)", nullptr, static_cast<int>(e.allow.keys->resolved.size())));
        if (e.allow.kids && !e.allow.kids->isEmpty())
            allows.append(tr("kids %1").arg(e.allow.kids->join(u", ")));
        if (e.allow.headers && !e.allow.headers->isEmpty())
            allows.append(tr("headers %1").arg(e.allow.headers->join(u", ")));
        if (e.allow.clockSkewSeconds)
            allows.append(tr("clock skew %1 s").arg(*e.allow.clockSkewSeconds));
        if (e.allow.maxLifetimeSeconds)
            allows.append(tr("lifetime up to %1 s").arg(*e.allow.maxLifetimeSeconds));
        if (!allows.isEmpty())
            notes.append(tr("\u26A0 Exception <b>%1</b> (until %2) also allows: %3.")
                             .arg(e.id.toHtmlEscaped(), when, allows.join(QStringLiteral("; ")).toHtmlEscaped()));
    }
    m_algorithms->setExceptionAlgorithms(granted);
    m_exceptionNote->setText(notes.join(QStringLiteral("<br>")));
    QPalette p = m_exceptionNote->palette();
    p.setColor(QPalette::WindowText, tintColor(palette(), Tint::Warning));
    m_exceptionNote->setPalette(p);
    m_exceptionNote->setVisible(m_mode == Mode::Overrides && !notes.isEmpty());
}

bool RulesEditor::focusField(const QString& field)
{
    QWidget* target = nullptr;
    if (field.startsWith(QLatin1String("algorithms")))
        target = m_algorithms->isEnabled() ? static_cast<QWidget*>(m_algorithms->checkBox(QStringLiteral("HS256")))
                                           : m_algorithmsInherit;
    else if (field.startsWith(QLatin1String("clock_skew_seconds")))
        target = m_clockSkew->isEnabled() ? static_cast<QWidget*>(m_clockSkew) : m_clockSkewInherit;
    else if (field.startsWith(QLatin1String("max_lifetime_seconds")))
        target = m_maxLifetime->isEnabled() ? static_cast<QWidget*>(m_maxLifetime) : m_maxLifetimeInherit;
    else if (field.startsWith(QLatin1String("max_token_bytes")))
        target = m_maxTokenBytes->isEnabled() ? static_cast<QWidget*>(m_maxTokenBytes) : m_maxTokenBytesInherit;
    else if (field.startsWith(QLatin1String("require_kid")))
        target = m_requireKid->isEnabled() ? m_requireKid : m_requireKidInherit;
    else if (field.startsWith(QLatin1String("require_type")))
        target = m_requireType->isEnabled() ? m_requireType : m_requireTypeInherit;
    else if (field.startsWith(QLatin1String("allowed_types")))
        target = m_allowedTypes->isEnabled() ? static_cast<QWidget*>(m_allowedTypes) : m_allowedTypesInherit;
    else if (field.startsWith(QLatin1String("required_claims")))
        target = m_requiredClaims->isEnabled() ? static_cast<QWidget*>(m_requiredClaims->list()) : m_requiredClaimsInherit;
    else if (field.startsWith(QLatin1String("allowed_headers")))
        target = m_allowedHeaders->isEnabled() ? static_cast<QWidget*>(m_allowedHeaders->list()) : m_allowedHeadersInherit;
    if (!target)
        return false;
    target->setFocus(Qt::OtherFocusReason);
    return true;
}

} // namespace jwb::ui
