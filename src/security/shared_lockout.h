// Failed sign-ins of an existing administrator, counted in the store so that every node
// sharing a database sees one count and one lockout (the in-process LoginThrottle keeps
// counting per source address and for emails that are no administrator). One setting per
// administrator ("signin.failures.<admin id>"), so the rows are bounded by the admins.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "security/session_throttle.h"
#include "store/store.h"

namespace provisio::security {

// How long the administrator stays locked out, if at all.
Result<std::optional<std::chrono::seconds>> SharedLockoutFor(store::Store& store,
                                                             std::string_view admin_id,
                                                             TimePoint now);

// Counts one failure (a new window when the last one has passed); returns the lockout it
// started, if the count reached the policy's threshold. Two nodes counting the same
// moment may count one failure between them: the store serialises writes, not this
// read-then-write, which is close enough for a lockout.
Result<std::optional<std::chrono::seconds>> RecordSharedFailure(store::Store& store,
                                                                std::string_view admin_id,
                                                                const ThrottlePolicy& policy,
                                                                TimePoint now);

// A successful sign-in: forgets the failures (writes only when there were any).
Status ClearSharedFailures(store::Store& store, std::string_view admin_id);

}  // namespace provisio::security
