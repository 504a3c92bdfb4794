// Wire-exact tests: the Google Workspace connector against a recording server, asserting the
// exact requests it sends (token exchange, Directory API method, path, query, body) and how it
// classifies the answers. The service account key is a throwaway RSA key made here.
#include "connectors/google/google_connector.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <boost/json.hpp>

#include "connectors/action.h"
#include "connectors/error_class.h"
#include "connectors/google/google_auth.h"
#include "connectors/google/google_errors.h"
#include "connectors/google/service_account.h"
#include "connectors/recording_target.h"
#include "connectors/registry.h"
#include "http/response.h"

namespace provisio::connectors::google {
namespace {

using boost::json::object;
using boost::json::parse;

// A fresh 2048-bit RSA key: {private PEM (PKCS #8), public PEM (SubjectPublicKeyInfo)}.
std::pair<std::string, std::string> MakeRsaKey() {
  EVP_PKEY* pkey = EVP_RSA_gen(2048);
  BIO* priv = BIO_new(BIO_s_mem());
  BIO* pub = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(priv, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_bio_PUBKEY(pub, pkey);
  auto read = [](BIO* b) {
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    return std::string(data, static_cast<size_t>(n));
  };
  std::pair<std::string, std::string> out{read(priv), read(pub)};
  BIO_free(priv);
  BIO_free(pub);
  EVP_PKEY_free(pkey);
  return out;
}

const std::pair<std::string, std::string>& TestKey() {
  static const auto key = MakeRsaKey();
  return key;
}

std::string Base64UrlDecodeForTest(std::string_view in) {
  std::string b64(in);
  for (char& c : b64) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  size_t pad = (4 - b64.size() % 4) % 4;
  b64.append(pad, '=');
  std::string out(b64.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

// Verifies header.claims.signature against a PEM public key with OpenSSL alone.
bool VerifyRs256(std::string_view jwt, const std::string& public_pem) {
  auto dot = jwt.rfind('.');
  std::string signature = Base64UrlDecodeForTest(jwt.substr(dot + 1));
  std::string_view signed_part = jwt.substr(0, dot);
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      pkey != nullptr && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  BIO_free(bio);
  return ok;
}

std::string KeyJson(const std::string& token_uri) {
  return boost::json::serialize(
      object{{"type", "service_account"},
             {"project_id", "provisio-test"},
             {"private_key_id", "kid-1"},
             {"private_key", TestKey().first},
             {"client_email", "sync@provisio-test.iam.gserviceaccount.com"},
             {"client_id", "1234567890"},
             {"token_uri", token_uri}});
}

http::Response GoogleJson(int status, std::string_view body) {
  return http::Response::Text(status, std::string(body), "application/json; charset=UTF-8");
}

http::Response GoogleError(int status, std::string_view reason, std::string_view message) {
  object body{{"error", object{{"code", status},
                               {"message", message},
                               {"errors", boost::json::array{object{{"message", message},
                                                                    {"domain", "global"},
                                                                    {"reason", reason}}}}}}};
  return GoogleJson(status, boost::json::serialize(body));
}

TEST(ServiceAccountTest, AssertionIsAnRs256JwtWithGoogleClaims) {
  auto key = ParseServiceAccountKey(KeyJson("https://oauth2.googleapis.com/token"));
  ASSERT_TRUE(key.ok()) << key.error().ToString();
  TimePoint now = FromMicros(int64_t{1700000000} * 1000000);
  auto jwt = MakeJwtAssertion(*key, {"admin@example.com", "scope-a scope-b", now});
  ASSERT_TRUE(jwt.ok()) << jwt.error().ToString();
  EXPECT_TRUE(VerifyRs256(*jwt, TestKey().second));
  // Tampering with the claims breaks the signature.
  std::string tampered = *jwt;
  tampered[tampered.find('.') + 3] ^= 1;
  EXPECT_FALSE(VerifyRs256(tampered, TestKey().second));

  auto first = jwt->find('.');
  auto second = jwt->find('.', first + 1);
  EXPECT_EQ(parse(Base64UrlDecodeForTest(jwt->substr(0, first))),
            parse(R"({"alg":"RS256","typ":"JWT","kid":"kid-1"})"));
  EXPECT_EQ(
      parse(Base64UrlDecodeForTest(jwt->substr(first + 1, second - first - 1))),
      parse(R"({"iss":"sync@provisio-test.iam.gserviceaccount.com","scope":"scope-a scope-b",)"
            R"("aud":"https://oauth2.googleapis.com/token","iat":1700000000,)"
            R"("exp":1700003600,"sub":"admin@example.com"})"));
}

TEST(ServiceAccountTest, KeyFileErrorsNameTheFieldNotTheKey) {
  EXPECT_FALSE(ParseServiceAccountKey("not json").ok());
  auto no_email = ParseServiceAccountKey(R"({"type":"service_account","private_key":"x"})");
  ASSERT_FALSE(no_email.ok());
  EXPECT_NE(no_email.error().message().find("client_email"), std::string::npos);
  auto wrong_type = ParseServiceAccountKey(R"({"type":"authorized_user"})");
  ASSERT_FALSE(wrong_type.ok());
  auto bad_pem = ParseServiceAccountKey(
      R"({"client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"})");
  ASSERT_TRUE(bad_pem.ok());
  EXPECT_FALSE(MakeJwtAssertion(*bad_pem, {"a@b", "s", TimePoint{}}).ok());
}

// The key's token_uri and the API base get credentials: plain http only to loopback.
TEST(ServiceAccountTest, PlainHttpIsRefusedExceptToLoopback) {
  auto plain = ParseServiceAccountKey(KeyJson("http://oauth2.googleapis.com/token"));
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.error().message().find("loopback"), std::string::npos)
      << plain.error().ToString();
  EXPECT_TRUE(ParseServiceAccountKey(KeyJson("http://127.0.0.1:9/token")).ok());
  EXPECT_TRUE(ParseServiceAccountKey(KeyJson("https://oauth2.googleapis.com/token")).ok());
  http::Client http;
  SystemClock clock;
  auto open = [&](std::string base) {
    ConnectorConfig config{"google-workspace", base,
                           object{{"kind", "google_service_account"},
                                  {"service_account_json", KeyJson("http://127.0.0.1:9/token")},
                                  {"admin_email", "admin@example.com"}},
                           object{}};
    return OpenConnector(config, ConnectorEnv{http, clock});
  };
  auto base = open("http://admin.googleapis.com");
  ASSERT_FALSE(base.ok());
  EXPECT_NE(base.error().message().find("loopback"), std::string::npos);
  EXPECT_TRUE(open("http://[::1]:9").ok());
}

struct ClassCase {
  int status;
  std::string body;
  ErrorClass expected;
  Action action;
};

TEST(GoogleErrorsTest, EveryDocumentedErrorMapsToItsClass) {
  auto directory = [](int status, std::string_view reason) {
    return boost::json::serialize(
        object{{"error", object{{"code", status},
                                {"message", "m"},
                                {"errors", boost::json::array{object{{"reason", reason}}}}}}});
  };
  std::vector<ClassCase> cases{
      {409, directory(409, "duplicate"), ErrorClass::kConflict, Action::kSkip},
      {404, directory(404, "notFound"), ErrorClass::kNotFound, Action::kSkip},
      {400, directory(400, "invalid"), ErrorClass::kInvalid, Action::kSkip},
      {403, directory(403, "forbidden"), ErrorClass::kAuth, Action::kStop},
      {403, directory(403, "insufficientPermissions"), ErrorClass::kAuth, Action::kStop},
      {403, directory(403, "userRateLimitExceeded"), ErrorClass::kRateLimited, Action::kRetry},
      {403, directory(403, "quotaExceeded"), ErrorClass::kRateLimited, Action::kRetry},
      {403, directory(403, "rateLimitExceeded"), ErrorClass::kRateLimited, Action::kRetry},
      {429, directory(429, "rateLimitExceeded"), ErrorClass::kRateLimited, Action::kRetry},
      {500, directory(500, "backendError"), ErrorClass::kRetryable, Action::kRetry},
      {503, directory(503, "backendError"), ErrorClass::kRetryable, Action::kRetry},
      {502, "<html>bad gateway</html>", ErrorClass::kRetryable, Action::kRetry},
      {401, directory(401, "authError"), ErrorClass::kAuth, Action::kStop},
      {412, directory(412, "conditionNotMet"), ErrorClass::kStale, Action::kRetry},
      {400, R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})",
       ErrorClass::kAuth, Action::kStop},
      {401, R"({"error":"unauthorized_client","error_description":"Client is unauthorized"})",
       ErrorClass::kAuth, Action::kStop},
      {503, R"({"error":"temporarily_unavailable"})", ErrorClass::kRetryable, Action::kRetry},
  };
  for (const auto& c : cases) {
    http::HttpResponse r;
    r.status = c.status;
    r.body = c.body;
    Error e = ClassifyGoogleResponse(r, "GET users", TimePoint{});
    EXPECT_EQ(ClassOf(e), c.expected) << c.status << " " << c.body << ": " << e.ToString();
    EXPECT_EQ(DecideAction(e).action, c.action) << c.status << " " << c.body;
  }
  http::HttpResponse limited;
  limited.status = 429;
  limited.headers = {{"Retry-After", "7"}};
  EXPECT_EQ(RetryAfterOf(ClassifyGoogleResponse(limited, "GET users", TimePoint{})),
            std::chrono::milliseconds(7000));
}

class GoogleConnectorTest : public testing::Test {
 protected:
  // `answer` handles the Directory API; /token is answered here (tokens tok-1, tok-2, ...).
  void Start(RecordingTarget::Handler answer, object settings = {}) {
    target_ = std::make_unique<RecordingTarget>([this, answer](const http::Request& req) {
      if (req.path == "/token") {
        return GoogleJson(200, R"({"access_token":"tok-)" + std::to_string(++tokens_) +
                                   R"(","expires_in":3599,"token_type":"Bearer"})");
      }
      return answer(req);
    });
    object auth{{"kind", "google_service_account"},
                {"service_account_json", KeyJson(target_->url() + "/token")},
                {"admin_email", "admin@example.com"}};
    ConnectorConfig config{"google-workspace", target_->url(), auth, std::move(settings)};
    auto c = OpenConnector(config, ConnectorEnv{http_, clock_});
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    connector_ = std::move(c).value();
  }
  // Directory API requests only.
  std::vector<RecordedRequest> Sent() {
    std::vector<RecordedRequest> out;
    for (auto& r : target_->requests()) {
      if (r.target != "/token") out.push_back(std::move(r));
    }
    return out;
  }
  GoogleConnector& google() { return static_cast<GoogleConnector&>(*connector_); }

