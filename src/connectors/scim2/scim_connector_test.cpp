// Wire-exact tests: the SCIM connector against a recording server, asserting the exact
// requests it sends (method, path, query, body) and how it reads the answers.
#include "connectors/scim2/scim_connector.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "connectors/error_class.h"
#include "connectors/recording_target.h"
#include "connectors/registry.h"
#include "http/response.h"

namespace provisio::connectors::scim2 {
namespace {

using namespace std::chrono_literals;
using boost::json::object;
using boost::json::parse;

struct Spc {
  bool patch = true;
  bool filter = true;
};

http::Response Scim(int status, std::string_view body) {
  http::Response r = http::Response::Text(status, std::string(body), "application/scim+json");
  return r;
}

std::string SpcBody(Spc f) {
  return std::string(
             R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],)") +
         R"("patch":{"supported":)" + (f.patch ? "true" : "false") +
         R"(},"bulk":{"supported":false},)" + R"("filter":{"supported":)" +
         (f.filter ? "true" : "false") + R"(,"maxResults":200},"etag":{"supported":true}})";
}

class ScimConnectorTest : public testing::Test {
 protected:
  // `answer` handles everything but /ServiceProviderConfig.
  void Start(RecordingTarget::Handler answer, Spc spc = {}) {
    target_ = std::make_unique<RecordingTarget>([answer, spc](const http::Request& req) {
      if (req.path.ends_with("/ServiceProviderConfig")) return Scim(200, SpcBody(spc));
      return answer(req);
    });
    ConnectorConfig config{"scim2", target_->url() + "/scim/v2/",
                           object{{"kind", "bearer"}, {"token", "t0ken"}}, object{}};
    auto c = OpenConnector(config, ConnectorEnv{http_, clock_});
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    connector_ = std::move(c).value();
  }
  // Requests after discovery.
  std::vector<RecordedRequest> Sent() {
    auto all = target_->requests();
    if (!all.empty() && all.front().target.ends_with("/ServiceProviderConfig")) {
      all.erase(all.begin());
    }
    return all;
  }

  http::Client http_;
  SystemClock clock_;
  std::unique_ptr<RecordingTarget> target_;
  std::unique_ptr<Connector> connector_;
};

TEST_F(ScimConnectorTest, DiscoversOnceAndSendsBearer) {
  Start([](const http::Request&) { return Scim(200, R"({"totalResults":0,"Resources":[]})"); });
  ASSERT_TRUE(connector_->Test().ok());
  ASSERT_TRUE(connector_->Test().ok());
  auto reqs = target_->requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].Line(), "GET /scim/v2/ServiceProviderConfig");
  EXPECT_EQ(reqs[1].Line(), "GET /scim/v2/Users?startIndex=1&count=1");
  EXPECT_EQ(reqs[1].authorization, "Bearer t0ken");
  Capabilities caps = connector_->capabilities();
  EXPECT_TRUE(caps.patch_users);
  EXPECT_TRUE(caps.etag);
  EXPECT_FALSE(caps.bulk);
  EXPECT_EQ(caps.max_page_size, 100u);
}

TEST_F(ScimConnectorTest, FindUserFiltersWithAnEscapedValue) {
  Start([](const http::Request&) {
    return Scim(200, R"({"totalResults":1,"Resources":[{"id":"u1","userName":"a\"b",)"
                     R"("meta":{"version":"W/\"3\""}}]})");
  });
  auto found = connector_->FindUser("userName", "a\"b");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, "u1");
  EXPECT_EQ((*found)->etag, "W/\"3\"");
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].Line(), "GET /scim/v2/Users?filter=userName%20eq%20%22a%5C%22b%22");
}

TEST_F(ScimConnectorTest, FindUserAbsentAndAmbiguous) {
  int call = 0;
  Start([&call](const http::Request&) {
    return ++call == 1 ? Scim(200, R"({"totalResults":0,"Resources":[]})")
                       : Scim(200, R"({"totalResults":2,"Resources":[{"id":"1"},{"id":"2"}]})");
  });
  auto none = connector_->FindUser("externalId", "x");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto two = connector_->FindUser("externalId", "x");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(ClassOf(two.error()), ErrorClass::kConflict);
}

