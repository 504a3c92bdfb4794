// Applications: a catalog template with general settings, capabilities (provisioning always
// brings import_sync), a connection of the template's type, settings, and a state that is
// draft without a connection and active once saved with one.
#pragma once

#include <boost/json/object.hpp>

#include "apps/input.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace provisio::apps {

// A new application from a create body; connection_id is checked inside `tx`.
Result<store::ApplicationRow> NewApplication(const Input& body, store::Store& store,
                                             store::Transaction& tx, TimePoint now);

// `current` changed by a PATCH body (template cannot change; state may be set to
// active, paused or quarantined, never to active without a connection).
Result<store::ApplicationRow> UpdatedApplication(const store::ApplicationRow& current,
                                                 const Input& body, store::Store& store,
                                                 store::Transaction& tx, TimePoint now);

boost::json::object ApplicationJson(const store::ApplicationRow& application);

}  // namespace provisio::apps
