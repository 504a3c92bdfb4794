// Importing from a real OpenLDAP slapd, started by the test on 127.0.0.1 with a throwaway
// cn=config (back_mdb, suffix dc=example,dc=com) and kLdapUsers inetOrgPerson entries loaded
// with slapadd: a full import, a run resumed after SIGKILL, an incremental import after
// modifications, incremental and full imports after deletions, groups with their members
// (nested ones expanded, cycles ended) and each account's groups as its entitlements. A small
// Active Directory-shaped subtree (ou=ad: classes "user" and "group" with objectGUID,
// sAMAccountName, userAccountControl and uSNChanged from a test schema; slapd does not
// maintain uSNChanged, so the test bumps it as AD would) covers the AD attribute handling.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "support/admin_client.h"
#include "support/eventually.h"
#include "support/http_client.h"
#include "support/process.h"

namespace provisio::testing {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr int kLdapUsers = 10'000;
constexpr char kAdminEmail[] = "root@example.com";
constexpr char kAdminPassword[] = "a long admin password";
constexpr char kRootDn[] = "cn=admin,dc=example,dc=com";
constexpr char kRootPw[] = "slapd secret";

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  close(fd);
  return port;
}

int Run(const std::string& cmd) { return std::system(cmd.c_str()); }

std::string Uid(int i) {
  char b[16];
  std::snprintf(b, sizeof b, "user%05d", i);
  return b;
}
std::string UserDn(int i) { return "uid=" + Uid(i) + ",ou=people,dc=example,dc=com"; }

// objectGUIDs of alice, bob and carol as the directory holds them (16 bytes, base64), and as
// AD shows them: the first three fields byte-swapped.
constexpr const char* kAdGuidBase64[] = {
    "4AQlP4lP0xGaDAMF6CwzAQ==", "ESIzRFVmd4iZqrvM3e7/AA==", "AQAAAAIAAwAEBQYHCAkKCw=="};
constexpr const char* kAdGuid[] = {"3f2504e0-4f89-11d3-9a0c-0305e82c3301",
                                   "44332211-6655-8877-99aa-bbccddeeff00",
                                   "00000001-0002-0003-0405-060708090a0b"};

