// Admins, tokens, connections, applications, assignments and the audit log through the API.
#include "api/api_test_support.h"
#include "api/endpoints.h"
#include "api/handlers.h"
#include "apps/connections.h"
#include "security/token.h"

namespace provisio::api {
namespace {

std::string J(const boost::json::object& o) { return boost::json::serialize(o); }

constexpr const char* kSecret = "s3cr3t-bearer-value-that-must-never-leak";

class ResourcesTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    root_ = AddAdmin("root@example.com", "super-admin");
    as_ = SignIn("root@example.com");
  }
  std::string CreateScimConnection(const std::string& name = "Acme SCIM") {
    auto r = Send("POST", "/api/v1/connections", as_,
                  J({{"name", name},
                     {"type", "scim2"},
                     {"base_url", "https://acme.example.com/scim/v2"},
                     {"auth", {{"kind", "bearer"}, {"token", kSecret}}}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json.at("id").as_string());
  }
  int64_t AuditCount() { return static_cast<int64_t>((*store_->audit().Scan(0, 100000)).size()); }
  store::AdminRecord root_;
  As as_;
};

TEST_F(ResourcesTest, LastSuperAdminCannotBeDemotedDisabledOrDeleted) {
  for (const char* body : {R"({"role":"admin"})", R"({"disabled":true})"}) {
    auto r = Send("PATCH", "/api/v1/admins/" + root_.id, as_, body);
    EXPECT_EQ(r.status, 409) << body;
    EXPECT_EQ(r.Code(), "last_super_admin");
  }
  EXPECT_EQ(Send("DELETE", "/api/v1/admins/" + root_.id, as_).Code(), "last_super_admin");
  auto second = Send("POST", "/api/v1/admins", as_,
                     J({{"email", "two@example.com"},
                        {"role", "super-admin"},
                        {"password", "a long enough password"}}));
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.body.find("password"), std::string::npos);
  EXPECT_EQ(Send("PATCH", "/api/v1/admins/" + root_.id, as_, R"({"role":"admin"})").status, 200);
  std::string two_id(second.json.at("id").as_string());
  EXPECT_EQ(Send("DELETE", "/api/v1/admins/" + two_id, as_).status, 403);  // now an Admin
}

TEST_F(ResourcesTest, ApiTokensShownOnceScopedAndOwned) {
  AddAdmin("admin@example.com", "admin");
  As admin = SignIn("admin@example.com");
  EXPECT_EQ(
      Send("POST", "/api/v1/api-tokens", admin, R"({"name":"x","role":"super-admin"})").Code(),
      "role_too_high");
  auto mine = Send("POST", "/api/v1/api-tokens", admin, R"({"name":"ci","role":"operator"})");
  ASSERT_EQ(mine.status, 201) << mine.body;
  std::string secret(mine.json.at("token").as_string());
  std::string id(mine.json.at("id").as_string());
  auto theirs = Send("POST", "/api/v1/api-tokens", as_, R"({"name":"root-ci","role":"admin"})");
  std::string their_id(theirs.json.at("id").as_string());
  // Lists and reads never show the secret; an Admin sees only its own.
  auto list = Send("GET", "/api/v1/api-tokens", admin);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  ASSERT_EQ(list.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(Send("GET", "/api/v1/api-tokens", as_).json.at("items").as_array().size(), 2u);
  EXPECT_EQ(Send("GET", "/api/v1/api-tokens/" + id, admin).body.find(secret), std::string::npos);
  EXPECT_EQ(Send("DELETE", "/api/v1/api-tokens/" + their_id, admin).status, 404);
  // The token works until revoked.
  EXPECT_EQ(Send("GET", "/api/v1/connections", Bearer(secret)).status, 200);
  EXPECT_EQ(Send("POST", "/api/v1/connections", Bearer(secret), "{}").status, 403);  // operator
  EXPECT_EQ(Send("DELETE", "/api/v1/api-tokens/" + id, admin).status, 204);
  EXPECT_EQ(Send("GET", "/api/v1/connections", Bearer(secret)).status, 401);
}

TEST_F(ResourcesTest, ScimTokensAreSuperAdminOnlyAndOfKindScim) {
  auto r = Send("POST", "/api/v1/scim-tokens", as_, R"({"name":"workday"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("role"), "scim-client");
  auto row = store_->tokens().Get(r.json.at("id").as_string());
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->kind, "scim");
  EXPECT_EQ((*row)->hash, security::HashToken(r.json.at("token").as_string()));
  std::string secret(r.json.at("token").as_string());
  EXPECT_EQ(Send("GET", "/api/v1/catalog", Bearer(secret)).Code(), "scim_token_refused");
}

TEST_F(ResourcesTest, ConnectionSecretsAreSealedNeverReturnedAndKeptOnUpdate) {
  std::string id = CreateScimConnection();
  auto got = Send("GET", "/api/v1/connections/" + id, as_);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json.at("auth"), boost::json::parse(R"({"kind":"bearer","token":{"set":true}})"));
  EXPECT_EQ(got.body.find(kSecret), std::string::npos);
  auto row = *store_->connections().Get(nullptr, id);
  EXPECT_EQ(row->secrets.find(kSecret), std::string::npos);  // sealed at rest
  auto renamed = Send("PATCH", "/api/v1/connections/" + id, as_, R"({"name":"Acme"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  auto secrets = apps::OpenSecrets(**store_->connections().Get(nullptr, id), *box_);
  ASSERT_TRUE(secrets.ok());
  EXPECT_EQ(secrets->at("token"), kSecret);
  // Changing the kind needs the new kind's secrets.
  auto basic = Send("PATCH", "/api/v1/connections/" + id, as_,
                    R"({"auth":{"kind":"basic","username":"u"}})");
  EXPECT_EQ(basic.Code(), "missing_field");
  EXPECT_EQ(basic.json.at("error").at("details").at("field"), "auth.password");
  // Nothing in the audit log carries the secret either.
  auto log = Send("GET", "/api/v1/audit-log?limit=500", as_);
  EXPECT_EQ(log.body.find(kSecret), std::string::npos);
  EXPECT_NE(log.body.find("connection.create"), std::string::npos);
}

TEST_F(ResourcesTest, ConnectionInUseIsRefusedUnlessForced) {
  std::string conn = CreateScimConnection();
  auto app = Send("POST", "/api/v1/applications", as_,
                  J({{"template", "scim2"},
                     {"name", "Acme"},
                     {"capabilities", {"provisioning"}},
                     {"connection_id", conn}}));
  ASSERT_EQ(app.status, 201) << app.body;
  EXPECT_EQ(app.json.at("state"), "active");
  EXPECT_EQ(app.json.at("capabilities"), boost::json::parse(R"(["provisioning","import_sync"])"));
  auto refused = Send("DELETE", "/api/v1/connections/" + conn, as_);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.Code(), "connection_in_use");
  EXPECT_EQ(Send("DELETE", "/api/v1/connections/" + conn + "?force=maybe", as_).status, 400);
  EXPECT_EQ(Send("DELETE", "/api/v1/connections/" + conn + "?force=true", as_).status, 204);
  auto after =
      Send("GET", "/api/v1/applications/" + std::string(app.json.at("id").as_string()), as_);
  EXPECT_EQ(after.json.at("state"), "draft");
  EXPECT_TRUE(after.json.at("connection_id").is_null());
}

TEST_F(ResourcesTest, ConnectionTestIs501WithoutATesterAndUsesOneWhenPlugged) {
  std::string conn = CreateScimConnection();
  auto r = Send("POST", "/api/v1/connections/" + conn + "/test", as_);
  EXPECT_EQ(r.status, 501);
  EXPECT_EQ(r.Code(), "not_implemented");
  EXPECT_NE(r.body.find("scim2"), std::string::npos);
}

class PluggedTesterTest : public ResourcesTest {
 protected:
  PluggedTesterTest() {
    testers_["scim2"] = [](const apps::ConnectionRecord& c, const apps::DecryptedSecrets& s) {
      return Result<apps::TestResult>(
          apps::TestResult{s.at("token") == kSecret, "reached " + c.base_url});
    };
  }
};

TEST_F(PluggedTesterTest, TheTesterGetsTheDecryptedSecrets) {
  std::string conn = CreateScimConnection();
  auto r = Send("POST", "/api/v1/connections/" + conn + "/test", as_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json, boost::json::parse(
                        R"({"ok":true,"message":"reached https://acme.example.com/scim/v2"})"));
}

TEST_F(ResourcesTest, ApplicationRulesAndStates) {
  auto draft =
      Send("POST", "/api/v1/applications", as_,
           J({{"template", "salesforce"}, {"name", "SF"}, {"capabilities", {"import_sync"}}}));
  ASSERT_EQ(draft.status, 201) << draft.body;
  EXPECT_EQ(draft.json.at("state"), "draft");
  EXPECT_EQ(draft.json.at("settings").at("matching_attribute"), "Username");
  std::string id(draft.json.at("id").as_string());
  std::string scim_conn = CreateScimConnection();
  auto mismatch =
      Send("PATCH", "/api/v1/applications/" + id, as_, J({{"connection_id", scim_conn}}));
  EXPECT_EQ(mismatch.Code(), "connection_type_mismatch");
  EXPECT_EQ(Send("PATCH", "/api/v1/applications/" + id, as_, R"({"state":"paused"})").Code(),
            "connection_required");
  auto bad_filter = Send("PATCH", "/api/v1/applications/" + id, as_,
                         R"({"settings":{"scoping_filter":"userName eq"}})");
  EXPECT_EQ(bad_filter.Code(), "invalid_filter");
  auto good = Send(
      "PATCH", "/api/v1/applications/" + id, as_,
      R"({"settings":{"scoping_filter":"title eq \"Engineer\"","deprovisioning_action":"delete","sync_schedule":"1h"}})");
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(good.json.at("settings").at("deprovisioning_action"), "delete");
  EXPECT_EQ(good.json.at("settings").at("matching_attribute"), "Username");  // kept
  EXPECT_EQ(Send("PATCH", "/api/v1/applications/" + id, as_, R"({"template":"ldap"})").Code(),
            "immutable_field");
  EXPECT_EQ(Send("POST", "/api/v1/applications", as_,
                 J({{"template", "nope"}, {"name", "x"}, {"capabilities", {"import_sync"}}}))
                .Code(),
            "unknown_template");
  auto sf_conn = Send(
      "POST", "/api/v1/connections", as_,
      J({{"name", "SF prod"},
         {"type", "salesforce"},
         {"base_url", "https://login.salesforce.com"},
         {"auth",
          {{"kind", "salesforce_jwt_bearer"},
           {"login_url", "https://login.salesforce.com"},
           {"client_id", "3MVG9"},
           {"username", "integration@acme.com"},
           {"private_key", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"}}}}));
  ASSERT_EQ(sf_conn.status, 201) << sf_conn.body;
  auto active = Send("PATCH", "/api/v1/applications/" + id, as_,
                     J({{"connection_id", sf_conn.json.at("id")}}));
  EXPECT_EQ(active.json.at("state"), "active");
  EXPECT_EQ(Send("PATCH", "/api/v1/applications/" + id, as_, R"({"state":"quarantined"})")
                .json.at("state"),
            "quarantined");
  auto mappings = Send("GET", "/api/v1/applications/" + id + "/mappings", as_);
  EXPECT_EQ(mappings.json.at("items").as_array()[0].at("target"), "Username");
}

TEST_F(ResourcesTest, ImportMappingsAreCheckedWhenSavedAndEmptyMeansTheTemplates) {
  auto app =
      Send("POST", "/api/v1/applications", as_,
           J({{"template", "salesforce"}, {"name", "SF"}, {"capabilities", {"import_sync"}}}));
  ASSERT_EQ(app.status, 201) << app.body;
  const std::string path = "/api/v1/applications/" + std::string(app.json.at("id").as_string());
  auto with = [](boost::json::array list) {
    return J({{"settings", {{"import_mappings", std::move(list)}}}});
  };
  auto row = [](const char* target, const char* source) {
    return boost::json::object{{"target", target}, {"source", source}};
  };
  int64_t audited = AuditCount();
  auto bad = Send("PATCH", path, as_,
                  with({row("userName", "[Username]"), row("title", "Left([Title], 3")}));
  EXPECT_EQ(bad.Code(), "invalid_mapping") << bad.body;
  EXPECT_EQ(bad.json.at("error").at("details").at("field"), "settings.import_mappings[1].source");
  auto no_user_name = Send("PATCH", path, as_, with({row("title", "[Title]")}));
  EXPECT_EQ(no_user_name.Code(), "invalid_value") << no_user_name.body;
  EXPECT_EQ(AuditCount(), audited);  // refused: nothing written

  auto good = Send("PATCH", path, as_,
                   with({row("userName", "ToLower([Username])"), row("title", "[Title]")}));
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(good.json.at("settings").at("import_mappings").at(0).at("source"),
            "ToLower([Username])");
  auto back = Send("PATCH", path, as_, with({}));
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_FALSE(back.json.at("settings").as_object().contains("import_mappings"));  // the template's

  auto ldap = Send("POST", "/api/v1/applications", as_,
                   J({{"template", "ldap"}, {"name", "Dir"}, {"capabilities", {"import_sync"}}}));
  ASSERT_EQ(ldap.status, 201) << ldap.body;
  auto refused =
      Send("PATCH", "/api/v1/applications/" + std::string(ldap.json.at("id").as_string()), as_,
           with({row("userName", "[uid]")}));
  EXPECT_EQ(refused.Code(), "invalid_value") << refused.body;
}

TEST_F(ResourcesTest, MappingsAreValidatedAndReplaced) {
  auto app = Send("POST", "/api/v1/applications", as_,
                  J({{"template", "scim2"}, {"name", "A"}, {"capabilities", {"import_sync"}}}));
  std::string id(app.json.at("id").as_string());
  EXPECT_EQ(Send("PUT", "/api/v1/applications/" + id + "/mappings", as_,
                 R"({"items":[{"target":"a","source":"user.x","strength":"sometimes"}]})")
                .Code(),
            "invalid_value");
  EXPECT_EQ(Send("PUT", "/api/v1/applications/" + id + "/mappings", as_,
                 R"({"items":[{"target":"a","source":"x"},{"target":"a","source":"y"}]})")
                .Code(),
            "duplicate_value");
  auto bad = Send(
      "PUT", "/api/v1/applications/" + id + "/mappings", as_,
      R"({"items":[{"target":"userName","source":"Left([userName], 3","strength":"strong"}]})");
  EXPECT_EQ(bad.Code(), "invalid_mapping") << bad.body;
  EXPECT_EQ(bad.json.at("error").at("details").at("position"), 19)
      << bad.body;  // the end of the text
  // The exact member, so the console marks the row (a regression: it named only "items").
  EXPECT_EQ(bad.json.at("error").at("details").at("field"), "items[0].source") << bad.body;
  auto ok = Send(
      "PUT", "/api/v1/applications/" + id + "/mappings", as_,
      R"({"items":[{"target":"userName","source":"[emails[type eq \"work\"].value]","strength":"strong"}]})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Send("GET", "/api/v1/applications/" + id + "/mappings", as_)
                .json.at("items")
                .as_array()
                .size(),
            1u);
}

TEST_F(ResourcesTest, AssignmentsNeedARealUserOrGroupAndGoWithTheirApplication) {
  auto app = Send("POST", "/api/v1/applications", as_,
                  J({{"template", "scim2"}, {"name", "A"}, {"capabilities", {"import_sync"}}}));
  std::string app_id(app.json.at("id").as_string());
  std::string base = "/api/v1/applications/" + app_id + "/assignments";
  EXPECT_EQ(Send("POST", base, as_, R"({"user_id":"no-such-user"})").Code(), "unknown_user");
  EXPECT_EQ(Send("POST", base, as_, R"({"user_id":"a","group_id":"b"})").Code(),
            "conflicting_fields");
  store::UserRow user;
  user.id = NewUuid();
  user.user_name = "alice@example.com";
  user.created = user.updated = clock_.Now();
  user.resource = "{}";
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(store_->users().Insert(**tx, user).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  // Entitlements are what Import/Sync found in the application; nothing else may be selected.
  auto unknown =
      Send("POST", base, as_, J({{"user_id", user.id}, {"entitlements", {"Standard User"}}}));
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.Code(), "unknown_entitlement");
  EXPECT_EQ(unknown.json.at("error").at("details").at("entitlement_id"), "Standard User");
  EXPECT_TRUE(store_->assignments().List(nullptr, app_id)->empty());
  {
    auto tx = store_->Begin();
    for (std::string id : {"Standard User", "Read Only"}) {
      store::EntitlementRow e{app_id, id, "profile", id, "{}", "run-1", clock_.Now()};
      ASSERT_TRUE(store_->entitlements().Upsert(**tx, e).ok());
    }
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto a = Send("POST", base, as_, J({{"user_id", user.id}, {"entitlements", {"Standard User"}}}));
  ASSERT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(Send("POST", base, as_, J({{"user_id", user.id}})).status, 409);
  std::string aid(a.json.at("id").as_string());
  auto changed = Send("PATCH", base + "/" + aid, as_, R"({"entitlements":["Read Only"]})");
  EXPECT_EQ(changed.json.at("entitlements"), boost::json::parse(R"(["Read Only"])"));
  int64_t audited = AuditCount();
  auto bad = Send("PATCH", base + "/" + aid, as_, R"({"entitlements":["Read Only","Admin"]})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.Code(), "unknown_entitlement");
  EXPECT_EQ(bad.json.at("error").at("details").at("field"), "entitlements[1]");
  EXPECT_EQ(AuditCount(), audited);
  EXPECT_EQ(Send("GET", base + "/" + aid, as_).json.at("entitlements"),
            boost::json::parse(R"(["Read Only"])"));
  EXPECT_EQ(Send("PATCH", base + "/" + aid, as_, R"({"user_id":"x"})").Code(), "immutable_field");
  EXPECT_EQ(Send("DELETE", "/api/v1/applications/" + app_id, as_).status, 204);
  EXPECT_TRUE(store_->assignments().List(nullptr, app_id)->empty());
  EXPECT_EQ(Send("GET", base, as_).status, 404);
}

TEST_F(ResourcesTest, AuditChainVerifiesAndFiltersByObject) {
  std::string conn = CreateScimConnection();
  Send("PATCH", "/api/v1/connections/" + conn, as_, R"({"name":"renamed"})");
  auto verify = Send("GET", "/api/v1/audit-log/verify", as_);
  ASSERT_EQ(verify.status, 200);
  EXPECT_EQ(verify.json.at("ok"), true);
  EXPECT_EQ(verify.json.at("checked"), AuditCount());
  auto by_object = Send("GET", "/api/v1/audit-log?object=" + conn, as_);
  auto& items = by_object.json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("action"), "connection.update");
  EXPECT_EQ(items[0].at("before").at("name"), "Acme SCIM");
  EXPECT_EQ(items[0].at("after").at("name"), "renamed");
  auto page = Send("GET", "/api/v1/audit-log?limit=1", as_);
  EXPECT_EQ(page.json.at("items").as_array().size(), 1u);
  EXPECT_FALSE(page.json.at("next_before").is_null());
  EXPECT_EQ(Send("GET", "/api/v1/audit-log?limit=0", as_).status, 400);
}

// Every endpoint that takes a body refuses malformed ones with a precise code and changes
// nothing (the audit log, written with every change, does not grow).
TEST_F(ResourcesTest, BadInputOnEveryBodyEndpointIs400AndChangesNothing) {
  std::string conn = CreateScimConnection();
  auto app = Send("POST", "/api/v1/applications", as_,
                  J({{"template", "scim2"}, {"name", "A"}, {"capabilities", {"import_sync"}}}));
  std::string app_id(app.json.at("id").as_string());
  const std::vector<std::pair<std::string, std::string>> targets = {
      {"POST", "/api/v1/admins"},
      {"PATCH", "/api/v1/admins/" + root_.id},
      {"POST", "/api/v1/api-tokens"},
      {"POST", "/api/v1/scim-tokens"},
      {"POST", "/api/v1/connections"},
      {"PATCH", "/api/v1/connections/" + conn},
      {"POST", "/api/v1/applications"},
      {"PATCH", "/api/v1/applications/" + app_id},
      {"PUT", "/api/v1/applications/" + app_id + "/mappings"},
      {"POST", "/api/v1/applications/" + app_id + "/assignments"},
      {"POST", "/api/v1/session/password"},
  };
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"{not json", "invalid_json"},
      {"[1,2]", "invalid_type"},
      {R"({"surprise":1})", "unknown_field"},
  };
  int64_t before = AuditCount();
  for (const auto& [method, path] : targets) {
    for (const auto& [body, code] : bodies) {
      auto r = Send(method, path, as_, body);
      EXPECT_EQ(r.status, 400) << method << " " << path << " " << body << " -> " << r.body;
      EXPECT_EQ(r.Code(), code) << method << " " << path << " " << body;
    }
  }
  // Wrong types, missing fields and oversized values, per resource.
  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> cases = {
      {"POST", "/api/v1/admins", R"({"email":"x@example.com","role":"admin"})", "missing_field"},
      {"POST", "/api/v1/admins", R"({"email":5,"role":"admin","password":"long enough pass"})",
       "invalid_type"},
      {"POST", "/api/v1/admins",
       R"({"email":"x@example.com","role":"god","password":"long enough pass"})", "invalid_value"},
      {"POST", "/api/v1/api-tokens", J({{"name", std::string(201, 'n')}, {"role", "admin"}}),
       "value_too_long"},
      {"POST", "/api/v1/connections",
       R"({"name":"c","type":"scim2","base_url":"ftp://x","auth":{"kind":"bearer","token":"t"}})",
       "invalid_url"},
      {"POST", "/api/v1/connections",
       R"({"name":"c","type":"scim2","base_url":"https://x","auth":{"kind":"bearer"}})",
       "missing_field"},
      {"POST", "/api/v1/connections",
       R"({"name":"c","type":"scim2","base_url":"https://x","auth":{"kind":"bearer","token":"t","extra":1}})",
       "unknown_field"},
      {"POST", "/api/v1/connections",
       R"({"name":"c","type":"scim2","base_url":"https://x","auth":{"kind":"google_service_account"}})",
       "unsupported_auth_kind"},
      {"POST", "/api/v1/connections",
       R"({"name":"c","type":"ldap","base_url":"ldap://x","auth":{"kind":"basic","username":"cn=a","password":"p"}})",
       "missing_field"},
      {"PATCH", "/api/v1/connections/" + conn, R"({"type":"ldap"})", "immutable_field"},
      {"POST", "/api/v1/applications",
       R"({"template":"scim2","name":"B","capabilities":"provisioning"})", "invalid_type"},
      {"POST", "/api/v1/applications",
       R"({"template":"scim2","name":"B","capabilities":["teleport"]})", "invalid_value"},
      {"POST", "/api/v1/applications",
       R"({"template":"scim2","name":"B","capabilities":["import_sync"],"connection_id":"nope"})",
       "unknown_connection"},
      {"PATCH", "/api/v1/applications/" + app_id,
       R"({"settings":{"deprovisioning_action":"explode"}})", "invalid_value"},
      {"PATCH", "/api/v1/applications/" + app_id, R"({"settings":{"sync_schedule":"1s"}})",
       "invalid_value"},
      {"PATCH", "/api/v1/applications/" + app_id, J({{"description", std::string(2001, 'd')}}),
       "value_too_long"},
      {"POST", "/api/v1/applications/" + app_id + "/assignments", R"({})", "missing_field"},
      {"POST", "/api/v1/applications/" + app_id + "/assignments",
       R"({"group_id":"g","entitlements":[1]})", "invalid_type"},
  };
  for (const auto& [method, path, body, code] : cases) {
    auto r = Send(method, path, as_, body);
    EXPECT_EQ(r.status, 400) << method << " " << path << " " << body << " -> " << r.body;
    EXPECT_EQ(r.Code(), code) << method << " " << path << " " << body << " -> " << r.body;
  }
  EXPECT_EQ(AuditCount(), before);
}

TEST_F(ResourcesTest, OpenApiDescribesEveryEndpointFromTheSameTable) {
  auto r = Send("GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto& paths = r.json.at("paths").as_object();
  size_t operations = 0;
  for (const auto& kv : paths) operations += kv.value().as_object().size();
  EXPECT_EQ(operations, Endpoints().size());
  EXPECT_EQ(paths.at("/api/v1/connections/{id}").at("delete").at("x-provisio-action"),
            "connections.manage");
  // Every request body names a schema the document defines.
  const auto& schemas = r.json.at("components").at("schemas").as_object();
  for (const Endpoint& e : Endpoints()) {
    if (e.request_schema.empty()) continue;
    EXPECT_TRUE(schemas.contains(e.request_schema)) << e.method << " " << e.pattern;
  }
  EXPECT_TRUE(paths.at("/api/v1/applications/{id}/mappings/preview").as_object().contains("post"));
  EXPECT_TRUE(
      paths.at("/api/v1/applications/{id}/held/{source_id}/approve").as_object().contains("post"));
}

}  // namespace
}  // namespace provisio::api
