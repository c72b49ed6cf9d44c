// SPDX-License-Identifier: MIT
#include "ui/runoptionsbar.h"

#include <QComboBox>
#include <QKeyEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

using namespace Qt::StringLiterals;

namespace {

std::optional<decksync::Timestamp> parse(const QString& text, std::string* why)
{
    return decksync::Timestamp::parse(text.trimmed().toStdString(), why);
}

} // namespace

RunOptionsBar::RunOptionsBar(QWidget* parent)
    : QWidget(parent)
    , m_lastSync(new QLineEdit(this))
    , m_now(new QLineEdit(this))
    , m_profile(new QComboBox(this))
    , m_fileLastSync(new QLabel(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    m_lastSync->setObjectName(u"lastSyncEdit"_s);
    m_lastSync->setPlaceholderText(tr("from the local file"));
    m_lastSync->setToolTip(tr("When the device last synced, for this run: empty uses what the local file says, "
                              "\"null\" means it never synced, or an RFC 3339 time"));
    m_now->setObjectName(u"nowEdit"_s);
    m_now->setPlaceholderText(tr("system clock"));
    m_now->setToolTip(tr("The engine clock for this run: empty uses the system clock; an RFC 3339 time replays "
                         "a sync exactly"));
    m_profile->setObjectName(u"profileCombo"_s);
    m_profile->addItem(u"seed"_s, int(decksync::Profile::Seed));
    m_profile->addItem(u"safe"_s, int(decksync::Profile::Safe));
    m_profile->setToolTip(tr("The engine's rules. seed: the specification's behaviour. safe: merges field by "
                             "field against the base, and never deletes what neither side deleted"));
    connect(m_profile, &QComboBox::currentIndexChanged, this, &RunOptionsBar::profileChanged);
    m_fileLastSync->setObjectName(u"fileLastSync"_s);
    m_fileLastSync->setEnabled(false);
    for (QLineEdit* e : {m_lastSync, m_now}) {
        e->setMinimumWidth(190);
        e->setClearButtonEnabled(true);
        connect(e, &QLineEdit::editingFinished, this, &RunOptionsBar::changed);
        e->installEventFilter(this);
    }
    layout->addWidget(new QLabel(tr("Last synced:"), this));
    layout->addWidget(m_lastSync);
    layout->addWidget(m_fileLastSync);
    layout->addSpacing(8);
    layout->addWidget(new QLabel(tr("Clock:"), this));
    layout->addWidget(m_now);
    layout->addSpacing(8);
    layout->addWidget(new QLabel(tr("Rules:"), this));
    layout->addWidget(m_profile);
}

std::optional<std::optional<decksync::Timestamp>> RunOptionsBar::lastSyncOverride() const
{
    const QString text = m_lastSync->text().trimmed();
    if (text.isEmpty())
        return std::nullopt;
    if (text == u"null")
        return std::optional<decksync::Timestamp>();
    std::string why;
    return parse(text, &why);
}

std::optional<decksync::Timestamp> RunOptionsBar::fixedNow() const
{
    std::string why;
    return parse(m_now->text(), &why);
}

bool RunOptionsBar::validate(QString* error) const
{
    std::string why;
    const QString last = m_lastSync->text().trimmed();
    if (!last.isEmpty() && last != u"null" && !parse(last, &why)) {
        *error = tr("Last synced: \"%1\" %2").arg(last, QString::fromStdString(why));
        return false;
    }
    const QString now = m_now->text().trimmed();
    if (!now.isEmpty() && !parse(now, &why)) {
        *error = tr("Clock: \"%1\" %2").arg(now, QString::fromStdString(why));
        return false;
    }
    return true;
}

void RunOptionsBar::setFileLastSync(const std::optional<decksync::Timestamp>& value)
{
    m_fileLastSync->setText(tr("(file: %1)").arg(value ? QString::fromStdString(value->toString()) : u"null"_s));
}

void RunOptionsBar::setFixedNow(const std::optional<decksync::Timestamp>& value)
{
    m_now->setText(value ? QString::fromStdString(value->toString()) : QString());
}

void RunOptionsBar::setLastSyncOverride(const std::optional<std::optional<decksync::Timestamp>>& value)
{
    if (!value)
        m_lastSync->clear();
    else
        m_lastSync->setText(*value ? QString::fromStdString((*value)->toString()) : u"null"_s);
}

decksync::Profile RunOptionsBar::profile() const
{
    return static_cast<decksync::Profile>(m_profile->currentData().toInt());
}

void RunOptionsBar::setProfile(decksync::Profile profile)
{
    m_profile->setCurrentIndex(m_profile->findData(int(profile)));
}

bool RunOptionsBar::eventFilter(QObject* watched, QEvent* event)
{
    auto* edit = qobject_cast<QLineEdit*>(watched);
    if (edit && event->type() == QEvent::ShortcutOverride) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const bool undo = key->matches(QKeySequence::Undo) && !edit->isUndoAvailable();
        const bool redo = (key->matches(QKeySequence::Redo) || key->keyCombination() == QKeyCombination(Qt::CTRL, Qt::Key_Y))
                          && !edit->isRedoAvailable();
        if (undo || redo)
            return true; // not accepted: the window's shortcut takes the key
    }
    return QWidget::eventFilter(watched, event);
}