  http::Client http_;
  SystemClock clock_;
  std::atomic<int> tokens_{0};
  std::unique_ptr<RecordingTarget> target_;
  std::unique_ptr<Connector> connector_;
};

TEST_F(GoogleConnectorTest, ExchangesTheAssertionOnceAndSendsTheToken) {
  Start([](const http::Request&) {
    return GoogleJson(200, R"({"kind":"admin#directory#users","etag":"e"})");
  });
  ASSERT_TRUE(connector_->Test().ok());
  ASSERT_TRUE(connector_->Test().ok());
  auto all = target_->requests();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].Line(), "POST /token");
  EXPECT_EQ(all[0].content_type, "application/x-www-form-urlencoded");
  std::string prefix =
      "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=";
  ASSERT_TRUE(all[0].body.starts_with(prefix)) << all[0].body;
  std::string jwt = all[0].body.substr(prefix.size());
  EXPECT_TRUE(VerifyRs256(jwt, TestKey().second));
  auto first = jwt.find('.');
  auto claims =
      parse(Base64UrlDecodeForTest(jwt.substr(first + 1, jwt.rfind('.') - first - 1))).as_object();
  EXPECT_EQ(claims.at("sub"), "admin@example.com");
  EXPECT_EQ(claims.at("aud"), boost::json::value(target_->url() + "/token"));
  EXPECT_EQ(claims.at("scope"), boost::json::value(std::string(kDirectoryScopes)));
  EXPECT_EQ(claims.at("exp").as_int64() - claims.at("iat").as_int64(), 3600);
  EXPECT_EQ(all[1].Line(), "GET /admin/directory/v1/users?customer=my_customer&maxResults=1");
  EXPECT_EQ(all[1].authorization, "Bearer tok-1");
  EXPECT_EQ(all[2].authorization, "Bearer tok-1");
}

