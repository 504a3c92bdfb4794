// Lifting a quarantine when the target recovers: while an application is quarantined its
// target is probed with a cheap call at growing intervals (first, doubling up to max), and
// the first answer lifts the quarantine, noted in the provisioning log. Admins can still
// lift it by hand (PATCH the application's state to "active"). The engine runs this on the
// node holding the change feed lock.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace provisio::provisioning {

class QuarantineProbe {
 public:
  QuarantineProbe(store::Store& store, const Clock& clock, std::chrono::milliseconds first,
                  std::chrono::milliseconds max);

  using Probe = std::function<Status(const store::ApplicationRow&)>;
  // Probes each quarantined application whose turn has come and lifts the quarantine of
  // those that answer; returns their ids. `node` names this node in the log.
  Result<std::vector<std::string>> Run(const Probe& probe, std::string_view node);
  // When the application's next probe is due (nullopt when it is not being probed).
  std::optional<TimePoint> NextProbe(std::string_view application_id) const;

 private:
  struct Turn {
    TimePoint next;
    std::chrono::milliseconds interval;
  };
  Status Lift(const store::ApplicationRow& app, std::string_view node);

  store::Store& store_;
  const Clock& clock_;
  std::chrono::milliseconds first_;
  std::chrono::milliseconds max_;
  mutable std::mutex mu_;
  std::map<std::string, Turn, std::less<>> turns_;
};

}  // namespace provisio::provisioning
