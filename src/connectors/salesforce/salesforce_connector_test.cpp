// Wire-exact tests: the Salesforce connector against a recording server, asserting the exact
// requests it sends (token form, paths, SOQL, bodies) and how it classifies the answers.
#include "connectors/salesforce/salesforce_connector.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json.hpp>
#include <map>

#include "connectors/error_class.h"
#include "connectors/recording_target.h"
#include "connectors/registry.h"
#include "connectors/salesforce/jwt.h"
#include "connectors/salesforce/salesforce_auth.h"
#include "connectors/salesforce/salesforce_errors.h"
#include "core/json.h"
#include "http/response.h"

namespace provisio::connectors::salesforce {
namespace {

using boost::json::object;
using boost::json::parse;

struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

KeyPair NewKey() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  KeyPair out;
  for (int pub = 0; pub < 2; ++pub) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (pub) {
      PEM_write_bio_PUBKEY(bio, key);
    } else {
      PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    }
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    (pub ? out.public_pem : out.private_pem).assign(data, static_cast<size_t>(n));
    BIO_free(bio);
  }
  EVP_PKEY_free(key);
  return out;
}

const KeyPair& Key() {
  static const KeyPair k = NewKey();
  return k;
}

std::string Base64UrlDecode(std::string s) {
  for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
  size_t pad = (4 - s.size() % 4) % 4;
  s.append(pad, '=');
  std::string out(s.size() / 4 * 3, '\0');
  int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

// An independent RS256 check with OpenSSL against the public half.
bool Verifies(const std::string& jwt, const std::string& public_pem) {
  auto dot = jwt.rfind('.');
  std::string sig = Base64UrlDecode(jwt.substr(dot + 1));
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(jwt.data()), dot) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return ok;
}

std::map<std::string, std::string> Form(const std::string& body) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start <= body.size()) {
    size_t amp = body.find('&', start);
    std::string pair = body.substr(start, amp - start);
    auto eq = pair.find('=');
    out[pair.substr(0, eq)] = pair.substr(eq + 1);
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return out;
}

http::Response Json(int status, std::string_view body) {
  return http::Response::Text(status, std::string(body), "application/json");
}

class SalesforceConnectorTest : public testing::Test {
 protected:
  // `answer` handles everything but the token endpoint.
  void Start(RecordingTarget::Handler answer, object auth = {}, object settings = {}) {
    target_ = std::make_unique<RecordingTarget>([this, answer](const http::Request& req) {
      if (req.path == "/services/oauth2/token") {
        ++tokens_;
        return Json(200, R"({"access_token":"tok)" + std::to_string(tokens_) +
                             R"(","instance_url":")" + target_->url() +
                             R"(","token_type":"Bearer","issued_at":"1"})");
      }
      return answer(req);
    });
    if (auth.empty()) {
      auth = object{{"kind", "salesforce_jwt_bearer"},
                    {"client_id", "3MVG9key"},
                    {"username", "int@acme.example"},
                    {"private_key", Key().private_pem}};
    }
    ConnectorConfig config{"salesforce", target_->url(), std::move(auth), std::move(settings)};
    auto c = OpenConnector(config, ConnectorEnv{http_, clock_});
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    connector_ = std::move(c).value();
  }
  std::vector<RecordedRequest> Rest() {
    std::vector<RecordedRequest> out;
    for (auto& r : target_->requests()) {
      if (r.target != "/services/oauth2/token") out.push_back(std::move(r));
    }
    return out;
  }

  http::Client http_;
  SystemClock clock_;
  std::atomic<int> tokens_{0};
  std::unique_ptr<RecordingTarget> target_;
  std::unique_ptr<Connector> connector_;
};

