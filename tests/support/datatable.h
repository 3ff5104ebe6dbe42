// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Qt Test data tables, typed: the columns are declared once, with their types,
// and each row is checked against them when it is compiled (QTest::newRow()
// finds a wrong type only at run time).

#include <QTest>

#include <initializer_list>
#include <utility>

namespace tandem::test {

/// Adds the columns of a _data() function and returns the function that adds
/// one row (a name, then one value per column):
///
///     const auto row = table<QByteArray, QByteArray>("input", "output");
///     row("empty", "", ".\r\n");
template <typename... Columns, typename... Names>
auto table(const Names &...names)
{
    static_assert(sizeof...(Columns) == sizeof...(Names), "one name per column");
    (QTest::addColumn<Columns>(names), ...);
    return [](const char *name, const Columns &...values) { (QTest::newRow(name) << ... << values); };
}

/// A table of one column, its rows given as name and value:
///
///     column<bool>("async", {{"sync", false}, {"async", true}});
template <typename T>
void column(const char *column, std::initializer_list<std::pair<const char *, T>> rows)
{
    QTest::addColumn<T>(column);
    for (const auto &[name, value] : rows)
        QTest::newRow(name) << value;
}

} // namespace tandem::test
