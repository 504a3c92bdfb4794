// GET /api/v1/users and /api/v1/groups: the console's read-only view of the directory.
#include "api/api_test_support.h"

namespace provisio::api {
namespace {

class DirectoryHandlersTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    AddAdmin("op@example.com", "operator");
    as_ = SignIn("op@example.com");
    alice_ = AddUser("alice@example.com", "Alice Liddell");
    AddUser("bob@example.com", "Bob Builder");
    auto g = directory_->CreateGroup(
        boost::json::parse(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName":"Engineering","members":[{"value":")" +
                           alice_ + R"("}]})")
            .as_object());
    ASSERT_TRUE(g.ok()) << g.error().ToString();
  }
  std::string AddUser(const std::string& user_name, const std::string& display) {
    boost::json::object u{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                          {"userName", user_name},
                          {"displayName", display},
                          {"emails", {{{"value", user_name}, {"primary", true}}}}};
    auto r = directory_->CreateUser(u);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return std::string(r->body.at("id").as_string());
  }
  As as_;
  std::string alice_;
};

TEST_F(DirectoryHandlersTest, ListsUsersAsSummariesToAnOperator) {
  auto r = Send("GET", "/api/v1/users", as_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("total_results").as_int64(), 2);
  const auto& items = r.json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  for (const auto& i : items) {
    const auto& o = i.as_object();
    EXPECT_TRUE(o.contains("id") && o.contains("userName") && o.contains("displayName") &&
                o.contains("email") && o.contains("active"));
    EXPECT_FALSE(o.contains("schemas"));  // a summary, not the SCIM resource
  }
}

TEST_F(DirectoryHandlersTest, FiltersAndPagesWithScimSemantics) {
  auto r = Send("GET", R"(/api/v1/users?filter=displayName co "lid")", as_);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(r.json.at("items").as_array()[0].at("id").as_string(), alice_);
  EXPECT_EQ(r.json.at("items").as_array()[0].at("email").as_string(), "alice@example.com");

  auto page = Send("GET", "/api/v1/users?startIndex=2&count=1", as_);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(page.json.at("total_results").as_int64(), 2);
  EXPECT_EQ(page.json.at("start_index").as_int64(), 2);
}

TEST_F(DirectoryHandlersTest, RefusesAMalformedFilter) {
  auto r = Send("GET", R"(/api/v1/users?filter=userName zz "x")", as_);
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_F(DirectoryHandlersTest, ListsGroups) {
  auto r = Send("GET", R"(/api/v1/groups?filter=displayName sw "Eng")", as_);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(r.json.at("items").as_array()[0].at("displayName").as_string(), "Engineering");
  EXPECT_EQ(Send("GET", "/api/v1/groups").status, 401);
}

}  // namespace
}  // namespace provisio::api
