// A create answered 409 because the account (or group) appeared between the engine's lookup
// and its create, most often its own earlier create that the target finished after the answer
// timed out: the engine looks again and links what it finds, instead of dropping the item with
// the account made and unlinked. The real API and engine, against a target that answers the
// SCIM wire exactly as such a race does.
#include <atomic>

#include "api/api_test_support.h"
#include "connectors/recording_target.h"
#include "http/response.h"

namespace provisio::api {
namespace {

using boost::json::array;
using boost::json::object;

std::string J(const object& o) { return boost::json::serialize(o); }

http::Response Scim(int status, const object& body) {
  return http::Response::Text(status, J(body), "application/scim+json");
}

object ListOf(array resources) {
  auto n = static_cast<int64_t>(resources.size());
  return object{{"schemas", array{"urn:ietf:params:scim:api:messages:2.0:ListResponse"}},
                {"totalResults", n},
                {"itemsPerPage", n},
                {"startIndex", 1},
                {"Resources", std::move(resources)}};
}

object Uniqueness() {
  return object{{"schemas", array{"urn:ietf:params:scim:api:messages:2.0:Error"}},
                {"status", "409"},
                {"scimType", "uniqueness"},
                {"detail", "userName or displayName already in use"}};
}

// A SCIM service in which the account and the group already exist but are not yet seen by the
// first lookup: a lookup finds nothing until a create has been refused with 409. `visible`
// false: nothing is ever found (a conflict on some other attribute).
class RacingTarget {
 public:
  explicit RacingTarget(bool visible)
      : target_([this, visible](const http::Request& req) { return Answer(req, visible); }) {}
  std::string url() const { return target_.url() + "/scim/v2"; }
  std::vector<std::string> lines() { return target_.lines(); }

 private:
  http::Response Answer(const http::Request& req, bool visible) {
    const bool users = req.path.find("/Users") != std::string::npos;
    if (req.path.ends_with("/ServiceProviderConfig")) {
      return Scim(200, {{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:"
                                          "ServiceProviderConfig"}},
                        {"patch", {{"supported", true}}},
                        {"bulk", {{"supported", false}}},
                        {"filter", {{"supported", true}, {"maxResults", 200}}},
                        {"etag", {{"supported", false}}}});
    }
    std::atomic<bool>& refused = users ? user_refused_ : group_refused_;
    object existing =
        users ? object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:User"}},
                       {"id", "t-user"},
                       {"userName", "ana@example.com"},
                       {"active", true}}
              : object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                       {"id", "t-group"},
                       {"displayName", "Sales"}};
    if (req.method == "GET") {
      if (req.path.ends_with("/Users") || req.path.ends_with("/Groups")) {
        return Scim(200, ListOf(visible && refused ? array{existing} : array{}));
      }
      return Scim(200, existing);
    }
    if (req.method == "POST") {
      refused = true;
      return Scim(409, Uniqueness());
    }
    if (req.method == "PATCH" && !users) return http::Response::Text(204, "", "");
    return Scim(200, existing);  // PATCH or PUT of the account
  }

  std::atomic<bool> user_refused_{false}, group_refused_{false};
  connectors::RecordingTarget target_;
};

class CreateConflictTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    AddAdmin("root@example.com", "super-admin");
    as_ = SignIn("root@example.com");
  }
  // An application on `target` with Ana assigned, and the group Sales (holding her) assigned.
  void Prepare(const RacingTarget& target) {
    auto conn = Send("POST", "/api/v1/connections", as_,
                     J({{"name", "Racing"},
                        {"type", "scim2"},
                        {"base_url", target.url()},
                        {"auth", {{"kind", "bearer"}, {"token", "t0ken"}}}}));
    ASSERT_EQ(conn.status, 201) << conn.body;
    auto app = Send("POST", "/api/v1/applications", as_,
                    J({{"template", "scim2"},
                       {"name", "Racing SaaS"},
                       {"capabilities", {"provisioning"}},
                       {"connection_id", conn.json.at("id")}}));
    ASSERT_EQ(app.status, 201) << app.body;
    app_ = "/api/v1/applications/" + std::string(app.json.at("id").as_string());
    auto user = Send("POST", "/api/v1/users", as_,
                     J({{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                        {"userName", "ana@example.com"},
                        {"name", {{"givenName", "Ana"}, {"familyName", "Lima"}}},
                        {"active", true}}));
    ASSERT_EQ(user.status, 201) << user.body;
    user_ = std::string(user.json.at("id").as_string());
    auto group = Send("POST", "/api/v1/groups", as_,
                      J({{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                         {"displayName", "Sales"},
                         {"members", array{object{{"value", user_}}}}}));
    ASSERT_EQ(group.status, 201) << group.body;
    group_ = std::string(group.json.at("id").as_string());
    for (const auto& [key, id] : {std::pair{"user_id", user_}, std::pair{"group_id", group_}}) {
      auto a = Send("POST", app_ + "/assignments", as_, J({{key, id}}));
      ASSERT_EQ(a.status, 201) << a.body;
    }
  }
  TestResponse Provision(const char* key, const std::string& id) {
    return Send("POST", app_ + "/provision", as_, J({{key, id}}));
  }
  static const boost::json::value* Last(const TestResponse& r, std::string_view step) {
    const boost::json::value* found = nullptr;
    for (const auto& s : r.json.at("steps").as_array()) {
      if (s.at("step").as_string() == step) found = &s.at("detail");
    }
    return found;
  }
  static size_t Count(const std::vector<std::string>& lines, std::string_view prefix) {
    return static_cast<size_t>(std::count_if(lines.begin(), lines.end(),
                                             [&](const auto& l) { return l.starts_with(prefix); }));
  }

  As as_;
  std::string app_, user_, group_;
};

TEST_F(CreateConflictTest, AnAccountThatAppearedBeforeTheCreateIsLinkedNotDropped) {
  RacingTarget target(/*visible=*/true);
  ASSERT_NO_FATAL_FAILURE(Prepare(target));
  auto r = Provision("user_id", user_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("ok"), true) << r.body;
  const auto* matched = Last(r, "matching");
  ASSERT_NE(matched, nullptr) << r.body;
  EXPECT_EQ(matched->at("found"), true);
  EXPECT_EQ(matched->at("after"), "conflict");
  EXPECT_EQ(Last(r, "result")->at("action"), "link") << r.body;
  EXPECT_EQ(Last(r, "result")->at("target_id"), "t-user");
  EXPECT_EQ(Count(target.lines(), "POST /scim/v2/Users"), 1u);  // never created twice

  // The account is linked: a second run finds nothing to do, and the group push sees her.
  auto accounts = Send("GET", app_ + "/accounts", as_);
  ASSERT_EQ(accounts.status, 200) << accounts.body;
  ASSERT_EQ(accounts.json.at("items").as_array().size(), 1u) << accounts.body;
  EXPECT_EQ(accounts.json.at("items").at(0).at("target_id"), "t-user");

  // The same race for the group: linked, and its member added to the group found.
  auto g = Provision("group_id", group_);
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(g.json.at("ok"), true) << g.body;
  EXPECT_EQ(Last(g, "result")->at("action"), "link") << g.body;
  EXPECT_EQ(Last(g, "result")->at("target_id"), "t-group");
  EXPECT_EQ(Last(g, "result")->at("members_added"), (array{"t-user"}));
  EXPECT_EQ(Count(target.lines(), "POST /scim/v2/Groups"), 1u);
  EXPECT_GE(Count(target.lines(), "PATCH /scim/v2/Groups/t-group"), 1u);
}

TEST_F(CreateConflictTest, AConflictWithNothingToFindFailsAndLinksNothing) {
  RacingTarget target(/*visible=*/false);
  ASSERT_NO_FATAL_FAILURE(Prepare(target));
  auto r = Provision("user_id", user_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("ok"), false) << r.body;
  EXPECT_EQ(Last(r, "result")->at("error").as_string().find("conflict") != std::string::npos ||
                Last(r, "result")->at("error").as_string().find("409") != std::string::npos,
            true)
      << r.body;
  auto accounts = Send("GET", app_ + "/accounts", as_);
  ASSERT_EQ(accounts.status, 200) << accounts.body;
  EXPECT_TRUE(accounts.json.at("items").as_array().empty()) << accounts.body;
  // Looked up twice (before the create and after its 409), created once.
  auto lines = target.lines();
  EXPECT_EQ(Count(lines, "GET /scim/v2/Users?"), 2u);
  EXPECT_EQ(Count(lines, "POST /scim/v2/Users"), 1u);
}

}  // namespace
}  // namespace provisio::api