TEST_F(SalesforceConnectorTest, JwtBearerAssertionIsSignedAndVerifiesIndependently) {
  Start([](const http::Request&) {
    return Json(200, R"({"totalSize":0,"done":true,"records":[]})");
  });
  ASSERT_TRUE(connector_->Test().ok());
  auto reqs = target_->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].Line(), "POST /services/oauth2/token");
  EXPECT_EQ(reqs[0].content_type, "application/x-www-form-urlencoded");
  auto form = Form(reqs[0].body);
  EXPECT_EQ(form["grant_type"], "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer");
  std::string jwt = form["assertion"];
  EXPECT_TRUE(Verifies(jwt, Key().public_pem));
  EXPECT_FALSE(Verifies(jwt, NewKey().public_pem));
  auto dot1 = jwt.find('.');
  auto dot2 = jwt.find('.', dot1 + 1);
  EXPECT_EQ(parse(Base64UrlDecode(jwt.substr(0, dot1))), parse(R"({"alg":"RS256"})"));
  object claims = parse(Base64UrlDecode(jwt.substr(dot1 + 1, dot2 - dot1 - 1))).as_object();
  EXPECT_EQ(claims.at("iss"), "3MVG9key");
  EXPECT_EQ(claims.at("sub"), "int@acme.example");
  EXPECT_EQ(claims.at("aud").as_string(),
            target_->url());  // not a Salesforce host: the login URL itself
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  int64_t exp = claims.at("exp").as_int64();
  EXPECT_GT(exp, now);
  EXPECT_LE(exp, now + 180);  // Salesforce: within 3 minutes
  // The REST call goes to instance_url with the token.
  EXPECT_EQ(reqs[1].Line(),
            "GET /services/data/v60.0/query?q=SELECT%20Id%20FROM%20User%20LIMIT%201");
  EXPECT_EQ(reqs[1].authorization, "Bearer tok1");
}

TEST(SalesforceAuthTest, AudienceFollowsTheLoginHost) {
  EXPECT_EQ(AudienceFor("https://login.salesforce.com"), "https://login.salesforce.com");
  EXPECT_EQ(AudienceFor("https://test.salesforce.com/"), "https://test.salesforce.com");
  EXPECT_EQ(AudienceFor("https://acme.my.salesforce.com"), "https://login.salesforce.com");
  EXPECT_EQ(AudienceFor("https://acme--uat.sandbox.my.salesforce.com"),
            "https://test.salesforce.com");
  EXPECT_EQ(AudienceFor("http://127.0.0.1:9000/"), "http://127.0.0.1:9000");
}

TEST(SalesforceAuthTest, BadPrivateKeyIsRefusedAtOpenWithoutQuotingIt) {
  http::Client http;
  SystemClock clock;
  ConnectorConfig config{"salesforce", "https://login.salesforce.com",
                         object{{"kind", "salesforce_jwt_bearer"},
                                {"client_id", "k"},
                                {"username", "u@x.example"},
                                {"private_key", "-----BEGIN PRIVATE KEY-----\nS3CRET\n"}},
                         object{}};
  auto c = OpenConnector(config, ConnectorEnv{http, clock});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message().find("S3CRET"), std::string::npos);
}

// The session id travels with every call: a login URL over plain http is refused unless it
// is a loopback emulator.
TEST(SalesforceAuthTest, PlainHttpLoginIsRefusedExceptToLoopback) {
  http::Client http;
  SystemClock clock;
  auto open = [&](std::string url) {
    ConnectorConfig config{
        "salesforce", url,
        object{{"kind", "oauth2_client_credentials"}, {"client_id", "k"}, {"client_secret", "s"}},
        object{}};
    return OpenConnector(config, ConnectorEnv{http, clock});
  };
  auto plain = open("http://login.salesforce.com");
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.error().message().find("loopback"), std::string::npos)
      << plain.error().ToString();
  EXPECT_FALSE(open("http://127.0.0.1.evil.example").ok());
  EXPECT_TRUE(open("http://127.0.0.1:9").ok());
  EXPECT_TRUE(open("http://localhost:9").ok());
  EXPECT_TRUE(open("https://login.salesforce.com").ok());
}

