// The client against our own server on 127.0.0.1:0: the wire, keep-alive, limits, timeouts,
// TLS verification and redaction in logs.
#include "http/client.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>

#include "http/client_asio.h"
#include "http/client_redact.h"
#include "http/server.h"

namespace provisio::http {
namespace {

using namespace std::chrono_literals;

HttpRequest Req(std::string url, std::string method = "GET") {
  HttpRequest r;
  r.url = std::move(url);
  r.method = std::move(method);
  return r;
}

HttpRequest WithTimeout(HttpRequest r, std::chrono::milliseconds t) {
  r.timeout = t;
  return r;
}

bool TestSecretName(std::string_view name) {
  return name == "access_token" || name == "api_key" || name == "X-Api-Key";
}

class ClientTest : public testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    Router router;
    router.Add("*", "/echo", [this](Request& req) {
      {
        std::lock_guard lock(mu_);
        last_ = req;
      }
      Response r = Response::Text(200, req.method + " " + req.target + " " + req.body);
      r.SetHeader("X-Echo", "yes");
      return r;
    });
    router.Add("GET", "/slow", [](Request&) {
      std::this_thread::sleep_for(1500ms);
      return Response::Text(200, "late");
    });
    router.Add("GET", "/big",
               [](Request&) { return Response::Text(200, std::string(10000, 'x')); });
    router.Add("GET", "/status/{code}", [](Request& req) {
      return Response::Text(std::stoi(std::string(req.Param("code"))), "s");
    });
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 1;
    options.worker_threads = 4;
    options.access_log = false;
    options.drain_timeout = 100ms;
    server_ = std::make_unique<Server>(options, std::move(router));
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.error().ToString();
    base_ = std::string(options.tls_cert_file.empty() ? "http" : "https") +
            "://127.0.0.1:" + std::to_string(*port);
  }
  void SetUp() override { StartServer(); }

  Request Last() {
    std::lock_guard lock(mu_);
    return last_;
  }

  std::unique_ptr<Server> server_;
  std::string base_;
  std::mutex mu_;
  Request last_;
};

TEST_F(ClientTest, SendsMethodTargetHeadersAndBody) {
  Client client;
  HttpRequest req;
  req.method = "PATCH";
  req.url = base_ + "/echo?filter=userName%20eq%20%22a%22";
  req.SetHeader("Content-Type", "application/scim+json");
  req.body = R"({"a":1})";
  auto r = client.Send(req);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("x-echo").value_or(""), "yes");
  EXPECT_EQ(r->body, "PATCH /echo?filter=userName%20eq%20%22a%22 {\"a\":1}");
  Request seen = Last();
  EXPECT_EQ(seen.Header("Content-Type").value_or(""), "application/scim+json");
  EXPECT_EQ(seen.Query("filter").value_or(""), "userName eq \"a\"");
  EXPECT_FALSE(seen.Header("Expect").has_value());
}

TEST_F(ClientTest, DeleteWithoutBodyAndPostWithEmptyBody) {
  Client client;
  auto del = client.Send(Req(base_ + "/echo", "DELETE"));
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->body, "DELETE /echo ");
  auto post = client.Send(Req(base_ + "/echo", "POST"));
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->body, "POST /echo ");
}

TEST_F(ClientTest, ErrorStatusesAreResponsesNotErrors) {
  Client client;
  auto r = client.Send(Req(base_ + "/status/503"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
}

TEST_F(ClientTest, ReusesOneKeptAliveConnection) {
  Client client;
  for (int i = 0; i < 20; ++i) {
    auto r = client.Send(Req(base_ + "/echo"));
    ASSERT_TRUE(r.ok());
  }
  EXPECT_EQ(server_->metrics().connections_active(), 1);
}

TEST_F(ClientTest, ManyConcurrentSubmitsAllComplete) {
  Client client;
  constexpr int kCount = 300;
  std::atomic<int> ok{0};
  std::atomic<int> done{0};
  for (int i = 0; i < kCount; ++i) {
    client.Submit(Req(base_ + "/echo?i=" + std::to_string(i)), [&](Result<HttpResponse> r) {
      if (r.ok() && r->status == 200) ok.fetch_add(1);
      done.fetch_add(1);
      done.notify_all();
    });
  }
  for (int d = done.load(); d < kCount; d = done.load()) done.wait(d);
  EXPECT_EQ(ok.load(), kCount);
}

TEST_F(ClientTest, TotalTimeoutIsAnError) {
  Client client;
  auto r = client.Send(WithTimeout(Req(base_ + "/slow"), 200ms));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kTimeout);
}

TEST_F(ClientTest, ResponseSizeLimitAborts) {
  Client client;
  HttpRequest small = Req(base_ + "/big");
  small.max_response_bytes = 1000;
  auto r = client.Send(small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kPayloadTooLarge);
  small.max_response_bytes = 10000;
  auto fits = client.Send(small);
  ASSERT_TRUE(fits.ok());
}

TEST_F(ClientTest, ConnectionRefusedIsUnavailable) {
  Client client;
  server_->Stop();
  HttpRequest req = Req(base_ + "/echo");
  req.connect_timeout = 1000ms;
  auto r = client.Send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kUnavailable);
}

