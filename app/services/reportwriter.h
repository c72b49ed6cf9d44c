// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/outcome.h"

#include <QString>

#include <optional>

namespace decksync {
class CaseReport;
}

/// The forms a case report is written in.
enum class ReportFormat { Markdown, Html, Pdf };

/// "md", "html" or "pdf" (as `--format` takes them), or nullopt.
[[nodiscard]] std::optional<ReportFormat> reportFormatFromName(QStringView name);
/// The format a file name asks for by its extension (.md, .html/.htm, .pdf), or nullopt.
[[nodiscard]] std::optional<ReportFormat> reportFormatOfPath(const QString& path);

/// Writes `report` to `path` in `format`, completely or not at all (beside the target, then
/// renamed). A PDF is the report's HTML printed by Qt's rich text on A4 pages; it needs a
/// QGuiApplication (the offscreen platform will do).
Outcome<> writeCaseReport(const decksync::CaseReport& report, const QString& path, ReportFormat format);