TEST_F(SalesforceConnectorTest, ExpiredSessionFetchesANewTokenOnceAndRetries) {
  std::atomic<int> calls{0};
  Start([&](const http::Request&) {
    if (calls++ == 0) {
      return Json(401,
                  R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])");
    }
    return Json(
        200,
        R"({"Id":"005000000000001AAA","Username":"a@b.example","attributes":{"type":"User"}})");
  });
  auto u = connector_->GetUser("005000000000001AAA");
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_FALSE(u->attributes.contains("attributes"));
  auto rest = Rest();
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].authorization, "Bearer tok1");
  EXPECT_EQ(rest[1].authorization, "Bearer tok2");
  EXPECT_EQ(tokens_.load(), 2);
}

TEST_F(SalesforceConnectorTest, ClientCredentialsPostsTheAppsCredentialsInTheForm) {
  Start(
      [](const http::Request&) { return Json(200, R"({"totalSize":0,"done":true,"records":[]})"); },
      object{{"kind", "oauth2_client_credentials"},
             {"client_id", "key"},
             {"client_secret", "s&cret"}});
  ASSERT_TRUE(connector_->Test().ok());
  auto reqs = target_->requests();
  EXPECT_EQ(reqs[0].body, "grant_type=client_credentials&client_id=key&client_secret=s%26cret");
}

TEST_F(SalesforceConnectorTest, FindUserEscapesTheValueForSoql) {
  Start([](const http::Request&) {
    return Json(200, R"({"totalSize":0,"done":true,"records":[]})");
  });
  auto r = connector_->FindUser("FederationIdentifier", R"(o'hara\x" OR Id != '')");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->has_value());
  auto rest = Rest();
  ASSERT_EQ(rest.size(), 1u);
  const std::string& target = rest[0].target;
  EXPECT_NE(target.find("WHERE%20FederationIdentifier%20%3D%20%27o%5C%27hara%5C%5Cx%5C%22%20OR%"
                        "20Id%20%21%3D%20%5C%27%5C%27%27%20LIMIT%202"),
            std::string::npos)
      << target;
  EXPECT_FALSE(connector_->FindUser("Name) OR (Id", "x").ok());
}

TEST(SalesforceSoqlTest, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(EscapeSoql("a'b\\c\"d\ne"), "a\\'b\\\\c\\\"d\\ne");
}

TEST_F(SalesforceConnectorTest, CreateFillsRequiredDefaultsAndResolvesTheProfileOnce) {
  Start([](const http::Request& req) {
    if (req.method == "GET") {
      return Json(200, R"({"totalSize":1,"done":true,"records":[{"Id":"00e000000000001AAA"}]})");
    }
    return Json(201, R"({"id":"005000000000009AAA","success":true,"errors":[]})");
  });
  object desired{{"Username", "j.doe-x@acme.example"},
                 {"LastName", "Doe"},
                 {"Email", "j@acme.example"},
                 {"Name", "ignored"},
                 {"Id", "ignored"}};
  auto a = connector_->CreateUser(desired);
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  EXPECT_EQ(a->id, "005000000000009AAA");
  ASSERT_TRUE(connector_->CreateUser(desired).ok());
  auto rest = Rest();
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].Line(),
            "GET "
            "/services/data/v60.0/"
            "query?q=SELECT%20Id%20FROM%20Profile%20WHERE%20Name%20%3D%20%27Standard%20User%27");
  EXPECT_EQ(rest[1].Line(), "POST /services/data/v60.0/sobjects/User");
  EXPECT_EQ(rest[2].Line(), "POST /services/data/v60.0/sobjects/User");
  EXPECT_EQ(parse(rest[1].body),
            parse(R"({"Username":"j.doe-x@acme.example","LastName":"Doe","Email":"j@acme.example",
                      "Alias":"jdoex","TimeZoneSidKey":"America/Los_Angeles","LocaleSidKey":"en_US",
                      "EmailEncodingKey":"UTF-8","LanguageLocaleKey":"en_US",
                      "ProfileId":"00e000000000001AAA"})"));
}

