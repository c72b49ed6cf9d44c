// SPDX-License-Identifier: MIT
#include "ui/contentdiffview.h"

#include "engine/linediff.h"

#include <QFutureWatcher>
#include <QPalette>
#include <QtConcurrent/QtConcurrentRun>

#include <string>

using namespace Qt::StringLiterals;

namespace {

QString diffHtml(const QString& header, const std::string& before, const std::string& after, const QString& removed,
                 const QString& added)
{
    QString html = header + u"<pre style=\"margin:0\">"_s;
    for (const decksync::DiffLine& line : decksync::diffLines(before, after)) {
        const QString text = QString::fromStdString(line.text).toHtmlEscaped();
        switch (line.op) {
        case decksync::DiffLine::Op::Same:
            html += u"  "_s + text + u"\n"_s;
            break;
        case decksync::DiffLine::Op::Removed:
            html += u"<span style=\"background:%1\">- %2</span>\n"_s.arg(removed, text);
            break;
        case decksync::DiffLine::Op::Added:
            html += u"<span style=\"background:%1\">+ %2</span>\n"_s.arg(added, text);
            break;
        }
    }
    html += u"</pre>"_s;
    return html;
}

} // namespace

ContentDiffView::ContentDiffView(QWidget* parent)
    : QTextBrowser(parent)
    , m_latest(std::make_shared<std::atomic<unsigned long long>>(0))
{
    setObjectName(u"contentDiff"_s);
    setOpenLinks(false);
    setLineWrapMode(QTextEdit::NoWrap);
    document()->setDocumentMargin(6);
}

void ContentDiffView::clearDiff()
{
    ++*m_latest;
    m_comparing = false;
    clear();
}

void ContentDiffView::showDiff(const QString& beforeLabel, const QString& before, const QString& afterLabel,
                               const QString& after)
{
    const unsigned long long request = ++*m_latest;
    m_comparing = true;
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QString removed = dark ? u"#5c2b2b"_s : u"#fbe3e3"_s;
    const QString added = dark ? u"#234d2c"_s : u"#def5e3"_s;
    const QString header =
        u"<p><b>%1</b> &rarr; <b>%2</b></p>"_s.arg(beforeLabel.toHtmlEscaped(), afterLabel.toHtmlEscaped());
    setHtml(header + u"<p><i>%1</i></p>"_s.arg(tr("Comparing…").toHtmlEscaped()));

    // The job owns copies of everything it reads; the view may be gone when it ends.
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, request] {
        if (!watcher->isCanceled())
            showComputed(request, watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run([latest = m_latest, request, header, before = before.toStdString(),
                                          after = after.toStdString(), removed, added] {
        if (latest->load() != request)
            return QString(); // superseded before it started
        return diffHtml(header, before, after, removed, added);
    }));
}

void ContentDiffView::showComputed(unsigned long long request, const QString& html)
{
    // An older request's result never replaces a newer one's "Comparing…" or diff.
    if (request != m_latest->load())
        return;
    m_comparing = false;
    setHtml(html);
    Q_EMIT diffShown();
}