TEST_F(ScimConnectorTest, FindUserListsWhenFiltersUnsupported) {
  Start(
      [](const http::Request& req) {
        if (req.Query("startIndex") == "1") {
          return Scim(200, R"({"totalResults":3,"startIndex":1,"itemsPerPage":2,"Resources":[)"
                           R"({"id":"1","userName":"x"},{"id":"2","userName":"Alice"}]})");
        }
        return Scim(200, R"({"totalResults":3,"startIndex":3,"itemsPerPage":1,"Resources":[)"
                         R"({"id":"3","userName":"y"}]})");
      },
      Spc{.patch = true, .filter = false});
  auto found = connector_->FindUser("userName", "alice");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, "2");
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].Line(), "GET /scim/v2/Users?startIndex=1&count=100");
  EXPECT_EQ(sent[1].Line(), "GET /scim/v2/Users?startIndex=3&count=100");
}

TEST_F(ScimConnectorTest, CreateUserPostsTheResourceWithSchemas) {
  Start([](const http::Request&) {
    return Scim(201, R"({"id":"u9","userName":"ann","meta":{"version":"W/\"1\""}})");
  });
  auto a = connector_->CreateUser(object{{"userName", "ann"}, {"active", true}});
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  EXPECT_EQ(a->id, "u9");
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].Line(), "POST /scim/v2/Users");
  EXPECT_EQ(sent[0].content_type, "application/scim+json");
  EXPECT_EQ(parse(sent[0].body),
            parse(R"({"userName":"ann","active":true,)"
                  R"("schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]})"));
}

TEST_F(ScimConnectorTest, PatchUserSendsOnlyTheDifference) {
  Start([](const http::Request&) {
    return Scim(200, R"({"id":"u1","userName":"ann","title":"CTO"})");
  });
  object current = parse(R"({"id":"u1","userName":"ann","title":"CEO","active":true})").as_object();
  object desired = parse(R"({"userName":"ann","title":"CTO","active":true})").as_object();
  auto a = connector_->PatchUser("u1", current, desired);
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].Line(), "PATCH /scim/v2/Users/u1");
  EXPECT_EQ(parse(sent[0].body),
            parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                  R"("Operations":[{"op":"replace","path":"title","value":"CTO"}]})"));
  // Nothing differs: nothing is sent.
  target_->Clear();
  ASSERT_TRUE(connector_->PatchUser("u1", desired, desired).ok());
  EXPECT_TRUE(target_->requests().empty());
}

TEST_F(ScimConnectorTest, PutWhenPatchUnsupported) {
  Start([](const http::Request&) { return Scim(200, R"({"id":"u1","userName":"ann"})"); },
        Spc{.patch = false, .filter = true});
  object current =
      parse(R"({"id":"u1","userName":"ann","title":"CEO","meta":{"version":"1"}})").as_object();
  ASSERT_TRUE(connector_->PatchUser("u1", current, object{{"title", "CTO"}}).ok());
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].Line(), "PUT /scim/v2/Users/u1");
  EXPECT_EQ(parse(sent[0].body),
            parse(R"({"id":"u1","userName":"ann","title":"CTO",)"
                  R"("schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]})"));
}

TEST_F(ScimConnectorTest, DisableIsAReplaceOfActive) {
  Start([](const http::Request&) { return http::Response::NoContent(); });
  ASSERT_TRUE(connector_->DisableUser("u 1").ok());
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].Line(), "PATCH /scim/v2/Users/u%201");
  EXPECT_EQ(parse(sent[0].body),
            parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                  R"("Operations":[{"op":"replace","path":"active","value":false}]})"));
}

TEST_F(ScimConnectorTest, MembershipChangesGoInChunks) {
  Start([](const http::Request&) { return http::Response::NoContent(); });
  std::vector<std::string> ids;
  for (int i = 0; i < 250; ++i) ids.push_back("u" + std::to_string(i));
  ASSERT_TRUE(connector_->groups()->AddMembers("g1", ids).ok());
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 3u);
  std::vector<size_t> sizes;
  for (const auto& r : sent) {
    EXPECT_EQ(r.Line(), "PATCH /scim/v2/Groups/g1");
    auto op = parse(r.body).at("Operations").at(0);
    EXPECT_EQ(op.at("op"), "add");
    EXPECT_EQ(op.at("path"), "members");
    sizes.push_back(op.at("value").as_array().size());
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{100, 100, 50}));
  EXPECT_EQ(parse(sent[2].body).at("Operations").at(0).at("value").at(49),
            parse(R"({"value":"u249"})"));

  target_->Clear();
  std::vector<std::string> two{"a", "b\"c"};
  ASSERT_TRUE(connector_->groups()->RemoveMembers("g1", two).ok());
  auto removed = target_->requests();
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(parse(removed[0].body),
            parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[)"
                  R"({"op":"remove","path":"members[value eq \"a\" or value eq \"b\\\"c\"]"}]})"));
}