TEST_F(SalesforceConnectorTest, PatchSendsOnlyTheDifferenceAndNothingWhenEqual) {
  Start([](const http::Request&) { return http::Response::NoContent(); });
  object current{
      {"Id", "005000000000001AAA"}, {"FirstName", "Ada"}, {"Title", "Analyst"}, {"IsActive", true}};
  object desired{{"FirstName", "Augusta"}, {"Title", "Analyst"}, {"IsActive", true}};
  ASSERT_TRUE(connector_->PatchUser("005000000000001AAA", current, desired).ok());
  ASSERT_TRUE(connector_->PatchUser("005000000000001AAA", desired, desired).ok());
  ASSERT_TRUE(connector_->DisableUser("005000000000001AAA").ok());
  auto rest = Rest();
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].Line(), "PATCH /services/data/v60.0/sobjects/User/005000000000001AAA");
  EXPECT_EQ(parse(rest[0].body), parse(R"({"FirstName":"Augusta"})"));
  EXPECT_EQ(parse(rest[1].body), parse(R"({"IsActive":false})"));
  EXPECT_FALSE(connector_->capabilities().delete_users);
}

TEST_F(SalesforceConnectorTest, ListUsersFollowsNextRecordsUrlWithTheBatchSizeHeader) {
  Start([](const http::Request& req) {
    if (req.path.ends_with("/query")) {
      return Json(
          200,
          R"({"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v60.0/query/01g000000000001-2","records":[{"attributes":{"type":"User"},"Id":"005000000000001AAA"},{"Id":"005000000000002AAA"}]})");
    }
    return Json(200, R"({"totalSize":3,"done":true,"records":[{"Id":"005000000000003AAA"}]})");
  });
  auto p1 = connector_->ListUsers({"", 500});
  ASSERT_TRUE(p1.ok()) << p1.error().ToString();
  EXPECT_EQ(p1->items.size(), 2u);
  EXPECT_EQ(p1->total, 3u);
  EXPECT_EQ(p1->next_cursor, "/services/data/v60.0/query/01g000000000001-2");
  auto p2 = connector_->ListUsers({p1->next_cursor, 500});
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->next_cursor, "");
  EXPECT_FALSE(connector_->ListUsers({"https://evil.example/x", 500}).ok());
  auto rest = Rest();
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_NE(rest[0].target.find("WHERE%20UserType%20%3D%20%27Standard%27"), std::string::npos);
  EXPECT_EQ(rest[1].Line(), "GET /services/data/v60.0/query/01g000000000001-2");
}

TEST_F(SalesforceConnectorTest, SlowsDownBeforeTheDailyLimitIsExhausted) {
  Start([](const http::Request&) {
    http::Response r = Json(200, R"({"totalSize":0,"done":true,"records":[]})");
    r.SetHeader("Sforce-Limit-Info", "api-usage=97/100");
    return r;
  });
  ASSERT_TRUE(connector_->Test().ok());
  auto second = connector_->Test();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(ClassOf(second.error()), ErrorClass::kRateLimited);
  EXPECT_TRUE(RetryAfterOf(second.error()).has_value());
  EXPECT_EQ(Rest().size(), 1u);  // the second call was never sent
}

