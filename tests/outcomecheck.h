// SPDX-License-Identifier: MIT
#pragma once

// Qt Test helpers for the app services' Outcome, so that a check still reads
//     QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
//     QVERIFY(testutil::fails(store.open(path), &error));
//     QVERIFY2(error.contains(u"not open"_s), qPrintable(error));

#include "app/services/outcome.h"

#include <QString>
#include <QTest>

namespace testutil {

/// True when `outcome` succeeded; `*error` gets its message either way (empty on success).
template <class T>
[[nodiscard]] bool check(const Outcome<T>& outcome, QString* error)
{
    if (error)
        *error = outcome.error();
    return outcome.ok();
}

/// True when `outcome` failed; `*error` gets its message either way (empty on success).
template <class T>
[[nodiscard]] bool fails(const Outcome<T>& outcome, QString* error)
{
    return !check(outcome, error);
}

inline const char* kindName(Failure::Kind kind)
{
    switch (kind) {
    case Failure::Kind::Error: return "Error";
    case Failure::Kind::TargetsChanged: return "TargetsChanged";
    case Failure::Kind::DuplicateIds: return "DuplicateIds";
    case Failure::Kind::BaseUnreadable: return "BaseUnreadable";
    }
    return "(not a Failure::Kind)";
}

} // namespace testutil

// QCOMPARE(outcome.kind(), Failure::Kind::TargetsChanged) prints the names on failure.
namespace QTest {
template <>
inline char* toString(const Failure::Kind& kind)
{
    return qstrdup(testutil::kindName(kind));
}
} // namespace QTest