TEST_F(GoogleConnectorTest, A401RefreshesTheTokenOnceThenStops) {
  Start([](const http::Request& req) {
    if (req.Header("Authorization") == "Bearer tok-1") {
      return GoogleError(401, "authError", "Invalid Credentials");
    }
    if (req.Header("Authorization") == "Bearer tok-2") {
      return GoogleJson(200, R"({"kind":"admin#directory#user","id":"1","etag":"\"e\""})");
    }
    return GoogleError(401, "authError", "Invalid Credentials");
  });
  auto got = connector_->GetUser("1");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(target_->lines(),
            (std::vector<std::string>{"POST /token", "GET /admin/directory/v1/users/1",
                                      "POST /token", "GET /admin/directory/v1/users/1"}));
  target_->Clear();
  auto again = connector_->GetUser("2");  // tok-2 still cached and accepted
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(target_->lines(), std::vector<std::string>{"GET /admin/directory/v1/users/2"});
}

TEST_F(GoogleConnectorTest, CreateUserInsertsWithARandomPasswordAndNoReadOnlyFields) {
  Start([](const http::Request&) {
    return GoogleJson(200, R"({"kind":"admin#directory#user","id":"1001","etag":"\"e1\"",)"
                           R"("primaryEmail":"ada@example.com"})");
  });
  object desired{
      {"primaryEmail", "ada@example.com"},
      {"name", object{{"givenName", "Ada"}, {"familyName", "Lovelace"}}},
      {"orgUnitPath", "/Engineering"},
      {"externalIds", boost::json::array{object{{"value", "E1"}, {"type", "organization"}}}},
      {"isAdmin", true},
      {"id", "ignored"}};
  auto a = connector_->CreateUser(desired);
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  EXPECT_EQ(a->id, "1001");
  EXPECT_EQ(a->etag, "\"e1\"");
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].Line(), "POST /admin/directory/v1/users");
  EXPECT_EQ(sent[0].content_type, "application/json");
  auto body = parse(sent[0].body).as_object();
  ASSERT_TRUE(body.contains("password"));
  EXPECT_GE(body.at("password").as_string().size(), 24u);
  body.erase("password");
  desired.erase("isAdmin");
  desired.erase("id");
  EXPECT_EQ(body, desired);
}

