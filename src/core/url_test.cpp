#include "core/url.h"

#include <gtest/gtest.h>

namespace provisio {
namespace {

TEST(UrlTest, HostOfAbsoluteUrls) {
  EXPECT_EQ(UrlHost("https://Login.Salesforce.com/services"), "login.salesforce.com");
  EXPECT_EQ(UrlHost("http://127.0.0.1:8081"), "127.0.0.1");
  EXPECT_EQ(UrlHost("http://[::1]:9/x"), "::1");
  EXPECT_EQ(UrlHost("http://user:pw@localhost:1/"), "localhost");
  EXPECT_EQ(UrlHost("http://127.0.0.1.evil.example/"), "127.0.0.1.evil.example");
  EXPECT_EQ(UrlHost("login.salesforce.com"), "");
}

TEST(UrlTest, LoopbackHosts) {
  for (const char* h : {"127.0.0.1", "127.1.2.3", "::1", "localhost"}) {
    EXPECT_TRUE(IsLoopbackHost(h)) << h;
  }
  for (const char* h : {"127.0.0.1.evil.example", "10.0.0.1", "localhost.example", "128.0.0.1",
                        "127.0.0", "127.0.0.1234", ""}) {
    EXPECT_FALSE(IsLoopbackHost(h)) << h;
  }
}

TEST(UrlTest, HttpOnlyToLoopback) {
  EXPECT_EQ(CheckHttpsOrLoopback("base_url", "https://acme.my.salesforce.com"), "");
  EXPECT_EQ(CheckHttpsOrLoopback("base_url", "http://127.0.0.1:8081"), "");
  EXPECT_EQ(CheckHttpsOrLoopback("base_url", "http://[::1]:8081"), "");
  EXPECT_EQ(CheckHttpsOrLoopback("base_url", "http://localhost:8081/"), "");
  std::string plain = CheckHttpsOrLoopback("base_url", "http://login.salesforce.com");
  EXPECT_NE(plain.find("loopback"), std::string::npos) << plain;
  EXPECT_NE(plain.find("base_url"), std::string::npos) << plain;
  EXPECT_NE(CheckHttpsOrLoopback("base_url", "http://127.0.0.1.evil.example"), "");
  EXPECT_NE(CheckHttpsOrLoopback("base_url", "ftp://127.0.0.1"), "");
  EXPECT_NE(CheckHttpsOrLoopback("base_url", "not a url"), "");
}

}  // namespace
}  // namespace provisio
