// Waiting for the provisioning engine to bring a target to an expected state, as the
// end-to-end tests do: the engine quiet (nothing queued or in flight) and the target's state
// no different from what the test expects.
#pragma once

#include <functional>
#include <string>

#include "support/admin_client.h"

namespace provisio::testing {

// Nothing queued or in flight, per /api/v1/status.
bool EngineQuiet(const AdminClient& admin);

// Polls until the engine is quiet and `difference()` answers "" or `seconds` pass. Returns ""
// when converged; otherwise the last difference followed by what the engine knows: its status,
// the provisioning log of the user the difference starts with ("<userName>: ...") and recent
// entries that failed or were skipped.
std::string WaitConverged(const AdminClient& admin, const std::function<std::string()>& difference,
                          int seconds = 300);

// Starts an import run of the application at `apps` ("/api/v1/applications/{id}") with `body`
// and waits for it to end; the run as GET /api/v1/imports/{id} last answered.
boost::json::value RunImport(const AdminClient& admin, const std::string& apps,
                             const boost::json::object& body = {}, int seconds = 300);

}  // namespace provisio::testing
