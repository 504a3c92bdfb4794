// /api/v1/users and /api/v1/groups: the console's view of the directory, and its writes.
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

TEST_F(DirectoryHandlersTest, AnAdminCreatesEditsAndDisablesAUserAuditedAnOperatorCannot) {
  AddAdmin("admin@example.com", "admin");
  As admin = SignIn("admin@example.com");
  const std::string user = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName":"carol@example.com","displayName":"Carol","active":true})";
  EXPECT_EQ(Send("POST", "/api/v1/users", as_, user).status, 403);
  auto created = Send("POST", "/api/v1/users", admin, user);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id(created.json.at("id").as_string());
  EXPECT_EQ(Send("POST", "/api/v1/users", admin, user).status, 409);  // userName is unique

  auto edit = Send("PATCH", "/api/v1/users/" + id, admin,
                   R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                     {"op":"replace","path":"displayName","value":"Carol Danvers"},
                     {"op":"replace","path":"active","value":false}]})");
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(edit.json.at("displayName").as_string(), "Carol Danvers");
  EXPECT_FALSE(edit.json.at("active").as_bool());
  EXPECT_EQ(Send("PATCH", "/api/v1/users/" + id, as_, R"({"Operations":[]})").status, 403);
  EXPECT_EQ(Send("PATCH", "/api/v1/users/nobody", admin,
                 R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                   {"op":"replace","path":"active","value":false}]})")
                .status,
            404);

  auto audit = Send("GET", "/api/v1/audit-log?object=" + id, as_);
  ASSERT_EQ(audit.status, 200) << audit.body;
  const auto& rows = audit.json.at("items").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("action").as_string(), "user.update");
  EXPECT_EQ(rows[1].at("action").as_string(), "user.create");
}

TEST_F(DirectoryHandlersTest, AUserShowsItsApplicationsAssignmentsAndAccounts) {
  AddAdmin("admin@example.com", "admin");
  As admin = SignIn("admin@example.com");
  auto app = Send("POST", "/api/v1/applications", admin,
                  R"({"template":"scim2","name":"Acme","capabilities":["import_sync"]})");
  ASSERT_EQ(app.status, 201) << app.body;
  std::string app_id(app.json.at("id").as_string());
  auto groups = Send("GET", R"(/api/v1/groups?filter=displayName eq "Engineering")", as_);
  std::string group_id(groups.json.at("items").as_array()[0].at("id").as_string());
  ASSERT_EQ(Send("POST", "/api/v1/applications/" + app_id + "/assignments", admin,
                 R"({"group_id":")" + group_id + R"("})")
                .status,
            201);

  auto r = Send("GET", "/api/v1/users/" + alice_, as_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("user").at("userName").as_string(), "alice@example.com");
  const auto& apps = r.json.at("applications").as_array();
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].at("name").as_string(), "Acme");
  EXPECT_EQ(apps[0].at("assigned_via").as_array()[0].at("type").as_string(), "group");
  EXPECT_TRUE(apps[0].at("account").is_null());  // nothing provisioned yet
  EXPECT_EQ(Send("GET", "/api/v1/users/nobody", as_).status, 404);
}

TEST_F(DirectoryHandlersTest, AnAdminCreatesAGroupAndChangesItsMembers) {
  AddAdmin("admin@example.com", "admin");
  As admin = SignIn("admin@example.com");
  auto g = Send("POST", "/api/v1/groups", admin,
                R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
                    "displayName":"Sales","members":[{"value":")" +
                    alice_ + R"("}]})");
  ASSERT_EQ(g.status, 201) << g.body;
  std::string id(g.json.at("id").as_string());
  auto bob = Send("GET", R"(/api/v1/users?filter=userName eq "bob@example.com")", as_);
  std::string bob_id(bob.json.at("items").as_array()[0].at("id").as_string());
  auto patch = Send("PATCH", "/api/v1/groups/" + id, admin,
                    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                      {"op":"replace","path":"displayName","value":"Sales EMEA"},
                      {"op":"add","path":"members","value":[{"value":")" +
                        bob_id + R"("}]},
                      {"op":"remove","path":"members[value eq \")" +
                        alice_ + R"(\"]"}]})");
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(patch.json.at("displayName").as_string(), "Sales EMEA");

  auto r = Send("GET", "/api/v1/groups/" + id, as_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("group").at("displayName").as_string(), "Sales EMEA");
  EXPECT_EQ(r.json.at("members_total").as_int64(), 1);
  const auto& members = r.json.at("members").as_array();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].at("userName").as_string(), "bob@example.com");
  EXPECT_EQ(Send("POST", "/api/v1/groups", as_, R"({"displayName":"x"})").status, 403);
}

}  // namespace
}  // namespace provisio::api
