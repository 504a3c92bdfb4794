// Wire-exact tests: the SCIM connector against a recording server, asserting the exact
// requests it sends (method, path, query, body) and how it reads the answers.
#include "connectors/scim2/scim_connector.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "connectors/error_class.h"
#include "connectors/recording_target.h"
#include "connectors/registry.h"
#include "connectors/scim2/scim_bulk.h"
#include "http/response.h"

namespace provisio::connectors::scim2 {
namespace {

using namespace std::chrono_literals;
using boost::json::object;
using boost::json::parse;

struct Spc {
  bool patch = true;
  bool filter = true;
  bool etag = true;
  int bulk_max_operations = 0;  // 0: no /Bulk
  int bulk_max_payload = 1048576;
};

std::string Str(const object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
}

http::Response Scim(int status, std::string_view body) {
  http::Response r = http::Response::Text(status, std::string(body), "application/scim+json");
  return r;
}

std::string SpcBody(Spc f) {
  return std::string(
             R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],)") +
         R"("patch":{"supported":)" + (f.patch ? "true" : "false") + R"(},"bulk":{"supported":)" +
         (f.bulk_max_operations > 0 ? "true" : "false") + R"(,"maxOperations":)" +
         std::to_string(f.bulk_max_operations) + R"(,"maxPayloadSize":)" +
         std::to_string(f.bulk_max_payload) + R"(},)" + R"("filter":{"supported":)" +
         (f.filter ? "true" : "false") + R"(,"maxResults":200},"etag":{"supported":)" +
         (f.etag ? "true" : "false") + "}}";
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

TEST_F(ScimConnectorTest, SendsTheKnownVersionAsIfMatch) {
  int version = 1;
  Start([&version](const http::Request& req) {
    if (req.method == "DELETE") return http::Response::NoContent();
    std::string v = "W/\"" + std::to_string(++version) + "\"";
    return Scim(req.method == "POST" ? 201 : 200,
                R"({"id":"u1","userName":"ann","meta":{"version":")" + std::string(R"(W/\")") +
                    std::to_string(version) + R"(\""}})");
  });
  // What `current` carries wins; else the version of the last answer about the account.
  object current =
      parse(R"({"id":"u1","userName":"ann","meta":{"version":"W/\"7\""}})").as_object();
  ASSERT_TRUE(connector_->PatchUser("u1", current, object{{"title", "CTO"}}).ok());
  ASSERT_TRUE(connector_->PatchUser("u1", object{}, object{{"title", "CEO"}}).ok());
  ASSERT_TRUE(connector_->ReplaceUser("u1", object{{"userName", "ann"}}).ok());
  ASSERT_TRUE(connector_->DeleteUser("u1").ok());
  // Deleted: nothing is known any more.
  ASSERT_TRUE(connector_->PatchUser("u1", object{}, object{{"title", "CFO"}}).ok());
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 5u);
  EXPECT_EQ(sent[0].Line(), "PATCH /scim/v2/Users/u1");
  EXPECT_EQ(sent[0].if_match, "W/\"7\"");
  EXPECT_EQ(sent[1].if_match, "W/\"2\"");
  EXPECT_EQ(sent[2].Line(), "PUT /scim/v2/Users/u1");
  EXPECT_EQ(sent[2].if_match, "W/\"3\"");
  EXPECT_EQ(sent[3].Line(), "DELETE /scim/v2/Users/u1");
  EXPECT_EQ(sent[3].if_match, "W/\"4\"");
  EXPECT_EQ(sent[4].if_match, "");
}

TEST_F(ScimConnectorTest, NoIfMatchWithoutEtagSupport) {
  Start(
      [](const http::Request&) {
        return Scim(200, R"({"id":"u1","userName":"ann","meta":{"version":"W/\"2\""}})");
      },
      Spc{.etag = false});
  object current = parse(R"({"id":"u1","meta":{"version":"W/\"1\""}})").as_object();
  ASSERT_TRUE(connector_->PatchUser("u1", current, object{{"title", "CTO"}}).ok());
  ASSERT_TRUE(connector_->DeleteUser("u1").ok());
  for (const auto& r : Sent()) EXPECT_EQ(r.if_match, "") << r.Line();
}

