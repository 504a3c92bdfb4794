// The server over real sockets on 127.0.0.1. The client is plain POSIX sockets (and OpenSSL
// for TLS) with receive timeouts, so a broken server fails a test instead of hanging it.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>

#include "core/ids.h"
#include "core/log.h"
#include "http/request.h"

namespace provisio::http {
namespace {

using namespace std::chrono_literals;

struct Reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::optional<std::string> Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (EqualsIgnoreCase(k, name)) return v;
    }
    return std::nullopt;
  }
  boost::json::value Json() const { return boost::json::parse(body); }
  std::string ErrorCode() const { return std::string(Json().at("error").at("code").as_string()); }
};

class Client {
 public:
  explicit Client(uint16_t port, SSL_CTX* tls = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};  // a hung server fails the test rather than hanging it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    if (connected_ && tls != nullptr) {
      ssl_ = SSL_new(tls);
      SSL_set_fd(ssl_, fd_);
      connected_ = SSL_connect(ssl_) == 1;
    }
  }
  ~Client() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    ::close(fd_);
  }
  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ssl_ != nullptr ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                                  : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // One response; nullopt on EOF, timeout or garbage. A reply to HEAD has no body.
  std::optional<Reply> Read(bool for_head = false) {
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    Reply r;
    if (head.size() < 12 || head.compare(0, 7, "HTTP/1.") != 0) return std::nullopt;
    r.status = std::stoi(head.substr(9, 3));
    size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
      size_t next = head.find("\r\n", pos + 2);
      std::string line = head.substr(pos + 2, next == std::string::npos ? next : next - pos - 2);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        r.headers.emplace_back(line.substr(0, colon), value);
      }
      pos = next;
    }
    size_t length = for_head ? 0 : std::stoul(r.Header("Content-Length").value_or("0"));
    while (buf_.size() < length) {
      if (!Fill()) return std::nullopt;
    }
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return r;
  }

  // True when the server closed the connection (EOF or reset) rather than leaving it open.
  bool ClosedByPeer() {
    if (!buf_.empty()) return false;
    char c;
    ssize_t n = ssl_ != nullptr ? SSL_read(ssl_, &c, 1) : ::recv(fd_, &c, 1, 0);
    if (n > 0) return false;
    return ssl_ != nullptr || n == 0 || errno == ECONNRESET;
  }

 private:
  bool Fill() {
    char chunk[16384];
    ssize_t n =
        ssl_ != nullptr ? SSL_read(ssl_, chunk, sizeof chunk) : ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  SSL* ssl_ = nullptr;
  bool connected_ = false;
  std::string buf_;
};

std::string Get(std::string_view path, std::string_view extra_headers = "") {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

// A started server with a few routes every test can use.
class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    options.port = 0;
    if (options.io_threads == 0) options.io_threads = 2;
    options.worker_threads = 4;
    Router router;
    router.Add("GET", "/healthz",
               [](Request&) {
                 return Response::Json(200, boost::json::object{{"status", "ok"}});
               },
               {.inline_io = true});
    router.Add("GET", "/metrics", [this](Request&) {
      return Response::Text(200, server_->metrics().RenderPrometheus(),
                            "text/plain; version=0.0.4");
    });
    router.Add("GET", "/echo/{id}", [](Request& req) {
      boost::json::object o;
      o["id"] = req.Param("id");
      o["path"] = req.path;
      o["q"] = req.Query("q").value_or("");
      o["request_id"] = req.request_id;
      o["log_request_id"] = log::CurrentRequestId();
      o["remote"] = req.remote_address;
      o["secure"] = req.secure;
      return Response::Json(200, o);
    });
    router.Add("POST", "/echo/{id}", [](Request& req) { return Response::Text(200, req.body); });
    router.Add("POST", "/small", [](Request& req) { return Response::Text(200, req.body); },
               {.max_body_bytes = 16});
    router.Add("GET", "/throw", [](Request&) -> Response { throw std::runtime_error("boom"); });
    router.Add("GET", "/slow", [this](Request&) {
      slow_started_ = true;
      std::this_thread::sleep_for(300ms);
      return Response::Text(200, "done");
    });
    router.Add("GET", "/status/{code}", [](Request& req) {
      return Response::Text(std::stoi(std::string(req.Param("code"))), "");
    });
    router.Add("GET", "/cookie", [](Request&) {
      Response r = Response::NoContent();
      r.AddHeader("Set-Cookie", "a=1");
      r.AddHeader("Set-Cookie", "b=2");
      return r;
    });
    server_ = std::make_unique<Server>(std::move(options), std::move(router));
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.error().ToString();
    port_ = *port;
  }
  void SetUp() override {}

  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::atomic<bool> slow_started_{false};
};

