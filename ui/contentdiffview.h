// SPDX-License-Identifier: MIT
#pragma once

#include <QTextBrowser>

/// A line diff of one long text field (a deck's content) between two sides, drawn with the
/// palette's colours for removed and added lines.
class ContentDiffView : public QTextBrowser {
    Q_OBJECT
public:
    explicit ContentDiffView(QWidget* parent = nullptr);

    /// Shows the lines of `before` and `after` with their differences marked.
    void showDiff(const QString& beforeLabel, const QString& before, const QString& afterLabel, const QString& after);
    void clearDiff();
};
