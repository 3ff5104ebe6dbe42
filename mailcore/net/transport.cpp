// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/net/transport.h"

namespace mailcore::net {

Transport::~Transport() = default;

} // namespace mailcore::net