TEST_F(ServerTest, ServesGetWithStandardHeaders) {
  StartServer();
  Client c(port_);
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(Get("/healthz")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"status":"ok"})");
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_EQ(r->Header("Server"), "provisio");
  ASSERT_TRUE(r->Header("Date"));
  EXPECT_NE(r->Header("Date")->find(" GMT"), std::string::npos);
  ASSERT_TRUE(r->Header("X-Request-Id"));
  EXPECT_TRUE(IsUuid(*r->Header("X-Request-Id")));
}

TEST_F(ServerTest, DecodesParamsAndQueryForWorkerHandlers) {
  StartServer();
  Client c(port_);
  ASSERT_TRUE(c.Send(Get("/echo/a%20b?q=x+y%26z")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto j = r->Json();
  EXPECT_EQ(j.at("id").as_string(), "a b");
  EXPECT_EQ(j.at("path").as_string(), "/echo/a b");
  EXPECT_EQ(j.at("q").as_string(), "x y&z");
  EXPECT_EQ(j.at("remote").as_string(), "127.0.0.1");
  EXPECT_FALSE(j.at("secure").as_bool());
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartServer({.io_threads = 1});  // one I/O thread: connections share the io_context
  Client c(port_);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.Send(Get("/healthz")));
    auto r = c.Read();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->Header("Connection"), "close");
  }
  // Pipelined: two requests in one write, answered in order.
  ASSERT_TRUE(c.Send(Get("/echo/1") + Get("/echo/2")));
  auto a = c.Read();
  auto b = c.Read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->Json().at("id").as_string(), "1");
  EXPECT_EQ(b->Json().at("id").as_string(), "2");
  EXPECT_EQ(server_->metrics().connections_active(), 1);
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAliveAsked) {
  StartServer();
  {
    Client c(port_);
    ASSERT_TRUE(c.Send("GET /healthz HTTP/1.0\r\n\r\n"));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(c.ClosedByPeer());
  }
  Client c(port_);
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  ASSERT_TRUE(c.Read());
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowedAreJsonErrors) {
  StartServer();
  Client c(port_);
  ASSERT_TRUE(c.Send(Get("/nope")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->ErrorCode(), "not_found");
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  ASSERT_TRUE(c.Send("DELETE /echo/1 HTTP/1.1\r\nHost: t\r\n\r\n"));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->ErrorCode(), "method_not_allowed");
  EXPECT_EQ(r->Header("Allow"), "GET, POST");
  EXPECT_EQ(r->Json().at("error").at("details").at("allow").as_string(), "GET, POST");
  // The connection is still usable.
  ASSERT_TRUE(c.Send(Get("/healthz")));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, HeadIsAnsweredLikeGetWithoutTheBody) {
  StartServer();
  Client c(port_);
  ASSERT_TRUE(c.Send("HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto r = c.Read(/*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Length"), "15");
  // Had the body been sent, it would now be read in place of this response.
  ASSERT_TRUE(c.Send(Get("/healthz")));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"status":"ok"})");
}