TEST_F(ScimConnectorTest, PreconditionFailedIsStaleAndRetried) {
  Start([](const http::Request&) {
    return Scim(412, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],)"
                     R"("status":"412","detail":"version mismatch"})");
  });
  object current = parse(R"({"id":"u1","meta":{"version":"W/\"1\""}})").as_object();
  auto r = connector_->PatchUser("u1", current, object{{"title", "CTO"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassOf(r.error()), ErrorClass::kStale);
  EXPECT_EQ(r.error().code(), Code::kPreconditionFailed);
}

TEST_F(ScimConnectorTest, BatchGoesToBulkWithinMaxOperations) {
  Start(
      [](const http::Request& req) {
        // Answers every operation: creates by bulkId, the PATCH of "bad" with a 400.
        auto body = parse(req.body).as_object();
        boost::json::array results;
        for (const auto& v : body.at("Operations").as_array()) {
          const auto& op = v.as_object();
          std::string method(op.at("method").as_string());
          object r{{"method", method}};
          if (method == "POST") {
            std::string bulk_id(op.at("bulkId").as_string());
            r["bulkId"] = bulk_id;
            r["location"] = "http://x/scim/v2/Users/id-" + bulk_id;
            r["version"] = "W/\"1\"";
            r["status"] = "201";
          } else if (op.at("path").as_string() == "/Users/bad") {
            r["status"] = "400";
            r["response"] = parse(R"({"status":"400","scimType":"invalidValue"})");
          } else {
            r["location"] = "http://x/scim/v2" + std::string(op.at("path").as_string());
            r["status"] = "200";
          }
          results.push_back(std::move(r));
        }
        return Scim(200, boost::json::serialize(object{
                             {"schemas", {"urn:ietf:params:scim:api:messages:2.0:BulkResponse"}},
                             {"Operations", std::move(results)}}));
      },
      Spc{.bulk_max_operations = 2});
  Capabilities caps = connector_->capabilities();
  EXPECT_TRUE(caps.batch);
  EXPECT_EQ(caps.max_batch, 2u);
  ASSERT_NE(connector_->batch(), nullptr);
  std::vector<BatchWrite> writes;
  writes.push_back({BatchWrite::Kind::kCreate, "", {}, object{{"userName", "a"}}});
  writes.push_back(
      {BatchWrite::Kind::kUpdate, "u9", object{{"title", "x"}}, object{{"title", "x"}}});
  writes.push_back({BatchWrite::Kind::kCreate, "", {}, object{{"userName", "b"}}});
  writes.push_back({BatchWrite::Kind::kUpdate, "bad", object{}, object{{"title", "y"}}});
  writes.push_back({BatchWrite::Kind::kUpdate, "u2", object{}, object{{"title", "z"}}});
  auto results = connector_->batch()->ApplyBatch(writes);
  ASSERT_EQ(results.size(), 5u);
  ASSERT_TRUE(results[0].ok()) << results[0].error().ToString();
  EXPECT_EQ(results[0]->id, "id-b0");
  EXPECT_EQ(results[0]->etag, "W/\"1\"");
  ASSERT_TRUE(results[1].ok());  // nothing differs: no operation
  EXPECT_EQ(results[1]->id, "u9");
  ASSERT_TRUE(results[2].ok());
  EXPECT_EQ(results[2]->id, "id-b2");
  ASSERT_FALSE(results[3].ok());
  EXPECT_EQ(ClassOf(results[3].error()), ErrorClass::kInvalid);
  ASSERT_TRUE(results[4].ok()) << results[4].error().ToString();
  EXPECT_EQ(results[4]->id, "u2");
  EXPECT_EQ(Str(results[4]->attributes, "title"), "z");
  // Four operations, two per request (maxOperations), failOnErrors never set.
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].Line(), "POST /scim/v2/Bulk");
  EXPECT_EQ(parse(sent[0].body),
            parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],)"
                  R"("Operations":[)"
                  R"({"method":"POST","path":"/Users","bulkId":"b0","data":{"userName":"a",)"
                  R"("schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}},)"
                  R"({"method":"POST","path":"/Users","bulkId":"b2","data":{"userName":"b",)"
                  R"("schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}}]})"));
  EXPECT_EQ(parse(sent[1].body).at("Operations").as_array().size(), 2u);
}

TEST_F(ScimConnectorTest, FindUsersAsksForManyValuesInOneFilter) {
  Start([](const http::Request&) {
    return Scim(200, R"({"totalResults":3,"Resources":[{"id":"1","userName":"Ann"},)"
                     R"({"id":"2","userName":"bob"},{"id":"3","userName":"BOB"}]})");
  });
  std::vector<std::string> values{"ann", "bob", "cy"};
  auto found = connector_->batch() != nullptr ? connector_->batch()->FindUsers("userName", values)
                                              : std::vector<Result<std::optional<Account>>>{};
  // No /Bulk in this ServiceProviderConfig, so no batch: the lookups need one.
  EXPECT_TRUE(found.empty());
  auto& scim = static_cast<ScimConnector&>(*connector_);
  found = scim.FindUsers("userName", values);
  ASSERT_EQ(found.size(), 3u);
  ASSERT_TRUE(found[0].ok() && found[0]->has_value());
  EXPECT_EQ((*found[0])->id, "1");
  ASSERT_FALSE(found[1].ok());  // two accounts answer to "bob"
  EXPECT_EQ(ClassOf(found[1].error()), ErrorClass::kConflict);
  ASSERT_TRUE(found[2].ok());
  EXPECT_FALSE(found[2]->has_value());
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].Line(),
            "GET /scim/v2/Users?filter=userName%20eq%20%22ann%22%20or%20userName%20eq%20%22bob%22"
            "%20or%20userName%20eq%20%22cy%22&count=6");
}

