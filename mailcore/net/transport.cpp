#include "mailcore/net/transport.h"

namespace mailcore::net {

Transport::~Transport() = default;

} // namespace mailcore::net
