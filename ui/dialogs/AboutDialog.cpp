// SPDX-License-Identifier: Apache-2.0
#include "dialogs/AboutDialog.h"

#include "util/Versions.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFile>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <mutex>

// jwb_ui is a static library, so its resources are linked in only when something initialises them;
// Q_INIT_RESOURCE must be used from the global namespace.
static void initUiResourcesForAbout()
{
    Q_INIT_RESOURCE(ui_resources);
}

namespace jwb::ui {

namespace {
constexpr int kIconSize = 96;
const auto kProductName = QStringLiteral("JWT Policy Workbench");
const auto kLicence = QStringLiteral("Apache-2.0");
const auto kAppId = QStringLiteral("io.github.jwtworkbench.JwtPolicyWorkbench");

QIcon productIcon()
{
    static std::once_flag once;
    std::call_once(once, initUiResourcesForAbout);
    // The embedded icon first; the installed theme icon only if a build left the resource out.
    const auto embedded = QStringLiteral(":/icons/jwt-workbench.svg");
    return QFile::exists(embedded) ? QIcon(embedded) : QIcon::fromTheme(kAppId);
}

QLabel* selectableLabel(const QString& text, const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}
} // namespace

AboutDialog::AboutDialog(QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About %1").arg(kProductName));
    const QIcon icon = productIcon();
    setWindowIcon(icon);

    auto* iconLabel = new QLabel(this);
    iconLabel->setObjectName(QStringLiteral("iconLabel"));
    iconLabel->setPixmap(icon.pixmap(QSize(kIconSize, kIconSize)));
    iconLabel->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    iconLabel->setAccessibleName(tr("%1 icon").arg(kProductName));

    auto* nameLabel = new QLabel(kProductName, this);
    nameLabel->setObjectName(QStringLiteral("productLabel"));
    QFont nameFont = nameLabel->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.6);
    nameFont.setBold(true);
    nameLabel->setFont(nameFont);

    auto* summaryLabel = new QLabel(tr("Author, test and ship JWT verification policy."), this);
    summaryLabel->setObjectName(QStringLiteral("summaryLabel"));
    summaryLabel->setWordWrap(true);

    auto* facts = new QFormLayout;
    facts->setLabelAlignment(Qt::AlignLeft);
    facts->addRow(tr("Version:"),
                  selectableLabel(util::productVersion(), QStringLiteral("versionLabel"), this));
    facts->addRow(tr("Licence:"), selectableLabel(tr("%1 (Apache License, Version 2.0)").arg(kLicence),
                                                  QStringLiteral("licenceLabel"), this));
    facts->addRow(tr("Qt:"), selectableLabel(util::qtVersion(), QStringLiteral("qtVersionLabel"), this));
    facts->addRow(tr("OpenSSL:"),
                  selectableLabel(util::opensslVersion(), QStringLiteral("opensslVersionLabel"), this));

    auto* textColumn = new QVBoxLayout;
    textColumn->addWidget(nameLabel);
    textColumn->addWidget(summaryLabel);
    textColumn->addSpacing(8);
    textColumn->addLayout(facts);
    textColumn->addStretch();

    auto* body = new QHBoxLayout;
    body->setSpacing(20);
    body->addWidget(iconLabel);
    body->addLayout(textColumn, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copyButton = buttons->addButton(tr("&Copy Version Info"), QDialogButtonBox::ActionRole);
    copyButton->setObjectName(QStringLiteral("copyButton"));
    copyButton->setToolTip(tr("Copy the versions above as text, for a bug report."));
    connect(copyButton, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(versionReport()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(body);
    layout->addWidget(buttons);
    layout->setSizeConstraint(QLayout::SetFixedSize);
}

QString AboutDialog::versionReport() const
{
    return QStringLiteral("%1 %2\nLicence: %3\nQt: %4\nOpenSSL: %5\n")
        .arg(kProductName, util::productVersion(), kLicence, util::qtVersion(), util::opensslVersion());
}

} // namespace jwb::ui
