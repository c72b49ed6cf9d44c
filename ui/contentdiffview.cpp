// SPDX-License-Identifier: MIT
#include "ui/contentdiffview.h"

#include "engine/linediff.h"

#include <QPalette>

using namespace Qt::StringLiterals;

ContentDiffView::ContentDiffView(QWidget* parent)
    : QTextBrowser(parent)
{
    setObjectName(u"contentDiff"_s);
    setOpenLinks(false);
    setLineWrapMode(QTextEdit::NoWrap);
    document()->setDocumentMargin(6);
}

void ContentDiffView::clearDiff() { clear(); }

void ContentDiffView::showDiff(const QString& beforeLabel, const QString& before, const QString& afterLabel,
                               const QString& after)
{
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QString removed = dark ? u"#5c2b2b"_s : u"#fbe3e3"_s;
    const QString added = dark ? u"#234d2c"_s : u"#def5e3"_s;
    const auto lines = decksync::diffLines(before.toStdString(), after.toStdString());
    QString html = u"<p><b>%1</b> &rarr; <b>%2</b></p><pre style=\"margin:0\">"_s.arg(beforeLabel.toHtmlEscaped(),
                                                                                     afterLabel.toHtmlEscaped());
    for (const decksync::DiffLine& line : lines) {
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
    setHtml(html);
}
