// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QAbstractListModel>

#include "mailcore/imapclient/imaptypes.h"

namespace tandem::bench {

/// The stand-in message list of the benchmark: one line per summary
/// ("uid  date  from  subject"), formatted when a row is painted.
class SummaryModel : public QAbstractListModel
{
    Q_OBJECT

public:
    explicit SummaryModel(QList<mailcore::MessageSummary> summaries, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QList<mailcore::MessageSummary> m_summaries;
};

} // namespace tandem::bench
