// The one mapping from an error class to what the engine does with the work item.
#pragma once

#include <chrono>
#include <optional>

#include "connectors/error_class.h"
#include "core/error.h"

namespace provisio::connectors {

enum class Action {
  kRetry,  // requeue the item; wait `delay` when set, else the engine's backoff
  kSkip,   // record the failure on this item and carry on with others
  kStop,   // stop the application's run (bad credentials, a target we cannot talk to)
};

struct Decision {
  Action action = Action::kStop;
  std::optional<std::chrono::milliseconds> delay{};
};

Decision DecideAction(ErrorClass c, std::optional<std::chrono::milliseconds> retry_after = {});
Decision DecideAction(const Error& error);

// The wait before try `retries + 1` when the target gave no Retry-After: exponential backoff
// with jitter, as Google and Salesforce ask of their clients. base·2^retries, at most `cap`,
// then a uniform draw between half of it and all of it, so clients that failed together do
// not come back together.
std::chrono::milliseconds Backoff(int64_t retries, std::chrono::milliseconds base,
                                  std::chrono::milliseconds cap);

}  // namespace provisio::connectors
