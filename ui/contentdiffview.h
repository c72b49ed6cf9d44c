// SPDX-License-Identifier: MIT
#pragma once

#include <QTextBrowser>

#include <atomic>
#include <memory>

/// A line diff of one long text field (a deck's content) between two sides, drawn with the
/// palette's colours for removed and added lines. The diff is computed off the GUI thread; only
/// the latest request is ever shown.
class ContentDiffView : public QTextBrowser {
    Q_OBJECT
public:
    explicit ContentDiffView(QWidget* parent = nullptr);

    /// Shows "Comparing…" at once, then the lines of `before` and `after` with their differences
    /// marked, and emits diffShown(). A later showDiff() or clearDiff() supersedes this one.
    void showDiff(const QString& beforeLabel, const QString& before, const QString& afterLabel, const QString& after);
    void clearDiff();
    /// Between showDiff() and its diffShown(), unless cleared meanwhile.
    bool isComparing() const { return m_comparing; }

Q_SIGNALS:
    /// The diff of the latest showDiff() is on screen.
    void diffShown();

private:
    void showComputed(unsigned long long request, const QString& html);

    // The latest request, shared with the jobs so that a superseded one that has not started yet
    // skips its work.
    std::shared_ptr<std::atomic<unsigned long long>> m_latest;
    bool m_comparing = false;
};
