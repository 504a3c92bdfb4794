// Portal users made and changed the way an HR system would push them: through Provisio's own
// /scim/v2.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

namespace provisio::testing {

// Creates `users` (SCIM User resources; the core schema is added where absent) through
// `base_url`/scim/v2/Bulk with the header `authorization`, 500 a request, and returns their
// ids in the same order. A refused request or operation is a test failure and leaves that id
// empty.
std::vector<std::string> BulkCreateUsers(const std::string& base_url,
                                         const std::string& authorization,
                                         std::vector<boost::json::object> users);

// Sets the enterprise manager of the portal user `user_id` to `manager_id` through
// `base_url`/scim/v2 (a PATCH replace), or removes it when `manager_id` is empty. A refusal is
// a test failure.
void SetPortalManager(const std::string& base_url, const std::string& authorization,
                      const std::string& user_id, const std::string& manager_id);

}  // namespace provisio::testing
