// POST applications/{id}/mappings/preview: saved and unsaved mappings evaluated for one user,
// every row shown with its value or its error, nothing written.
#include "api/api_test_support.h"

namespace provisio::api {
namespace {

using boost::json::array;
using boost::json::object;

std::string J(const object& o) { return boost::json::serialize(o); }

class MappingPreviewTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    AddAdmin("root@example.com", "super-admin");
    as_ = SignIn("root@example.com");
    auto app =
        Send("POST", "/api/v1/applications", as_,
             J({{"template", "scim2"}, {"name", "Acme"}, {"capabilities", {"provisioning"}}}));
    EXPECT_EQ(app.status, 201) << app.body;
    app_ = std::string(app.json.at("id").as_string());
    auto user = Send("POST", "/api/v1/users", as_,
                     J({{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                        {"userName", "jose.garcia@example.com"},
                        {"externalId", "hr-417"},
                        {"name", {{"givenName", "José"}, {"familyName", "García Núñez"}}},
                        {"displayName", "José García"},
                        {"emails", array{object{{"value", "jose@example.com"}, {"type", "work"}}}},
                        {"active", true}}));
    EXPECT_EQ(user.status, 201) << user.body;
    user_ = std::string(user.json.at("id").as_string());
  }
  std::string Url() const { return "/api/v1/applications/" + app_ + "/mappings/preview"; }
  static const object* Row(const TestResponse& r, std::string_view target) {
    for (const auto& row : r.json.at("attributes").as_array()) {
      if (row.at("target").as_string() == target) return &row.as_object();
    }
    return nullptr;
  }
  int64_t AuditCount() { return static_cast<int64_t>((*store_->audit().Scan(0, 100000)).size()); }

