#include "security/shared_lockout.h"

#include <sstream>
#include <string>

namespace provisio::security {
namespace {

struct Failures {
  int64_t count = 0;
  int64_t window_start_us = 0;
  int64_t locked_until_us = 0;
};

std::string Key(std::string_view admin_id) { return "signin.failures." + std::string(admin_id); }

Result<Failures> Load(store::Store& store, std::string_view admin_id) {
  ASSIGN_OR_RETURN(auto text, store.GetSetting(Key(admin_id)));
  Failures f;
  if (text) {
    std::istringstream in(*text);
    in >> f.count >> f.window_start_us >> f.locked_until_us;
    if (!in) f = {};  // unreadable: start over rather than lock anyone out
  }
  return f;
}

Status Save(store::Store& store, std::string_view admin_id, const Failures& f) {
  ASSIGN_OR_RETURN(auto tx, store.Begin());
  RETURN_IF_ERROR(store.PutSetting(*tx, Key(admin_id),
                                   std::to_string(f.count) + " " +
                                       std::to_string(f.window_start_us) + " " +
                                       std::to_string(f.locked_until_us)));
  return tx->Commit();
}

std::chrono::seconds Remaining(int64_t until_us, int64_t now_us) {
  auto s = (until_us - now_us + 999'999) / 1'000'000;
  return std::chrono::seconds(std::max<int64_t>(1, s));
}

}  // namespace

Result<std::optional<std::chrono::seconds>> SharedLockoutFor(store::Store& store,
                                                             std::string_view admin_id,
                                                             TimePoint now) {
  ASSIGN_OR_RETURN(Failures f, Load(store, admin_id));
  const int64_t now_us = ToMicros(now);
  if (f.locked_until_us > now_us) return std::optional(Remaining(f.locked_until_us, now_us));
  return std::optional<std::chrono::seconds>();
}

Result<std::optional<std::chrono::seconds>> RecordSharedFailure(store::Store& store,
                                                                std::string_view admin_id,
                                                                const ThrottlePolicy& policy,
                                                                TimePoint now) {
  ASSIGN_OR_RETURN(Failures f, Load(store, admin_id));
  const int64_t now_us = ToMicros(now);
  if (f.window_start_us == 0 || now_us - f.window_start_us > policy.window.count() ||
      (f.locked_until_us != 0 && f.locked_until_us <= now_us)) {
    f = {0, now_us, 0};  // a new window, or a lockout served
  }
  ++f.count;
  std::optional<std::chrono::seconds> started;
  if (f.count >= policy.max_failures_per_email && f.locked_until_us <= now_us) {
    f.locked_until_us = now_us + policy.lockout.count();
    started = Remaining(f.locked_until_us, now_us);
  }
  RETURN_IF_ERROR(Save(store, admin_id, f));
  return started;
}

Status ClearSharedFailures(store::Store& store, std::string_view admin_id) {
  ASSIGN_OR_RETURN(Failures f, Load(store, admin_id));
  if (f.count == 0 && f.locked_until_us == 0) return Ok();
  return Save(store, admin_id, {});
}

}  // namespace provisio::security