TEST_F(GoogleConnectorTest, CreateUserKeepsAMappedPassword) {
  Start([](const http::Request&) { return GoogleJson(200, R"({"id":"1"})"); });
  ASSERT_TRUE(connector_
                  ->CreateUser(object{{"primaryEmail", "a@example.com"},
                                      {"password", "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"},
                                      {"hashFunction", "SHA-1"}})
                  .ok());
  auto body = parse(Sent()[0].body).as_object();
  EXPECT_EQ(body.at("password"), "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8");
  EXPECT_EQ(body.at("hashFunction"), "SHA-1");
}

TEST_F(GoogleConnectorTest, DuplicateInsertIsAConflict) {
  Start(
      [](const http::Request&) { return GoogleError(409, "duplicate", "Entity already exists."); });
  auto a = connector_->CreateUser(object{{"primaryEmail", "a@example.com"}});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(ClassOf(a.error()), ErrorClass::kConflict);
  EXPECT_NE(a.error().message().find("duplicate"), std::string::npos);
}

TEST_F(GoogleConnectorTest, FindUserByEmailGetsByKeyAndAbsentIsEmpty) {
  Start([](const http::Request& req) {
    std::string path = req.path;
    for (char& c : path) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (path.ends_with("ada@example.com")) {
      return GoogleJson(200, R"({"id":"7","primaryEmail":"ada@example.com","etag":"\"x\""})");
    }
    if (path.ends_with("alias@example.com")) {
      return GoogleJson(200, R"({"id":"8","primaryEmail":"bob@example.com"})");
    }
    return GoogleError(404, "notFound", "Resource Not Found: userKey");
  });
  auto found = connector_->FindUser("primaryEmail", "Ada@Example.com");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, "7");
  auto none = connector_->FindUser("", "nobody@example.com");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto alias = connector_->FindUser("primaryEmail", "alias@example.com");
  ASSERT_FALSE(alias.ok());
  EXPECT_EQ(ClassOf(alias.error()), ErrorClass::kConflict);
  EXPECT_EQ(Sent()[0].Line(), "GET /admin/directory/v1/users/Ada%40Example.com");
  EXPECT_EQ(Sent()[1].Line(), "GET /admin/directory/v1/users/nobody%40example.com");
  auto bad = connector_->FindUser("title", "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(ClassOf(bad.error()), ErrorClass::kInvalid);
}

