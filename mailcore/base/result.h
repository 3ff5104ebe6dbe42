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
    Result(T value)
        : m_value(std::move(value))
    {
    }
    Result(Error error)
        : m_error(std::move(error))
    {
        Q_ASSERT(m_error.isError());
    }

    bool isOk() const { return m_value.has_value(); }
    explicit operator bool() const { return isOk(); }

    const T &value() const
    {
        Q_ASSERT(isOk());
        return *m_value;
    }
    T &value()
    {
        Q_ASSERT(isOk());
        return *m_value;
    }
    const T *operator->() const { return &value(); }
    const Error &error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

} // namespace mailcore
