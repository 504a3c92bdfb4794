// The admin REST API as an administrator uses it, against the real binary over HTTP: sign
// in, connect a SCIM 2.0 and a Salesforce application, assign a user; the RBAC matrix in
// practice; secrets never in responses, logs or the audit log; audit tampering detected.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <fstream>

#include "support/http_client.h"
#include "support/process.h"

namespace provisio::testing {
namespace {

namespace fs = std::filesystem;
using boost::json::object;

constexpr const char* kEmail = "root@example.com";
constexpr const char* kPassword = "a long bootstrap passphrase";
constexpr const char* kScimSecret = "scim-bearer-PLAINTEXT-7f3a9c";
constexpr const char* kSalesforceKey =
    "-----BEGIN PRIVATE KEY-----\nPLAINTEXT-KEY-MATERIAL-55d1\n-----END PRIVATE KEY-----\n";
constexpr const char* kAdminPassword = "operator passphrase PLAINTEXT";

std::string J(const boost::json::value& v) { return boost::json::serialize(v); }

class Server {
 public:
  explicit Server(fs::path dir, std::map<std::string, std::string> env = {})
      : dir_(std::move(dir)) {
    env.emplace("PROVISIO_LOG_LEVEL", "debug");
    env.emplace("PROVISIO_BOOTSTRAP_ADMIN_EMAIL", kEmail);
    env.emplace("PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", kPassword);
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{(BinDir() / "provisio").string(), "serve", "--listen",
                                 "127.0.0.1:0", "--data-dir", dir_.string()},
        std::move(env));
    url_ = process_->WaitForLine("listening on ");
    if (url_.empty()) throw std::runtime_error("no server: " + process_->ReadStderr());
  }
  const std::string& url() const { return url_; }
  ChildProcess& process() { return *process_; }

 private:
  fs::path dir_;
  std::unique_ptr<ChildProcess> process_;
  std::string url_;
};

// A signed-in admin: the cookie and CSRF token a browser would hold.
struct Admin {
  std::string url, cookie, csrf;
  std::vector<std::string> all_bodies;  // every response body seen, to search for secrets