TEST_F(GoogleConnectorTest, FindUserByExternalIdSearches) {
  Start([](const http::Request&) {
    return GoogleJson(200, R"({"kind":"admin#directory#users","users":[{"id":"9"}]})");
  });
  auto found = connector_->FindUser("externalId", "E 1'x");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, "9");
  EXPECT_EQ(Sent()[0].Line(),
            "GET /admin/directory/v1/users?customer=my_customer&maxResults=2&query="
            "externalId%3D%27E%201%5C%27x%27");
}

TEST_F(GoogleConnectorTest, PatchUserSendsOnlyTheDifferenceWithIfMatch) {
  Start([](const http::Request&) { return GoogleJson(200, R"({"id":"5","etag":"\"e2\""})"); });
  object current{
      {"id", "5"},
      {"etag", "\"e1\""},
      {"primaryEmail", "ada@example.com"},
      {"name",
       object{{"givenName", "Ada"}, {"familyName", "Lovelace"}, {"fullName", "Ada Lovelace"}}},
      {"suspended", false},
      {"orgUnitPath", "/"},
      {"externalIds", boost::json::array{object{{"value", "E1"}, {"type", "organization"}}}}};
  object desired{
      {"primaryEmail", "ada@example.com"},
      {"name", object{{"givenName", "Augusta"}, {"familyName", "Lovelace"}}},
      {"suspended", false},
      {"password", "never-compared"},
      {"externalIds", boost::json::array{object{{"value", "E1"}, {"type", "organization"}}}}};
  auto patched = connector_->PatchUser("5", current, desired);
  ASSERT_TRUE(patched.ok()) << patched.error().ToString();
  EXPECT_EQ(patched->etag, "\"e2\"");
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].Line(), "PATCH /admin/directory/v1/users/5");
  EXPECT_EQ(parse(sent[0].body), parse(R"({"name":{"givenName":"Augusta"}})"));
  // Nothing differs: no request at all.
  target_->Clear();
  desired["name"].as_object()["givenName"] = "Ada";
  ASSERT_TRUE(connector_->PatchUser("5", current, desired).ok());
  EXPECT_TRUE(Sent().empty());
}

TEST_F(GoogleConnectorTest, StaleEtagIsStale) {
  Start([](const http::Request& req) {
    EXPECT_EQ(req.Header("If-Match"), "\"old\"");
    return GoogleError(412, "conditionNotMet", "Precondition Failed");
  });
  auto r = connector_->PatchUser("5", object{{"etag", "\"old\""}}, object{{"suspended", true}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassOf(r.error()), ErrorClass::kStale);
}

TEST_F(GoogleConnectorTest, ReplaceUserClearsFieldsNoLongerMapped) {
  Start([](const http::Request& req) {
    if (req.method == "GET") {
      return GoogleJson(200, R"({"id":"5","primaryEmail":"a@example.com","isAdmin":false,)"
                             R"("organizations":[{"title":"Analyst"}],"phones":[{"value":"1"}]})");
    }
    return GoogleJson(200, R"({"id":"5"})");
  });
  object desired{{"primaryEmail", "a@example.com"},
                 {"phones", boost::json::array{object{{"value", "2"}}}}};
  ASSERT_TRUE(connector_->ReplaceUser("5", desired).ok());
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].Line(), "GET /admin/directory/v1/users/5");
  EXPECT_EQ(sent[1].Line(), "PUT /admin/directory/v1/users/5");
  EXPECT_EQ(parse(sent[1].body), parse(R"({"primaryEmail":"a@example.com",)"
                                       R"("phones":[{"value":"2"}],"organizations":null})"));
}

