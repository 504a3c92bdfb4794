#include "api/respond.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "apps/input.h"

namespace provisio::api {
namespace {

boost::json::object BodyOf(const http::Response& r) {
  return boost::json::parse(r.body).as_object();
}

// A validation error's reason becomes the body's code and leaves the details. Reading the
// details after the code was set read freed memory (Boost.JSON's operator[] moves an object's
// members when it grows it); ASan builds catch that here.
TEST(ErrorResponseTest, TheReasonBecomesTheCodeAndTheOtherDetailsStay) {
  auto r = ErrorResponse(apps::Reject(Code::kInvalidValue, "invalid_type", "name must be a string",
                                      {{"field", "name"}}));
  EXPECT_EQ(r.status, 400);
  auto body = BodyOf(r);
  const auto& error = body.at("error").as_object();
  EXPECT_EQ(error.at("code"), "invalid_type");
  EXPECT_EQ(error.at("message"), "name must be a string");
  EXPECT_EQ(error.at("details"), (boost::json::object{{"field", "name"}}));
}

TEST(ErrorResponseTest, DetailsWithOnlyTheReasonAreLeftOut) {
  auto body = BodyOf(ErrorResponse(apps::Reject(Code::kInvalidSyntax, "invalid_json", "not JSON")));
  const auto& error = body.at("error").as_object();
  EXPECT_EQ(error.at("code"), "invalid_json");
  EXPECT_FALSE(error.contains("details")) << body;
}

TEST(ErrorResponseTest, AnErrorWithoutReasonKeepsItsCodeName) {
  auto body = BodyOf(ErrorResponse(Error::NotFound("no such user")));
  EXPECT_EQ(body.at("error").at("code"), "not_found");
  EXPECT_FALSE(body.at("error").as_object().contains("details"));
}

}  // namespace
}  // namespace provisio::api
