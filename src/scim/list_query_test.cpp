// List query parameters, SearchRequest bodies, sorting and ListResponse.
#include "scim/list_query.h"

#include <gtest/gtest.h>

#include "scim/filter_eval.h"
#include "scim/test_resources.h"

namespace provisio::scim {
namespace {

using testing_data::Json;
using testing_data::UserType;

Result<ListQuery> Parse(std::vector<QueryParam> params, ListLimits limits = {}) {
  return ParseListQuery(params, UserType(), limits);
}

TEST(ListQueryTest, Defaults) {
  auto q = Parse({});
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->filter);
  EXPECT_FALSE(q->sort_by);
  EXPECT_EQ(q->start_index, 1);
  EXPECT_EQ(q->count, 100);
  EXPECT_EQ(q->sort_order, SortOrder::kAscending);
  EXPECT_FALSE(q->projection.restricted);
}

struct PagingCase {
  std::string_view start;
  std::string_view count;
  int64_t want_start;
  int64_t want_count;
};
class PagingTest : public testing::TestWithParam<PagingCase> {};
TEST_P(PagingTest, Clamps) {
  ListLimits limits;
  limits.max_count = 200;
  auto q = Parse({{"startIndex", GetParam().start}, {"count", GetParam().count}}, limits);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->start_index, GetParam().want_start);
  EXPECT_EQ(q->count, GetParam().want_count);
}
INSTANTIATE_TEST_SUITE_P(Rfc7644, PagingTest,
                         testing::Values(PagingCase{"1", "10", 1, 10}, PagingCase{"0", "10", 1, 10},
                                         PagingCase{"-5", "10", 1, 10}, PagingCase{"7", "0", 7, 0},
                                         PagingCase{"1", "-1", 1, 0},
                                         PagingCase{"1", "200", 1, 200},
                                         PagingCase{"1", "201", 1, 200},
                                         PagingCase{"1", "9999999999", 1, 200},
                                         PagingCase{"100000", "5", 100000, 5}));

TEST(ListQueryTest, NonNumericPagingIsInvalidValue) {
  EXPECT_EQ(Parse({{"count", "ten"}}).error().code(), Code::kInvalidValue);
  EXPECT_EQ(Parse({{"startIndex", "1.5"}}).error().code(), Code::kInvalidValue);
  EXPECT_EQ(Parse({{"startIndex", ""}}).error().code(), Code::kInvalidValue);
}

TEST(ListQueryTest, FilterBoundAndErrors) {
  auto q = Parse({{"filter", R"(USERNAME eq "bjensen")"}});
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->filter);
  EXPECT_EQ(ToString(*q->filter), R"(userName eq "bjensen")");
  EXPECT_EQ(Parse({{"filter", "userName eq"}}).error().code(), Code::kInvalidFilter);
  EXPECT_EQ(Parse({{"filter", "nosuch pr"}}).error().code(), Code::kInvalidFilter);
  EXPECT_FALSE(Parse({{"filter", ""}})->filter);
}

TEST(ListQueryTest, SortAndProjection) {
  auto q = Parse({{"sortBy", "NAME.familyname"},
                  {"sortOrder", "Descending"},
                  {"attributes", "userName,emails"},
                  {"excludedattributes", "name"},
                  {"unknown", "ignored"}});
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  EXPECT_EQ(ToString(*q->sort_by), "name.familyName");
  EXPECT_EQ(q->sort_order, SortOrder::kDescending);
  EXPECT_TRUE(q->projection.restricted);
  EXPECT_EQ(q->projection.attributes.size(), 2u);
  EXPECT_EQ(q->projection.excluded.size(), 1u);
  EXPECT_EQ(Parse({{"sortOrder", "up"}}).error().code(), Code::kInvalidValue);
  EXPECT_EQ(Parse({{"sortBy", "nosuch"}}).error().code(), Code::kInvalidValue);
  EXPECT_EQ(Parse({{"attributes", "a b"}}).error().code(), Code::kInvalidPath);
}

TEST(SearchRequestTest, Rfc7644Section3_4_3Example) {
  auto q = ParseSearchRequest(boost::json::parse(R"({
      "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      "attributes": ["displayName", "userName"],
      "filter": "displayName sw \"smith\"",
      "startIndex": 1,
      "count": 10})"),
                              UserType());
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  EXPECT_EQ(ToString(*q->filter), R"(displayName sw "smith")");
  EXPECT_EQ(q->count, 10);
  EXPECT_EQ(q->projection.attributes.size(), 2u);
}

TEST(SearchRequestTest, Errors) {
  auto bad = [](std::string_view text) {
    return ParseSearchRequest(boost::json::parse(text), UserType()).error().code();
  };
  EXPECT_EQ(bad(R"({"filter":"userName pr"})"), Code::kInvalidSyntax);
  EXPECT_EQ(bad(R"([])"), Code::kInvalidSyntax);
  EXPECT_EQ(
      bad(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":5})"),
      Code::kInvalidSyntax);
  EXPECT_EQ(
      bad(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"attributes":5})"),
      Code::kInvalidSyntax);
  EXPECT_EQ(
      bad(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":"x"})"),
      Code::kInvalidValue);
  EXPECT_EQ(
      bad(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":1.5})"),
      Code::kInvalidValue);
  EXPECT_EQ(
      bad(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"x eq"})"),
      Code::kInvalidFilter);
  auto lenient = ParseSearchRequest(
      boost::json::parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                             "attributes":"userName","count":"5","startIndex":-3,"sortOrder":"ascending"})"),
      UserType());
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->count, 5);
  EXPECT_EQ(lenient->start_index, 1);
}