TEST_F(GoogleConnectorTest, DisableSuspendsAndDeleteDeletes) {
  Start([](const http::Request& req) {
    if (req.method == "DELETE") return http::Response::NoContent();
    return GoogleJson(200, R"({"id":"5","suspended":true})");
  });
  ASSERT_TRUE(connector_->DisableUser("5").ok());
  ASSERT_TRUE(connector_->DeleteUser("5").ok());
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].Line(), "PATCH /admin/directory/v1/users/5");
  EXPECT_EQ(parse(sent[0].body), parse(R"({"suspended":true})"));
  EXPECT_EQ(sent[1].Line(), "DELETE /admin/directory/v1/users/5");
}

TEST_F(GoogleConnectorTest, ListUsersPagesWithPageTokenAndCapsMaxResults) {
  Start([](const http::Request& req) {
    if (!req.Query("pageToken")) {
      return GoogleJson(200, R"({"kind":"admin#directory#users","users":[{"id":"1"},{"id":"2"}],)"
                             R"("nextPageToken":"tok/en+1"})");
    }
    return GoogleJson(200, R"({"kind":"admin#directory#users","users":[{"id":"3"}]})");
  });
  auto p1 = connector_->ListUsers({"", 1000});
  ASSERT_TRUE(p1.ok()) << p1.error().ToString();
  EXPECT_EQ(p1->items.size(), 2u);
  EXPECT_EQ(p1->next_cursor, "tok/en+1");
  auto p2 = connector_->ListUsers({p1->next_cursor, 100});
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->items.size(), 1u);
  EXPECT_TRUE(p2->next_cursor.empty());
  auto sent = Sent();
  EXPECT_EQ(sent[0].Line(), "GET /admin/directory/v1/users?customer=my_customer&maxResults=500");
  EXPECT_EQ(sent[1].Line(),
            "GET /admin/directory/v1/users?customer=my_customer&maxResults=100&pageToken="
            "tok%2Fen%2B1");
  EXPECT_EQ(connector_->capabilities().max_page_size, 500u);
}

TEST_F(GoogleConnectorTest, MembersAreInsertedAndDeletedOneByOne) {
  Start([](const http::Request& req) {
    if (req.method == "POST" && req.body.find("\"u2\"") != std::string::npos) {
      return GoogleError(409, "duplicate", "Member already exists.");
    }
    if (req.method == "POST") return GoogleJson(200, R"({"kind":"admin#directory#member"})");
    if (req.path.ends_with("/u2"))
      return GoogleError(404, "notFound", "Resource Not Found: memberKey");
    if (req.path.find("/gone/") != std::string::npos) {
      return GoogleError(404, "notFound", "Resource Not Found: groupKey");
    }
    return http::Response::NoContent();
  });
  std::vector<std::string> users{"u1", "u2", "c@example.com"};
  ASSERT_TRUE(connector_->groups()->AddMembers("g1", users).ok());
  ASSERT_TRUE(google().AddMembersWithRole("g1", std::vector<std::string>{"u3"}, "OWNER").ok());
  ASSERT_TRUE(connector_->groups()->RemoveMembers("g1", users).ok());
  auto gone = connector_->groups()->RemoveMembers("gone", std::vector<std::string>{"u1"});
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(ClassOf(gone.error()), ErrorClass::kNotFound);
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 8u);
  EXPECT_EQ(sent[0].Line(), "POST /admin/directory/v1/groups/g1/members");
  EXPECT_EQ(parse(sent[0].body), parse(R"({"id":"u1","role":"MEMBER"})"));
  EXPECT_EQ(parse(sent[2].body), parse(R"({"email":"c@example.com","role":"MEMBER"})"));
  EXPECT_EQ(parse(sent[3].body), parse(R"({"id":"u3","role":"OWNER"})"));
  EXPECT_EQ(sent[4].Line(), "DELETE /admin/directory/v1/groups/g1/members/u1");
  EXPECT_EQ(sent[6].Line(), "DELETE /admin/directory/v1/groups/g1/members/c%40example.com");
}

