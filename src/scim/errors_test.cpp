#include "scim/errors.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace provisio::scim {
namespace {

struct CodeCase {
  Code code;
  int status;
  std::string_view scim_type;
};

class ErrorTableTest : public testing::TestWithParam<CodeCase> {};

TEST_P(ErrorTableTest, MapsCodeToStatusAndScimType) {
  EXPECT_EQ(HttpStatusFor(GetParam().code), GetParam().status);
  EXPECT_EQ(ScimTypeFor(GetParam().code), GetParam().scim_type);
}

INSTANTIATE_TEST_SUITE_P(
    AllCodes, ErrorTableTest,
    testing::Values(
        CodeCase{Code::kInvalidFilter, 400, "invalidFilter"},
        CodeCase{Code::kInvalidSyntax, 400, "invalidSyntax"},
        CodeCase{Code::kInvalidPath, 400, "invalidPath"},
        CodeCase{Code::kInvalidValue, 400, "invalidValue"},
        CodeCase{Code::kNoTarget, 400, "noTarget"}, CodeCase{Code::kMutability, 400, "mutability"},
        CodeCase{Code::kTooMany, 400, "tooMany"},
        CodeCase{Code::kInvalidVersion, 400, "invalidVers"},
        CodeCase{Code::kUniqueness, 409, "uniqueness"}, CodeCase{Code::kNotFound, 404, ""},
        CodeCase{Code::kConflict, 409, ""}, CodeCase{Code::kInvalidArgument, 400, ""},
        CodeCase{Code::kUnauthenticated, 401, ""}, CodeCase{Code::kPermissionDenied, 403, ""},
        CodeCase{Code::kMethodNotAllowed, 405, ""}, CodeCase{Code::kPreconditionFailed, 412, ""},
        CodeCase{Code::kPayloadTooLarge, 413, ""}, CodeCase{Code::kRateLimited, 429, ""},
        CodeCase{Code::kInternal, 500, ""}, CodeCase{Code::kNotImplemented, 501, ""},
        CodeCase{Code::kUnavailable, 503, ""}, CodeCase{Code::kTimeout, 408, ""}));

TEST(ScimErrorBodyTest, FollowsRfc7644Section312) {
  auto body = ScimErrorBody(400, "invalidFilter", "bad filter");
  EXPECT_EQ(boost::json::serialize(body),
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400",)"
            R"("scimType":"invalidFilter","detail":"bad filter"})");
}

TEST(ScimErrorBodyTest, OmitsEmptyScimType) {
  auto body = ScimErrorBody(404, "", "Resource 2819c223 not found");
  EXPECT_FALSE(body.contains("scimType"));
  EXPECT_EQ(body.at("status"), "404");
  EXPECT_EQ(body.at("detail"), "Resource 2819c223 not found");
}

TEST(ScimErrorBodyTest, FromError) {
  auto body = ScimErrorBody(Error(Code::kUniqueness, "userName taken"));
  EXPECT_EQ(body.at("status"), "409");
  EXPECT_EQ(body.at("scimType"), "uniqueness");
  EXPECT_EQ(body.at("detail"), "userName taken");
}

TEST(ScimErrorBodyTest, Constructors) {
  EXPECT_EQ(InvalidFilterError("x").code(), Code::kInvalidFilter);
  EXPECT_EQ(InvalidSyntaxError("x").code(), Code::kInvalidSyntax);
  EXPECT_EQ(InvalidPathError("x").code(), Code::kInvalidPath);
  EXPECT_EQ(InvalidValueError("x").code(), Code::kInvalidValue);
  EXPECT_EQ(NoTargetError("x").code(), Code::kNoTarget);
  EXPECT_EQ(MutabilityError("x").code(), Code::kMutability);
  EXPECT_EQ(TooManyError("x").code(), Code::kTooMany);
}

}  // namespace
}  // namespace provisio::scim
