// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/// The details of history record `id` of the history file `historyPath`, as HTML for the
/// History tab, in words: who and when, the sources and the clock, the counts per type, what
/// changed on each side by name, and the resolutions made by hand with the items they concern.
/// Reads and decodes: call it off the GUI thread. A record that cannot be read gives a sentence
/// that says why.
QString runDetailsHtml(const QString& historyPath, qint64 id);