// A throwaway slapd: cn=config and the data loaded offline with slapadd, then started.
class Slapd {
 public:
  Slapd() : dir_(MakeTempDir("provisio-slapd")), port_(FreePort()) {
    std::filesystem::create_directories(dir_ / "config");
    std::filesystem::create_directories(dir_ / "data");
    std::ofstream(dir_ / "config.ldif")
        << "dn: cn=config\nobjectClass: olcGlobal\ncn: config\n"
        << "olcPidFile: " << (dir_ / "slapd.pid").string() << "\n\n"
        << "dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n"
        << "olcModulePath: /usr/lib/ldap\nolcModuleLoad: back_mdb\n\n"
        << "dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n"
        << "include: file:///etc/ldap/schema/core.ldif\n\n"
        << "include: file:///etc/ldap/schema/cosine.ldif\n\n"
        << "include: file:///etc/ldap/schema/nis.ldif\n\n"
        << "include: file:///etc/ldap/schema/inetorgperson.ldif\n\n"
        << "dn: cn=adlike,cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: adlike\n"
        << "olcAttributeTypes: ( 1.3.6.1.4.1.32473.1.1 NAME 'objectGUID' EQUALITY "
           "octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )\n"
        << "olcAttributeTypes: ( 1.3.6.1.4.1.32473.1.2 NAME 'sAMAccountName' EQUALITY "
           "caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )\n"
        << "olcAttributeTypes: ( 1.3.6.1.4.1.32473.1.3 NAME 'userPrincipalName' EQUALITY "
           "caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )\n"
        << "olcAttributeTypes: ( 1.3.6.1.4.1.32473.1.4 NAME 'userAccountControl' EQUALITY "
           "integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )\n"
        << "olcAttributeTypes: ( 1.3.6.1.4.1.32473.1.5 NAME 'uSNChanged' EQUALITY integerMatch "
           "ORDERING integerOrderingMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )\n"
        << "olcObjectClasses: ( 1.3.6.1.4.1.32473.2.1 NAME 'user' SUP organizationalPerson "
           "STRUCTURAL MAY ( objectGUID $ sAMAccountName $ userPrincipalName $ "
           "userAccountControl $ uSNChanged ) )\n"
        << "olcObjectClasses: ( 1.3.6.1.4.1.32473.2.2 NAME 'group' SUP top STRUCTURAL MUST cn "
           "MAY ( member $ objectGUID $ uSNChanged ) )\n\n"
        << "dn: olcDatabase={1}mdb,cn=config\nobjectClass: olcDatabaseConfig\n"
        << "objectClass: olcMdbConfig\nolcDatabase: {1}mdb\n"
        << "olcDbDirectory: " << (dir_ / "data").string() << "\n"
        << "olcSuffix: dc=example,dc=com\nolcRootDN: " << kRootDn << "\nolcRootPW: " << kRootPw
        << "\nolcDbMaxSize: 1073741824\nolcSizeLimit: unlimited\n"
        << "olcDbIndex: objectClass eq\nolcDbIndex: entryUUID eq\nolcDbIndex: uid eq\n\n";
    std::ofstream data(dir_ / "data.ldif");
    data << "dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\n"
         << "dc: example\no: Example\n\n"
         << "dn: ou=people,dc=example,dc=com\nobjectClass: organizationalUnit\nou: people\n\n"
         << "dn: ou=groups,dc=example,dc=com\nobjectClass: organizationalUnit\nou: groups\n\n";
    for (int i = 1; i <= kLdapUsers; ++i) {
      data << "dn: " << UserDn(i) << "\nobjectClass: inetOrgPerson\nuid: " << Uid(i)
           << "\ncn: Person " << i << "\nsn: Family" << i << "\ngivenName: Given" << i
           << "\nmail: " << Uid(i) << "@example.com\ntitle: Engineer\n";
      // Every tenth reports to one listed earlier; the first to the last one listed.
      if (i % 10 == 0) data << "manager: " << UserDn(i / 10) << "\n";
      if (i == 1) data << "manager: " << UserDn(kLdapUsers) << "\n";
      data << "\n";
    }
    data << "dn: cn=staff,ou=groups,dc=example,dc=com\nobjectClass: groupOfNames\ncn: staff\n";
    for (int i = 1; i <= 100; ++i) data << "member: " << UserDn(i) << "\n";
    data << "\ndn: cn=admins,ou=groups,dc=example,dc=com\nobjectClass: groupOfUniqueNames\n"
         << "cn: admins\n";
    for (int i = 1; i <= 3; ++i) data << "uniqueMember: " << UserDn(i) << "\n";
    // Nested: engineering holds staff (a group) and one user; ring-a and ring-b hold each other.
    data << "\ndn: cn=engineering,ou=groups,dc=example,dc=com\nobjectClass: groupOfNames\n"
         << "cn: engineering\nmember: cn=staff,ou=groups,dc=example,dc=com\nmember: "
         << UserDn(9999) << "\n\n"
         << "dn: cn=ring-a,ou=groups,dc=example,dc=com\nobjectClass: groupOfNames\ncn: ring-a\n"
         << "member: cn=ring-b,ou=groups,dc=example,dc=com\nmember: " << UserDn(300) << "\n\n"
         << "dn: cn=ring-b,ou=groups,dc=example,dc=com\nobjectClass: groupOfNames\ncn: ring-b\n"
         << "member: cn=ring-a,ou=groups,dc=example,dc=com\nmember: " << UserDn(301) << "\n\n";
    // The Active Directory-shaped subtree.
    data << "dn: ou=ad,dc=example,dc=com\nobjectClass: organizationalUnit\nou: ad\n\n";
    for (int i = 0; i < 3; ++i) {
      const char* names[] = {"alice", "bob", "carol"};
      data << "dn: cn=" << names[i]
           << ",ou=ad,dc=example,dc=com\nobjectClass: user\ncn: " << names[i]
           << "\nsn: " << names[i] << "\nsAMAccountName: " << names[i]
           << "\nuserPrincipalName: " << names[i] << "@corp.example.com\n"
           << "objectGUID:: " << kAdGuidBase64[i] << "\n"
           << "userAccountControl: " << (i == 2 ? 514 : 512) << "\nuSNChanged: " << 1001 + i
           << "\ntitle: Clerk\n\n";
    }
    data << "dn: cn=ad-ops,ou=ad,dc=example,dc=com\nobjectClass: group\ncn: ad-ops\n"
         << "member: cn=bob,ou=ad,dc=example,dc=com\n\n"
         << "dn: cn=ad-admins,ou=ad,dc=example,dc=com\nobjectClass: group\ncn: ad-admins\n"
         << "member: cn=alice,ou=ad,dc=example,dc=com\n"
         << "member: cn=ad-ops,ou=ad,dc=example,dc=com\n\n";
    data.close();
    std::string d = dir_.string();
    ok_ = Run("slapadd -n 0 -F " + d + "/config -l " + d + "/config.ldif >/dev/null 2>&1") == 0 &&
          Run("slapadd -q -n 1 -F " + d + "/config -l " + d + "/data.ldif >/dev/null 2>&1") == 0;
    if (!ok_) return;
    url_ = "ldap://127.0.0.1:" + std::to_string(port_);
    process_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        "/usr/sbin/slapd", "-h", url_ + "/", "-F", d + "/config", "-d", "0"});
    ok_ = Eventually(
        [&] { return Ldap("ldapsearch -x -LLL -s base -b dc=example,dc=com dn") == 0; }, 20);
  }
  ~Slapd() {
    process_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  bool ok() const { return ok_; }
  const std::string& url() const { return url_; }
  // Runs an ldap-utils command (ldapmodify, ldapdelete, ldapsearch) against this server.
  int Ldap(const std::string& command, const std::string& input = "") {
    std::string file = (dir_ / "input.ldif").string();
    std::ofstream(file) << input;
    return Run(command + " -H " + url_ + " -D " + kRootDn + " -w '" + kRootPw + "' " +
               (input.empty() ? "" : "-f " + file) + " >/dev/null 2>&1");
  }

 private:
  std::filesystem::path dir_;
  int port_;
  bool ok_ = false;
  std::string url_;
  std::unique_ptr<ChildProcess> process_;
};