TEST_F(ScimConnectorTest, NoBatchWhenTheSettingsTurnBulkOff) {
  target_ = std::make_unique<RecordingTarget>(
      [](const http::Request&) { return Scim(200, SpcBody(Spc{.bulk_max_operations = 100})); });
  ConnectorConfig config{"scim2", target_->url() + "/scim/v2", object{{"kind", "none"}},
                         object{{"bulk", "false"}}};
  auto c = OpenConnector(config, ConnectorEnv{http_, clock_});
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  Capabilities caps = (*c)->capabilities();
  EXPECT_TRUE(caps.bulk);    // offered by the target...
  EXPECT_FALSE(caps.batch);  // ...and not used
  EXPECT_EQ((*c)->batch(), nullptr);
}

TEST(ScimBulkTest, PlanRespectsMaxPayloadSize) {
  std::vector<BulkOperation> ops(5);
  for (size_t i = 0; i < ops.size(); ++i) {
    ops[i].method = "POST";
    ops[i].path = "/Users";
    ops[i].bulk_id = "b" + std::to_string(i);
    ops[i].data = object{{"userName", std::string(i == 3 ? 400 : 40, 'x')}};
  }
  BulkPlan plan = PlanBulkRequests(ops, {100, 250});
  ASSERT_EQ(plan.too_large, std::vector<size_t>{3});
  size_t carried = 0;
  for (const auto& r : plan.requests) {
    EXPECT_LE(r.body.size(), 250u);
    EXPECT_TRUE(parse(r.body).is_object());
    carried += r.operations.size();
  }
  EXPECT_EQ(carried, 4u);
  EXPECT_GE(plan.requests.size(), 2u);
  // Without limits: one request.
  EXPECT_EQ(PlanBulkRequests(ops, {100, 0}).requests.size(), 1u);
}

TEST(ScimBulkTest, MapsResultsByBulkIdLocationAndClass) {
  std::vector<BulkOperation> ops(4);
  ops[0] = {"POST", "/Users", "b0", "", "", object{{"userName", "a"}}, object{{"userName", "a"}}};
  ops[1] = {"PATCH", "/Users/u1", "", "u1", "W/\"1\"", object{}, object{{"title", "t"}}};
  ops[2] = {"POST", "/Users", "b2", "", "", object{{"userName", "b"}}, object{}};
  ops[3] = {"PUT", "/Users/u3", "", "u3", "", object{}, object{}};
  // Out of order, one 412, one 409 uniqueness, one without any result.
  auto response = parse(R"({"Operations":[
      {"method":"PATCH","location":"https://t/Users/u1","status":"412",
       "response":{"status":"412","detail":"stale"}},
      {"method":"POST","bulkId":"b2","status":"409",
       "response":{"status":"409","scimType":"uniqueness"}},
      {"method":"POST","bulkId":"b0","location":"https://t/Users/new0","status":201,
       "version":"W/\"1\""}]})")
                      .as_object();
  std::vector<size_t> carried{0, 1, 2, 3};
  auto results = MapBulkResponse(response, ops, carried, SystemClock().Now());
  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(results[0].ok());
  EXPECT_EQ(results[0]->id, "new0");
  EXPECT_EQ(Str(results[0]->attributes, "userName"), "a");
  EXPECT_EQ(ClassOf(results[1].error()), ErrorClass::kStale);
  EXPECT_EQ(ClassOf(results[2].error()), ErrorClass::kConflict);
  EXPECT_EQ(ClassOf(results[3].error()), ErrorClass::kRetryable);
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
  // As the admin API stores them: strings.
  EXPECT_TRUE(
      OpenConnector(
          {"scim2", "http://x", {}, object{{"bulk", "false"}, {"bulk_max_operations", "50"}}}, env)
          .ok());
  EXPECT_FALSE(OpenConnector({"scim2", "http://x", {}, object{{"bulk", "maybe"}}}, env).ok());
  EXPECT_FALSE(
      OpenConnector({"scim2", "http://x", {}, object{{"bulk_max_operations", "0"}}}, env).ok());
}

}  // namespace
}  // namespace provisio::connectors::scim2