TEST_F(SalesforceConnectorTest, BatchesGoToCollectionsInChunksWithPerRecordErrors) {
  Start(
      [](const http::Request& req) {
        auto body = parse(req.body).as_object();
        boost::json::array results;
        for (const auto& v : body.at("records").as_array()) {
          const auto& rec = v.as_object();
          std::string user(rec.contains("Username") ? rec.at("Username").as_string().c_str() : "");
          if (user == "dup@acme.example") {
            results.push_back(
                parse(R"({"success":false,"errors":[{"statusCode":"DUPLICATE_USERNAME",)"
                      R"("message":"Duplicate Username.","fields":["Username"]}]})"));
          } else if (rec.contains("id") && rec.at("id").as_string() == "005000000000009AAA") {
            results.push_back(parse(R"({"id":"005000000000009AAA","success":false,)"
                                    R"("errors":[{"statusCode":"ENTITY_IS_DELETED",)"
                                    R"("message":"entity is deleted","fields":[]}]})"));
          } else {
            std::string id = rec.contains("id") ? std::string(rec.at("id").as_string())
                                                : "005" + std::string(12 - user.size() % 10, '0') +
                                                      std::to_string(user.size()) + "AAA";
            results.push_back(
                object{{"id", id}, {"success", true}, {"errors", boost::json::array{}}});
          }
        }
        return Json(200, boost::json::serialize(results));
      },
      {}, object{{"collection_size", 2}, {"default_profile", "00e000000000001AAA"}});
  Capabilities caps = connector_->capabilities();
  EXPECT_TRUE(caps.batch);
  EXPECT_EQ(caps.max_batch, 2u);
  ASSERT_NE(connector_->batch(), nullptr);
  std::vector<BatchWrite> writes;
  writes.push_back(
      {BatchWrite::Kind::kCreate,
       "",
       {},
       object{{"Username", "ann@acme.example"}, {"LastName", "A"}, {"Email", "ann@acme.example"}}});
  writes.push_back({BatchWrite::Kind::kUpdate, "005000000000001AAA",
                    object{{"Title", "CEO"}, {"LastName", "B"}},
                    object{{"Title", "CTO"}, {"LastName", "B"}}});
  writes.push_back(
      {BatchWrite::Kind::kCreate,
       "",
       {},
       object{{"Username", "dup@acme.example"}, {"LastName", "D"}, {"Email", "dup@acme.example"}}});
  writes.push_back({BatchWrite::Kind::kUpdate, "005000000000002AAA", object{{"Title", "X"}},
                    object{{"Title", "X"}}});
  writes.push_back(
      {BatchWrite::Kind::kCreate,
       "",
       {},
       object{{"Username", "cy@acme.example"}, {"LastName", "C"}, {"Email", "cy@acme.example"}}});
  writes.push_back(
      {BatchWrite::Kind::kUpdate, "005000000000009AAA", object{}, object{{"Title", "Y"}}});
  auto results = connector_->batch()->ApplyBatch(writes);
  ASSERT_EQ(results.size(), 6u);
  ASSERT_TRUE(results[0].ok()) << results[0].error().ToString();
  EXPECT_EQ(results[0]->attributes.at("Username"), "ann@acme.example");
  ASSERT_TRUE(results[1].ok());
  EXPECT_EQ(results[1]->id, "005000000000001AAA");
  EXPECT_EQ(results[1]->attributes.at("Title"), "CTO");
  ASSERT_FALSE(results[2].ok());
  EXPECT_EQ(ClassOf(results[2].error()), ErrorClass::kConflict);
  ASSERT_TRUE(results[3].ok());  // nothing differs: not sent
  ASSERT_TRUE(results[4].ok());
  ASSERT_FALSE(results[5].ok());
  EXPECT_EQ(ClassOf(results[5].error()), ErrorClass::kNotFound);
  // Three creates in two POSTs (collection_size 2), two updates in one PATCH.
  auto sent = Rest();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].Line(), "POST /services/data/v60.0/composite/sobjects");
  EXPECT_EQ(sent[1].Line(), "POST /services/data/v60.0/composite/sobjects");
  EXPECT_EQ(sent[2].Line(), "PATCH /services/data/v60.0/composite/sobjects");
  auto first = parse(sent[0].body).as_object();
  EXPECT_EQ(first.at("allOrNone"), false);
  const auto& rec = first.at("records").as_array()[0].as_object();
  EXPECT_EQ(rec.at("attributes"), parse(R"({"type":"User"})"));
  EXPECT_EQ(rec.at("ProfileId"), "00e000000000001AAA");
  EXPECT_EQ(rec.at("Alias"), "ann");
  EXPECT_FALSE(rec.contains("id"));
  EXPECT_EQ(parse(sent[2].body),
            parse(R"({"allOrNone":false,"records":[)"
                  R"({"Title":"CTO","id":"005000000000001AAA","attributes":{"type":"User"}},)"
                  R"({"Title":"Y","id":"005000000000009AAA","attributes":{"type":"User"}}]})"));
}