  HttpResponse Call(const std::string& method, const std::string& path,
                    const std::string& body = "") {
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (!cookie.empty()) headers.push_back("Cookie: provisio_session=" + cookie);
    if (!csrf.empty()) headers.push_back("X-CSRF-Token: " + csrf);
    auto r = Fetch(method, url + path, headers, body);
    all_bodies.push_back(r.body);
    for (const auto& [k, v] : r.headers) all_bodies.push_back(k + ": " + v);
    return r;
  }
};

Admin SignIn(const std::string& url, const std::string& email, const std::string& password) {
  Admin a{url, "", "", {}};
  auto r = a.Call("POST", "/api/v1/session", J(object{{"email", email}, {"password", password}}));
  EXPECT_EQ(r.status, 200) << r.body;
  std::string cookie = r.Header("set-cookie");
  size_t eq = cookie.find('='), semi = cookie.find(';');
  a.cookie = cookie.substr(eq + 1, semi - eq - 1);
  a.csrf = std::string(r.Json().at("csrf_token").as_string());
  return a;
}

std::string Id(const HttpResponse& r) { return std::string(r.Json().at("id").as_string()); }

TEST(AdminApiIt, TheFlowAnAdministratorWalks) {
  auto dir = MakeTempDir("provisio-api-it");
  Server server(dir);
  Admin root = SignIn(server.url(), kEmail, kPassword);

  // The catalog offers the templates.
  auto catalog = root.Call("GET", "/api/v1/catalog");
  ASSERT_EQ(catalog.status, 200);
  EXPECT_EQ(catalog.Json().at("items").as_array().size(), 4u);

  // A SCIM 2.0 application: connection, then application with Provisioning.
  auto scim_conn = root.Call("POST", "/api/v1/connections",
                             J(object{{"name", "Acme SCIM"},
                                      {"type", "scim2"},
                                      {"base_url", "https://acme.example.com/scim/v2"},
                                      {"auth", {{"kind", "bearer"}, {"token", kScimSecret}}}}));
  ASSERT_EQ(scim_conn.status, 201) << scim_conn.body;
  EXPECT_EQ(scim_conn.Json().at("auth"),
            boost::json::parse(R"({"kind":"bearer","token":{"set":true}})"));
  auto scim_app = root.Call("POST", "/api/v1/applications",
                            J(object{{"template", "scim2"},
                                     {"name", "Acme"},
                                     {"description", "Acme's SCIM endpoint"},
                                     {"capabilities", {"provisioning"}},
                                     {"connection_id", Id(scim_conn)}}));
  ASSERT_EQ(scim_app.status, 201) << scim_app.body;
  EXPECT_EQ(scim_app.Json().at("state"), "active");
  EXPECT_EQ(scim_app.Json().at("capabilities"),
            boost::json::parse(R"(["provisioning","import_sync"])"));

  // A Salesforce application created as a draft, then given its connection.
  auto sf_app = root.Call("POST", "/api/v1/applications",
                          J(object{{"template", "salesforce"},
                                   {"name", "Salesforce"},
                                   {"capabilities", {"provisioning", "import_sync"}}}));
  ASSERT_EQ(sf_app.status, 201) << sf_app.body;
  EXPECT_EQ(sf_app.Json().at("state"), "draft");
  auto sf_conn = root.Call("POST", "/api/v1/connections",
                           J(object{{"name", "Salesforce prod"},
                                    {"type", "salesforce"},
                                    {"base_url", "https://login.salesforce.com"},
                                    {"auth",
                                     {{"kind", "salesforce_jwt_bearer"},
                                      {"login_url", "https://login.salesforce.com"},
                                      {"client_id", "3MVG9-client"},
                                      {"username", "integration@acme.com"},
                                      {"private_key", kSalesforceKey}}}}));
  ASSERT_EQ(sf_conn.status, 201) << sf_conn.body;
  auto bound = root.Call("PATCH", "/api/v1/applications/" + Id(sf_app),
                         J(object{{"connection_id", Id(sf_conn)}}));
  ASSERT_EQ(bound.status, 200) << bound.body;
  EXPECT_EQ(bound.Json().at("state"), "active");
  // The test opens the real connector; login.salesforce.com cannot be reached from here, so
  // it reports a failure with the reason instead of pretending.
  auto test = root.Call("POST", "/api/v1/connections/" + Id(sf_conn) + "/test");
  ASSERT_EQ(test.status, 200) << test.body;
  EXPECT_EQ(test.Json().at("ok"), false) << test.body;
  EXPECT_FALSE(test.Json().at("message").as_string().empty());

  // A user arrives the way HR pushes them: over /scim/v2 with a SCIM token.
  auto scim_token = root.Call("POST", "/api/v1/scim-tokens", J(object{{"name", "HR"}}));
  ASSERT_EQ(scim_token.status, 201) << scim_token.body;
  std::string hr_token(scim_token.Json().at("token").as_string());
  auto user = Fetch(
      "POST", server.url() + "/scim/v2/Users",
      {"Authorization: Bearer " + hr_token, "Content-Type: application/scim+json"},
      R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice@acme.com"})");
  ASSERT_EQ(user.status, 201) << user.body;
  std::string user_id(user.Json().at("id").as_string());
  // A profile can be selected only once Import/Sync has read it from Salesforce: before that
  // the id is unknown to the application, and nothing is written.
  auto early = root.Call("POST", "/api/v1/applications/" + Id(sf_app) + "/assignments",
                         J(object{{"user_id", user_id}, {"entitlements", {"Standard User"}}}));
  EXPECT_EQ(early.status, 400) << early.body;
  EXPECT_EQ(early.Json().at("error").at("code"), "unknown_entitlement");
  EXPECT_EQ(early.Json().at("error").at("details").at("entitlement_id"), "Standard User");
  // Salesforce cannot be reached from here, so record the profile as an import run would.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "provisio.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10'000);
    std::string sql =
        "INSERT INTO entitlements (application_id, entitlement_id, kind, display_name, "
        "updated_us) VALUES ('" +
        Id(sf_app) + "', 'Standard User', 'profile', 'Standard User', 0)";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  // ... and is assigned to both applications, with a Salesforce profile.
  for (const auto& [app, entitlements] : std::vector<std::pair<std::string, boost::json::array>>{
           {Id(scim_app), {}}, {Id(sf_app), {"Standard User"}}}) {
    auto a = root.Call("POST", "/api/v1/applications/" + app + "/assignments",
                       J(object{{"user_id", user_id}, {"entitlements", entitlements}}));
    ASSERT_EQ(a.status, 201) << a.body;
  }
  auto assigned = root.Call("GET", "/api/v1/applications/" + Id(sf_app) + "/assignments");
  ASSERT_EQ(assigned.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(assigned.Json().at("items").at(0).at("entitlements"),
            boost::json::parse(R"(["Standard User"])"));

  // An operator reads everything and changes nothing; a SCIM token is refused here.
  auto op = root.Call(
      "POST", "/api/v1/admins",
      J(object{{"email", "op@example.com"}, {"role", "operator"}, {"password", kAdminPassword}}));
  ASSERT_EQ(op.status, 201) << op.body;
  Admin operator_ = SignIn(server.url(), "op@example.com", kAdminPassword);
  EXPECT_EQ(operator_.Call("GET", "/api/v1/applications").status, 200);
  EXPECT_EQ(operator_.Call("DELETE", "/api/v1/applications/" + Id(sf_app)).status, 403);
  EXPECT_EQ(operator_.Call("GET", "/api/v1/admins").status, 403);
  EXPECT_EQ(Fetch("GET", server.url() + "/api/v1/applications").status, 401);
  EXPECT_EQ(
      Fetch("GET", server.url() + "/api/v1/applications", {"Authorization: Bearer " + hr_token})
          .status,
      403);
  // Without the CSRF header a cookie cannot change anything.
  Admin no_csrf = root;
  no_csrf.csrf.clear();
  EXPECT_EQ(no_csrf.Call("DELETE", "/api/v1/applications/" + Id(sf_app)).status, 403);

  // The connection in use is protected; the OpenAPI document lists what we used.
  EXPECT_EQ(root.Call("DELETE", "/api/v1/connections/" + Id(scim_conn)).status, 409);
  auto openapi = Fetch("GET", server.url() + "/api/v1/openapi.json");
  ASSERT_EQ(openapi.status, 200);
  EXPECT_TRUE(
      openapi.Json().at("paths").as_object().contains("/api/v1/applications/{id}/assignments"));

  // Secrets appear nowhere: not in any response, not in the audit log, not in the log.
  auto audit = root.Call("GET", "/api/v1/audit-log?limit=500");
  ASSERT_EQ(audit.status, 200);
  EXPECT_GT(audit.Json().at("items").as_array().size(), 10u);
  EXPECT_EQ(root.Call("GET", "/api/v1/audit-log/verify").Json().at("ok"), true);
  ASSERT_EQ(server.process().Stop(SIGTERM), 0);
  std::string log = server.process().ReadStderr();
  EXPECT_FALSE(log.empty());
  for (const std::string& secret : {std::string(kScimSecret), std::string(kSalesforceKey),
                                    std::string("PLAINTEXT-KEY-MATERIAL-55d1"),
                                    std::string(kPassword), std::string(kAdminPassword)}) {
    for (const auto& body : root.all_bodies) {
      EXPECT_EQ(body.find(secret), std::string::npos) << "response leaks a secret: " << body;
    }
    for (const auto& body : operator_.all_bodies) EXPECT_EQ(body.find(secret), std::string::npos);
    EXPECT_EQ(log.find(secret), std::string::npos) << "the log leaks a secret";
  }
  fs::remove_all(dir);
}

TEST(AdminApiIt, TamperingWithTheAuditLogIsDetected) {
  auto dir = MakeTempDir("provisio-api-audit");
  {
    Server server(dir);
    Admin root = SignIn(server.url(), kEmail, kPassword);
    for (int i = 0; i < 3; ++i) {
      auto r = root.Call("POST", "/api/v1/api-tokens",
                         J(object{{"name", "ci-" + std::to_string(i)}, {"role", "operator"}}));
      ASSERT_EQ(r.status, 201) << r.body;
    }
    auto ok = root.Call("GET", "/api/v1/audit-log/verify");
    EXPECT_EQ(ok.Json().at("ok"), true) << ok.body;
    EXPECT_EQ(ok.Json().at("checked"), 4);
    EXPECT_EQ(ok.Json().at("checkpoint"),
              boost::json::parse(R"({"state":"ok","last_id":4,"since_id":1})"));
    ASSERT_EQ(server.process().Stop(SIGTERM), 0);
  }
  // Someone with the database file rewrites history (the append-only triggers go first).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "provisio.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_log_no_update; "
                         "UPDATE audit_log SET actor_name = 'somebody else' WHERE id = 3;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Server again(dir);
  Admin root = SignIn(again.url(), kEmail, kPassword);
  auto verify = root.Call("GET", "/api/v1/audit-log/verify");
  ASSERT_EQ(verify.status, 200);
  EXPECT_EQ(verify.Json().at("ok"), false);
  EXPECT_EQ(verify.Json().at("first_bad_id"), 3);
  EXPECT_EQ(again.process().Stop(SIGTERM), 0);
  fs::remove_all(dir);
}

TEST(AdminApiIt, DeletingTheNewestAuditRowsIsDetected) {
  auto dir = MakeTempDir("provisio-api-truncate");
  {
    Server server(dir);
    Admin root = SignIn(server.url(), kEmail, kPassword);
    for (int i = 0; i < 4; ++i) {
      auto r = root.Call("POST", "/api/v1/api-tokens",
                         J(object{{"name", "ci-" + std::to_string(i)}, {"role", "operator"}}));
      ASSERT_EQ(r.status, 201) << r.body;
    }
    EXPECT_EQ(root.Call("GET", "/api/v1/audit-log/verify").Json().at("ok"), true);
    ASSERT_EQ(server.process().Stop(SIGTERM), 0);
  }
  // Someone with the database file but not the master key hides the last two changes: the
  // rows 1-3 left still chain perfectly.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "provisio.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id > 3;",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  Server again(dir);
  Admin root = SignIn(again.url(), kEmail, kPassword);
  auto verify = root.Call("GET", "/api/v1/audit-log/verify");
  ASSERT_EQ(verify.status, 200);
  EXPECT_EQ(verify.Json().at("ok"), false) << verify.body;
  EXPECT_EQ(verify.Json().at("truncated"), true) << verify.body;
  EXPECT_FALSE(verify.Json().as_object().contains("first_bad_id")) << verify.body;
  // The sign-in above appended a row onto row 3 and noticed the gap; it stays on record.
  const boost::json::value body = verify.Json();
  const auto& anomalies = body.at("anomalies").as_array();
  ASSERT_EQ(anomalies.size(), 1u) << verify.body;
  EXPECT_EQ(anomalies[0].at("kind"), "truncated");
  EXPECT_EQ(anomalies[0].at("expected_last_id"), 5);
  EXPECT_EQ(anomalies[0].at("found_last_id"), 3);
  EXPECT_EQ(again.process().Stop(SIGTERM), 0);
  fs::remove_all(dir);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// `provisio rotate-master-key --data-dir DIR [args...]`: exit code, stdout and stderr.
struct CliRun {
  int code;
  std::string out, err;
};
CliRun Rotate(const fs::path& dir, std::vector<std::string> args = {}) {
  std::vector<std::string> argv = {(BinDir() / "provisio").string(), "rotate-master-key",
                                   "--data-dir", dir.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess p(argv);
  int code = p.Wait();
  p.WaitForLine("never", std::chrono::milliseconds(100));
  return {code, p.output(), p.ReadStderr()};
}

std::string Sql(const fs::path& dir, const std::string& query) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open((dir / "provisio.db").c_str(), &db) != SQLITE_OK) return "<no db>";
  sqlite3_busy_timeout(db, 10'000);
  sqlite3_exec(
      db, query.c_str(),
      [](void* o, int n, char** v, char**) {
        for (int i = 0; i < n; ++i) *static_cast<std::string*>(o) += v[i] ? v[i] : "";
        return 0;
      },
      &out, nullptr);
  sqlite3_close(db);
  return out;
}

TEST(AdminApiIt, RotatingTheMasterKeyReencryptsEverySecretOrNone) {
  auto dir = MakeTempDir("provisio-api-rotate");
  std::string a_id, b_id;
  {
    Server server(dir);
    Admin root = SignIn(server.url(), kEmail, kPassword);
    for (const char* name : {"A", "B"}) {
      auto c = root.Call("POST", "/api/v1/connections",
                         J(object{{"name", name},
                                  {"type", "scim2"},
                                  {"base_url", "https://acme.example.com/scim/v2"},
                                  {"auth", {{"kind", "bearer"}, {"token", kScimSecret}}}}));
      ASSERT_EQ(c.status, 201) << c.body;
      (std::string(name) == "A" ? a_id : b_id) = Id(c);
    }
    // Never while a server uses the data folder: it holds the old key in memory.
    CliRun busy = Rotate(dir);
    EXPECT_EQ(busy.code, 1);
    EXPECT_NE(busy.err.find("stop it first"), std::string::npos) << busy.err;
    ASSERT_EQ(server.process().Stop(SIGTERM), 0);
  }
  const std::string old_key = ReadFile(dir / "master.key");
  const std::string sealed_a =
      Sql(dir, "SELECT secrets FROM connections WHERE id = '" + a_id + "'");

  CliRun ok = Rotate(dir);
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("re-encrypted the secrets of 2 of 2 connection(s)"), std::string::npos)
      << ok.out;
  const std::string new_key = ReadFile(dir / "master.key");
  EXPECT_NE(new_key, old_key);
  EXPECT_EQ(new_key.size(), 45u);
  struct stat st {};
  ASSERT_EQ(stat((dir / "master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string backup;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().starts_with("master.key.before-rotation-")) {
      backup = e.path().string();
    }
  }
  ASSERT_FALSE(backup.empty());
  EXPECT_EQ(ReadFile(backup), old_key);
  EXPECT_FALSE(fs::exists(dir / "master.key.new"));
  for (const std::string& text : {ok.out, ok.err}) {
    EXPECT_EQ(text.find(kScimSecret), std::string::npos);
    EXPECT_EQ(text.find(new_key.substr(0, 44)), std::string::npos);
    EXPECT_EQ(text.find(old_key.substr(0, 44)), std::string::npos);
  }
  EXPECT_NE(Sql(dir, "SELECT secrets FROM connections WHERE id = '" + a_id + "'"), sealed_a);

  // The new key opens the secrets: a PATCH of the auth keeps (so opens) the stored token.
  const std::string keep_token = R"({"auth":{"kind":"bearer"}})";
  {
    Server server(dir);
    Admin root = SignIn(server.url(), kEmail, kPassword);
    for (const auto& id : {a_id, b_id}) {
      auto r = root.Call("PATCH", "/api/v1/connections/" + id, keep_token);
      EXPECT_EQ(r.status, 200) << r.body;
    }
    auto verify = root.Call("GET", "/api/v1/audit-log/verify");
    EXPECT_EQ(verify.Json().at("ok"), true) << verify.body;
    auto log = root.Call("GET", "/api/v1/audit-log?limit=500");
    EXPECT_NE(log.body.find("master_key.rotate"), std::string::npos);
    ASSERT_EQ(server.process().Stop(SIGTERM), 0);
  }
  // ... and the old one no longer does: a server given it refuses to start, since it could
  // not open the secrets (the master key check sealed in the settings moved with them).
  try {
    Server server(dir, {{"PROVISIO_MASTER_KEY", old_key}});
    ADD_FAILURE() << "a server started with the old master key";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("master key is not the key"), std::string::npos)
        << e.what();
  }

  // A secret that cannot be opened (B's, sealed for A's id) stops the rotation before
  // anything changes: A, re-encrypted first inside the transaction, is rolled back.
  Sql(dir, "UPDATE connections SET secrets = (SELECT secrets FROM connections WHERE id = '" + a_id +
               "') WHERE id = '" + b_id + "'");
  const std::string sealed_before = Sql(dir, "SELECT secrets FROM connections ORDER BY id");
  const std::string audit_before = Sql(dir, "SELECT count(*) FROM audit_log");
  CliRun failed = Rotate(dir);
  EXPECT_EQ(failed.code, 1);
  EXPECT_NE(failed.err.find(b_id), std::string::npos) << failed.err << failed.out;
  EXPECT_NE(failed.err.find("nothing was changed"), std::string::npos) << failed.err;
  EXPECT_EQ(Sql(dir, "SELECT secrets FROM connections ORDER BY id"), sealed_before);
  EXPECT_EQ(Sql(dir, "SELECT count(*) FROM audit_log"), audit_before);
  EXPECT_EQ(ReadFile(dir / "master.key"), new_key);
  EXPECT_FALSE(fs::exists(dir / "master.key.new"));
  {
    Server server(dir);
    Admin root = SignIn(server.url(), kEmail, kPassword);
    auto r = root.Call("PATCH", "/api/v1/connections/" + a_id, keep_token);
    EXPECT_EQ(r.status, 200) << "A still opens with the key in force: " << r.body;
    ASSERT_EQ(server.process().Stop(SIGTERM), 0);
  }
  fs::remove_all(dir);
}

TEST(AdminApiIt, RotateMasterKeyTakesAGivenKeyAndFinishesAnInterruptedRun) {
  auto dir = MakeTempDir("provisio-api-rotate-file");
  {
    Server server(dir);
    Admin root = SignIn(server.url(), kEmail, kPassword);
    auto c = root.Call("POST", "/api/v1/connections",
                       J(object{{"name", "A"},
                                {"type", "scim2"},
                                {"base_url", "https://acme.example.com/scim/v2"},
                                {"auth", {{"kind", "bearer"}, {"token", kScimSecret}}}}));
    ASSERT_EQ(c.status, 201) << c.body;
    ASSERT_EQ(server.process().Stop(SIGTERM), 0);
  }
  const std::string old_key = ReadFile(dir / "master.key");
  const fs::path given = dir / "given.key";
  const std::string given_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n";
  std::ofstream(given) << given_key;
  fs::permissions(given, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  CliRun loose = Rotate(dir, {"--new-key-file", given.string()});
  EXPECT_EQ(loose.code, 2) << loose.err;
  EXPECT_NE(loose.err.find("chmod 600"), std::string::npos) << loose.err;
  fs::permissions(given, fs::perms::owner_read | fs::perms::owner_write);
  CliRun same = Rotate(dir, {"--new-key-file", (dir / "master.key").string()});
  EXPECT_EQ(same.code, 2);
  EXPECT_NE(same.err.find("the key in use"), std::string::npos) << same.err;
  CliRun ok = Rotate(dir, {"--new-key-file", given.string()});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ReadFile(dir / "master.key"), given_key);

  // A run cut short after its commit leaves the new key staged beside the old file: the next
  // run sees which one the database answers to and installs it.
  fs::rename(dir / "master.key", dir / "master.key.new");
  std::ofstream(dir / "master.key") << old_key;
  fs::permissions(dir / "master.key", fs::perms::owner_read | fs::perms::owner_write);
  CliRun again = Rotate(dir);
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("completed an interrupted rotation"), std::string::npos) << again.out;
  EXPECT_EQ(ReadFile(dir / "master.key"), given_key);
  EXPECT_FALSE(fs::exists(dir / "master.key.new"));
  fs::remove_all(dir);
}

TEST(AdminApiIt, LockoutAfterRepeatedFailuresAnswers429WithRetryAfter) {
  auto dir = MakeTempDir("provisio-api-lockout");
  Server server(dir);
  Admin anon{server.url(), "", "", {}};
  std::string bad = J(object{{"email", kEmail}, {"password", "wrong password!!"}});
  for (int i = 0; i < 4; ++i) EXPECT_EQ(anon.Call("POST", "/api/v1/session", bad).status, 401);
  auto locked = anon.Call("POST", "/api/v1/session", bad);
  EXPECT_EQ(locked.status, 429);
  EXPECT_FALSE(locked.Header("retry-after").empty());
  auto good =
      anon.Call("POST", "/api/v1/session", J(object{{"email", kEmail}, {"password", kPassword}}));
  EXPECT_EQ(good.status, 429);
  EXPECT_EQ(server.process().Stop(SIGTERM), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace provisio::testing