TEST_F(ClientTest, AwaitableFromACoroutine) {
  Client client;
  boost::asio::io_context io;
  std::string body;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        auto r = co_await AsyncSend(client, Req(base_ + "/echo?x=1"));
        if (r.ok()) body = r->body;
      },
      boost::asio::detached);
  io.run();
  EXPECT_EQ(body, "GET /echo?x=1 ");
}

TEST_F(ClientTest, DestructionFailsRequestsInFlight) {
  std::atomic<int> code{-1};
  {
    Client client;
    client.Submit(Req(base_ + "/slow"), [&](Result<HttpResponse> r) {
      code = r.ok() ? 0 : static_cast<int>(r.error().code());
    });
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(code.load(), static_cast<int>(Code::kUnavailable));
}

TEST(ClientRedactTest, RedactsSecretQueryValuesAndUserinfo) {
  EXPECT_EQ(RedactUrl("https://u:pw@h.example/p?access_token=abc&x=1#frag", TestSecretName),
            "https://u:[redacted]@h.example/p?access_token=[redacted]&x=1");
  EXPECT_EQ(RedactUrl("http://h/p?api%5Fkey=abc&flag", TestSecretName),
            "http://h/p?api%5Fkey=[redacted]&flag");
  EXPECT_EQ(RedactUrl("http://h/p?x=1", nullptr), "http://h/p?x=[redacted]");
  EXPECT_EQ(RedactUrl("http://h/p", nullptr), "http://h/p");
  EXPECT_EQ(RedactHeader("authorization", "Bearer s", TestSecretName), "[redacted]");
  EXPECT_EQ(RedactHeader("X-Api-Key", "s", TestSecretName), "[redacted]");
  EXPECT_EQ(RedactHeader("Content-Type", "a/b", TestSecretName), "a/b");
  EXPECT_EQ(RedactHeader("Content-Type", "a/b", nullptr), "[redacted]");
}

// Captures everything logged (trace level) while it lives.
class LogCapture {
 public:
  LogCapture() {
    previous_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string Text() { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(ClientTest, NoSecretInAnyLogLine) {
  LogCapture capture;
  ClientOptions options;
  options.is_secret_name = TestSecretName;
  {
    Client client(options);
    HttpRequest req = Req(base_ + "/echo?access_token=tok-SECRET-1&page=2");
    req.SetHeader("Authorization", "Bearer tok-SECRET-2");
    req.SetHeader("X-Api-Key", "tok-SECRET-3");
    ASSERT_TRUE(client.Send(req).ok());
    HttpRequest failing = WithTimeout(Req(base_ + "/slow?access_token=tok-SECRET-4"), 100ms);
    failing.SetHeader("Authorization", "Basic tok-SECRET-5");
    ASSERT_FALSE(client.Send(failing).ok());
  }
  std::string text = capture.Text();
  EXPECT_EQ(text.find("tok-SECRET"), std::string::npos) << text;
  EXPECT_NE(text.find("access_token=[redacted]&page=2"), std::string::npos) << text;
  EXPECT_NE(text.find("Authorization: [redacted]"), std::string::npos) << text;
}

class TlsClientTest : public ClientTest {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("provisio-client-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::string cmd =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout " +
        (dir_ / "key.pem").string() + " -out " + (dir_ / "cert.pem").string() + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    ServerOptions options;
    options.tls_cert_file = (dir_ / "cert.pem").string();
    options.tls_key_file = (dir_ / "key.pem").string();
    StartServer(options);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(TlsClientTest, VerifiesCertificatesByDefault) {
  Client client;
  auto r = client.Send(Req(base_ + "/echo"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInternal) << r.error().ToString();
}

TEST_F(TlsClientTest, TrustsAConfiguredCaBundle) {
  ClientOptions options;
  options.ca_bundle = (dir_ / "cert.pem").string();
  Client client(options);
  auto r = client.Send(Req(base_ + "/echo"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
}

TEST_F(TlsClientTest, SkippingVerificationWorksAndIsLoud) {
  LogCapture capture;
  {
    Client client;
    HttpRequest req = Req(base_ + "/echo");
    req.insecure_skip_verify = true;
    auto r = client.Send(req);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
  EXPECT_NE(capture.Text().find("TLS certificate verification is OFF"), std::string::npos);
}

}  // namespace
}  // namespace provisio::http
