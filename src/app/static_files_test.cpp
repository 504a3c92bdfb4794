#include "app/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/ids.h"

namespace provisio::app {
namespace {

namespace fs = std::filesystem;

std::string HeaderOf(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (http::EqualsIgnoreCase(k, name)) return v;
  }
  return "";
}

class StaticFilesTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_ / "assets");
    Write(root_ / "index.html", "<!doctype html><title>console</title>");
    Write(root_ / "assets" / "index-abc123.js", "console.log(1)");
    Write(root_ / ".env", "hidden");
    Write(dir_ / "secret.txt", "outside the root");
    fs::create_symlink(dir_ / "secret.txt", root_ / "link.txt");
  }
  void TearDown() override { fs::remove_all(dir_); }
  static void Write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }

  fs::path dir_ = fs::temp_directory_path() / ("provisio-static-" + NewUuid());
  fs::path root_ = dir_ / "dist";
};

TEST_F(StaticFilesTest, ServesHashedAssetsWithLongCaching) {
  auto r = ServeStatic(root_, "/assets/index-abc123.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "console.log(1)");
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
}

TEST_F(StaticFilesTest, ClientRoutesGetTheIndexUncached) {
  for (const char* path : {"/", "/applications", "/applications/abc/log"}) {
    auto r = ServeStatic(root_, path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_NE(r.body.find("console"), std::string::npos) << path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << path;
    EXPECT_NE(HeaderOf(r, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  }
}

TEST_F(StaticFilesTest, MissingFilesAreNotFound) {
  EXPECT_EQ(ServeStatic(root_, "/assets/missing.js").status, 404);
  EXPECT_EQ(ServeStatic(root_, "/favicon.ico").status, 404);
}

TEST_F(StaticFilesTest, RefusesTraversalHiddenFilesAndSymlinksOut) {
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/.env", "/a\\..\\b",
                           "/link.txt", "/./index.html"}) {
    auto r = ServeStatic(root_, path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("outside the root"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("hidden"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, ApiAndScimPathsKeepTheirJsonNotFound) {
  for (const char* path : {"/api/v1/nope", "/scim/v2/Nope", "/api"}) {
    auto r = ServeStatic(root_, path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_NE(r.body.find("\"not_found\""), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, SaysHowToBuildWhenTheConsoleIsMissing) {
  auto r = ServeStatic(dir_ / "nothing", "/");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("scripts/setup"), std::string::npos);
}

}  // namespace
}  // namespace provisio::app
