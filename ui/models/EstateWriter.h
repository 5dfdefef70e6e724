// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "estate/Estate.h"

#include <QByteArray>
#include <QString>

namespace jwb::ui {

// The estate as a `jwt_estate: 1` YAML file, for the Estate page's Save. core/estate reads estate
// files but (as of 1259e3d) writes none; this writer lives in ui/ until the core has one. Every
// string is double-quoted (YAML and JSON escapes agree on those), file paths are written relative
// to `baseDir` when they lie under it, and probe settings equal to the core's defaults are left out
// so a saved file stays as short as the one written by hand. What it writes is only ever kept when
// estate::parseEstate() reads it back (EstateDocument checks every edit that way).
QByteArray estateToYaml(const estate::Estate& estate, const QString& baseDir);
// The same estate as an indented JSON document (for an estate file named *.json, which the core
// reads as JSON).
QByteArray estateToJson(const estate::Estate& estate, const QString& baseDir);
// JSON for a path ending in .json (as estate::loadEstateFile decides), YAML otherwise.
bool isJsonEstatePath(const QString& path);

} // namespace jwb::ui
