// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "summarymodel.h"

namespace tandem::bench {

SummaryModel::SummaryModel(QList<mailcore::MessageSummary> summaries, QObject *parent)
    : QAbstractListModel(parent)
    , m_summaries(std::move(summaries))
{
}

int SummaryModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_summaries.size()); }

QVariant SummaryModel::data(const QModelIndex &index, int role) const
{
    if (role != Qt::DisplayRole || !index.isValid() || index.row() >= rowCount())
        return {};
    const mailcore::MessageSummary &m = m_summaries.at(index.row());
    const QString from = m.from.isEmpty() ? QString() : m.from.first().toDisplayString();
    return QStringLiteral("%1  %2  %3  %4").arg(m.uid, 6).arg(m.internalDate.toString(Qt::ISODate), from, m.subject);
}

} // namespace tandem::bench