// `provisio serve` over a given data dir, so a test can kill it and start it again.
std::unique_ptr<ChildProcess> Serve(const std::filesystem::path& data_dir, std::string* url) {
  auto p = std::make_unique<ChildProcess>(
      std::vector<std::string>{(BinDir() / "provisio").string(), "serve", "--listen", "127.0.0.1:0",
                               "--data-dir", data_dir.string()},
      std::map<std::string, std::string>{{"PROVISIO_LOG_LEVEL", "warn"},
                                         {"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", kAdminEmail},
                                         {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", kAdminPassword}});
  *url = p->WaitForLine("listening on ");
  return p;
}

class LdapImportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { slapd_ = new Slapd(); }
  static void TearDownTestSuite() { delete slapd_; }

  // A connection to the suite's slapd and an "ldap" application using it; its id.
  static std::string MakeApplication(const AdminClient& admin) {
    auto conn = admin.Json(
        "POST", "/api/v1/connections",
        object{{"name", "Directory"},
               {"type", "ldap"},
               {"base_url", slapd_->url()},
               {"auth", object{{"kind", "basic"}, {"username", kRootDn}, {"password", kRootPw}}},
               {"settings", object{{"base_dn", "dc=example,dc=com"}}}});
    EXPECT_TRUE(conn.as_object().contains("id")) << conn;
    auto test = admin.Json(
        "POST", "/api/v1/connections/" + std::string(conn.at("id").as_string()) + "/test");
    EXPECT_EQ(test.at("ok"), true) << test;
    auto app = admin.Json("POST", "/api/v1/applications",
                          object{{"template", "ldap"},
                                 {"name", "Corporate directory"},
                                 {"capabilities", array{"import_sync"}},
                                 {"connection_id", conn.at("id")}});
    EXPECT_TRUE(app.as_object().contains("id")) << app;
    return std::string(app.at("id").as_string());
  }

  static value StartImport(const AdminClient& admin, const std::string& app, const object& body) {
    auto run = admin.Json("POST", "/api/v1/applications/" + app + "/imports", body);
    EXPECT_TRUE(run.is_object() && run.as_object().contains("id")) << run;
    return run;
  }

  static value WaitRun(const AdminClient& admin, const std::string& run_id, int seconds = 300) {
    value run;
    Eventually(
        [&] {
          run = admin.Json("GET", "/api/v1/imports/" + run_id);
          auto s = run.is_object() ? run.at("state") : value();
          return s == "succeeded" || s == "failed";
        },
        seconds);
    return run;
  }

  static int64_t Count(const value& run, const char* name) {
    return run.at("counts").at(name).to_number<int64_t>();
  }

  static inline Slapd* slapd_ = nullptr;
};

int64_t ScimTotal(const std::string& base, const std::string& auth, const std::string& query) {
  auto r = Fetch("GET", base + "/scim/v2/" + query, {auth});
  auto v = r.Json();
  if (!v.is_object() || !v.as_object().contains("totalResults")) return -1;
  return v.at("totalResults").to_number<int64_t>();
}

value ScimFirst(const std::string& base, const std::string& auth, const std::string& query) {
  auto v = Fetch("GET", base + "/scim/v2/" + query, {auth}).Json();
  if (!v.is_object() || !v.as_object().contains("Resources")) return {};
  const auto& res = v.at("Resources").as_array();
  return res.empty() ? value() : res[0];
}

size_t GroupMembers(const std::string& base, const std::string& auth, const std::string& name) {
  auto g = ScimFirst(base, auth, "Groups?filter=displayName%20eq%20%22" + name + "%22");
  if (!g.is_object()) return 0;
  const auto* m = g.as_object().if_contains("members");
  return m && m->is_array() ? m->as_array().size() : 0;
}

std::string ScimToken(const AdminClient& admin) {
  auto token = admin.Json("POST", "/api/v1/scim-tokens", object{{"name", "reader"}});
  return "Authorization: Bearer " + std::string(token.at("token").as_string());
}

// Runs first, while the directory still holds every entry.
TEST_F(LdapImportTest, RunResumesAfterSigkillWithoutDuplicates) {
  ASSERT_TRUE(slapd_->ok()) << "slapd did not start";
  auto data_dir = MakeTempDir("provisio-ldap-resume");
  std::string url;
  auto server = Serve(data_dir, &url);
  ASSERT_FALSE(url.empty());
  std::string run_id;
  {
    AdminClient admin(url, kAdminEmail, kAdminPassword);
    ASSERT_TRUE(admin.ok());
    std::string app = MakeApplication(admin);
    run_id = std::string(StartImport(admin, app, {}).at("id").as_string());
    // Kill it once some pages are committed and before the end.
    ASSERT_TRUE(Eventually([&] {
      auto run = admin.Json("GET", "/api/v1/imports/" + run_id);
      return run.is_object() && run.at("state") == "running" && Count(run, "read") >= 1000;
    }));
  }
  server->Stop(SIGKILL);
  server = Serve(data_dir, &url);
  ASSERT_FALSE(url.empty());
  AdminClient admin(url, kAdminEmail, kAdminPassword);
  ASSERT_TRUE(admin.ok());
  auto run = WaitRun(admin, run_id);
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(Count(run, "failed"), 0) << run;
  std::string auth = ScimToken(admin);
  EXPECT_EQ(ScimTotal(url, auth, "Users?count=0"), kLdapUsers);
  // A full run afterwards finds everything imported once: nothing created, nothing changed.
  auto again = WaitRun(
      admin, std::string(StartImport(admin, std::string(run.at("application_id").as_string()),
                                     {{"mode", "full"}})
                             .at("id")
                             .as_string()));
  ASSERT_EQ(again.at("state"), "succeeded") << again;
  EXPECT_EQ(Count(again, "read"), kLdapUsers);
  EXPECT_EQ(Count(again, "created"), 0);
  EXPECT_EQ(Count(again, "unchanged"), kLdapUsers);
  server->Stop(SIGTERM);
}

TEST_F(LdapImportTest, FullThenIncrementalThenDeletionsAndGroups) {
  ASSERT_TRUE(slapd_->ok()) << "slapd did not start";
  ProvisioServer server(
      std::map<std::string, std::string>{{"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", kAdminEmail},
                                         {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", kAdminPassword}});
  const std::string base = server.url();
  AdminClient admin(base, kAdminEmail, kAdminPassword);
  ASSERT_TRUE(admin.ok());
  std::string auth = ScimToken(admin);
  std::string app = MakeApplication(admin);

  // A dry run counts and writes nothing.
  auto dry = WaitRun(
      admin, std::string(StartImport(admin, app, {{"dry_run", true}}).at("id").as_string()));
  ASSERT_EQ(dry.at("state"), "succeeded") << dry;
  EXPECT_EQ(Count(dry, "created"), kLdapUsers);
  EXPECT_EQ(ScimTotal(base, auth, "Users?count=0"), 0);

  auto t0 = std::chrono::steady_clock::now();
  auto full = WaitRun(admin, std::string(StartImport(admin, app, {}).at("id").as_string()));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(full.at("state"), "succeeded") << full;
  std::printf("full import of %d entries: %.1f s (%.0f records/s)\n", kLdapUsers, seconds,
              kLdapUsers / seconds);
  EXPECT_EQ(full.at("mode"), "full");
  EXPECT_EQ(Count(full, "read"), kLdapUsers);
  EXPECT_EQ(Count(full, "created"), kLdapUsers);
  EXPECT_EQ(Count(full, "failed"), 0) << full;
  EXPECT_EQ(ScimTotal(base, auth, "Users?count=0"), kLdapUsers);
  auto u42 = ScimFirst(base, auth, "Users?filter=userName%20eq%20%22user00042%22");
  ASSERT_TRUE(u42.is_object());
  EXPECT_EQ(u42.at("name").at("givenName"), "Given42");
  EXPECT_EQ(u42.at("name").at("familyName"), "Family42");
  EXPECT_EQ(u42.at("title"), "Engineer");
  EXPECT_EQ(u42.at("emails").at(0).at("value"), "user00042@example.com");
  EXPECT_TRUE(u42.as_object().contains("externalId"));  // the entryUUID
  // The manager's DN became her portal user, whether she was read before or after.
  auto manager_of = [&](int i) -> std::string {
    auto u = ScimFirst(base, auth, "Users?filter=userName%20eq%20%22" + Uid(i) + "%22");
    const auto* e = u.is_object()
                        ? u.as_object().if_contains(
                              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
                        : nullptr;
    return e && e->as_object().contains("manager")
               ? std::string(e->at("manager").at("value").as_string())
               : "";
  };
  auto id_of = [&](int i) {
    auto u = ScimFirst(base, auth, "Users?filter=userName%20eq%20%22" + Uid(i) + "%22");
    return u.is_object() ? std::string(u.at("id").as_string()) : "<none>";
  };
  EXPECT_EQ(manager_of(20), id_of(2));
  EXPECT_EQ(manager_of(9990), id_of(999));
  EXPECT_EQ(manager_of(1), id_of(kLdapUsers));
  EXPECT_EQ(manager_of(42), "");
  EXPECT_GE(Count(full, "managers"), 2) << full;  // those read before their manager was linked

  // Groups with their members; nested groups expanded.
  EXPECT_EQ(Count(full, "groups_read"), 5);
  auto staff = ScimFirst(base, auth, "Groups?filter=displayName%20eq%20%22staff%22");
  ASSERT_TRUE(staff.is_object());
  EXPECT_EQ(staff.at("members").as_array().size(), 100u);
  auto admins = ScimFirst(base, auth, "Groups?filter=displayName%20eq%20%22admins%22");
  ASSERT_TRUE(admins.is_object());
  EXPECT_EQ(admins.at("members").as_array().size(), 3u);
  EXPECT_EQ(GroupMembers(base, auth, "engineering"), 101u);  // staff's 100 and user09999
  EXPECT_EQ(GroupMembers(base, auth, "ring-a"), 2u);         // user00300 and, via ring-b, 301
  EXPECT_EQ(GroupMembers(base, auth, "ring-b"), 2u);
  auto ents = admin.Json("GET", "/api/v1/applications/" + app + "/entitlements");
  ASSERT_EQ(ents.at("items").as_array().size(), 5u) << ents;
  std::map<std::string, std::string> eid;  // group name -> entitlement id
  for (const auto& e : ents.at("items").as_array()) {
    eid[std::string(e.at("display_name").as_string())] = std::string(e.at("id").as_string());
  }
  // Each account's groups in the source are its entitlements.
  auto holders = [&](const std::string& name) {
    auto page = admin.Json("GET", "/api/v1/applications/" + app +
                                      "/imported-accounts?limit=500&entitlement=" + eid[name]);
    return page.at("items").as_array();
  };
  EXPECT_EQ(holders("staff").size(), 100u);
  EXPECT_EQ(holders("engineering").size(), 101u);
  EXPECT_EQ(holders("ring-b").size(), 2u);
  auto three = holders("admins");
  ASSERT_EQ(three.size(), 3u);
  for (const auto& account : three) {
    std::set<std::string> names;
    for (const auto& e : account.at("entitlements").as_array()) {
      EXPECT_EQ(e.at("kind"), "group");
      names.insert(std::string(e.at("display_name").as_string()));
    }
    EXPECT_EQ(names, (std::set<std::string>{"admins", "engineering", "staff"})) << account;
    EXPECT_EQ(account.at("state"), "active");
    EXPECT_TRUE(account.at("user_id").is_string());
  }
  auto first = admin.Json("GET", "/api/v1/applications/" + app + "/imported-accounts?limit=2");
  EXPECT_EQ(first.at("items").as_array().size(), 2u);
  EXPECT_TRUE(first.as_object().contains("next"));
  EXPECT_EQ(admin.Json("GET", "/api/v1/applications/" + app + "/imported-accounts?limit=0")
                .at("error")
                .at("code"),
            "invalid_value");

  // Modify a few entries (a second later, so their modifyTimestamp is newer).
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  std::string mods;
  for (int i : {5, 6, 7, 8, 9}) {
    mods += "dn: " + UserDn(i) + "\nchangetype: modify\nreplace: title\ntitle: Manager\n\n";
  }
  mods += "dn: cn=staff,ou=groups,dc=example,dc=com\nchangetype: modify\nadd: member\nmember: " +
          UserDn(500) + "\n\n";
  ASSERT_EQ(slapd_->Ldap("ldapmodify -x", mods), 0);
  auto inc = WaitRun(admin, std::string(StartImport(admin, app, {}).at("id").as_string()));
  ASSERT_EQ(inc.at("state"), "succeeded") << inc;
  EXPECT_EQ(inc.at("mode"), "incremental");
  EXPECT_EQ(Count(inc, "updated"), 5) << inc;
  EXPECT_EQ(Count(inc, "created"), 0);
  EXPECT_EQ(ScimFirst(base, auth, "Users?filter=userName%20eq%20%22user00007%22").at("title"),
            "Manager");
  staff = ScimFirst(base, auth, "Groups?filter=displayName%20eq%20%22staff%22");
  EXPECT_EQ(staff.at("members").as_array().size(), 101u);
  EXPECT_EQ(GroupMembers(base, auth, "engineering"), 102u);  // through staff
  EXPECT_EQ(holders("staff").size(), 101u);
  EXPECT_EQ(holders("engineering").size(), 102u);
  // A member leaving a group loses it.
  ASSERT_EQ(slapd_->Ldap("ldapmodify -x",
                         "dn: cn=ring-b,ou=groups,dc=example,dc=com\n"
                         "changetype: modify\ndelete: member\nmember: " +
                             UserDn(301) + "\n\n"),
            0);

  // Delete a few: an incremental run lists the directory's ids, sees them gone and, by
  // policy, disables their users.
  std::string dels;
  for (int i : {11, 12, 13}) dels += "dn: " + UserDn(i) + "\nchangetype: delete\n\n";
  ASSERT_EQ(slapd_->Ldap("ldapmodify -x", dels), 0);
  auto gone = WaitRun(
      admin, std::string(StartImport(admin, app, {{"gone", "disable"}}).at("id").as_string()));
  ASSERT_EQ(gone.at("state"), "succeeded") << gone;
  EXPECT_EQ(gone.at("mode"), "incremental");
  EXPECT_LT(Count(gone, "read"), 10);  // the entries changed since the last run, not all
  EXPECT_EQ(Count(gone, "gone"), 3);
  EXPECT_EQ(Count(gone, "disabled"), 3);
  EXPECT_EQ(ScimFirst(base, auth, "Users?filter=userName%20eq%20%22user00012%22").at("active"),
            false);
  EXPECT_EQ(ScimFirst(base, auth, "Users?filter=userName%20eq%20%22user00014%22").at("active"),
            true);
  EXPECT_EQ(GroupMembers(base, auth, "ring-a"), 1u);
  EXPECT_EQ(GroupMembers(base, auth, "ring-b"), 1u);
  EXPECT_EQ(holders("ring-b").size(), 1u);
  // Unlink, incrementally: the next deletion removes the link and leaves the user alone.
  ASSERT_EQ(slapd_->Ldap("ldapmodify -x", "dn: " + UserDn(14) + "\nchangetype: delete\n\n"), 0);
  auto unlinked = WaitRun(
      admin, std::string(StartImport(admin, app, {{"gone", "unlink"}}).at("id").as_string()));
  ASSERT_EQ(unlinked.at("state"), "succeeded") << unlinked;
  EXPECT_EQ(unlinked.at("mode"), "incremental");
  EXPECT_EQ(Count(unlinked, "gone"), 1);  // 11-13 are no longer active links
  EXPECT_EQ(Count(unlinked, "unlinked"), 1);
  EXPECT_EQ(ScimFirst(base, auth, "Users?filter=userName%20eq%20%22user00014%22").at("active"),
            true);

  // The deletion guard: more gone than the threshold touches nobody.
  ASSERT_EQ(slapd_->Ldap("ldapmodify -x", "dn: " + UserDn(20) + "\nchangetype: delete\n\n" +
                                              "dn: " + UserDn(21) + "\nchangetype: delete\n\n"),
            0);
  auto guarded = WaitRun(
      admin, std::string(StartImport(admin, app, {{"gone", "disable"}, {"deletion_threshold", 1}})
                             .at("id")
                             .as_string()));
  ASSERT_EQ(guarded.at("state"), "succeeded") << guarded;
  EXPECT_EQ(Count(guarded, "gone"), 2);
  EXPECT_EQ(Count(guarded, "disabled"), 0);
  EXPECT_NE(std::string(guarded.at("message").as_string()).find("threshold"), std::string::npos);
  EXPECT_EQ(ScimFirst(base, auth, "Users?filter=userName%20eq%20%22user00020%22").at("active"),
            true);
  // A full run finds the same two gone by what it listed.
  auto full_gone = WaitRun(
      admin,
      std::string(
          StartImport(admin, app, {{"mode", "full"}, {"gone", "disable"}}).at("id").as_string()));
  ASSERT_EQ(full_gone.at("state"), "succeeded") << full_gone;
  EXPECT_EQ(Count(full_gone, "read"), kLdapUsers - 6);
  EXPECT_EQ(Count(full_gone, "gone"), 2);
  EXPECT_EQ(Count(full_gone, "disabled"), 2);
  EXPECT_EQ(ScimFirst(base, auth, "Users?filter=userName%20eq%20%22user00020%22").at("active"),
            false);

  auto list = admin.Json("GET", "/api/v1/applications/" + app + "/imports");
  EXPECT_EQ(list.at("items").as_array().size(), 7u);
}

// Active Directory's attributes, on the ou=ad subtree: objectGUID as the GUID string, the
// disabled bit of userAccountControl, uSNChanged as the change marker (an entry whose
// uSNChanged did not move is not read again, whatever its modifyTimestamp says), nested
// groups, and a deletion seen by an incremental run.
TEST_F(LdapImportTest, ActiveDirectoryAttributes) {
  ASSERT_TRUE(slapd_->ok()) << "slapd did not start";
  ProvisioServer server(
      std::map<std::string, std::string>{{"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", kAdminEmail},
                                         {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", kAdminPassword}});
  const std::string base = server.url();
  AdminClient admin(base, kAdminEmail, kAdminPassword);
  ASSERT_TRUE(admin.ok());
  std::string auth = ScimToken(admin);
  auto conn = admin.Json(
      "POST", "/api/v1/connections",
      object{{"name", "AD"},
             {"type", "ldap"},
             {"base_url", slapd_->url()},
             {"auth", object{{"kind", "basic"}, {"username", kRootDn}, {"password", kRootPw}}},
             {"settings", object{{"base_dn", "ou=ad,dc=example,dc=com"},
                                 {"user_filter", "(objectClass=user)"},
                                 {"group_filter", "(objectClass=group)"}}}});
  ASSERT_TRUE(conn.as_object().contains("id")) << conn;
  auto created = admin.Json("POST", "/api/v1/applications",
                            object{{"template", "ldap"},
                                   {"name", "Active Directory"},
                                   {"capabilities", array{"import_sync"}},
                                   {"connection_id", conn.at("id")}});
  ASSERT_TRUE(created.as_object().contains("id")) << created;
  std::string app(created.at("id").as_string());
  auto mapped = admin.Json(
      "PUT", "/api/v1/applications/" + app + "/mappings",
      object{{"items", array{object{{"target", "userName"}, {"source", "[sAMAccountName]"}},
                             object{{"target", "externalId"}, {"source", "[objectGUID]"}},
                             object{{"target", "displayName"}, {"source", "[cn]"}},
                             object{{"target", "name.familyName"}, {"source", "[sn]"}},
                             object{{"target", "emails[type eq \"work\"].value"},
                                    {"source", "[userPrincipalName]"}},
                             object{{"target", "title"}, {"source", "[title]"}}}}});
  ASSERT_TRUE(mapped.as_object().contains("items")) << mapped;

  auto full = WaitRun(admin, std::string(StartImport(admin, app, {}).at("id").as_string()));
  ASSERT_EQ(full.at("state"), "succeeded") << full;
  EXPECT_EQ(Count(full, "created"), 3) << full;
  EXPECT_EQ(Count(full, "failed"), 0) << full;
  const char* names[] = {"alice", "bob", "carol"};
  for (int i = 0; i < 3; ++i) {
    auto u =
        ScimFirst(base, auth, std::string("Users?filter=userName%20eq%20%22") + names[i] + "%22");
    ASSERT_TRUE(u.is_object()) << names[i];
    EXPECT_EQ(u.at("externalId"), kAdGuid[i]);
    EXPECT_EQ(u.at("active"), i != 2) << names[i];  // carol: userAccountControl 514
    EXPECT_EQ(u.at("emails").at(0).at("value"), value(std::string(names[i]) + "@corp.example.com"));
  }
  // ad-admins holds alice and, through ad-ops, bob.
  EXPECT_EQ(GroupMembers(base, auth, "ad-admins"), 2u);
  EXPECT_EQ(GroupMembers(base, auth, "ad-ops"), 1u);
  auto accounts = admin.Json("GET", "/api/v1/applications/" + app + "/imported-accounts");
  ASSERT_EQ(accounts.at("items").as_array().size(), 3u) << accounts;
  for (const auto& a : accounts.at("items").as_array()) {
    std::set<std::string> groups;
    for (const auto& e : a.at("entitlements").as_array()) {
      groups.insert(std::string(e.at("display_name").as_string()));
    }
    if (a.at("source_id") == kAdGuid[0]) {
      EXPECT_EQ(groups, (std::set<std::string>{"ad-admins"}));
    } else if (a.at("source_id") == kAdGuid[1]) {
      EXPECT_EQ(groups, (std::set<std::string>{"ad-admins", "ad-ops"}));
    } else {
      EXPECT_EQ(a.at("source_id"), kAdGuid[2]);
      EXPECT_TRUE(groups.empty());
    }
  }

  // bob changes as AD records it (uSNChanged moves); alice's title changes with her
  // uSNChanged left as it was, so an incremental run by uSNChanged does not read her.
  ASSERT_EQ(slapd_->Ldap("ldapmodify -x",
                         "dn: cn=bob,ou=ad,dc=example,dc=com\nchangetype: modify\nreplace: "
                         "title\ntitle: Director\n-\nreplace: uSNChanged\nuSNChanged: 2000\n\n"
                         "dn: cn=alice,ou=ad,dc=example,dc=com\nchangetype: modify\nreplace: "
                         "title\ntitle: Director\n\n"),
            0);
  auto inc = WaitRun(admin, std::string(StartImport(admin, app, {}).at("id").as_string()));
  ASSERT_EQ(inc.at("state"), "succeeded") << inc;
  EXPECT_EQ(inc.at("mode"), "incremental");
  EXPECT_EQ(inc.at("since"), "usn:00000000000000001003") << inc;
  EXPECT_EQ(Count(inc, "read"), 2);  // carol (uSNChanged 1003, the last marker) and bob
  EXPECT_EQ(Count(inc, "updated"), 1) << inc;
  EXPECT_EQ(ScimFirst(base, auth, "Users?filter=userName%20eq%20%22bob%22").at("title"),
            "Director");
  EXPECT_EQ(ScimFirst(base, auth, "Users?filter=userName%20eq%20%22alice%22").at("title"), "Clerk");

  // A deletion, seen by the next incremental run.
  ASSERT_EQ(slapd_->Ldap("ldapmodify -x",
                         "dn: cn=alice,ou=ad,dc=example,dc=com\n"
                         "changetype: delete\n\n"),
            0);
  auto gone = WaitRun(
      admin, std::string(StartImport(admin, app, {{"gone", "disable"}}).at("id").as_string()));
  ASSERT_EQ(gone.at("state"), "succeeded") << gone;
  EXPECT_EQ(gone.at("mode"), "incremental");
  EXPECT_EQ(Count(gone, "gone"), 1);
  EXPECT_EQ(Count(gone, "disabled"), 1);
  EXPECT_EQ(ScimFirst(base, auth, "Users?filter=userName%20eq%20%22alice%22").at("active"), false);
  EXPECT_EQ(ScimFirst(base, auth, "Users?filter=userName%20eq%20%22bob%22").at("active"), true);
}

}  // namespace
}  // namespace provisio::testing