  As as_;
  std::string app_, user_;
};

TEST_F(MappingPreviewTest, SavedMappingsGiveEveryAttributeAndTheTargetObject) {
  int64_t audited = AuditCount();
  auto r = Send("POST", Url(), as_, J({{"user_id", user_}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("mappings"), "saved");
  EXPECT_EQ(r.json.at("errors"), 0);
  EXPECT_EQ(r.json.at("assigned"), false);  // a preview works for anyone in the directory
  EXPECT_EQ(r.json.at("in_scope"), true);
  EXPECT_EQ(r.json.at("user").at("userName"), "jose.garcia@example.com");
  const object* user_name = Row(r, "userName");
  ASSERT_NE(user_name, nullptr) << r.body;
  EXPECT_EQ(user_name->at("expression"), "[userName]");
  EXPECT_EQ(user_name->at("value"), "jose.garcia@example.com");
  EXPECT_EQ(r.json.at("on_create").at("name").at("givenName"), "José");
  EXPECT_EQ(r.json.at("on_create").at("emails"),
            boost::json::parse(R"([{"type":"work","value":"jose@example.com"}])"));
  EXPECT_EQ(r.json.at("on_create").at("externalId"), "hr-417");
  EXPECT_EQ(AuditCount(), audited);  // a preview changes nothing
}

TEST_F(MappingPreviewTest, TheManagerIsShownAsTheEngineSendsHer) {
  constexpr const char* kEnt = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  auto report = Send("PATCH", "/api/v1/users/" + user_, as_,
                     J({{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                        {"Operations", array{object{{"op", "add"},
                                                    {"path", std::string(kEnt) + ":manager"},
                                                    {"value", {{"value", "boss-portal-id"}}}}}}}));
  ASSERT_EQ(report.status, 200) << report.body;
  // The manager has no account in the application: the account is sent without one.
  auto r = Send("POST", Url(), as_, J({{"user_id", user_}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("manager").at("user_id"), "boss-portal-id");
  EXPECT_TRUE(r.json.at("manager").at("value").is_null()) << r.body;
  EXPECT_FALSE(r.json.at("on_create").as_object().contains(kEnt)) << r.body;
  // Once she has one, its id is what the account names.
  store::AccountLinkRow link;
  link.application_id = app_;
  link.subject_type = "user";
  link.subject_id = "boss-portal-id";
  link.target_id = "t-boss";
  link.state = "active";
  link.desired = "{}";
  link.updated = clock_.Now();
  auto tx = std::move(store_->Begin()).value();
  ASSERT_TRUE(store_->links().Upsert(*tx, link).ok());
  ASSERT_TRUE(tx->Commit().ok());
  r = Send("POST", Url(), as_, J({{"user_id", user_}}));
  EXPECT_EQ(r.json.at("manager").at("value"), "t-boss") << r.body;
  EXPECT_EQ(r.json.at("on_create").at(kEnt).at("manager").at("value"), "t-boss") << r.body;
  EXPECT_EQ(r.json.at("on_update").at(kEnt).at("manager").at("value"), "t-boss") << r.body;
}

TEST_F(MappingPreviewTest, UnsavedMappingsShowEachErrorAndCreateOnlyValues) {
  auto before = Send("GET", "/api/v1/applications/" + app_ + "/mappings", as_);
  array unsaved{
      object{{"target", "userName"}, {"source", "[userName]"}, {"strength", "strong"}},
      object{{"target", "Alias"}, {"source", "Left([active], 2)"}, {"strength", "strong"}},
      object{{"target", "nickName"},
             {"source", "ToLower(NormalizeDiacritics([name.givenName]))"},
             {"strength", "normal"}},
      object{{"target", "timezone"}, {"source", "\"Europe/Madrid\""}, {"strength", "weak"}}};
  auto r = Send("POST", Url(), as_, J({{"user_id", user_}, {"mappings", unsaved}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("mappings"), "unsaved");
  EXPECT_EQ(r.json.at("errors"), 1);
  ASSERT_EQ(r.json.at("attributes").as_array().size(), 4u);
  const object* alias = Row(r, "Alias");
  ASSERT_NE(alias, nullptr);
  EXPECT_TRUE(alias->at("value").is_null());
  EXPECT_EQ(alias->at("error"), "Left: argument 1 (source) must be a string, got boolean")
      << r.body;
  EXPECT_EQ(Row(r, "nickName")->at("value"), "jose");
  EXPECT_EQ(Row(r, "timezone")->at("apply"), "on_create_only");
  // The failing attribute is left out; the create-only one is only in the create form.
  EXPECT_EQ(
      r.json.at("on_create"),
      boost::json::parse(
          R"({"userName":"jose.garcia@example.com","nickName":"jose","timezone":"Europe/Madrid"})"));
  EXPECT_EQ(r.json.at("on_update"),
            boost::json::parse(R"({"userName":"jose.garcia@example.com","nickName":"jose"})"));
  // Nothing was saved.
  EXPECT_EQ(Send("GET", "/api/v1/applications/" + app_ + "/mappings", as_).body, before.body);
}

TEST_F(MappingPreviewTest, AssignmentAndScopingFilterAreReported) {
  ASSERT_EQ(
      Send("POST", "/api/v1/applications/" + app_ + "/assignments", as_, J({{"user_id", user_}}))
          .status,
      201);
  ASSERT_EQ(Send("PATCH", "/api/v1/applications/" + app_, as_,
                 J({{"settings", {{"scoping_filter", "title eq \"Engineer\""}}}}))
                .status,
            200);
  auto r = Send("POST", Url(), as_, J({{"user_id", user_}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("assigned"), true);
  EXPECT_EQ(r.json.at("in_scope"), false);
}

TEST_F(MappingPreviewTest, BadInputIsRefusedWithPreciseCodes) {
  EXPECT_EQ(Send("POST", Url(), as_, "{}").Code(), "missing_field");
  EXPECT_EQ(Send("POST", Url(), as_, J({{"user_id", user_}, {"colour", 1}})).Code(),
            "unknown_field");
  auto unknown = Send("POST", Url(), as_, J({{"user_id", "no-such-user"}}));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.Code(), "unknown_user");
  // Unsaved mappings are checked as saving checks them, with the row and the position.
  auto bad =
      Send("POST", Url(), as_,
           J({{"user_id", user_},
              {"mappings", array{object{{"target", "userName"}, {"source", "[userName]"}},
                                 object{{"target", "Alias"}, {"source", "Left([userName] 8)"}}}}}));
  EXPECT_EQ(bad.Code(), "invalid_mapping") << bad.body;
  EXPECT_EQ(bad.json.at("error").at("details").at("field"), "mappings[1].source") << bad.body;
  EXPECT_EQ(bad.json.at("error").at("details").at("position"), 17) << bad.body;
  EXPECT_EQ(Send("POST", Url(), as_, J({{"user_id", user_}, {"mappings", "x"}})).Code(),
            "invalid_type");
  EXPECT_EQ(Send("POST", "/api/v1/applications/nope/mappings/preview", as_, J({{"user_id", user_}}))
                .status,
            404);
}

TEST_F(MappingPreviewTest, AnLdapDirectorysImportMappingsAreNotPreviewedAsTargets) {
  auto ldap =
      Send("POST", "/api/v1/applications", as_,
           J({{"template", "ldap"}, {"name", "Directory"}, {"capabilities", {"import_sync"}}}));
  ASSERT_EQ(ldap.status, 201) << ldap.body;
  auto r = Send(
      "POST",
      "/api/v1/applications/" + std::string(ldap.json.at("id").as_string()) + "/mappings/preview",
      as_, J({{"user_id", user_}}));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.Code(), "import_mappings");
}

TEST_F(MappingPreviewTest, AnOperatorMayPreview) {
  AddAdmin("operator@example.com", "operator");
  As op = SignIn("operator@example.com");
  auto r = Send("POST", Url(), op, J({{"user_id", user_}}));
  EXPECT_EQ(r.status, 200) << r.body;
}

}  // namespace
}  // namespace provisio::api