std::vector<boost::json::object> Users() {
  return {Json(R"({"id":"1","userName":"carol","name":{"familyName":"Zed"},"active":true,
                   "emails":[{"value":"c2@x","type":"home"},{"value":"c1@x","primary":true}],
                   "meta":{"lastModified":"2011-05-13T04:42:34Z"}})"),
          Json(R"({"id":"2","userName":"Alice","name":{"familyName":"young"},"active":false,
                   "emails":[{"value":"a@x"}],"meta":{"lastModified":"2011-05-13T06:42:34+03:00"}})"),
          Json(R"({"id":"3","userName":"bob","meta":{"lastModified":"2012-01-01T00:00:00Z"}})"),
          Json(R"({"id":"4","userName":"dave","name":{"familyName":"Xavier"},"active":true,
                   "emails":[{"value":"b@x"}],"meta":{"lastModified":"2010-01-01T00:00:00Z"}})")};
}

std::string Ids(const std::vector<boost::json::object>& v) {
  std::string s;
  for (const auto& o : v) s += o.at("id").as_string();
  return s;
}

struct SortCase {
  std::string_view sort_by;
  std::string_view order;
  std::string_view ids;
};
class SortTest : public testing::TestWithParam<SortCase> {};
TEST_P(SortTest, OrdersByType) {
  auto q = Parse({{"sortBy", GetParam().sort_by}, {"sortOrder", GetParam().order}});
  ASSERT_TRUE(q.ok());
  auto users = Users();
  SortResources(users, *q, UserType());
  EXPECT_EQ(Ids(users), GetParam().ids) << GetParam().sort_by << " " << GetParam().order;
}
INSTANTIATE_TEST_SUITE_P(
    Types, SortTest,
    testing::Values(SortCase{"userName", "ascending", "2314"},  // case-insensitive
                    SortCase{"userName", "descending", "4132"},
                    SortCase{"name.familyName", "ascending", "4213"},  // missing last
                    SortCase{"name.familyName", "descending", "3124"},
                    SortCase{"meta.lastModified", "ascending", "4213"},  // instants, not text
                    SortCase{"emails", "ascending", "2413"},
                    SortCase{"emails.value", "ascending", "2413"},  // primary value c1@x
                    SortCase{"active", "ascending", "2143"}, SortCase{"id", "descending", "4321"}));

TEST(SortTest, NoSortByKeepsOrder) {
  auto users = Users();
  auto q = Parse({});
  SortResources(users, *q, UserType());
  EXPECT_EQ(Ids(users), "1234");
}

TEST(PageRangeTest, Ranges) {
  auto q = Parse({{"startIndex", "2"}, {"count", "2"}});
  EXPECT_EQ(PageRange(4, *q), (std::pair<size_t, size_t>{1, 3}));
  EXPECT_EQ(PageRange(2, *q), (std::pair<size_t, size_t>{1, 2}));
  EXPECT_EQ(PageRange(1, *q), (std::pair<size_t, size_t>{1, 1}));
  EXPECT_EQ(PageRange(0, *q), (std::pair<size_t, size_t>{0, 0}));
  auto zero = Parse({{"count", "0"}});
  EXPECT_EQ(PageRange(10, *zero), (std::pair<size_t, size_t>{0, 0}));
}

TEST(ListResponseTest, OktaShape) {
  auto q = Parse({{"startIndex", "1"}, {"count", "2"}, {"attributes", "userName"}});
  ASSERT_TRUE(q.ok());
  auto users = Users();
  auto [b, e] = PageRange(users.size(), *q);
  auto body = BuildListResponse(std::span(users).subspan(b, e - b), users.size(), *q, UserType());
  EXPECT_EQ(boost::json::serialize(body),
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],)"
            R"("totalResults":4,"startIndex":1,"itemsPerPage":2,"Resources":[)"
            R"({"id":"1","userName":"carol"},{"id":"2","userName":"Alice"}]})");
}

TEST(ListResponseTest, EmptyResultIsStillAListResponse) {
  auto q = Parse({{"filter", R"(userName eq "nobody")"}});
  ASSERT_TRUE(q.ok());
  std::vector<boost::json::object> matched;
  for (const auto& u : Users()) {
    if (Matches(*q->filter, u, UserType())) matched.push_back(u);
  }
  auto body = BuildListResponse(matched, matched.size(), *q, UserType());
  EXPECT_EQ(body.at("totalResults"), 0);
  EXPECT_EQ(body.at("itemsPerPage"), 0);
  EXPECT_TRUE(body.at("Resources").as_array().empty());
}

}  // namespace
}  // namespace provisio::scim
