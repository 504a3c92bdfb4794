// The held-record review through the API: list, approve (create, link, apply a change) and
// reject, each audited; bad input refused with a precise code and nothing written.
#include "api/api_test_support.h"

namespace provisio::api {
namespace {

using boost::json::array;
using boost::json::object;

std::string J(const object& o) { return boost::json::serialize(o); }

object Record(const std::string& user_name) {
  return {{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:User"}},
          {"userName", user_name},
          {"externalId", "src-" + user_name},
          {"title", "Engineer"},
          {"active", true}};
}

class HeldTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    AddAdmin("root@example.com", "super-admin");
    as_ = SignIn("root@example.com");
    auto app = Send("POST", "/api/v1/applications", as_,
                    J({{"template", "scim2"}, {"name", "HR"}, {"capabilities", {"import_sync"}}}));
    EXPECT_EQ(app.status, 201) << app.body;
    app_ = std::string(app.json.at("id").as_string());
  }
  std::string NewUser(const std::string& user_name, const std::string& title = "Clerk") {
    auto r = Send("POST", "/api/v1/users", as_,
                  J({{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                     {"userName", user_name},
                     {"title", title}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json.at("id").as_string());
  }
  void PutLink(store::SourceLinkRow l) {
    l.application_id = app_;
    l.kind = "user";
    l.updated = clock_.Now();
    auto tx = store_->Begin();
    ASSERT_TRUE(store_->source_links().Upsert(**tx, l).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  // A record held as the importer holds it.
  void HoldRecord(const std::string& source_id, const std::string& user_name,
                  object extra = {{"reason", "unmatched"}}) {
    object d = std::move(extra);
    d["message"] = "no portal user matches";
    d["record"] = Record(user_name);
    d["source"] = object{{"id", source_id}, {"userName", user_name}};
    PutLink({"",
             "",
             source_id,
             "",
             "",
             "held",
             "hash-" + source_id,
             "run-1",
             boost::json::serialize(d),
             {}});
  }
  store::SourceLinkRow Link(const std::string& source_id) {
    return **store_->source_links().Get(nullptr, app_, "user", source_id);
  }
  std::string Base() const { return "/api/v1/applications/" + app_ + "/held"; }
  int64_t AuditCount() { return static_cast<int64_t>((*store_->audit().Scan(0, 100000)).size()); }
  int64_t UserCount() {
    return Send("GET", "/api/v1/users?count=0", as_).json.at("total_results").to_number<int64_t>();
  }

  As as_;
  std::string app_;
};

TEST_F(HeldTest, ListsHeldRecordsAndChangesPageByPage) {
  std::string a = NewUser("a.one@example.com"), b = NewUser("a.two@example.com");
  HoldRecord("s1", "new.person@example.com");
  HoldRecord("s2", "ann@example.com",
             {{"reason", "ambiguous"}, {"rule", "email"}, {"candidates", array{a, b}}});
  PutLink({"", "", "s3", "", a, "active", "h", "run-1", "{}", {}});  // not held
  object change{
      {"message", "changes to held attributes: title"},
      {"operations", array{object{{"op", "replace"}, {"path", "title"}, {"value", "Boss"}}}},
      {"changes", array{object{{"path", "title"}, {"before", "Clerk"}, {"after", "Boss"}}}},
      {"record", Record("a.one@example.com")}};
  PutLink({"",
           "",
           "s4",
           "",
           a,
           "active",
           "h",
           "run-1",
           boost::json::serialize(object{{"held_change", change}}),
           {}});

  auto all = Send("GET", Base(), as_);
  ASSERT_EQ(all.status, 200) << all.body;
  const auto& items = all.json.at("items").as_array();
  ASSERT_EQ(items.size(), 3u) << all.body;
  EXPECT_EQ(items[0].at("kind"), "record");
  EXPECT_EQ(items[0].at("reason"), "unmatched");
  EXPECT_EQ(items[0].at("record").at("userName"), "new.person@example.com");
  EXPECT_EQ(items[0].at("source").at("id"), "s1");
  EXPECT_EQ(items[1].at("reason"), "ambiguous");
  ASSERT_EQ(items[1].at("candidates").as_array().size(), 2u);
  EXPECT_EQ(items[1].at("candidates").at(0).at("userName"), "a.one@example.com");
  EXPECT_EQ(items[2].at("kind"), "change");
  EXPECT_EQ(items[2].at("user").at("id").as_string(), a);
  EXPECT_EQ(items[2].at("changes").at(0).at("after"), "Boss");
  EXPECT_FALSE(all.json.as_object().contains("next"));

  auto first = Send("GET", Base() + "?limit=2", as_);
  ASSERT_EQ(first.json.at("items").as_array().size(), 2u);
  EXPECT_EQ(first.json.at("next"), "s2");
  auto rest = Send("GET", Base() + "?limit=2&after=s2", as_);
  ASSERT_EQ(rest.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(rest.json.at("items").at(0).at("source_id"), "s4");
  EXPECT_EQ(Send("GET", Base() + "?limit=0", as_).Code(), "invalid_value");
  EXPECT_EQ(Send("GET", "/api/v1/applications/nope/held", as_).status, 404);
}

TEST_F(HeldTest, ApproveCreatesOrLinksAndRejectIsRemembered) {
  std::string existing = NewUser("ann@example.com");
  HoldRecord("s1", "new.person@example.com");
  HoldRecord("s2", "ann.b@example.com");
  HoldRecord("s3", "nobody@example.com");
  int64_t audited = AuditCount();

  auto created = Send("POST", Base() + "/s1/approve", as_, R"({"action":"create"})");
  ASSERT_EQ(created.status, 200) << created.body;
  std::string new_id(created.json.at("user_id").as_string());
  EXPECT_EQ(Link("s1").state, "active");
  EXPECT_EQ(Link("s1").subject_id, new_id);
  EXPECT_EQ(Link("s1").hash, "hash-s1");  // the next import sees it unchanged
  auto user = Send("GET", "/api/v1/users/" + new_id, as_);
  EXPECT_EQ(user.json.at("user").at("userName"), "new.person@example.com");

  auto linked = Send("POST", Base() + "/s2/approve", as_, J({{"user_id", existing}}));
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(linked.json.at("action"), "link");
  EXPECT_EQ(Link("s2").subject_id, existing);
  user = Send("GET", "/api/v1/users/" + existing, as_);
  EXPECT_EQ(user.json.at("user").at("title"), "Engineer");  // the record's values
  EXPECT_EQ(user.json.at("user").at("userName"), "ann.b@example.com");

  auto rejected = Send("POST", Base() + "/s3/reject", as_);
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(Link("s3").state, "rejected");
  EXPECT_EQ(Link("s3").hash, "hash-s3");

  EXPECT_EQ(AuditCount(), audited + 3);
  auto log = Send("GET", "/api/v1/audit-log?limit=3", as_);
  EXPECT_NE(log.body.find("application.held_approve"), std::string::npos);
  EXPECT_NE(log.body.find("application.held_reject"), std::string::npos);
  EXPECT_TRUE(Send("GET", Base(), as_).json.at("items").as_array().empty());
  // Decided: not held any more.
  auto again = Send("POST", Base() + "/s3/reject", as_);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.Code(), "not_held");
  EXPECT_EQ(Send("POST", Base() + "/nope/approve", as_, R"({"action":"create"})").status, 404);
}

TEST_F(HeldTest, AHeldChangeIsAppliedOrItsValueRemembered) {
  std::string u = NewUser("ann@example.com", "Clerk");
  object change{
      {"operations", array{object{{"op", "replace"}, {"path", "title"}, {"value", "Boss"}}}},
      {"changes", array{object{{"path", "title"}, {"before", "Clerk"}, {"after", "Boss"}}}}};
  auto held = [&](const std::string& source_id) {
    PutLink({"",
             "",
             source_id,
             "",
             u,
             "active",
             "h",
             "run-1",
             boost::json::serialize(object{{"held_change", change}}),
             {}});
  };
  held("s1");
  EXPECT_EQ(Send("POST", Base() + "/s1/approve", as_, R"({"action":"create"})").Code(),
            "invalid_value");
  auto applied = Send("POST", Base() + "/s1/approve", as_, "");
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_EQ(Send("GET", "/api/v1/users/" + u, as_).json.at("user").at("title"), "Boss");
  EXPECT_EQ(Link("s1").detail, "{}");

  held("s1");
  auto rejected = Send("POST", Base() + "/s1/reject", as_, "{}");
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(Link("s1").state, "active");
  EXPECT_EQ(boost::json::parse(Link("s1").detail),
            boost::json::parse(R"({"rejected":{"title":"Boss"}})"));
}

TEST_F(HeldTest, BadInputIsRefusedAndNothingIsWritten) {
  std::string a = NewUser("a@example.com");
  std::string b = NewUser("b@example.com");
  HoldRecord("s1", "x@example.com");
  PutLink({"", "", "s9", "", b, "active", "h", "run-1", "{}", {}});  // b is linked already
  int64_t audited = AuditCount();
  int64_t users = UserCount();
  auto code = [&](const std::string& body) {
    return Send("POST", Base() + "/s1/approve", as_, body).Code();
  };
  EXPECT_EQ(code(R"({"action":"merge"})"), "invalid_value");
  EXPECT_EQ(code(R"({"action":"link"})"), "missing_field");
  EXPECT_EQ(code(J({{"action", "create"}, {"user_id", a}})), "conflicting_fields");
  EXPECT_EQ(code(R"({"colour":"red"})"), "unknown_field");
  EXPECT_EQ(code("[1]"), "invalid_type");
  EXPECT_EQ(code(R"({"action":"apply"})"), "invalid_value");
  EXPECT_EQ(code(R"({"user_id":"no-such-user"})"), "unknown_user");
  auto taken = Send("POST", Base() + "/s1/approve", as_, J({{"user_id", b}}));
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.Code(), "already_linked");
  EXPECT_EQ(Send("POST", Base() + "/s1/reject", as_, R"({"why":"x"})").Code(), "unknown_field");
  EXPECT_EQ(Link("s1").state, "held");
  EXPECT_EQ(AuditCount(), audited);
  EXPECT_EQ(UserCount(), users);
}

TEST_F(HeldTest, AnOperatorMayReadButNotDecide) {
  AddAdmin("operator@example.com", "operator");
  As op = SignIn("operator@example.com");
  HoldRecord("s1", "x@example.com");
  EXPECT_EQ(Send("GET", Base(), op).status, 200);
  EXPECT_EQ(Send("POST", Base() + "/s1/approve", op, R"({"action":"create"})").status, 403);
  EXPECT_EQ(Send("POST", Base() + "/s1/reject", op).status, 403);
}

}  // namespace
}  // namespace provisio::api