TEST_F(GoogleConnectorTest, MemberIdsReadsEveryPageOfMembersList) {
  Start([](const http::Request& req) {
    if (req.path.find("/gone/") != std::string::npos) {
      return GoogleError(404, "notFound", "Resource Not Found: groupKey");
    }
    if (!req.Query("pageToken")) {
      return GoogleJson(200, R"({"kind":"admin#directory#members","members":[)"
                             R"({"id":"u1","email":"a@example.com","type":"USER"},)"
                             R"({"id":"g9","email":"sub@example.com","type":"GROUP"}],)"
                             R"("nextPageToken":"u/1"})");
    }
    if (req.Query("pageToken") == "u/1") {
      return GoogleJson(200, R"({"kind":"admin#directory#members","members":[)"
                             R"({"id":"u3","type":"USER"}],"nextPageToken":"u3"})");
    }
    return GoogleJson(200, R"({"kind":"admin#directory#members"})");  // an empty last page
  });
  auto ids = connector_->groups()->MemberIds("g1");
  ASSERT_TRUE(ids.ok()) << ids.error().ToString();
  ASSERT_TRUE(ids->has_value());
  EXPECT_EQ(**ids, (std::vector<std::string>{"u1", "g9", "u3"}));
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].Line(), "GET /admin/directory/v1/groups/g1/members?maxResults=200");
  EXPECT_EQ(sent[1].Line(),
            "GET /admin/directory/v1/groups/g1/members?maxResults=200&pageToken=u%2F1");
  auto gone = connector_->groups()->MemberIds("gone");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(ClassOf(gone.error()), ErrorClass::kNotFound);
}

TEST_F(GoogleConnectorTest, GroupsAreCreatedFoundAndListed) {
  Start([](const http::Request& req) {
    if (req.method == "POST") return GoogleJson(200, R"({"id":"g1","email":"eng@example.com"})");
    if (req.path.ends_with("/groups")) {
      return GoogleJson(200, R"({"kind":"admin#directory#groups","groups":[{"id":"g1"}]})");
    }
    return GoogleError(404, "notFound", "Resource Not Found: groupKey");
  });
  auto g = connector_->groups()->CreateGroup(object{{"email", "eng@example.com"}, {"name", "Eng"}});
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  auto none = connector_->groups()->FindGroup("email", "x@example.com");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto by_name = connector_->groups()->FindGroup("name", "Eng");
  ASSERT_TRUE(by_name.ok() && by_name->has_value());
  auto page = connector_->groups()->ListGroups({"", 1000});
  ASSERT_TRUE(page.ok());
  auto sent = Sent();
  EXPECT_EQ(sent[0].Line(), "POST /admin/directory/v1/groups");
  EXPECT_EQ(sent[1].Line(), "GET /admin/directory/v1/groups/x%40example.com");
  EXPECT_EQ(
      sent[2].Line(),
      "GET /admin/directory/v1/groups?customer=my_customer&maxResults=2&query=name%3D%27Eng%27");
  EXPECT_EQ(sent[3].Line(), "GET /admin/directory/v1/groups?customer=my_customer&maxResults=200");
}

TEST_F(GoogleConnectorTest, EntitlementsAreOrgUnitsThenRoles) {
  Start([](const http::Request& req) {
    if (req.path.ends_with("/orgunits")) {
      return GoogleJson(
          200, R"({"kind":"admin#directory#orgUnits","organizationUnits":[)"
               R"({"orgUnitPath":"/Engineering","orgUnitId":"id:1","name":"Engineering"}]})");
    }
    if (req.path.ends_with("/roles") && !req.Query("pageToken")) {
      return GoogleJson(200, R"({"items":[{"roleId":"91","roleName":"_SEED_ADMIN_ROLE"}],)"
                             R"("nextPageToken":"p2"})");
    }
    return GoogleJson(200, R"({"items":[{"roleId":"92","roleName":"Help Desk"}]})");
  });
  EntitlementConnector& e = *connector_->entitlements();
  auto p1 = e.ListEntitlements({"", 100});
  ASSERT_TRUE(p1.ok()) << p1.error().ToString();
  ASSERT_EQ(p1->items.size(), 2u);
  EXPECT_EQ(p1->items[0].id, "/");
  EXPECT_EQ(p1->items[1].id, "/Engineering");
  EXPECT_EQ(p1->items[1].kind, "org_unit");
  auto p2 = e.ListEntitlements({p1->next_cursor, 100});
  ASSERT_TRUE(p2.ok());
  ASSERT_EQ(p2->items.size(), 1u);
  EXPECT_EQ(p2->items[0].kind, "role");
  EXPECT_EQ(p2->items[0].display_name, "_SEED_ADMIN_ROLE");
  auto p3 = e.ListEntitlements({p2->next_cursor, 100});
  ASSERT_TRUE(p3.ok());
  EXPECT_EQ(p3->items[0].id, "92");
  EXPECT_TRUE(p3->next_cursor.empty());
  EXPECT_EQ(target_->lines(),
            (std::vector<std::string>{
                "POST /token", "GET /admin/directory/v1/customer/my_customer/orgunits?type=all",
                "GET /admin/directory/v1/customer/my_customer/roles?maxResults=100",
                "GET /admin/directory/v1/customer/my_customer/roles?maxResults=100&pageToken=p2"}));
}

TEST_F(GoogleConnectorTest, GrantAndRevokeOrgUnitAndRole) {
  Start([](const http::Request& req) {
    if (req.method == "GET" && req.path.ends_with("/users/5")) {
      return GoogleJson(200, R"({"id":"5","orgUnitPath":"/Sales"})");
    }
    if (req.method == "GET") {
      return GoogleJson(200, R"({"items":[{"roleAssignmentId":"77","roleId":"91"}]})");
    }
    if (req.method == "DELETE") return http::Response::NoContent();
    return GoogleJson(200, R"({})");
  });
  EntitlementConnector& e = *connector_->entitlements();
  Entitlement sales{"/Sales", "org_unit", "/Sales", {}};
  Entitlement role{"91", "role", "_SEED_ADMIN_ROLE", {}};
  ASSERT_TRUE(e.Grant("5", sales).ok());
  ASSERT_TRUE(e.Grant("5", role).ok());
  ASSERT_TRUE(e.Revoke("5", sales).ok());
  ASSERT_TRUE(e.Revoke("5", role).ok());
  auto bad = e.Grant("5", Entitlement{"x", "license", "x", {}});
  EXPECT_EQ(ClassOf(bad.error()), ErrorClass::kInvalid);
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 6u);
  EXPECT_EQ(sent[0].Line(), "PATCH /admin/directory/v1/users/5");
  EXPECT_EQ(parse(sent[0].body), parse(R"({"orgUnitPath":"/Sales"})"));
  EXPECT_EQ(sent[1].Line(), "POST /admin/directory/v1/customer/my_customer/roleassignments");
  EXPECT_EQ(parse(sent[1].body),
            parse(R"({"roleId":"91","assignedTo":"5","scopeType":"CUSTOMER"})"));
  EXPECT_EQ(sent[2].Line(), "GET /admin/directory/v1/users/5");
  EXPECT_EQ(parse(sent[3].body), parse(R"({"orgUnitPath":"/"})"));
  EXPECT_EQ(sent[4].Line(),
            "GET /admin/directory/v1/customer/my_customer/roleassignments?userKey=5&roleId=91"
            "&maxResults=200");
  EXPECT_EQ(sent[5].Line(), "DELETE /admin/directory/v1/customer/my_customer/roleassignments/77");
}

