#include "security/redact.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace provisio::security {
namespace {

TEST(IsSecretNameTest, SecretNames) {
  for (std::string_view name :
       {"password", "PASSWORD", "Password", "new_password", "passwordHash", "secret",
        "client_secret", "clientSecret", "token", "access_token", "refreshToken", "X-CSRF-Token",
        "private_key", "privateKey", "api_key", "apiKey", "x-api-key", "X-Api-Key", "master_key",
        "service_account_json", "serviceAccountJson", "authorization", "Authorization",
        "Proxy-Authorization", "cookie", "Cookie", "Set-Cookie", "credentials",
        // Directory attributes (LDAP, Active Directory).
        "userPassword", "sambaNTPassword", "sambaLMPassword", "unicodePwd", "ntPwdHistory",
        "dBCSPwd", "lmPwdHistory"}) {
    EXPECT_TRUE(IsSecretName(name)) << name;
  }
}

TEST(IsSecretNameTest, OrdinaryNames) {
  for (std::string_view name : {"",
                                "id",
                                "name",
                                "email",
                                "username",
                                "token_url",
                                "tokenType",
                                "key",
                                "base_url",
                                "client_id",
                                "kind",
                                "header",
                                "value",
                                "admin_email",
                                "customer_id",
                                "login_url",
                                "scope",
                                "user_filter",
                                "public_key_id",
                                "min_password_length",
                                "sAMAccountName",
                                "userPrincipalName",
                                "objectGUID",
                                "userAccountControl",
                                "password_length",
                                "pwdLastSet",
                                "badPwdCount",
                                "passwordExpiry",
                                "password_changed",
                                "password_policy"}) {
    EXPECT_FALSE(IsSecretName(name)) << name;
  }
}

TEST(RedactJsonTest, NestedObjectsAndArrays) {
  boost::json::value v = boost::json::parse(R"({
    "name": "Salesforce prod",
    "auth": {"kind": "oauth2_client_credentials", "client_id": "abc",
             "client_secret": "s3cr3t", "token_url": "https://login/x"},
    "accounts": [{"user": "a", "password": "p1"}, {"user": "b", "Password": {"nested": 1}}],
    "matrix": [[{"api_key": "k"}]]
  })");
  const std::string out = RedactJson(v);
  EXPECT_EQ(boost::json::parse(out), boost::json::parse(R"({
    "name": "Salesforce prod",
    "auth": {"kind": "oauth2_client_credentials", "client_id": "abc",
             "client_secret": "[redacted]", "token_url": "https://login/x"},
    "accounts": [{"user": "a", "password": "[redacted]"}, {"user": "b", "Password": "[redacted]"}],
    "matrix": [[{"api_key": "[redacted]"}]]
  })"))
      << out;
  EXPECT_EQ(out.find("s3cr3t"), std::string::npos);
}

TEST(RedactJsonTest, HeaderValuePairs) {
  boost::json::value v = boost::json::parse(R"({
    "auth": {"kind": "api_key", "header": "X-Custom-Auth", "value": "k-123"},
    "headers": [{"name": "Authorization", "value": "Bearer abc"},
                {"name": "Accept", "value": "application/json"}]
  })");
  EXPECT_EQ(boost::json::parse(RedactJson(v)), boost::json::parse(R"({
    "auth": {"kind": "api_key", "header": "X-Custom-Auth", "value": "[redacted]"},
    "headers": [{"name": "Authorization", "value": "[redacted]"},
                {"name": "Accept", "value": "application/json"}]
  })"));
}

TEST(RedactJsonTest, HeaderMapsAndScalars) {
  boost::json::value v =
      boost::json::parse(R"({"Authorization": "Bearer abc", "Cookie": "sid=1", "Host": "h"})");
  EXPECT_EQ(RedactJson(v), R"({"Authorization":"[redacted]","Cookie":"[redacted]","Host":"h"})");
  EXPECT_EQ(RedactJson(boost::json::value("password")), R"("password")");
  EXPECT_EQ(RedactJson(boost::json::value(nullptr)), "null");
  EXPECT_EQ(RedactJson(boost::json::parse("[1,2]")), "[1,2]");
}

}  // namespace
}  // namespace provisio::security
