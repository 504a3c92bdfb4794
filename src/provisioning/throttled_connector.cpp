#include "provisioning/throttled_connector.h"

#include <thread>

#include "connectors/error_class.h"
#include "core/json.h"

namespace provisio::provisioning {
namespace {

using connectors::Account;
using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr std::string_view kThrottledKey = "throttled";
// A 429 without Retry-After still holds the bucket a little, so the calls behind it slow down.
constexpr milliseconds kDefaultHold{1000};

Error Throttled(microseconds wait) {
  auto ms = std::max(milliseconds(1), duration_cast<milliseconds>(wait) + milliseconds(1));
  Error e = connectors::ClassifiedError(
      connectors::ErrorClass::kRateLimited,
      "waiting for the application's rate limit (" + std::to_string(ms.count()) + " ms)",
      {.http_status = 0, .retry_after = ms});
  e.details()[kThrottledKey] = true;
  return e;
}

template <typename T>
const Error* ErrorOf(const Result<T>& r) {
  return r.ok() ? nullptr : &r.error();
}

}  // namespace

bool IsThrottled(const Error& error) {
  return json::GetBool(error.details(), kThrottledKey).value_or(false);
}

ThrottledConnector::ThrottledConnector(std::shared_ptr<connectors::Connector> inner,
                                       std::shared_ptr<RateLimiter> limiter, const Clock& clock,
                                       microseconds max_wait)
    : inner_(std::move(inner)), limiter_(std::move(limiter)), clock_(clock), max_wait_(max_wait) {}

std::optional<Error> ThrottledConnector::Acquire() {
  auto turn = limiter_->Take(max_wait_);
  if (!turn.granted) return Throttled(turn.wait);
  if (turn.wait > microseconds(0)) std::this_thread::sleep_for(turn.wait);
  if (!limiter_->Enter(max_wait_)) return Throttled(max_wait_);
  return std::nullopt;
}

void ThrottledConnector::Release(const Error* error) {
  limiter_->Leave();
  if (error && connectors::ClassOf(*error) == connectors::ErrorClass::kRateLimited &&
      !IsThrottled(*error)) {
    limiter_->Hold(clock_.Now() + connectors::RetryAfterOf(*error).value_or(kDefaultHold));
  }
}

template <typename R, typename F>
R ThrottledConnector::Call(F&& f) {
  if (auto refused = Acquire()) return R(std::move(*refused));
  R r = f();
  Release(ErrorOf(r));
  return r;
}

Status ThrottledConnector::Test() {
  return Call<Status>([&] { return inner_->Test(); });
}
Result<Account> ThrottledConnector::CreateUser(const boost::json::object& desired) {
  return Call<Result<Account>>([&] { return inner_->CreateUser(desired); });
}
Result<Account> ThrottledConnector::GetUser(std::string_view id) {
  return Call<Result<Account>>([&] { return inner_->GetUser(id); });
}
Result<std::optional<Account>> ThrottledConnector::FindUser(std::string_view attribute,
                                                            std::string_view value) {
  return Call<Result<std::optional<Account>>>([&] { return inner_->FindUser(attribute, value); });
}
Result<Account> ThrottledConnector::ReplaceUser(std::string_view id,
                                                const boost::json::object& desired) {
  return Call<Result<Account>>([&] { return inner_->ReplaceUser(id, desired); });
}
Result<Account> ThrottledConnector::PatchUser(std::string_view id,
                                              const boost::json::object& current,
                                              const boost::json::object& desired) {
  return Call<Result<Account>>([&] { return inner_->PatchUser(id, current, desired); });
}
Status ThrottledConnector::DisableUser(std::string_view id) {
  return Call<Status>([&] { return inner_->DisableUser(id); });
}
Status ThrottledConnector::DeleteUser(std::string_view id) {
  return Call<Status>([&] { return inner_->DeleteUser(id); });
}
Result<connectors::Page<Account>> ThrottledConnector::ListUsers(
    const connectors::PageRequest& page) {
  return Call<Result<connectors::Page<Account>>>([&] { return inner_->ListUsers(page); });
}

Result<Account> ThrottledConnector::CreateGroup(const boost::json::object& desired) {
  return Call<Result<Account>>([&] { return inner_->groups()->CreateGroup(desired); });
}
Result<Account> ThrottledConnector::GetGroup(std::string_view id) {
  return Call<Result<Account>>([&] { return inner_->groups()->GetGroup(id); });
}
Result<std::optional<Account>> ThrottledConnector::FindGroup(std::string_view attribute,
                                                             std::string_view value) {
  return Call<Result<std::optional<Account>>>(
      [&] { return inner_->groups()->FindGroup(attribute, value); });
}
Status ThrottledConnector::DeleteGroup(std::string_view id) {
  return Call<Status>([&] { return inner_->groups()->DeleteGroup(id); });
}
Result<connectors::Page<Account>> ThrottledConnector::ListGroups(
    const connectors::PageRequest& page) {
  return Call<Result<connectors::Page<Account>>>(
      [&] { return inner_->groups()->ListGroups(page); });
}
Status ThrottledConnector::AddMembers(std::string_view group_id,
                                      std::span<const std::string> user_ids) {
  return Call<Status>([&] { return inner_->groups()->AddMembers(group_id, user_ids); });
}
Status ThrottledConnector::RemoveMembers(std::string_view group_id,
                                         std::span<const std::string> user_ids) {
  return Call<Status>([&] { return inner_->groups()->RemoveMembers(group_id, user_ids); });
}
Result<Account> ThrottledConnector::UpdateGroup(std::string_view id,
                                                const boost::json::object& current,
                                                const boost::json::object& desired) {
  return Call<Result<Account>>([&] { return inner_->groups()->UpdateGroup(id, current, desired); });
}
Result<std::optional<std::vector<std::string>>> ThrottledConnector::MemberIds(
    std::string_view group_id) {
  return Call<Result<std::optional<std::vector<std::string>>>>(
      [&] { return inner_->groups()->MemberIds(group_id); });
}
Status ThrottledConnector::AddMembersWithRole(std::string_view group_id,
                                              std::span<const std::string> user_ids,
                                              std::string_view role) {
  return Call<Status>(
      [&] { return inner_->groups()->AddMembersWithRole(group_id, user_ids, role); });
}

Result<connectors::Page<connectors::Entitlement>> ThrottledConnector::ListEntitlements(
    const connectors::PageRequest& page) {
  return Call<Result<connectors::Page<connectors::Entitlement>>>(
      [&] { return inner_->entitlements()->ListEntitlements(page); });
}
Status ThrottledConnector::Grant(std::string_view user_id,
                                 const connectors::Entitlement& entitlement) {
  return Call<Status>([&] { return inner_->entitlements()->Grant(user_id, entitlement); });
}
Status ThrottledConnector::Revoke(std::string_view user_id,
                                  const connectors::Entitlement& entitlement) {
  return Call<Status>([&] { return inner_->entitlements()->Revoke(user_id, entitlement); });
}

std::vector<Result<Account>> ThrottledConnector::ApplyBatch(
    std::span<const connectors::BatchWrite> writes) {
  if (auto refused = Acquire()) return std::vector<Result<Account>>(writes.size(), *refused);
  auto results = inner_->batch()->ApplyBatch(writes);
  const Error* limited = nullptr;
  for (const auto& r : results) {
    if (!r.ok() && connectors::ClassOf(r.error()) == connectors::ErrorClass::kRateLimited) {
      limited = &r.error();
    }
  }
  Release(limited);
  return results;
}

std::vector<Result<std::optional<Account>>> ThrottledConnector::FindUsers(
    std::string_view attribute, std::span<const std::string> values) {
  if (auto refused = Acquire()) {
    return std::vector<Result<std::optional<Account>>>(values.size(), *refused);
  }
  auto results = inner_->batch()->FindUsers(attribute, values);
  const Error* limited = nullptr;
  for (const auto& r : results) {
    if (!r.ok() && connectors::ClassOf(r.error()) == connectors::ErrorClass::kRateLimited) {
      limited = &r.error();
    }
  }
  Release(limited);
  return results;
}

}  // namespace provisio::provisioning
