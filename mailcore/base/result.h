// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <optional>
#include <utility>

#include "mailcore/base/error.h"

namespace mailcore {

/// A value or the Error explaining why there is none. The protocol layer never
/// throws: a hostile server must cost a value, not a stack unwind.
template <typename T>
class Result
{
public:
    /// A success holding `value`.
    Result(T value)
        : m_value(std::move(value))
    {
    }
    /// A failure; `error` must be an error (isError(), asserted in debug builds).
    Result(Error error)
        : m_error(std::move(error))
    {
        Q_ASSERT(m_error.isError());
    }

    /// True when it holds a value, false when it holds an error.
    bool isOk() const { return m_value.has_value(); }
    /// isOk(), for `if (result)` and `if (!result)`.
    explicit operator bool() const { return isOk(); }

    /// The value. Only when isOk() (asserted in debug builds).
    const T &value() const
    {
        Q_ASSERT(isOk());
        return *m_value;
    }
    /// The value, to change or move out of it. Only when isOk().
    T &value()
    {
        Q_ASSERT(isOk());
        return *m_value;
    }
    /// The value's members: `result->size()`. Only when isOk().
    const T *operator->() const { return &value(); }
    /// Why there is no value; no error (ErrorCode::None) when isOk().
    const Error &error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

} // namespace mailcore
