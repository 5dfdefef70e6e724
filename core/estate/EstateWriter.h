// SPDX-License-Identifier: Apache-2.0
// Writing an estate back to a `jwt_estate: 1` file: the inverse of parseEstate(), so that the GUI
// (and anything else) saves through the core, and what is written is what the reader reads.
#pragma once

#include "estate/Estate.h"

#include <QByteArray>
#include <QString>

namespace jwb::estate {

// The estate as YAML. Every string is double-quoted (YAML and JSON escapes agree on those), file
// paths are written relative to `baseDir` when they lie under it or one folder above, and probe
// settings equal to the reader's defaults are left out so a saved file stays as short as one
// written by hand. parseEstate() of the text with the same `baseDir` gives the same estate back
// (tst_estate proves it).
QByteArray estateToYaml(const Estate& estate, const QString& baseDir);
// The same estate as an indented JSON document (the reader takes *.json files as JSON).
QByteArray estateToJson(const Estate& estate, const QString& baseDir);
// JSON for a path ending in .json (as loadEstateFile decides), YAML otherwise.
bool isJsonEstatePath(const QString& path);

} // namespace jwb::estate
