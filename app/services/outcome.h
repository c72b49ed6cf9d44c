// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

/// Why an operation of the app services did not happen. `message` is the sentence to show or
/// log, as it stands; `kind` tells the cases a caller answers differently from a plain error.
struct Failure {
    enum class Kind {
        Error,          ///< anything else: show or log `message`
        TargetsChanged, ///< nothing was written: `paths` changed since they were loaded
        DuplicateIds,   ///< a side names one item twice; the person may load it anyway
        BaseUnreadable, ///< the base file the person chose cannot be read
    };
    Kind kind = Kind::Error;
    QString message;
    QStringList paths; ///< TargetsChanged: the files that changed since they were loaded
};

/// A plain error: `return fail(tr("…"));`.
[[nodiscard]] inline Failure fail(QString message) { return Failure{Failure::Kind::Error, std::move(message), {}}; }
[[nodiscard]] inline Failure fail(Failure::Kind kind, QString message, QStringList paths = {})
{
    return Failure{kind, std::move(message), std::move(paths)};
}

/// The result of an app service: a T, or the Failure that says why there is none.
///
/// One style for every service (the history, the session file, loading the sides, Apply,
/// rollback, recovery). It replaces three that grew side by side: a `QString* error`
/// out-parameter next to a bool or an optional, `{bool ok; QString error; ...}` structs, and
/// functions that logged a problem and returned an empty result, which a caller could not
/// tell from "there is nothing". A failure now always reaches the caller, with its sentence,
/// and [[nodiscard]] makes dropping one a visible decision.
///
///     Outcome<qint64> id = store.append(record);
///     if (!id)
///         return id.failure();      // passes the failure on, as any Outcome<U>
///     use(*id);
///
/// Outcome<> (void) is the same without a value: `return {};` is success.
/// value(), operator* and operator-> need ok(); error() is empty and kind() is Error on success.
template <class T = void>
class [[nodiscard]] Outcome {
    static_assert(!std::is_reference_v<T> && !std::is_same_v<std::remove_cv_t<T>, Failure>);

public:
    /// Success, from anything a T is implicitly made of (a T, nullptr for a pointer, std::nullopt...).
    template <class U = T>
        requires(std::is_convertible_v<U &&, T> && !std::is_same_v<std::remove_cvref_t<U>, Failure>
                 && !std::is_same_v<std::remove_cvref_t<U>, Outcome>)
    Outcome(U&& value)
        : m_state(std::in_place_index<0>, std::forward<U>(value))
    {
    }
    Outcome(Failure failure)
        : m_state(std::in_place_index<1>, std::move(failure))
    {
    }

    [[nodiscard]] bool ok() const noexcept { return m_state.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    [[nodiscard]] T& value() & { return std::get<0>(m_state); }
    [[nodiscard]] const T& value() const& { return std::get<0>(m_state); }
    [[nodiscard]] T&& value() && { return std::get<0>(std::move(m_state)); }
    [[nodiscard]] T& operator*() & { return value(); }
    [[nodiscard]] const T& operator*() const& { return value(); }
    [[nodiscard]] T&& operator*() && { return std::move(*this).value(); }
    [[nodiscard]] T* operator->() { return &value(); }
    [[nodiscard]] const T* operator->() const { return &value(); }

    /// Why it failed; an empty Failure on success.
    [[nodiscard]] const Failure& failure() const { return ok() ? noFailure() : std::get<1>(m_state); }
    /// The failure's message; empty on success.
    [[nodiscard]] const QString& error() const { return failure().message; }
    [[nodiscard]] Failure::Kind kind() const { return failure().kind; }

private:
    static const Failure& noFailure()
    {
        static const Failure none;
        return none;
    }

    std::variant<T, Failure> m_state;
};

template <>
class [[nodiscard]] Outcome<void> {
public:
    /// Success.
    Outcome() = default;
    Outcome(Failure failure)
        : m_failure(std::move(failure))
    {
    }

    [[nodiscard]] bool ok() const noexcept { return !m_failure.has_value(); }
    explicit operator bool() const noexcept { return ok(); }

    /// Why it failed; an empty Failure on success.
    [[nodiscard]] const Failure& failure() const { return m_failure ? *m_failure : noFailure(); }
    /// The failure's message; empty on success.
    [[nodiscard]] const QString& error() const { return failure().message; }
    [[nodiscard]] Failure::Kind kind() const { return failure().kind; }

private:
    static const Failure& noFailure()
    {
        static const Failure none;
        return none;
    }

    std::optional<Failure> m_failure;
};
