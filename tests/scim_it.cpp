// Provisio's inbound SCIM 2.0 service provider (/scim/v2) over real HTTP against
// `provisio serve`: every endpoint and error of the SCIM issue, and replays of the request
// sequences Microsoft Entra ID and Okta send when they provision (specs/scim-interop.md).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/admin_client.h"
#include "support/http_client.h"
#include "support/process.h"

namespace provisio::testing {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr const char* kPatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
constexpr const char* kBulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
constexpr const char* kSearchRequest = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
constexpr const char* kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";

// Percent-encodes a query parameter value.
std::string Enc(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// `provisio scim-token create` against the server's data dir; the token is its stdout.
std::string MintScimToken(const ProvisioServer& server, const std::string& name) {
  std::vector<std::string> argv{(BinDir() / "provisio").string(), "scim-token", "create", "--name",
                                name};
  for (auto& a : server.StoreArgs()) argv.push_back(a);
  ChildProcess p(argv, {{"PROVISIO_LOG_LEVEL", "warn"}});
  if (p.Wait() != 0) return "";
  p.WaitForLine("never", std::chrono::milliseconds(200));
  std::string out = p.output();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// A SCIM client of one server: base URL, token and JSON helpers.
class ScimClient {
 public:
  ScimClient(std::string base, std::string token)
      : base_(std::move(base)), token_(std::move(token)) {}

  HttpResponse Call(const std::string& method, const std::string& path, const value& body = {},
                    std::vector<std::string> headers = {},
                    const std::string& content_type = "application/scim+json") const {
    headers.push_back("Authorization: Bearer " + token_);
    std::string text;
    if (!body.is_null()) {
      headers.push_back("Content-Type: " + content_type);
      text = boost::json::serialize(body);
    }
    return Fetch(method, base_ + path, headers, text);
  }
  HttpResponse Get(const std::string& path, std::vector<std::string> headers = {}) const {
    return Call("GET", path, {}, std::move(headers));
  }
  HttpResponse Post(const std::string& path, const value& body) const {
    return Call("POST", path, body);
  }
  HttpResponse Put(const std::string& path, const value& body,
                   std::vector<std::string> headers = {}) const {
    return Call("PUT", path, body, std::move(headers));
  }
  HttpResponse Patch(const std::string& path, const array& ops,
                     std::vector<std::string> headers = {}) const {
    return Call("PATCH", path, object{{"schemas", array{kPatchOp}}, {"Operations", ops}},
                std::move(headers));
  }
  HttpResponse Delete(const std::string& path, std::vector<std::string> headers = {}) const {
    return Call("DELETE", path, {}, std::move(headers));
  }
  // GET a list with a filter (encoded here) and extra raw query parameters.
  HttpResponse Filter(const std::string& endpoint, const std::string& filter,
                      const std::string& extra = "") const {
    std::string q = endpoint + "?filter=" + Enc(filter);
    if (!extra.empty()) q += "&" + extra;
    return Get(q);
  }
  const std::string& base() const { return base_; }
  const std::string& token() const { return token_; }

 private:
  std::string base_;
  std::string token_;
};

object UserBody(const std::string& user_name, object extra = {}) {
  object o{{"schemas", array{kUserSchema}}, {"userName", user_name}};
  for (auto& [k, v] : extra) o[k] = v;
  return o;
}

std::string Id(const HttpResponse& r) {
  auto v = r.Json();
  if (!v.is_object() || !v.as_object().contains("id")) return "";
  return std::string(v.at("id").as_string());
}

int64_t Total(const HttpResponse& r) {
  auto v = r.Json();
  if (!v.is_object() || !v.as_object().contains("totalResults")) return -1;
  return v.at("totalResults").to_number<int64_t>();
}

array Resources(const HttpResponse& r) {
  auto v = r.Json();
  if (!v.is_object()) return {};
  if (auto* res = v.as_object().if_contains("Resources"); res && res->is_array()) {
    return res->as_array();
  }
  return {};
}

std::string ScimType(const HttpResponse& r) {
  auto v = r.Json();
  if (!v.is_object()) return "<not json>";
  if (auto* t = v.as_object().if_contains("scimType"); t && t->is_string()) {
    return std::string(t->as_string());
  }
  return "";
}

// A SCIM error body with `status` and (when not empty) `scim_type`.
void ExpectScimError(const HttpResponse& r, long status, const std::string& scim_type) {
  EXPECT_EQ(r.status, status) << r.body;
  auto v = r.Json();
  ASSERT_TRUE(v.is_object()) << r.body;
  EXPECT_EQ(v.at("schemas"), (array{kErrorSchema})) << r.body;
  EXPECT_EQ(v.at("status"), value(std::to_string(status))) << r.body;
  EXPECT_EQ(ScimType(r), scim_type) << r.body;
  EXPECT_TRUE(v.as_object().contains("detail")) << r.body;
  EXPECT_NE(r.Header("content-type").find("application/scim+json"), std::string::npos);
}

std::set<std::string> MemberIds(const HttpResponse& group) {
  std::set<std::string> out;
  auto v = group.Json();
  if (!v.is_object()) return out;
  if (auto* m = v.as_object().if_contains("members"); m && m->is_array()) {
    for (const auto& e : m->as_array()) out.emplace(e.at("value").as_string());
  }
  return out;
}

std::string Version(const HttpResponse& r) {
  auto v = r.Json();
  if (!v.is_object() || !v.as_object().contains("meta")) return "";
  return std::string(v.at("meta").at("version").as_string());
}

class ScimTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ProvisioServer();
    token_ = new std::string(MintScimToken(*server_, "it"));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete token_;
    server_ = nullptr;
    token_ = nullptr;
  }
  void SetUp() override { ASSERT_FALSE(token_->empty()) << "scim-token create printed nothing"; }

  ScimClient Client() const { return ScimClient(server_->url() + "/scim/v2", *token_); }
  std::string CreateUser(const std::string& user_name, object extra = {}) {
    auto r = Client().Post("/Users", UserBody(user_name, std::move(extra)));
    EXPECT_EQ(r.status, 201) << r.body;
    return Id(r);
  }
  std::string CreateGroup(const std::string& name, const std::vector<std::string>& members = {}) {
    array m;
    for (const auto& id : members) m.push_back(object{{"value", id}});
    auto r = Client().Post(
        "/Groups", object{{"schemas", array{kGroupSchema}}, {"displayName", name}, {"members", m}});
    EXPECT_EQ(r.status, 201) << r.body;
    return Id(r);
  }

  static ProvisioServer* server_;
  static std::string* token_;
};

ProvisioServer* ScimTest::server_ = nullptr;
std::string* ScimTest::token_ = nullptr;

// ---------------------------------------------------------------- authentication

TEST_F(ScimTest, MissingOrBadTokenIs401WithWwwAuthenticate) {
  std::string base = server_->url() + "/scim/v2";
  for (const auto& headers : std::vector<std::vector<std::string>>{
           {}, {"Authorization: Bearer not-a-token"}, {"Authorization: Basic dXNlcjpwYXNz"}}) {
    for (const std::string path : {"/Users", "/Groups", "/ServiceProviderConfig", "/Schemas"}) {
      auto r = Fetch("GET", base + path, headers);
      ExpectScimError(r, 401, "");
      EXPECT_NE(r.Header("www-authenticate").find("Bearer"), std::string::npos) << path;
    }
  }
  auto post = Fetch("POST", base + "/Users", {"Content-Type: application/scim+json"},
                    boost::json::serialize(UserBody("unauth")));
  ExpectScimError(post, 401, "");
  EXPECT_EQ(Total(Client().Filter("/Users", "userName eq \"unauth\"")), 0);
}

// Admin API tokens: Super Admin and Admin may write through /scim/v2, Operator only read.
// SCIM tokens minted by the admin API (POST /api/v1/scim-tokens) work like CLI-minted ones.
TEST(ScimAdminTokenTest, OperatorMayReadButNotWrite) {
  const std::string email = "root@example.com", password = "correct horse battery staple";
  ProvisioServer server(
      {{"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", email}, {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", password}});
  AdminClient admin(server.url(), email, password);
  ASSERT_TRUE(admin.ok()) << "sign-in failed";
  auto mint = [&](const std::string& kind, const std::string& role) {
    object body{{"name", kind + "-" + role}};
    if (!role.empty()) body["role"] = role;
    auto r = admin.Call("POST", "/api/v1/" + kind, boost::json::serialize(body));
    if (r.status == 404) return std::string("<absent>");
    EXPECT_EQ(r.status, 201) << r.body;
    auto v = r.Json();
    return v.is_object() && v.as_object().contains("token") ? std::string(v.at("token").as_string())
                                                            : std::string();
  };
  std::string operator_token = mint("api-tokens", "operator");
  if (operator_token == "<absent>") GTEST_SKIP() << "the admin API has no /api/v1/api-tokens yet";
  std::string admin_token = mint("api-tokens", "admin");
  std::string scim_token = mint("scim-tokens", "");
  ASSERT_FALSE(operator_token.empty() || admin_token.empty() || scim_token.empty());
  std::string base = server.url() + "/scim/v2";

  ScimClient as_admin(base, admin_token);
  auto created = as_admin.Post("/Users", UserBody("admin.made"));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = Id(created);

  ScimClient as_operator(base, operator_token);
  EXPECT_EQ(as_operator.Get("/Users/" + id).status, 200);
  EXPECT_EQ(Total(as_operator.Filter("/Users", "userName eq \"admin.made\"")), 1);
  EXPECT_EQ(as_operator.Get("/ServiceProviderConfig").status, 200);
  ExpectScimError(as_operator.Post("/Users", UserBody("operator.made")), 403, "");
  ExpectScimError(
      as_operator.Patch("/Users/" + id,
                        array{object{{"op", "replace"}, {"path", "title"}, {"value", "x"}}}),
      403, "");
  ExpectScimError(as_operator.Put("/Users/" + id, UserBody("admin.made")), 403, "");
  ExpectScimError(as_operator.Delete("/Users/" + id), 403, "");
  ExpectScimError(
      as_operator.Post("/Bulk", object{{"schemas", array{kBulkRequest}}, {"Operations", array{}}}),
      403, "");
  EXPECT_EQ(Total(as_admin.Filter("/Users", "userName eq \"operator.made\"")), 0);
  EXPECT_FALSE(as_admin.Get("/Users/" + id).Json().as_object().contains("title"));

  ScimClient as_scim(base, scim_token);
  EXPECT_EQ(as_scim.Post("/Users", UserBody("scim.made")).status, 201);
  EXPECT_EQ(as_scim.Delete("/Users/" + id).status, 204);
}

// ---------------------------------------------------------------- discovery

TEST_F(ScimTest, ServiceProviderConfigAdvertisesWhatIsEnforced) {
  auto r = Client().Get("/ServiceProviderConfig");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.Header("content-type").find("application/scim+json"), std::string::npos);
  auto c = r.Json();
  EXPECT_EQ(c.at("patch").at("supported"), true);
  EXPECT_EQ(c.at("bulk").at("supported"), true);
  EXPECT_EQ(c.at("bulk").at("maxOperations"), 1000);
  EXPECT_EQ(c.at("bulk").at("maxPayloadSize"), 4 << 20);
  EXPECT_EQ(c.at("filter").at("supported"), true);
  EXPECT_EQ(c.at("filter").at("maxResults"), 1000);
  EXPECT_EQ(c.at("sort").at("supported"), true);
  EXPECT_EQ(c.at("etag").at("supported"), true);
  EXPECT_EQ(c.at("changePassword").at("supported"), false);
  EXPECT_FALSE(c.at("authenticationSchemes").as_array().empty());
}

TEST_F(ScimTest, SchemasAndResourceTypesListAndById) {
  auto schemas = Client().Get("/Schemas");
  ASSERT_EQ(schemas.status, 200) << schemas.body;
  std::set<std::string> ids;
  for (const auto& s : Resources(schemas)) ids.emplace(s.at("id").as_string());
  EXPECT_TRUE(ids.count(kUserSchema) && ids.count(kGroupSchema) && ids.count(kEnterprise))
      << schemas.body;
  EXPECT_EQ(Total(schemas), static_cast<int64_t>(ids.size()));

  auto user_schema = Client().Get(std::string("/Schemas/") + kUserSchema);
  ASSERT_EQ(user_schema.status, 200) << user_schema.body;
  EXPECT_EQ(user_schema.Json().at("id"), kUserSchema);
  bool has_user_name = false;
  for (const auto& a : array(user_schema.Json().at("attributes").as_array())) {
    has_user_name = has_user_name || a.at("name") == "userName";
  }
  EXPECT_TRUE(has_user_name);
  ExpectScimError(Client().Get("/Schemas/urn:nope"), 404, "");

  auto types = Client().Get("/ResourceTypes");
  ASSERT_EQ(types.status, 200) << types.body;
  std::set<std::string> names;
  for (const auto& t : Resources(types)) names.emplace(t.at("name").as_string());
  EXPECT_EQ(names, (std::set<std::string>{"User", "Group"}));
  auto user_type = Client().Get("/ResourceTypes/User");
  ASSERT_EQ(user_type.status, 200) << user_type.body;
  EXPECT_EQ(user_type.Json().at("endpoint"), "/Users");
  EXPECT_EQ(user_type.Json().at("schema"), kUserSchema);
  auto group_type = Client().Get("/ResourceTypes/Group");
  ASSERT_EQ(group_type.status, 200) << group_type.body;
  EXPECT_EQ(group_type.Json().at("endpoint"), "/Groups");
  ExpectScimError(Client().Get("/ResourceTypes/Device"), 404, "");
  ExpectScimError(Client().Get("/NoSuchEndpoint"), 404, "");
}

// ---------------------------------------------------------------- users: CRUD, meta, ETags

TEST_F(ScimTest, UserCreateReadReplacePatchDeleteWithMeta) {
  auto c = Client();
  auto created = c.Post(
      "/Users",
      UserBody(
          "crud.ada",
          {{"name", object{{"givenName", "Ada"}, {"familyName", "Lovelace"}}},
           {"password", "Sup3r-secret!"},
           {"externalId", "ext-ada"},
           {"emails",
            array{object{{"value", "ada@example.com"}, {"type", "work"}, {"primary", true}}}}}));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_NE(created.Header("content-type").find("application/scim+json"), std::string::npos);
  auto body = created.Json().as_object();
  std::string id = Id(created);
  ASSERT_FALSE(id.empty());
  EXPECT_FALSE(body.contains("password")) << "password is never returned";
  const auto& meta = body.at("meta").as_object();
  EXPECT_EQ(meta.at("resourceType"), "User");
  EXPECT_EQ(meta.at("location"), value(c.base() + "/Users/" + id));
  EXPECT_EQ(created.Header("location"), c.base() + "/Users/" + id);
  EXPECT_EQ(meta.at("version"), value(created.Header("etag")));
  EXPECT_TRUE(created.Header("etag").starts_with("W/\"")) << created.Header("etag");
  EXPECT_TRUE(meta.contains("created") && meta.contains("lastModified"));
  EXPECT_EQ(body.at("active"), true) << "active defaults to true";

  auto got = c.Get("/Users/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json().at("userName"), "crud.ada");
  EXPECT_EQ(got.Json().at("name").at("familyName"), "Lovelace");
  EXPECT_EQ(got.Header("etag"), created.Header("etag"));
  EXPECT_FALSE(got.Json().as_object().contains("password"));

  auto replaced =
      c.Put("/Users/" + id, UserBody("crud.ada", {{"displayName", "Ada L."}, {"active", false}}));
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(replaced.Json().at("displayName"), "Ada L.");
  EXPECT_EQ(replaced.Json().at("active"), false);
  EXPECT_FALSE(replaced.Json().as_object().contains("name")) << "PUT replaces the whole resource";
  EXPECT_EQ(replaced.Json().at("meta").at("created"), meta.at("created"));
  EXPECT_NE(Version(replaced), Version(created));
  EXPECT_EQ(replaced.Json().at("id"), value(id));

  auto patched =
      c.Patch("/Users/" + id,
              array{object{{"op", "replace"}, {"path", "displayName"}, {"value", "Countess"}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json().at("displayName"), "Countess");
  EXPECT_NE(Version(patched), Version(replaced));
  EXPECT_EQ(patched.Header("etag"), Version(patched));

  auto deleted = c.Delete("/Users/" + id);
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_TRUE(deleted.body.empty());
  ExpectScimError(c.Get("/Users/" + id), 404, "");
  ExpectScimError(c.Delete("/Users/" + id), 404, "");
  ExpectScimError(c.Put("/Users/" + id, UserBody("crud.ada")), 404, "");
  ExpectScimError(c.Patch("/Users/" + id,
                          array{object{{"op", "replace"}, {"path", "active"}, {"value", false}}}),
                  404, "");
  EXPECT_EQ(Total(c.Filter("/Users", "userName eq \"crud.ada\"")), 0);
}

TEST_F(ScimTest, ApplicationJsonIsAcceptedToo) {
  auto c = Client();
  auto r = c.Call("POST", "/Users", UserBody("plain.json"), {}, "application/json");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.Header("content-type").find("application/scim+json"), std::string::npos);
  auto p = c.Call("PATCH", "/Users/" + Id(r),
                  object{{"schemas", array{kPatchOp}},
                         {"Operations",
                          array{object{{"op", "add"}, {"path", "title"}, {"value", "Engineer"}}}}},
                  {}, "application/json; charset=utf-8");
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(p.Json().at("title"), "Engineer");
  auto s =
      c.Call("POST", "/Users/.search",
             object{{"schemas", array{kSearchRequest}}, {"filter", "userName eq \"plain.json\""}},
             {}, "application/json");
  EXPECT_EQ(Total(s), 1) << s.body;
}

TEST_F(ScimTest, WeakETagsIfMatchAndIfNoneMatch) {
  auto c = Client();
  auto created = c.Post("/Users", UserBody("etag.user"));
  ASSERT_EQ(created.status, 201);
  std::string id = Id(created);
  std::string v1 = created.Header("etag");

  auto not_modified = c.Get("/Users/" + id, {"If-None-Match: " + v1});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(c.Get("/Users/" + id, {"If-None-Match: W/\"999\""}).status, 200);
  EXPECT_EQ(c.Get("/Users/" + id, {"If-None-Match: W/\"999\", " + v1}).status, 304);

  array op{object{{"op", "replace"}, {"path", "displayName"}, {"value", "v2"}}};
  auto ok = c.Patch("/Users/" + id, op, {"If-Match: " + v1});
  ASSERT_EQ(ok.status, 200) << ok.body;
  std::string v2 = ok.Header("etag");
  EXPECT_NE(v1, v2);

  // A stale If-Match is 412 and nothing is written, whatever the method.
  ExpectScimError(c.Patch("/Users/" + id,
                          array{object{{"op", "replace"}, {"path", "displayName"}, {"value", "x"}}},
                          {"If-Match: " + v1}),
                  412, "");
  ExpectScimError(
      c.Put("/Users/" + id, UserBody("etag.user", {{"displayName", "x"}}), {"If-Match: " + v1}),
      412, "");
  ExpectScimError(c.Delete("/Users/" + id, {"If-Match: " + v1}), 412, "");
  auto after = c.Get("/Users/" + id);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.Header("etag"), v2);
  EXPECT_EQ(after.Json().at("displayName"), "v2");
  EXPECT_EQ(c.Get("/Users/" + id, {"If-None-Match: " + v1}).status, 200);

  // Strong form of the same version, and "*", match too.
  std::string strong = v2.substr(2);
  auto put = c.Put("/Users/" + id, UserBody("etag.user", {{"displayName", "v3"}}),
                   {"If-Match: " + strong});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(c.Delete("/Users/" + id, {"If-Match: *"}).status, 204);
}

TEST_F(ScimTest, NoOpPatchKeepsTheVersion) {
  auto c = Client();
  auto created = c.Post("/Users", UserBody("noop.user", {{"displayName", "Same"}}));
  ASSERT_EQ(created.status, 201);
  auto again =
      c.Patch("/Users/" + Id(created),
              array{object{{"op", "Replace"}, {"path", "displayName"}, {"value", "Same"}}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Header("etag"), created.Header("etag"));
  EXPECT_EQ(again.Json().at("meta").at("lastModified"),
            created.Json().at("meta").at("lastModified"));
}

// ---------------------------------------------------------------- errors

TEST_F(ScimTest, UniquenessIs409AndWritesNothing) {
  auto c = Client();
  std::string id = CreateUser("Unique.Person");
  auto dup = c.Post("/Users", UserBody("unique.person"));
  ExpectScimError(dup, 409, "uniqueness");
  EXPECT_EQ(Total(c.Filter("/Users", "userName eq \"UNIQUE.PERSON\"")), 1);

  std::string other = CreateUser("unique.other");
  auto before = c.Get("/Users/" + other);
  ExpectScimError(c.Put("/Users/" + other, UserBody("UNIQUE.person")), 409, "uniqueness");
  ExpectScimError(
      c.Patch("/Users/" + other,
              array{object{{"op", "replace"}, {"path", "userName"}, {"value", "unique.PERSON"}}}),
      409, "uniqueness");
  auto after = c.Get("/Users/" + other);
  EXPECT_EQ(after.Json().at("userName"), "unique.other");
  EXPECT_EQ(after.Header("etag"), before.Header("etag"));
  (void)id;
}

TEST_F(ScimTest, MalformedRequestsAreScimErrorsAndWriteNothing) {
  auto c = Client();
  std::string base = c.base();
  std::vector<std::string> auth{"Authorization: Bearer " + c.token(),
                                "Content-Type: application/scim+json"};
  ExpectScimError(Fetch("POST", base + "/Users", auth, "{not json"), 400, "invalidSyntax");
  ExpectScimError(Fetch("POST", base + "/Users", auth, "[1,2]"), 400, "invalidSyntax");
  ExpectScimError(Fetch("POST", base + "/Users", auth, ""), 400, "invalidSyntax");
  // Missing required userName; a wrong type; an unknown attribute.
  ExpectScimError(c.Post("/Users", object{{"schemas", array{kUserSchema}}, {"displayName", "x"}}),
                  400, "invalidValue");
  ExpectScimError(c.Post("/Users", UserBody("bad.active", {{"active", "maybe"}})), 400,
                  "invalidValue");
  ExpectScimError(c.Post("/Groups", object{{"schemas", array{kGroupSchema}},
                                           {"displayName", "g"},
                                           {"members", array{object{{"value", "no-such-id"}}}}}),
                  400, "invalidValue");
  EXPECT_EQ(Total(c.Filter("/Groups", "displayName eq \"g\"")), 0);
  EXPECT_EQ(Total(c.Filter("/Users", "userName eq \"bad.active\"")), 0);

  // Another protocol version in the URL.
  std::string root = server_->url() + "/scim";
  ExpectScimError(Fetch("GET", root + "/v1/Users", auth), 400, "invalidVers");
  ExpectScimError(Fetch("POST", root + "/v3/Users", auth, "{}"), 400, "invalidVers");
  EXPECT_EQ(Fetch("GET", root + "/nonsense/Users", auth).status, 404);

  // Filters.
  ExpectScimError(c.Filter("/Users", "userName eq"), 400, "invalidFilter");
  ExpectScimError(c.Filter("/Users", "userName xx \"a\""), 400, "invalidFilter");
  ExpectScimError(c.Filter("/Users", "(userName eq \"a\""), 400, "invalidFilter");
  ExpectScimError(c.Get("/Users?sortOrder=sideways"), 400, "invalidValue");
  ExpectScimError(c.Get("/Users?count=lots"), 400, "invalidValue");

  // PATCH: bad envelope, readOnly/immutable targets, missing target, atomicity.
  std::string id = CreateUser("patch.errors", {{"displayName", "Before"}});
  auto before = c.Get("/Users/" + id);
  ExpectScimError(c.Call("PATCH", "/Users/" + id, object{{"Operations", array{}}}), 400,
                  "invalidSyntax");
  ExpectScimError(c.Patch("/Users/" + id,
                          array{object{{"op", "move"}, {"path", "displayName"}, {"value", "x"}}}),
                  400, "invalidSyntax");
  ExpectScimError(c.Patch("/Users/" + id, array{object{{"op", "remove"}}}), 400, "noTarget");
  ExpectScimError(
      c.Patch("/Users/" + id, array{object{{"op", "replace"}, {"path", "id"}, {"value", "other"}}}),
      400, "mutability");
  ExpectScimError(c.Patch("/Users/" + id, array{object{{"op", "replace"},
                                                       {"path", "emails[type eq \"work\"].value"},
                                                       {"value", "x@example.com"}}}),
                  400, "noTarget");
  ExpectScimError(
      c.Patch("/Users/" + id, array{object{{"op", "replace"}, {"path", "nope"}, {"value", 1}}}),
      400, "invalidPath");
  ExpectScimError(c.Patch("/Users/" + id, array{object{{"op", "remove"}, {"path", "userName"}}}),
                  400, "mutability");
  // The first operation is valid; the second fails; neither is applied.
  ExpectScimError(
      c.Patch("/Users/" + id,
              array{object{{"op", "replace"}, {"path", "displayName"}, {"value", "After"}},
                    object{{"op", "replace"}, {"path", "active"}, {"value", "perhaps"}}}),
      400, "invalidValue");
  auto after = c.Get("/Users/" + id);
  EXPECT_EQ(after.Json().at("displayName"), "Before");
  EXPECT_EQ(after.Header("etag"), before.Header("etag"));
}

// ---------------------------------------------------------------- lists: filter, sort, page,
// project

class ScimListTest : public ScimTest {
 protected:
  void SetUp() override {
    ScimTest::SetUp();
    if (!ids_.empty()) return;
    // ten users lst-00 .. lst-09, every other one inactive, with work and home emails
    for (int i = 0; i < 10; ++i) {
      std::string n = "lst-0" + std::to_string(i);
      ids_.push_back(CreateUser(
          n, {{"externalId", "x" + std::to_string(i)},
              {"displayName", "List " + std::to_string(9 - i)},
              {"active", i % 2 == 0},
              {"title", i < 5 ? "low" : "high"},
              {"emails", array{object{{"value", n + "@work.example"}, {"type", "work"}},
                               object{{"value", n + "@home.example"}, {"type", "home"}}}}}));
    }
  }
  static std::vector<std::string> Names(const HttpResponse& r) {
    std::vector<std::string> out;
    for (const auto& u : Resources(r)) out.emplace_back(u.at("userName").as_string());
    return out;
  }
  static std::vector<std::string> ids_;
};
std::vector<std::string> ScimListTest::ids_;

TEST_F(ScimListTest, FiltersAnsweredFromIndexesAndByScan) {
  auto c = Client();
  EXPECT_EQ(Names(c.Filter("/Users", "userName eq \"LST-03\"")),
            std::vector<std::string>{"lst-03"});
  EXPECT_EQ(Names(c.Filter("/Users", "externalId eq \"x4\"")), std::vector<std::string>{"lst-04"});
  EXPECT_EQ(Total(c.Filter("/Users", "externalId eq \"X4\"")), 0) << "externalId is caseExact";
  EXPECT_EQ(Names(c.Filter("/Users", "id eq \"" + ids_[5] + "\"")),
            std::vector<std::string>{"lst-05"});
  EXPECT_EQ(Names(c.Filter("/Users", "displayName eq \"list 2\"")),
            std::vector<std::string>{"lst-07"});
  EXPECT_EQ(Names(c.Filter("/Users", "emails.value eq \"lst-06@home.example\"")),
            std::vector<std::string>{"lst-06"});
  EXPECT_EQ(Names(c.Filter("/Users", "emails[type eq \"work\"].value eq \"lst-01@work.example\"")),
            std::vector<std::string>{"lst-01"});
  EXPECT_EQ(Total(c.Filter("/Users", "emails[type eq \"work\"].value eq \"lst-01@home.example\"")),
            0);
  EXPECT_EQ(
      Names(c.Filter("/Users", "emails[type eq \"home\" and value eq \"lst-02@home.example\"]")),
      std::vector<std::string>{"lst-02"});
  EXPECT_EQ(Names(c.Filter("/Users", "userName eq \"lst-02\" and active eq true")),
            std::vector<std::string>{"lst-02"});
  EXPECT_EQ(Total(c.Filter("/Users", "userName eq \"lst-03\" and active eq true")), 0);
  // Scans evaluated by the SCIM core.
  EXPECT_EQ(Total(c.Filter("/Users", "userName sw \"lst-\"")), 10);
  EXPECT_EQ(Total(c.Filter("/Users", "userName sw \"lst-\" and active eq false")), 5);
  EXPECT_EQ(Total(c.Filter("/Users", "userName sw \"lst-\" and not (title eq \"low\")")), 5);
  EXPECT_EQ(Names(c.Filter("/Users", "userName eq \"lst-01\" or userName eq \"lst-08\"",
                           "sortBy=userName")),
            (std::vector<std::string>{"lst-01", "lst-08"}));
  EXPECT_EQ(Total(c.Filter("/Users", "emails co \"lst-09@\"")), 1);
  EXPECT_EQ(Total(c.Filter("/Users", "userName sw \"lst-\" and externalId pr")), 10);
  // meta.lastModified gt: every list user was written after the first one was created.
  auto first = c.Get("/Users/" + ids_[0]);
  std::string t0 = std::string(first.Json().at("meta").at("created").as_string());
  EXPECT_EQ(
      Total(c.Filter("/Users", "userName sw \"lst-\" and meta.lastModified ge \"" + t0 + "\"")),
      10);
  EXPECT_EQ(
      Total(c.Filter("/Users", "userName sw \"lst-\" and meta.lastModified gt \"" + t0 + "\"")), 9);
  EXPECT_EQ(Total(c.Filter("/Users", "meta.lastModified gt \"2999-01-01T00:00:00Z\"")), 0);
  // A filter answer is always a ListResponse, even empty.
  auto none = c.Filter("/Users", "userName eq \"nobody-at-all\"");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.Json().at("schemas"),
            (array{"urn:ietf:params:scim:api:messages:2.0:ListResponse"}));
  EXPECT_EQ(Total(none), 0);
}

TEST_F(ScimListTest, SortingAndPaging) {
  auto c = Client();
  auto asc = c.Filter("/Users", "userName sw \"lst-\"", "sortBy=userName&startIndex=3&count=4");
  ASSERT_EQ(asc.status, 200) << asc.body;
  EXPECT_EQ(Names(asc), (std::vector<std::string>{"lst-02", "lst-03", "lst-04", "lst-05"}));
  EXPECT_EQ(Total(asc), 10);
  EXPECT_EQ(asc.Json().at("startIndex"), 3);
  EXPECT_EQ(asc.Json().at("itemsPerPage"), 4);
  auto desc =
      c.Filter("/Users", "userName sw \"lst-\"", "sortBy=displayName&sortOrder=descending&count=2");
  EXPECT_EQ(Names(desc), (std::vector<std::string>{"lst-00", "lst-01"}));  // "List 9", "List 8"
  auto tail = c.Filter("/Users", "userName sw \"lst-\"", "sortBy=userName&startIndex=9&count=5");
  EXPECT_EQ(Names(tail), (std::vector<std::string>{"lst-08", "lst-09"}));
  auto past = c.Filter("/Users", "userName sw \"lst-\"", "startIndex=50");
  EXPECT_EQ(Total(past), 10);
  EXPECT_TRUE(Resources(past).empty());
  auto zero = c.Filter("/Users", "userName sw \"lst-\"", "count=0");
  EXPECT_EQ(Total(zero), 10);
  EXPECT_TRUE(Resources(zero).empty());
  // Unfiltered paging (straight from the store's order) covers every user exactly once.
  auto all = c.Get("/Users?count=0");
  int64_t n = Total(all);
  ASSERT_GE(n, 10);
  std::set<std::string> seen;
  for (int64_t start = 1; start <= n; start += 7) {
    auto page = c.Get("/Users?startIndex=" + std::to_string(start) + "&count=7");
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(Total(page), n);
    for (const auto& u : Resources(page)) EXPECT_TRUE(seen.emplace(u.at("id").as_string()).second);
  }
  EXPECT_EQ(static_cast<int64_t>(seen.size()), n);
  // count above maxResults is clamped, not an error.
  auto big = c.Get("/Users?count=100000");
  ASSERT_EQ(big.status, 200);
  EXPECT_LE(big.Json().at("itemsPerPage").to_number<int64_t>(), 1000);
}

TEST_F(ScimListTest, AttributesAndExcludedAttributes) {
  auto c = Client();
  auto only = c.Filter("/Users", "userName eq \"lst-01\"", "attributes=userName,emails.value");
  ASSERT_EQ(only.status, 200) << only.body;
  auto u = Resources(only).at(0).as_object();
  EXPECT_TRUE(u.contains("id") && u.contains("userName") && u.contains("emails")) << only.body;
  EXPECT_FALSE(u.contains("displayName") || u.contains("title") || u.contains("active"));
  EXPECT_FALSE(u.at("emails").as_array().at(0).as_object().contains("type"));
  auto without = c.Get("/Users/" + ids_[1] + "?excludedAttributes=emails,title");
  ASSERT_EQ(without.status, 200);
  EXPECT_FALSE(without.Json().as_object().contains("emails"));
  EXPECT_FALSE(without.Json().as_object().contains("title"));
  EXPECT_TRUE(without.Json().as_object().contains("displayName"));
  EXPECT_TRUE(without.Json().as_object().contains("id"));
}

TEST_F(ScimListTest, SearchPerTypeAndAtTheRoot) {
  auto c = Client();
  std::string gid = CreateGroup("List 4");  // the same displayName as lst-05
  auto users = c.Post("/Users/.search", object{{"schemas", array{kSearchRequest}},
                                               {"filter", "userName sw \"lst-\""},
                                               {"sortBy", "userName"},
                                               {"sortOrder", "descending"},
                                               {"startIndex", 1},
                                               {"count", 3},
                                               {"attributes", array{"userName"}}});
  ASSERT_EQ(users.status, 200) << users.body;
  EXPECT_EQ(Names(users), (std::vector<std::string>{"lst-09", "lst-08", "lst-07"}));
  EXPECT_EQ(Total(users), 10);
  EXPECT_FALSE(Resources(users).at(0).as_object().contains("emails"));
  auto groups = c.Post("/Groups/.search", object{{"schemas", array{kSearchRequest}},
                                                 {"filter", "displayName eq \"List 4\""}});
  ASSERT_EQ(groups.status, 200) << groups.body;
  EXPECT_EQ(Total(groups), 1);
  auto root = c.Post("/.search", object{{"schemas", array{kSearchRequest}},
                                        {"filter", "displayName eq \"List 4\""}});
  ASSERT_EQ(root.status, 200) << root.body;
  EXPECT_EQ(Total(root), 2);
  std::set<std::string> types;
  for (const auto& r : Resources(root)) types.emplace(r.at("meta").at("resourceType").as_string());
  EXPECT_EQ(types, (std::set<std::string>{"User", "Group"}));
  // Paging continues across the two types.
  auto second = c.Post("/.search", object{{"schemas", array{kSearchRequest}},
                                          {"filter", "displayName eq \"List 4\""},
                                          {"startIndex", 2},
                                          {"count", 1}});
  ASSERT_EQ(Resources(second).size(), 1u);
  EXPECT_EQ(Resources(second).at(0).at("meta").at("resourceType"), "Group");
  ExpectScimError(c.Post("/.search", object{{"filter", "displayName eq \"x\""}}), 400,
                  "invalidSyntax");
  ExpectScimError(c.Post("/Users/.search",
                         object{{"schemas", array{kSearchRequest}}, {"filter", "userName eq"}}),
                  400, "invalidFilter");
  (void)gid;
}

// ---------------------------------------------------------------- Bulk

object BulkOp(const std::string& method, const std::string& path, value data = {},
              const std::string& bulk_id = "") {
  object o{{"method", method}, {"path", path}};
  if (!bulk_id.empty()) o["bulkId"] = bulk_id;
  if (!data.is_null()) o["data"] = std::move(data);
  return o;
}

object Bulk(array ops, int fail_on_errors = 0) {
  object o{{"schemas", array{kBulkRequest}}, {"Operations", std::move(ops)}};
  if (fail_on_errors > 0) o["failOnErrors"] = fail_on_errors;
  return o;
}

TEST_F(ScimTest, BulkResolvesBulkIdReferencesEvenForward) {
  auto c = Client();
  // The group comes first and names users created later in the same request.
  auto r = c.Post(
      "/Bulk",
      Bulk(array{
          BulkOp("POST", "/Groups",
                 object{{"schemas", array{kGroupSchema}},
                        {"displayName", "bulk-team"},
                        {"members",
                         array{object{{"value", "bulkId:u1"}}, object{{"value", "bulkId:u2"}}}}},
                 "g1"),
          BulkOp("POST", "/Users", UserBody("bulk.one"), "u1"),
          BulkOp("POST", "/Users", UserBody("bulk.two"), "u2"),
          BulkOp("PATCH", "/Users/bulkId:u1",
                 object{{"schemas", array{kPatchOp}},
                        {"Operations",
                         array{object{{"op", "replace"}, {"path", "title"}, {"value", "Lead"}}}}}),
      }));
  ASSERT_EQ(r.status, 200) << r.body;
  auto ops = r.Json().at("Operations").as_array();
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0].at("status"), "201") << r.body;
  EXPECT_EQ(ops[0].at("bulkId"), "g1");
  EXPECT_EQ(ops[1].at("status"), "201");
  EXPECT_EQ(ops[3].at("status"), "200");
  std::string loc = std::string(ops[0].at("location").as_string());
  ASSERT_TRUE(loc.starts_with(c.base() + "/Groups/")) << loc;
  std::string gid = loc.substr(loc.rfind('/') + 1);
  std::string u1 = std::string(ops[1].at("location").as_string());
  u1 = u1.substr(u1.rfind('/') + 1);
  std::string u2 = std::string(ops[2].at("location").as_string());
  u2 = u2.substr(u2.rfind('/') + 1);
  EXPECT_EQ(MemberIds(c.Get("/Groups/" + gid)), (std::set<std::string>{u1, u2}));
  EXPECT_EQ(c.Get("/Users/" + u1).Json().at("title"), "Lead");
  EXPECT_TRUE(ops[1].as_object().contains("version"));

  // Without failOnErrors, a failing operation does not stop the others.
  auto mixed = c.Post(
      "/Bulk", Bulk(array{BulkOp("POST", "/Users", UserBody("bulk.one"), "dup"),
                          BulkOp("POST", "/Users", UserBody("bulk.three"), "ok"),
                          BulkOp("DELETE", "/Users/" + u2), BulkOp("DELETE", "/Users/no-such-id"),
                          BulkOp("POST", "/Nope", UserBody("x"), "bad")}));
  ASSERT_EQ(mixed.status, 200) << mixed.body;
  auto mops = mixed.Json().at("Operations").as_array();
  ASSERT_EQ(mops.size(), 5u);
  EXPECT_EQ(mops[0].at("status"), "409");
  EXPECT_EQ(mops[0].at("response").at("scimType"), "uniqueness");
  EXPECT_EQ(mops[1].at("status"), "201");
  EXPECT_EQ(mops[2].at("status"), "204");
  EXPECT_EQ(mops[3].at("status"), "404");
  EXPECT_EQ(mops[4].at("status"), "400");
  EXPECT_EQ(Total(c.Filter("/Users", "userName eq \"bulk.three\"")), 1);
  EXPECT_EQ(c.Get("/Users/" + u2).status, 404);
  EXPECT_EQ(MemberIds(c.Get("/Groups/" + gid)), (std::set<std::string>{u1}));

  // A reference to a bulkId nothing in the request creates, and a cycle, are 409s.
  auto unresolved = c.Post(
      "/Bulk", Bulk(array{BulkOp("POST", "/Groups",
                                 object{{"displayName", "bulk-orphan"},
                                        {"members", array{object{{"value", "bulkId:ghost"}}}}},
                                 "g")}));
  ASSERT_EQ(unresolved.status, 200) << unresolved.body;
  EXPECT_EQ(unresolved.Json().at("Operations").at(0).at("status"), "409");
  auto cycle =
      c.Post("/Bulk", Bulk(array{BulkOp("POST", "/Groups",
                                        object{{"displayName", "bulk-a"},
                                               {"members", array{object{{"value", "bulkId:b"}}}}},
                                        "a"),
                                 BulkOp("POST", "/Groups",
                                        object{{"displayName", "bulk-b"},
                                               {"members", array{object{{"value", "bulkId:a"}}}}},
                                        "b")}));
  ASSERT_EQ(cycle.status, 200) << cycle.body;
  EXPECT_EQ(cycle.Json().at("Operations").at(0).at("status"), "409");
  EXPECT_EQ(cycle.Json().at("Operations").at(1).at("status"), "409");
  EXPECT_EQ(Total(c.Filter("/Groups", "displayName sw \"bulk-a\" or displayName sw \"bulk-b\"")),
            0);
}

TEST_F(ScimTest, BulkFailOnErrorsWritesNothing) {
  auto c = Client();
  std::string existing = CreateUser("bulk.fail.existing", {{"title", "kept"}});
  auto before = c.Get("/Users/" + existing);
  auto r = c.Post("/Bulk",
                  Bulk(array{BulkOp("POST", "/Users", UserBody("bulk.fail.new1"), "n1"),
                             BulkOp("PATCH", "/Users/" + existing,
                                    object{{"schemas", array{kPatchOp}},
                                           {"Operations", array{object{{"op", "replace"},
                                                                       {"path", "title"},
                                                                       {"value", "changed"}}}}}),
                             BulkOp("POST", "/Users", UserBody("BULK.FAIL.EXISTING"), "dup"),
                             BulkOp("POST", "/Users", UserBody("bulk.fail.new2"), "n2")},
                       1));
  EXPECT_GE(r.status, 400) << r.body;
  auto v = r.Json();
  ASSERT_TRUE(v.is_object()) << r.body;
  EXPECT_EQ(Total(c.Filter("/Users", "userName sw \"bulk.fail.new\"")), 0);
  auto after = c.Get("/Users/" + existing);
  EXPECT_EQ(after.Json().at("title"), "kept");
  EXPECT_EQ(after.Header("etag"), before.Header("etag"));

  // failOnErrors=2 tolerates one error; the others are written.
  auto tolerant =
      c.Post("/Bulk", Bulk(array{BulkOp("POST", "/Users", UserBody("bulk.fail.new1"), "n1"),
                                 BulkOp("POST", "/Users", UserBody("bulk.fail.existing"), "d"),
                                 BulkOp("POST", "/Users", UserBody("bulk.fail.new2"), "n2")},
                           2));
  ASSERT_EQ(tolerant.status, 200) << tolerant.body;
  EXPECT_EQ(Total(c.Filter("/Users", "userName sw \"bulk.fail.new\"")), 2);
}

TEST_F(ScimTest, BulkLimitsAreEnforcedWith413) {
  auto c = Client();
  array many;
  for (int i = 0; i < 1001; ++i) {
    many.push_back(BulkOp("POST", "/Users", UserBody("bulk.many." + std::to_string(i)),
                          "m" + std::to_string(i)));
  }
  auto too_many = c.Post("/Bulk", Bulk(many));
  ExpectScimError(too_many, 413, "");
  EXPECT_EQ(Total(c.Filter("/Users", "userName sw \"bulk.many.\"")), 0);

  // Over maxPayloadSize (4 MiB) but under the transport limit: a SCIM 413.
  array fat;
  std::string padding(4500, 'p');
  for (int i = 0; i < 1000; ++i) {
    fat.push_back(BulkOp("POST", "/Users",
                         UserBody("bulk.fat." + std::to_string(i), {{"nickName", padding}}),
                         "f" + std::to_string(i)));
  }
  auto too_big = c.Post("/Bulk", Bulk(fat));
  ExpectScimError(too_big, 413, "");
  EXPECT_EQ(Total(c.Filter("/Users", "userName sw \"bulk.fat.\"")), 0);
  // Far over it: the transport refuses it, still 413.
  std::string huge(9 << 20, ' ');
  auto transport =
      Fetch("POST", c.base() + "/Bulk",
            {"Authorization: Bearer " + c.token(), "Content-Type: application/scim+json"},
            "{\"x\":1}" + huge);
  EXPECT_EQ(transport.status, 413);

  // Exactly maxOperations is fine.
  array limit;
  for (int i = 0; i < 1000; ++i) {
    limit.push_back(BulkOp("POST", "/Users", UserBody("bulk.limit." + std::to_string(i)),
                           "l" + std::to_string(i)));
  }
  auto ok = c.Post("/Bulk", Bulk(limit));
  ASSERT_EQ(ok.status, 200) << ok.body.substr(0, 500);
  EXPECT_EQ(Total(c.Filter("/Users", "userName sw \"bulk.limit.\"")), 1000);
  ExpectScimError(c.Post("/Bulk", object{{"Operations", array{}}}), 400, "invalidSyntax");
}

// ---------------------------------------------------------------- groups, nesting, user.groups

TEST_F(ScimTest, GroupCrudProjectionAndMembers) {
  auto c = Client();
  std::string u1 = CreateUser("grp.u1"), u2 = CreateUser("grp.u2"), u3 = CreateUser("grp.u3");
  std::string gid = CreateGroup("grp-crud", {u1, u2});
  auto got = c.Get("/Groups/" + gid);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(MemberIds(got), (std::set<std::string>{u1, u2}));
  EXPECT_EQ(got.Json().at("meta").at("resourceType"), "Group");
  EXPECT_EQ(got.Json().at("meta").at("location"), value(c.base() + "/Groups/" + gid));
  for (const auto& m : array(got.Json().at("members").as_array())) EXPECT_EQ(m.at("type"), "User");
  auto without = c.Get("/Groups/" + gid + "?excludedAttributes=members");
  ASSERT_EQ(without.status, 200);
  EXPECT_FALSE(without.Json().as_object().contains("members"));
  EXPECT_EQ(without.Json().at("displayName"), "grp-crud");
  auto only = c.Get("/Groups/" + gid + "?attributes=displayName");
  EXPECT_FALSE(only.Json().as_object().contains("members"));
  EXPECT_TRUE(only.Json().as_object().contains("id"));
  auto list = c.Filter("/Groups", "displayName eq \"GRP-CRUD\"", "excludedAttributes=members");
  ASSERT_EQ(Total(list), 1) << list.body;
  EXPECT_FALSE(Resources(list).at(0).as_object().contains("members"));

  auto put = c.Put("/Groups/" + gid, object{{"schemas", array{kGroupSchema}},
                                            {"displayName", "grp-crud-renamed"},
                                            {"members", array{object{{"value", u3}}}}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(MemberIds(put), (std::set<std::string>{u3}));
  // A group PATCH answers 204 unless attributes are asked for.
  auto add = c.Patch(
      "/Groups/" + gid,
      array{object{{"op", "add"}, {"path", "members"}, {"value", array{object{{"value", u1}}}}}});
  EXPECT_EQ(add.status, 204) << add.body;
  EXPECT_FALSE(add.Header("etag").empty());
  auto add_body = c.Call(
      "PATCH", "/Groups/" + gid + "?attributes=members",
      object{{"schemas", array{kPatchOp}},
             {"Operations",
              array{object{
                  {"op", "add"}, {"path", "members"}, {"value", array{object{{"value", u2}}}}}}}});
  ASSERT_EQ(add_body.status, 200) << add_body.body;
  EXPECT_EQ(MemberIds(add_body), (std::set<std::string>{u1, u2, u3}));
  EXPECT_EQ(c.Delete("/Groups/" + gid).status, 204);
  EXPECT_EQ(c.Get("/Groups/" + gid).status, 404);
  EXPECT_EQ(c.Get("/Users/" + u1).status, 200) << "deleting a group keeps its members";
  EXPECT_FALSE(c.Get("/Users/" + u1).Json().as_object().contains("groups"));
}

TEST_F(ScimTest, NestedGroupsDeriveUserGroupsAndRefuseCycles) {
  auto c = Client();
  std::string u = CreateUser("nest.user");
  std::string inner = CreateGroup("nest-inner", {u});
  std::string outer = CreateGroup("nest-outer", {inner});
  auto user = c.Get("/Users/" + u);
  ASSERT_EQ(user.status, 200);
  std::map<std::string, std::string> kinds;
  for (const auto& g : array(user.Json().at("groups").as_array())) {
    kinds[std::string(g.at("value").as_string())] = std::string(g.at("type").as_string());
  }
  EXPECT_EQ(kinds, (std::map<std::string, std::string>{{inner, "direct"}, {outer, "indirect"}}));
  auto members = c.Get("/Groups/" + outer).Json().at("members").as_array();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].at("type"), "Group");
  // Filter on the derived attribute.
  EXPECT_EQ(Total(c.Filter("/Users", "groups.value eq \"" + outer + "\"")), 1);
  EXPECT_EQ(Total(c.Filter("/Users", "groups[type eq \"direct\"].value eq \"" + outer + "\"")), 0);

  // outer into inner would be a cycle; a group into itself too. Nothing changes.
  auto inner_before = c.Get("/Groups/" + inner);
  ExpectScimError(
      c.Patch("/Groups/" + inner,
              array{object{
                  {"op", "add"}, {"path", "members"}, {"value", array{object{{"value", outer}}}}}}),
      400, "invalidValue");
  ExpectScimError(
      c.Patch("/Groups/" + inner,
              array{object{
                  {"op", "add"}, {"path", "members"}, {"value", array{object{{"value", inner}}}}}}),
      400, "invalidValue");
  ExpectScimError(c.Put("/Groups/" + inner, object{{"displayName", "nest-inner"},
                                                   {"members", array{object{{"value", outer}}}}}),
                  400, "invalidValue");
  auto inner_after = c.Get("/Groups/" + inner);
  EXPECT_EQ(MemberIds(inner_after), (std::set<std::string>{u}));
  EXPECT_EQ(inner_after.Header("etag"), inner_before.Header("etag"));

  // user.groups is read-only: PATCH is refused; PUT ignores it.
  ExpectScimError(c.Patch("/Users/" + u, array{object{{"op", "add"},
                                                      {"path", "groups"},
                                                      {"value", array{object{{"value", outer}}}}}}),
                  400, "mutability");
  ExpectScimError(c.Patch("/Users/" + u, array{object{{"op", "remove"}, {"path", "groups"}}}), 400,
                  "mutability");
  auto put = c.Put("/Users/" + u, UserBody("nest.user", {{"groups", array{}}}));
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json().at("groups").as_array().size(), 2u);

  // Removing the user from inner removes both derived memberships.
  auto rm = c.Patch("/Groups/" + inner,
                    array{object{{"op", "remove"}, {"path", "members[value eq \"" + u + "\"]"}}});
  EXPECT_EQ(rm.status, 204) << rm.body;
  EXPECT_FALSE(c.Get("/Users/" + u).Json().as_object().contains("groups"));
  // Deleting the nested group removes it from outer.
  EXPECT_EQ(c.Delete("/Groups/" + inner).status, 204);
  EXPECT_TRUE(MemberIds(c.Get("/Groups/" + outer)).empty());
}

// ---------------------------------------------------------------- Entra ID replay

TEST_F(ScimTest, EntraIdProvisioningSequence) {
  auto c = Client();
  // Test Connection: a random user and group that do not exist.
  auto probe_user = c.Filter("/Users", "userName eq \"ed2b9a4c-8f31-4e4b-9bd6-1c2f0a7b3e11\"");
  ASSERT_EQ(probe_user.status, 200) << probe_user.body;
  EXPECT_EQ(Total(probe_user), 0);
  auto probe_group = c.Filter("/Groups", "displayName eq \"3b7d1f8e-0c47-4a5b-b6a1-9e6f2d4c8a10\"",
                              "excludedAttributes=members");
  ASSERT_EQ(probe_group.status, 200) << probe_group.body;
  EXPECT_EQ(Total(probe_group), 0);

  // Create: filter first, 0 results, then POST.
  EXPECT_EQ(Total(c.Filter("/Users", "userName eq \"Test_User_ab6490ee@contoso.com\"")), 0);
  object entra_user{{"schemas", array{kUserSchema, kEnterprise}},
                    {"externalId", "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"},
                    {"userName", "Test_User_ab6490ee@contoso.com"},
                    {"active", true},
                    {"displayName", "Test User"},
                    {"emails", array{object{{"primary", true},
                                            {"type", "work"},
                                            {"value", "Test_User_fd0ea19b@contoso.com"}}}},
                    {"meta", object{{"resourceType", "User"}}},
                    {"name", object{{"formatted", "givenName familyName"},
                                    {"familyName", "familyName"},
                                    {"givenName", "givenName"}}},
                    {"roles", array{}},
                    {kEnterprise, object{{"department", "Sales"}, {"employeeNumber", "42"}}}};
  auto created = c.Post("/Users", entra_user);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = Id(created);
  EXPECT_EQ(created.Json().at(kEnterprise).at("department"), "Sales");
  // Lookups Entra makes afterwards: externalId, and the work email value path.
  EXPECT_EQ(Total(c.Filter("/Users", "externalId eq \"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\"")), 1);
  EXPECT_EQ(Total(c.Filter("/Users",
                           "emails[type eq \"work\"].value eq \"Test_User_fd0ea19b@contoso.com\"")),
            1);
  EXPECT_EQ(c.Get("/Users/" + id).status, 200);

  // PATCH with capitalised op names, a value-path target and an extension attribute.
  auto p1 = c.Patch(
      "/Users/" + id,
      array{
          object{{"op", "Replace"}, {"path", "displayName"}, {"value", "Test User 2"}},
          object{{"op", "Replace"},
                 {"path", "emails[type eq \"work\"].value"},
                 {"value", "updated@contoso.com"}},
          object{{"op", "Replace"}, {"path", "name.familyName"}, {"value", "updatedFamilyName"}},
          object{
              {"op", "Add"}, {"path", std::string(kEnterprise) + ":manager"}, {"value", "a3b2c1"}},
          object{{"op", "Replace"},
                 {"path", std::string(kEnterprise) + ":department"},
                 {"value", "Marketing"}}});
  ASSERT_EQ(p1.status, 200) << p1.body;
  EXPECT_EQ(p1.Json().at("displayName"), "Test User 2");
  EXPECT_EQ(p1.Json().at("emails").at(0).at("value"), "updated@contoso.com");
  EXPECT_EQ(p1.Json().at("name").at("familyName"), "updatedFamilyName");
  EXPECT_EQ(p1.Json().at(kEnterprise).at("department"), "Marketing");
  EXPECT_EQ(p1.Json().at(kEnterprise).at("manager").at("value"), "a3b2c1");
  EXPECT_EQ(Total(c.Filter("/Users", "emails[type eq \"work\"].value eq \"updated@contoso.com\"")),
            1);
  EXPECT_EQ(Total(c.Filter("/Users", "emails.value eq \"Test_User_fd0ea19b@contoso.com\"")), 0);

  // Older, non-standard shapes (without aadOptscim062020): a path-less Replace with dotted
  // keys, booleans as strings, Add for a single-valued attribute.
  auto p2 = c.Patch("/Users/" + id,
                    array{object{{"op", "Replace"},
                                 {"value", object{{"displayName", "Legacy Shape"},
                                                  {"name.givenName", "Legacy"},
                                                  {"active", "True"}}}},
                          object{{"op", "Add"}, {"path", "title"}, {"value", "Manager"}}});
  ASSERT_EQ(p2.status, 200) << p2.body;
  EXPECT_EQ(p2.Json().at("displayName"), "Legacy Shape");
  EXPECT_EQ(p2.Json().at("name").at("givenName"), "Legacy");
  EXPECT_EQ(p2.Json().at("active"), true);
  EXPECT_EQ(p2.Json().at("title"), "Manager");

  // Disable: Replace active with "False" (a string) and with false; still readable.
  auto off = c.Patch("/Users/" + id,
                     array{object{{"op", "Replace"}, {"path", "active"}, {"value", "False"}}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.Json().at("active"), false);
  auto off2 = c.Patch("/Users/" + id,
                      array{object{{"op", "Replace"}, {"path", "active"}, {"value", false}}});
  ASSERT_EQ(off2.status, 200) << off2.body;
  EXPECT_EQ(off2.Header("etag"), off.Header("etag")) << "the same value again writes nothing";
  EXPECT_EQ(c.Get("/Users/" + id).Json().at("active"), false);
  EXPECT_EQ(Total(c.Filter("/Users", "userName eq \"Test_User_ab6490ee@contoso.com\"")), 1);

  // Groups: lookup, create empty, members by PATCH (204), read without members.
  EXPECT_EQ(
      Total(c.Filter("/Groups", "displayName eq \"Entra Group\"", "excludedAttributes=members")),
      0);
  auto g = c.Post("/Groups", object{{"schemas", array{kGroupSchema}},
                                    {"externalId", "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"},
                                    {"displayName", "Entra Group"},
                                    {"meta", object{{"resourceType", "Group"}}},
                                    {"members", array{}}});
  ASSERT_EQ(g.status, 201) << g.body;
  std::string gid = Id(g);
  std::string other = CreateUser("entra.other@contoso.com");
  std::string third = CreateUser("entra.third@contoso.com");
  auto add = c.Patch("/Groups/" + gid,
                     array{object{{"op", "Add"},
                                  {"path", "members"},
                                  {"value", array{object{{"value", id}}, object{{"value", other}},
                                                  object{{"value", third}}}}}});
  EXPECT_EQ(add.status, 204) << add.body;
  auto rm = c.Patch("/Groups/" + gid, array{object{{"op", "Remove"},
                                                   {"path", "members"},
                                                   {"value", array{object{{"value", id}}}}}});
  EXPECT_EQ(rm.status, 204) << rm.body;
  EXPECT_EQ(MemberIds(c.Get("/Groups/" + gid)), (std::set<std::string>{other, third}))
      << "Remove with a value list removes only those members";
  // The older removal form with a filter in the path.
  auto rm2 =
      c.Patch("/Groups/" + gid,
              array{object{{"op", "Remove"}, {"path", "members[value eq \"" + other + "\"]"}}});
  EXPECT_EQ(rm2.status, 204) << rm2.body;
  EXPECT_EQ(MemberIds(c.Get("/Groups/" + gid)), (std::set<std::string>{third}));
  auto rename = c.Patch(
      "/Groups/" + gid,
      array{object{{"op", "Replace"}, {"path", "displayName"}, {"value", "Entra Group 2"}}});
  EXPECT_EQ(rename.status, 204) << rename.body;
  auto read = c.Filter("/Groups", "displayName eq \"Entra Group 2\"", "excludedAttributes=members");
  ASSERT_EQ(Total(read), 1) << read.body;
  EXPECT_FALSE(Resources(read).at(0).as_object().contains("members"));
  EXPECT_EQ(Total(c.Filter("/Groups", "externalId eq \"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159\"")),
            1);

  // Deprovision: DELETE, then it is gone everywhere.
  EXPECT_EQ(c.Delete("/Users/" + third).status, 204);
  EXPECT_TRUE(MemberIds(c.Get("/Groups/" + gid)).empty());
  EXPECT_EQ(c.Delete("/Users/" + id).status, 204);
  EXPECT_EQ(c.Get("/Users/" + id).status, 404);
  EXPECT_EQ(c.Delete("/Groups/" + gid).status, 204);
}

// ---------------------------------------------------------------- Okta replay

TEST_F(ScimTest, OktaProvisioningSequence) {
  auto c = Client();
  // Lookup before create, with paging parameters.
  auto look = c.Filter("/Users", "userName eq \"okta.user@example.com\"", "startIndex=1&count=100");
  ASSERT_EQ(look.status, 200);
  EXPECT_EQ(Total(look), 0);
  EXPECT_TRUE(look.Json().at("startIndex").is_number());
  EXPECT_TRUE(look.Json().at("itemsPerPage").is_number());

  object okta_user{
      {"schemas", array{kUserSchema}},
      {"userName", "okta.user@example.com"},
      {"name", object{{"givenName", "Okta"}, {"familyName", "User"}}},
      {"emails",
       array{object{{"primary", true}, {"value", "okta.user@example.com"}, {"type", "work"}}}},
      {"displayName", "Okta User"},
      {"locale", "en-US"},
      {"externalId", "00u1abcdEFGH"},
      {"groups", array{}},
      {"password", "1mz050nq"},
      {"active", true}};
  auto created = c.Post("/Users", okta_user);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = Id(created);
  EXPECT_FALSE(created.Json().as_object().contains("password"));
  // Okta's own test: look the user up with the name in capitals.
  auto upper = c.Filter("/Users", "userName eq \"OKTA.USER@EXAMPLE.COM\"");
  ASSERT_EQ(Total(upper), 1) << upper.body;
  EXPECT_EQ(Resources(upper).at(0).at("id"), value(id));
  // A second create of the same user is a 409 uniqueness Okta can recognise.
  ExpectScimError(c.Post("/Users", okta_user), 409, "uniqueness");
  // Unknown id: 404 SCIM error.
  ExpectScimError(c.Get("/Users/010101"), 404, "");
  // Paging without filter.
  auto page = c.Get("/Users?startIndex=1&count=2");
  ASSERT_EQ(page.status, 200);
  ASSERT_TRUE(page.Json().at("totalResults").is_number());
  // CTest runs each case in its own process, so how many users exist depends on the case.
  int64_t total = page.Json().at("totalResults").to_number<int64_t>();
  EXPECT_EQ(page.Json().at("itemsPerPage"), std::min<int64_t>(2, total));
  EXPECT_EQ(page.Json().at("startIndex"), 1);

  // Profile update by PUT with the whole user (Okta sends id and meta too).
  object put_body = okta_user;
  put_body["id"] = id;
  put_body.erase("password");
  put_body["name"] = object{{"givenName", "Okta"}, {"familyName", "Renamed"}};
  put_body["meta"] = object{{"resourceType", "User"}};
  auto put = c.Put("/Users/" + id, put_body);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json().at("name").at("familyName"), "Renamed");
  // Okta's deactivation PATCH: path-less replace of active.
  auto off = c.Patch("/Users/" + id,
                     array{object{{"op", "replace"}, {"value", object{{"active", false}}}}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.Json().at("active"), false);
  // Deactivation by PUT too.
  put_body["active"] = true;
  ASSERT_EQ(c.Put("/Users/" + id, put_body).status, 200);
  put_body["active"] = false;
  auto put_off = c.Put("/Users/" + id, put_body);
  ASSERT_EQ(put_off.status, 200);
  EXPECT_EQ(put_off.Json().at("active"), false);
  EXPECT_EQ(c.Get("/Users/" + id).status, 200) << "inactive users stay readable";
  // Password change by PATCH is accepted and not stored.
  auto pw = c.Patch("/Users/" + id,
                    array{object{{"op", "replace"}, {"value", object{{"password", "n3wPass!"}}}}});
  EXPECT_EQ(pw.status, 200) << pw.body;
  EXPECT_FALSE(pw.Json().as_object().contains("password"));

  // Group push: create with members, rename with id in the value, whole-group PUT, replace of
  // members, add and remove.
  std::string a = CreateUser("okta.a@example.com"), b = CreateUser("okta.b@example.com");
  auto g = c.Post("/Groups",
                  object{{"schemas", array{kGroupSchema}},
                         {"displayName", "Okta Push"},
                         {"members", array{object{{"value", id}, {"display", "okta.user"}}}}});
  ASSERT_EQ(g.status, 201) << g.body;
  std::string gid = Id(g);
  auto rename =
      c.Patch("/Groups/" + gid,
              array{object{{"op", "replace"},
                           {"value", object{{"id", gid}, {"displayName", "Okta Push 2"}}}}});
  EXPECT_EQ(rename.status, 204) << rename.body;
  EXPECT_EQ(c.Get("/Groups/" + gid).Json().at("displayName"), "Okta Push 2");
  EXPECT_EQ(MemberIds(c.Get("/Groups/" + gid)), (std::set<std::string>{id}))
      << "a rename keeps the members";
  auto whole =
      c.Put("/Groups/" + gid, object{{"schemas", array{kGroupSchema}},
                                     {"id", gid},
                                     {"displayName", "Okta Push 2"},
                                     {"members", array{object{{"value", a}, {"display", "a"}},
                                                       object{{"value", b}, {"display", "b"}}}}});
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(MemberIds(c.Get("/Groups/" + gid)), (std::set<std::string>{a, b}));
  auto replace =
      c.Patch("/Groups/" + gid,
              array{object{{"op", "replace"},
                           {"path", "members"},
                           {"value", array{object{{"value", b}}, object{{"value", id}}}}}});
  EXPECT_EQ(replace.status, 204) << replace.body;
  EXPECT_EQ(MemberIds(c.Get("/Groups/" + gid)), (std::set<std::string>{b, id}));
  auto add = c.Patch("/Groups/" + gid,
                     array{object{{"op", "add"},
                                  {"path", "members"},
                                  {"value", array{object{{"value", a}, {"display", "a"}}}}}});
  EXPECT_EQ(add.status, 204) << add.body;
  auto remove =
      c.Patch("/Groups/" + gid,
              array{object{{"op", "remove"}, {"path", "members[value eq \"" + b + "\"]"}}});
  EXPECT_EQ(remove.status, 204) << remove.body;
  EXPECT_EQ(MemberIds(c.Get("/Groups/" + gid)), (std::set<std::string>{a, id}));
  // Okta sends member adds and removes together in one PATCH.
  auto both = c.Patch(
      "/Groups/" + gid,
      array{object{{"op", "remove"}, {"path", "members[value eq \"" + a + "\"]"}},
            object{{"op", "add"}, {"path", "members"}, {"value", array{object{{"value", b}}}}}});
  EXPECT_EQ(both.status, 204) << both.body;
  EXPECT_EQ(MemberIds(c.Get("/Groups/" + gid)), (std::set<std::string>{b, id}));
  EXPECT_EQ(c.Delete("/Groups/" + gid).status, 204);
  EXPECT_EQ(c.Get("/Groups/" + gid).status, 404);
  EXPECT_EQ(c.Delete("/Users/" + id).status, 204);
}

// ---------------------------------------------------------------- groups at scale

TEST(ScimScaleTest, HundredThousandMemberGroup) {
  ProvisioServer server;
  ScimClient c(server.url() + "/scim/v2", MintScimToken(server, "scale"));
  ASSERT_FALSE(c.token().empty());
  constexpr int kUsers = 100'000;
  constexpr int kPerBulk = 1000;
  std::vector<std::string> ids;
  ids.reserve(kUsers);
  for (int base = 0; base < kUsers; base += kPerBulk) {
    array ops;
    for (int i = base; i < base + kPerBulk; ++i) {
      ops.push_back(
          BulkOp("POST", "/Users", UserBody("big-" + std::to_string(i)), "b" + std::to_string(i)));
    }
    auto r = c.Post("/Bulk", Bulk(ops));
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 400);
    for (const auto& op : array(r.Json().at("Operations").as_array())) {
      ASSERT_EQ(op.at("status"), "201") << boost::json::serialize(op);
      std::string loc(op.at("location").as_string());
      ids.push_back(loc.substr(loc.rfind('/') + 1));
    }
  }
  auto g = c.Post("/Groups", object{{"schemas", array{kGroupSchema}}, {"displayName", "everyone"}});
  ASSERT_EQ(g.status, 201) << g.body;
  std::string gid = Id(g);
  constexpr int kChunk = 10'000;
  for (int base = 0; base < kUsers; base += kChunk) {
    array members;
    for (int i = base; i < base + kChunk; ++i) members.push_back(object{{"value", ids[i]}});
    auto r =
        c.Patch("/Groups/" + gid,
                array{object{{"op", "Add"}, {"path", "members"}, {"value", std::move(members)}}});
    ASSERT_EQ(r.status, 204) << r.body;
  }
  auto slim = c.Get("/Groups/" + gid + "?excludedAttributes=members");
  ASSERT_EQ(slim.status, 200);
  EXPECT_FALSE(slim.Json().as_object().contains("members"));
  EXPECT_LT(slim.body.size(), 1000u);
  auto slim_list = c.Filter("/Groups", "displayName eq \"everyone\"", "excludedAttributes=members");
  ASSERT_EQ(Total(slim_list), 1);
  EXPECT_LT(slim_list.body.size(), 1000u);
  auto full = c.Get("/Groups/" + gid);
  ASSERT_EQ(full.status, 200);
  EXPECT_EQ(MemberIds(full).size(), static_cast<size_t>(kUsers));

  // One more member, and one fewer, each a one-row change.
  std::string extra = Id(c.Post("/Users", UserBody("big-extra")));
  ASSERT_FALSE(extra.empty());
  auto add = c.Patch("/Groups/" + gid, array{object{{"op", "Add"},
                                                    {"path", "members"},
                                                    {"value", array{object{{"value", extra}}}}}});
  ASSERT_EQ(add.status, 204) << add.body;
  auto rm = c.Patch("/Groups/" + gid, array{object{{"op", "Remove"},
                                                   {"path", "members"},
                                                   {"value", array{object{{"value", ids[777]}}}}}});
  ASSERT_EQ(rm.status, 204) << rm.body;
  auto after = MemberIds(c.Get("/Groups/" + gid));
  EXPECT_EQ(after.size(), static_cast<size_t>(kUsers));
  EXPECT_TRUE(after.count(extra));
  EXPECT_FALSE(after.count(ids[777]));
  EXPECT_TRUE(after.count(ids[778]));
  auto user = c.Get("/Users/" + ids[5]);
  ASSERT_EQ(user.Json().at("groups").as_array().size(), 1u);
  EXPECT_EQ(user.Json().at("groups").at(0).at("value"), value(gid));

  // Sorting more matches than the sort cap (100,000) is tooMany, not an unbounded sort.
  ExpectScimError(c.Filter("/Users", "userName sw \"big-\"", "sortBy=userName&count=1"), 400,
                  "tooMany");
  // Paging without a sort stays answerable.
  auto page = c.Filter("/Users", "userName sw \"big-\"", "count=3");
  EXPECT_EQ(Total(page), kUsers + 1);
}

}  // namespace
}  // namespace provisio::testing