TEST(SalesforceErrorsTest, EveryMappingInOnePlace) {
  struct Case {
    int status;
    std::string body;
    ErrorClass want;
  };
  std::vector<Case> cases{
      {400, R"([{"errorCode":"DUPLICATE_USERNAME","message":"Duplicate Username."}])",
       ErrorClass::kConflict},
      {400, R"([{"errorCode":"DUPLICATE_VALUE","message":"dup"}])", ErrorClass::kConflict},
      {401, R"([{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}])",
       ErrorClass::kAuth},
      {403, R"([{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."}])",
       ErrorClass::kRateLimited},
      {400,
       R"([{"errorCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [LastName]","fields":["LastName"]}])",
       ErrorClass::kInvalid},
      {400, R"([{"errorCode":"INVALID_FIELD","message":"No such column"}])", ErrorClass::kInvalid},
      {400, R"([{"errorCode":"STRING_TOO_LONG","message":"Alias"}])", ErrorClass::kInvalid},
      {400, R"([{"errorCode":"INVALID_CROSS_REFERENCE_KEY","message":"x"}])", ErrorClass::kInvalid},
      {404, R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])",
       ErrorClass::kNotFound},
      {500, R"([{"errorCode":"UNKNOWN_EXCEPTION","message":"x"}])", ErrorClass::kRetryable},
      {503, "", ErrorClass::kRetryable},
      {400, R"([{"errorCode":"UNABLE_TO_LOCK_ROW","message":"x"}])", ErrorClass::kRetryable},
      {403, R"([{"errorCode":"INSUFFICIENT_ACCESS","message":"x"}])", ErrorClass::kAuth},
      {400, R"({"error":"invalid_grant","error_description":"user hasn't approved this consumer"})",
       ErrorClass::kAuth},
      {400, R"({"error":"invalid_client_id","error_description":"client identifier invalid"})",
       ErrorClass::kAuth},
      {400, R"({"error":"rate_limit_exceeded","error_description":"x"})", ErrorClass::kRateLimited},
      {405, R"([{"errorCode":"METHOD_NOT_ALLOWED","message":"x"}])", ErrorClass::kFatal},
  };
  TimePoint now{};
  for (const auto& c : cases) {
    http::HttpResponse r{c.status, {}, c.body};
    Error e = ClassifySalesforceResponse(r, "GET x", now);
    EXPECT_EQ(ClassOf(e), c.want) << c.status << " " << c.body;
  }
  // The daily allocation: a long pause, not the engine's short backoff.
  http::HttpResponse daily{
      403,
      {},
      R"([{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."}])"};
  EXPECT_EQ(RetryAfterOf(ClassifySalesforceResponse(daily, "GET x", now)),
            std::chrono::milliseconds(900000));
  // Collections' per-record statusCode goes through the same table.
  EXPECT_EQ(ClassOfSalesforceCode(0, "DUPLICATE_USERNAME"), ErrorClass::kConflict);
  EXPECT_EQ(ClassOfSalesforceCode(0, "REQUIRED_FIELD_MISSING"), ErrorClass::kInvalid);
}

TEST(SalesforceJwtTest, SignerRefusesANonRsaOrGarbageKey) {
  EXPECT_FALSE(RsaSigner::FromPem("not a key").ok());
  auto s = RsaSigner::FromPem(Key().private_pem);
  ASSERT_TRUE(s.ok());
  auto jwt = s->Sign(object{{"iss", "a"}});
  ASSERT_TRUE(jwt.ok());
  EXPECT_TRUE(Verifies(*jwt, Key().public_pem));
}

}  // namespace
}  // namespace provisio::connectors::salesforce