TEST_F(ScimConnectorTest, ListUsersPagesWithAResumableCursor) {
  Start([](const http::Request& req) {
    if (req.Query("startIndex") == "1") {
      return Scim(200, R"({"totalResults":3,"startIndex":1,"itemsPerPage":2,"Resources":[)"
                       R"({"id":"1"},{"id":"2"}]})");
    }
    return Scim(200,
                R"({"totalResults":3,"startIndex":3,"itemsPerPage":1,"Resources":[{"id":"3"}]})");
  });
  auto p1 = connector_->ListUsers({"", 2});
  ASSERT_TRUE(p1.ok()) << p1.error().ToString();
  EXPECT_EQ(p1->items.size(), 2u);
  EXPECT_EQ(p1->next_cursor, "3");
  EXPECT_EQ(p1->total, 3u);
  auto p2 = connector_->ListUsers({p1->next_cursor, 2});
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->items.size(), 1u);
  EXPECT_EQ(p2->next_cursor, "");
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].Line(), "GET /scim/v2/Users?startIndex=1&count=2");
  EXPECT_EQ(sent[1].Line(), "GET /scim/v2/Users?startIndex=3&count=2");
  auto bad = connector_->ListUsers({"x", 2});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(ClassOf(bad.error()), ErrorClass::kInvalid);
}

TEST_F(ScimConnectorTest, PagesOnThisSideWhenCountIsIgnored) {
  Start([](const http::Request&) {
    return Scim(200, R"({"totalResults":5,"startIndex":1,"itemsPerPage":5,"Resources":[)"
                     R"({"id":"1"},{"id":"2"},{"id":"3"},{"id":"4"},{"id":"5"}]})");
  });
  std::vector<std::string> ids;
  PageRequest page{"", 2};
  int pages = 0;
  do {
    auto p = connector_->ListUsers(page);
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    for (const auto& a : p->items) ids.push_back(a.id);
    page.cursor = p->next_cursor;
    ASSERT_LT(++pages, 10);
  } while (!page.cursor.empty());
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(pages, 3);
}

TEST_F(ScimConnectorTest, ClassifiesErrorAnswers) {
  Start([](const http::Request& req) {
    std::string id(req.path.substr(req.path.rfind('/') + 1));
    if (id == "limited") {
      http::Response r = Scim(
          429, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"429"})");
      r.SetHeader("Retry-After", "2");
      return r;
    }
    if (id == "down") return Scim(503, "");
    if (id == "denied") return Scim(401, "");
    if (id == "gone") return Scim(404, R"({"status":"404","detail":"no such user"})");
    if (id == "bad") return Scim(400, R"({"status":"400","scimType":"invalidValue"})");
    if (id == "dup") return Scim(409, R"({"status":"409","scimType":"uniqueness"})");
    return Scim(501, "");
  });
  auto cls = [&](std::string id) {
    auto r = connector_->GetUser(id);
    EXPECT_FALSE(r.ok());
    return r.ok() ? ErrorClass::kFatal : ClassOf(r.error());
  };
  EXPECT_EQ(cls("limited"), ErrorClass::kRateLimited);
  EXPECT_EQ(RetryAfterOf(connector_->GetUser("limited").error()), 2000ms);
  EXPECT_EQ(cls("down"), ErrorClass::kRetryable);
  EXPECT_EQ(cls("denied"), ErrorClass::kAuth);
  EXPECT_EQ(cls("gone"), ErrorClass::kNotFound);
  EXPECT_EQ(cls("bad"), ErrorClass::kInvalid);
  EXPECT_EQ(cls("dup"), ErrorClass::kConflict);
  EXPECT_EQ(cls("other"), ErrorClass::kFatal);
}

TEST(ScimConnectorOpenTest, RejectsBadConfig) {
  http::Client http;
  SystemClock clock;
  ConnectorEnv env{http, clock};
  EXPECT_FALSE(OpenConnector({"nope", "http://x", {}, {}}, env).ok());
  EXPECT_FALSE(OpenConnector({"scim2", "ftp://x", {}, {}}, env).ok());
  EXPECT_FALSE(OpenConnector({"scim2", "http://x", {}, object{{"bogus", 1}}}, env).ok());
  EXPECT_FALSE(OpenConnector({"scim2", "http://x", object{{"kind", "bearer"}}, {}}, env).ok());
  EXPECT_TRUE(OpenConnector({"scim2", "http://x", {}, object{{"page_size", 50}}}, env).ok());
}

}  // namespace
}  // namespace provisio::connectors::scim2