TEST(GoogleOpenTest, ConfigErrorsAreInvalidArguments) {
  http::Client http;
  SystemClock clock;
  auto open = [&](object auth, object settings) {
    return OpenConnector(
        {"google-workspace", "https://admin.googleapis.com", std::move(auth), std::move(settings)},
        ConnectorEnv{http, clock});
  };
  object good{{"kind", "google_service_account"},
              {"service_account_json", KeyJson("https://oauth2.googleapis.com/token")},
              {"admin_email", "admin@example.com"},
              {"customer_id", "C0abc"}};
  EXPECT_TRUE(open(good, {}).ok());
  object no_admin = good;
  no_admin.erase("admin_email");
  EXPECT_FALSE(open(no_admin, {}).ok());
  object bad_kind = good;
  bad_kind["kind"] = "bearer";
  EXPECT_FALSE(open(bad_kind, {}).ok());
  EXPECT_FALSE(open(good, object{{"page_size", 501}}).ok());
  EXPECT_FALSE(open(good, object{{"member_role", "ADMIN"}}).ok());
  EXPECT_FALSE(open(good, object{{"colour", "blue"}}).ok());
  EXPECT_TRUE(open(good, object{{"page_size", 200}, {"member_role", "MANAGER"}}).ok());
}

}  // namespace
}  // namespace provisio::connectors::google
