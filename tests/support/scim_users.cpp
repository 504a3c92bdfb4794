#include "support/scim_users.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/http_client.h"

namespace provisio::testing {

std::vector<std::string> BulkCreateUsers(const std::string& base_url,
                                         const std::string& authorization,
                                         std::vector<boost::json::object> users) {
  constexpr size_t kPerRequest = 500;
  std::vector<std::string> ids(users.size());
  for (size_t from = 0; from < users.size(); from += kPerRequest) {
    boost::json::array ops;
    for (size_t i = from; i < std::min(users.size(), from + kPerRequest); ++i) {
      boost::json::object& user = users[i];
      if (!user.contains("schemas")) {
        user["schemas"] = boost::json::array{"urn:ietf:params:scim:schemas:core:2.0:User"};
      }
      ops.push_back(boost::json::object{{"method", "POST"},
                                        {"path", "/Users"},
                                        {"bulkId", "u" + std::to_string(i)},
                                        {"data", std::move(user)}});
    }
    auto r = Fetch(
        "POST", base_url + "/scim/v2/Bulk", {authorization, "Content-Type: application/scim+json"},
        boost::json::serialize(boost::json::object{
            {"schemas", boost::json::array{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}},
            {"Operations", std::move(ops)}}));
    if (r.status != 200) {
      ADD_FAILURE() << "POST /scim/v2/Bulk answered " << r.status << ": " << r.body.substr(0, 500);
      continue;
    }
    const boost::json::value response = r.Json();
    for (const auto& op : response.at("Operations").as_array()) {
      if (op.at("status") != "201") {
        ADD_FAILURE() << "a bulk create failed: " << op;
        continue;
      }
      std::string bulk_id(op.at("bulkId").as_string());
      std::string location(op.at("location").as_string());
      ids[std::stoul(bulk_id.substr(1))] = location.substr(location.rfind('/') + 1);
    }
  }
  return ids;
}

void SetPortalManager(const std::string& base_url, const std::string& authorization,
                      const std::string& user_id, const std::string& manager_id) {
  const char* path = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager";
  boost::json::object op{{"op", "remove"}, {"path", path}};
  if (!manager_id.empty()) {
    op["op"] = "replace";
    op["value"] = boost::json::object{{"value", manager_id}};
  }
  auto r =
      Fetch("PATCH", base_url + "/scim/v2/Users/" + user_id, {authorization},
            boost::json::serialize(boost::json::object{
                {"schemas", boost::json::array{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                {"Operations", boost::json::array{std::move(op)}}}));
  EXPECT_EQ(r.status, 200) << r.body;
}

}  // namespace provisio::testing