TEST_F(ServerTest, InvalidHandlerStatusBecomes500) {
  StartServer();
  Client c(port_);
  ASSERT_TRUE(c.Send(Get("/status/1000")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  ASSERT_TRUE(c.Send(Get("/status/299")));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 299);
}

TEST_F(ServerTest, PostBodyReachesTheHandler) {
  StartServer();
  Client c(port_);
  ASSERT_TRUE(c.Send("POST /echo/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello");
  ASSERT_TRUE(
      c.Send("POST /echo/1 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
             "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "abcde");
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
  StartServer();
  Client c(port_);
  ASSERT_TRUE(c.Send(
      "POST /echo/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = c.Read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.Send("ok"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok");
}

TEST_F(ServerTest, BodyOverLimitIs413ByContentLengthAndChunked) {
  StartServer({.max_body_bytes = 64});
  {
    Client c(port_);
    ASSERT_TRUE(c.Send("POST /echo/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n"));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(r->ErrorCode(), "payload_too_large");
    EXPECT_EQ(r->Header("Connection"), "close");
  }
  {
    Client c(port_);
    std::string chunk(40, 'x');
    std::string req = "POST /echo/1 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 4; ++i) req += "28\r\n" + chunk + "\r\n";
    req += "0\r\n\r\n";
    ASSERT_TRUE(c.Send(req));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(r->ErrorCode(), "payload_too_large");
  }
  {
    // A route's own limit wins over the server default.
    Client c(port_);
    ASSERT_TRUE(c.Send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 17\r\n\r\n" +
                       std::string(17, 'y')));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
  }
  Client c(port_);
  ASSERT_TRUE(c.Send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 16\r\n\r\n" +
                     std::string(16, 'y')));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, OversizedHeaderIs431) {
  StartServer({.max_header_bytes = 1024});
  Client c(port_);
  ASSERT_TRUE(c.Send(Get("/healthz", "X-Big: " + std::string(2000, 'a') + "\r\n")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->ErrorCode(), "invalid_argument");
}

TEST_F(ServerTest, HalfARequestThenSilenceIs408) {
  StartServer({.read_timeout = 200ms});
  Client c(port_);
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\nHost: t\r\n"));  // no blank line: stalls
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_EQ(r->ErrorCode(), "timeout");
  EXPECT_TRUE(r->Header("X-Request-Id"));
  EXPECT_TRUE(c.ClosedByPeer());
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedSilently) {
  StartServer({.idle_timeout = 200ms});
  Client c(port_);
  ASSERT_TRUE(c.Send(Get("/healthz")));
  ASSERT_TRUE(c.Read());
  EXPECT_TRUE(c.ClosedByPeer());  // no response bytes, just the close
}

TEST_F(ServerTest, MalformedRequestIs400AndOthersAreStillServed) {
  StartServer();
  {
    Client c(port_);
    ASSERT_TRUE(c.Send("THIS IS NOT HTTP\r\n\r\n"));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(r->ErrorCode(), "invalid_argument");
    EXPECT_TRUE(c.ClosedByPeer());
  }
  {
    Client c(port_);
    ASSERT_TRUE(c.Send(Get("/echo/%zz")));
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
  }
  Client c(port_);
  ASSERT_TRUE(c.Send(Get("/healthz")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, HandlerThatThrowsIs500AndTheServerLives) {
  StartServer();
  Client c(port_);
  ASSERT_TRUE(c.Send(Get("/throw")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->ErrorCode(), "internal");
  EXPECT_EQ(r->body.find("boom"), std::string::npos);  // no internals leak to the client
  ASSERT_TRUE(c.Send(Get("/healthz")));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, RequestIdIsTakenWhenSaneAndSeenByHandlerLogs) {
  StartServer();
  Client c(port_);
  ASSERT_TRUE(c.Send(Get("/echo/1", "X-Request-Id: trace-abc-123\r\n")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("X-Request-Id"), "trace-abc-123");
  EXPECT_EQ(r->Json().at("request_id").as_string(), "trace-abc-123");
  EXPECT_EQ(r->Json().at("log_request_id").as_string(), "trace-abc-123");

  ASSERT_TRUE(c.Send(Get("/echo/1", "X-Request-Id: " + std::string(129, 'a') + "\r\n")));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_TRUE(IsUuid(r->Header("X-Request-Id").value_or("")));
  ASSERT_TRUE(c.Send(Get("/echo/1", "X-Request-Id: has space\r\n")));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_TRUE(IsUuid(r->Header("X-Request-Id").value_or("")));
  EXPECT_EQ(r->Json().at("request_id").as_string(), *r->Header("X-Request-Id"));
}

TEST_F(ServerTest, RepeatedHeadersAreKept) {
  StartServer();
  Client c(port_);
  ASSERT_TRUE(c.Send(Get("/cookie")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  int cookies = 0;
  for (const auto& [k, v] : r->headers) cookies += EqualsIgnoreCase(k, "Set-Cookie") ? 1 : 0;
  EXPECT_EQ(cookies, 2);
}

TEST_F(ServerTest, MetricsCountRequestsByRoutePattern) {
  StartServer();
  Client c(port_);
  for (const char* path : {"/healthz", "/healthz", "/echo/1", "/echo/2", "/missing"}) {
    ASSERT_TRUE(c.Send(Get(path)));
    ASSERT_TRUE(c.Read());
  }
  ASSERT_TRUE(c.Send(Get("/metrics")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const std::string& m = r->body;
  EXPECT_NE(
      m.find("provisio_http_requests_total{route=\"/healthz\",method=\"GET\",code=\"200\"} 2\n"),
      std::string::npos)
      << m;
  EXPECT_NE(
      m.find("provisio_http_requests_total{route=\"/echo/{id}\",method=\"GET\",code=\"200\"} 2\n"),
      std::string::npos);
  EXPECT_NE(m.find("route=\"(unmatched)\",method=\"GET\",code=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(
      m.find("provisio_http_request_duration_seconds_count{route=\"/healthz\",method=\"GET\"} 2\n"),
      std::string::npos);
  EXPECT_NE(m.find("provisio_http_connections_active 1\n"), std::string::npos);
  EXPECT_EQ(m.find("/echo/1"), std::string::npos);  // raw paths never become labels
}

TEST_F(ServerTest, GracefulStopFinishesInFlightAndRefusesNewConnections) {
  StartServer();
  Client idle(port_);  // an idle keep-alive connection must not hold up the stop
  ASSERT_TRUE(idle.Send(Get("/healthz")));
  ASSERT_TRUE(idle.Read());
  Client c(port_);
  ASSERT_TRUE(c.Send(Get("/slow")));
  for (int i = 0; i < 500 && !slow_started_; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(slow_started_);
  std::thread stopper([&] { server_->Stop(); });
  auto r = c.Read();
  stopper.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "done");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(idle.ClosedByPeer());
  Client late(port_);
  EXPECT_FALSE(late.connected());
  server_->Stop();  // idempotent
  server_->Wait();  // returns at once
}

TEST_F(ServerTest, StopFromInsideAHandlerDoesNotDeadlock) {
  ServerOptions options;
  options.port = 0;
  Router router;
  Server* self = nullptr;
  router.Add("POST", "/shutdown", [&self](Request&) {
    self->Stop();
    return Response::Text(202, "bye");
  });
  Server server(options, std::move(router));
  self = &server;
  auto port = server.Start();
  ASSERT_TRUE(port.ok());
  Client c(*port);
  ASSERT_TRUE(c.Send("POST /shutdown HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202);
  server.Wait();
  Client late(*port);
  EXPECT_FALSE(late.connected());
}

TEST(ServerStartTest, BindFailureIsAnError) {
  Server first({.port = 0}, Router());
  auto port = first.Start();
  ASSERT_TRUE(port.ok());
  Server second({.port = *port}, Router());
  auto again = second.Start();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), Code::kUnavailable);
  EXPECT_FALSE(first.Start().ok());  // once only
}

TEST(ServerStartTest, TlsNeedsBothFilesThatExist) {
  Server half({.port = 0, .tls_cert_file = "/nonexistent.pem"}, Router());
  EXPECT_EQ(half.Start().error().code(), Code::kInvalidArgument);
  Server missing({.port = 0, .tls_cert_file = "/nonexistent.pem", .tls_key_file = "/nope.pem"},
                 Router());
  EXPECT_EQ(missing.Start().error().code(), Code::kInvalidArgument);
}

// A throwaway self-signed P-256 certificate for 127.0.0.1, written as PEM files.
struct SelfSigned {
  std::filesystem::path dir, cert, key;
  SelfSigned() {
    dir = std::filesystem::temp_directory_path() / ("provisio-http-tls-" + NewUuid());
    std::filesystem::create_directories(dir);
    cert = dir / "cert.pem";
    key = dir / "key.pem";
    EVP_PKEY* pkey = EVP_EC_gen("P-256");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, pkey);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509_sign(x, pkey, EVP_sha256());
    FILE* f = std::fopen(cert.c_str(), "w");
    PEM_write_X509(f, x);
    std::fclose(f);
    f = std::fopen(key.c_str(), "w");
    PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(x);
    EVP_PKEY_free(pkey);
  }
  ~SelfSigned() { std::filesystem::remove_all(dir); }
};

TEST_F(ServerTest, ServesHttpsWithACertificate) {
  SelfSigned certs;
  StartServer({.tls_cert_file = certs.cert.string(), .tls_key_file = certs.key.string()});
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  ASSERT_EQ(SSL_CTX_load_verify_locations(ctx, certs.cert.c_str(), nullptr), 1);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  {
    Client c(port_, ctx);
    ASSERT_TRUE(c.connected()) << ERR_error_string(ERR_get_error(), nullptr);
    for (int i = 0; i < 2; ++i) {  // keep-alive over TLS
      ASSERT_TRUE(c.Send(Get("/echo/tls")));
      auto r = c.Read();
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 200);
      EXPECT_TRUE(r->Json().at("secure").as_bool());
    }
  }
  {
    Client plain(port_);  // plaintext HTTP to the TLS port gets nothing useful
    ASSERT_TRUE(plain.Send(Get("/healthz")));
    EXPECT_FALSE(plain.Read());
  }
  SSL_CTX_free(ctx);
}

}  // namespace
}  // namespace provisio::http
