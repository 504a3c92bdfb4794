// A real admin API over a real (temporary) SQLite store, driven through the Router the way
// the server drives it, with a fake clock and minimal Argon2 cost. Not a mock: the same
// handlers, store and policy table run here as in the product.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "api/routes.h"
#include "core/ids.h"
#include "directory/admin_accounts.h"
#include "http/router.h"
#include "provisioning/engine.h"

namespace provisio::api {

struct TestResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  boost::json::value json;
  std::string Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (http::EqualsIgnoreCase(k, name)) return v;
    }
    return "";
  }
  std::string Code() const {
    const auto* err = json.is_object() ? json.as_object().if_contains("error") : nullptr;
    return err ? std::string(err->at("code").as_string()) : "";
  }
};

// Credentials a request carries.
struct As {
  std::string cookie;  // session id
  std::string csrf;
  std::string bearer;
  std::string address = "192.0.2.10";
};

inline As Bearer(std::string token) {
  As as;
  as.bearer = std::move(token);
  return as;
}

class ApiFixture : public testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_);
    store_ = std::move(store::OpenStore("sqlite://" + (dir_ / "p.db").string())).value();
    box_ = std::make_unique<security::SecretBox>(security::MasterKey::Generate());
    directory_ = std::make_unique<directory::Directory>(*store_, registry_, clock_);
    // The real engine, not started: its synchronous entry points (sync, status) are what
    // the API calls.
    engine_ = std::make_unique<provisioning::Engine>(*store_, *directory_, *box_, http_, clock_);
    ApiDeps deps{*store_, clock_, *box_};
    deps.engine = engine_.get();
    deps.password_params = security::PasswordParams::Minimal();
    deps.testers = testers_;
    RegisterApiRoutes(router_, deps);
  }
  void TearDown() override {
    engine_.reset();
    directory_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  TestResponse Send(const std::string& method, const std::string& target, const As& as = {},
                    const std::string& body = "") {
    http::Request r;
    r.method = method;
    r.target = target;
    size_t q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
      std::string rest = target.substr(q + 1);
      size_t pos = 0;
      while (pos <= rest.size()) {
        size_t amp = rest.find('&', pos);
        std::string kv = rest.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
        size_t eq = kv.find('=');
        r.query.emplace_back(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
        if (amp == std::string::npos) break;
        pos = amp + 1;
      }
    }
    if (!as.cookie.empty()) r.headers.emplace_back("Cookie", "provisio_session=" + as.cookie);
    if (!as.csrf.empty()) r.headers.emplace_back("X-CSRF-Token", as.csrf);
    if (!as.bearer.empty()) r.headers.emplace_back("Authorization", "Bearer " + as.bearer);
    r.body = body;
    r.remote_address = as.address;
    r.request_id = NewUuid();
    TestResponse out;
    auto match = target_->Find(method, r.path);
    if (!match.ok()) {
      out.status = match.error().code() == Code::kMethodNotAllowed ? 405 : 404;
      return out;
    }
    r.params = match->params;
    http::Response res = (*match->handler)(r);
    out.status = res.status;
    out.headers = res.headers;
    out.body = res.body;
    boost::system::error_code ec;
    if (!res.body.empty()) out.json = boost::json::parse(res.body, ec);
    return out;
  }

  store::AdminRecord AddAdmin(const std::string& email, const std::string& role,
                              const std::string& password = kPassword) {
    auto a = directory::CreateAdmin(*store_, clock_, {email, role, password},
                                    security::PasswordParams::Minimal());
    EXPECT_TRUE(a.ok()) << a.error().ToString();
    return *a;
  }

  As SignIn(const std::string& email, const std::string& password = kPassword) {
    auto r =
        Send("POST", "/api/v1/session", {},
             boost::json::serialize(boost::json::object{{"email", email}, {"password", password}}));
    EXPECT_EQ(r.status, 200) << r.body;
    As as;
    std::string cookie = r.Header("Set-Cookie");
    size_t eq = cookie.find('='), semi = cookie.find(';');
    as.cookie = cookie.substr(eq + 1, semi - eq - 1);
    as.csrf = r.json.is_object() ? std::string(r.json.at("csrf_token").as_string()) : "";
    return as;
  }

  static constexpr const char* kPassword = "correct horse battery staple";
  std::filesystem::path dir_ =
      std::filesystem::temp_directory_path() / ("provisio-api-" + NewUuid());
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<security::SecretBox> box_;
  scim::SchemaRegistry registry_ = scim::SchemaRegistry::WithCoreSchemas();
  std::unique_ptr<directory::Directory> directory_;
  http::Client http_;
  std::unique_ptr<provisioning::Engine> engine_;
  FakeClock clock_{FromMicros(1'700'000'000'000'000)};
  apps::ConnectionTesters testers_;
  http::Router router_;
  // Where Send goes: router_, or another node's router on the same store.
  http::Router* target_ = &router_;
};

}  // namespace provisio::api
