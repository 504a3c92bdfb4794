// The held-record review: what import runs held for an admin and the admin's decisions.
// Held are records no portal user matched (policy "hold"), records several users matched or
// whose match is linked to another source account (source links in state "held"), and changes
// to attributes the policy holds (held.h; kept on an active link). Approving applies what the
// import would have; rejecting keeps the portal as it is and remembers the decision, so the
// next import does not hold the same unchanged record (or the same value) again.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "directory/directory.h"
#include "store/store.h"

namespace provisio::importsync {

struct HeldPage {
  boost::json::array items;
  std::string next;  // the source id to continue after; "" on the last page
};

// An application's held items in source-id order after `after`, at most `limit`. Each item:
// {"source_id", "source_name", "kind": "record"|"change", "reason": "unmatched"|"ambiguous"|
// "already_linked"|"attribute_change", "message", "record" (the portal user it would be),
// "source" (as read), "candidates": [{"id","userName","displayName"}], "user" (the linked
// user, for a change), "changes": [{"path","before","after"}], "run_id", "updated"}.
Result<HeldPage> ListHeld(store::Store& store, directory::Directory& directory,
                          std::string_view application_id, std::string_view after, size_t limit);

// One held item; kNotFound when nothing was imported under `source_id`, kConflict "not_held"
// when it is not held.
Result<boost::json::object> GetHeld(store::Store& store, directory::Directory& directory,
                                    std::string_view application_id, std::string_view source_id);

// An application's imported user accounts in source-id order after `after`, at most `limit`,
// each with its current entitlements in the source, so an admin can assign them in Provisio:
// {"source_id", "source_name", "state", "user_id", "entitlements": [{"id", "kind",
// "display_name"}], "run_id", "updated"}. With `entitlement`, only the accounts that hold it.
Result<HeldPage> ListAccounts(store::Store& store, std::string_view application_id,
                              std::string_view after, size_t limit, std::string_view entitlement);

struct Approval {
  enum class Action { kCreate, kLink, kApply };
  Action action = Action::kApply;
  std::string user_id;  // kLink
};

// What a decision did, for the response and the audit row: {"source_id", "decision",
// "user_id", "operations"}.
using Outcome = boost::json::object;

// Errors carry a precise reason (details "reason"): kNotFound when nothing is held under
// `source_id`; kConflict "not_held" when the link exists but is not held, "already_linked"
// when the chosen user is linked to another source account; kInvalidValue "unknown_user",
// "invalid_value" (an action that does not fit what is held).
Result<Outcome> Approve(store::Store& store, directory::Directory& directory,
                        store::Transaction& tx, std::string_view application_id,
                        std::string_view source_id, const Approval& approval, TimePoint now);
Result<Outcome> RejectHeld(store::Store& store, store::Transaction& tx,
                           std::string_view application_id, std::string_view source_id,
                           TimePoint now);

}  // namespace provisio::importsync
