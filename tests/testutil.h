// SPDX-License-Identifier: MIT
#pragma once

#include "engine/fileio.h"
#include "engine/models.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTest>

#include <string>

namespace testutil {

inline decksync::Timestamp ts(const char* text)
{
    const auto t = decksync::Timestamp::parse(text);
    if (!t)
        qFatal("bad timestamp in test: %s", text);
    return *t;
}

inline decksync::Uuid uuid(const char* text)
{
    const auto u = decksync::Uuid::parse(text);
    if (!u)
        qFatal("bad uuid in test: %s", text);
    return *u;
}

/// A distinct UUID per small number, for readable tests.
inline decksync::Uuid id(std::uint64_t n) { return decksync::Uuid::fromHalves(0x0123456789ab4cdeull, 0x8000000000000000ull | n); }

inline std::string samplePath(const char* name) { return std::string(DECKSYNC_SAMPLES_DIR) + '/' + name; }
inline std::string fixturePath(const char* name) { return std::string(DECKSYNC_FIXTURES_DIR) + '/' + name; }

inline std::string readAll(const std::string& path)
{
    std::string error;
    auto text = decksync::readFile(path, &error);
    if (!text)
        qFatal("%s: %s", path.c_str(), error.c_str());
    return *text;
}

/// A file's bytes; empty when it cannot be read.
inline QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Replaces a file's bytes; false when it cannot be written.
[[nodiscard]] inline bool putFileBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

/// A dataset file, decoded; stops the test run when it does not decode.
inline decksync::Dataset decodeFile(const QString& path)
{
    auto d = decksync::loadDatasetFile(path.toStdString());
    if (!d)
        qFatal("%s", d.error().toString().c_str());
    return std::move(d.value());
}

} // namespace testutil

// Let QCOMPARE print std::string values: QTest::qCompare() calls toString(), which finds a
// specialization of the QTest::toString() template (declaring it in namespace std instead
// would be undefined behaviour).
namespace QTest {
template <>
inline char* toString(const std::string& s)
{
    return toString(QString::fromStdString(s));
}
} // namespace QTest
