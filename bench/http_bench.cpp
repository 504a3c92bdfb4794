// HTTP server throughput on loopback: provisio::http::Server against a minimal Beast
// coroutine server (the baseline) answering the same /healthz body, both with one I/O thread,
// driven by blocking keep-alive clients (one per benchmark thread).
//
//   bench_http                                  Google Benchmark run (see RESULTS-http.md)
//   bench_http --serve PORT [IO_THREADS]        provisio server with /healthz until killed
//   bench_http --serve-baseline PORT            the baseline server until killed
// The two --serve modes exist so wrk can drive the same build.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "http/server.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::string_view kBody = R"({"status":"ok"})";

provisio::http::Router BenchRouter() {
  provisio::http::Router router;
  router.Add("GET", "/healthz",
             [](provisio::http::Request&) {
               return provisio::http::Response::Json(200, boost::json::object{{"status", "ok"}});
             },
             {.inline_io = true});
  // The same answer through the worker pool: measures the hand-off to and from the pool.
  router.Add("GET", "/pooled", [](provisio::http::Request&) {
    return provisio::http::Response::Json(200, boost::json::object{{"status", "ok"}});
  });
  return router;
}

std::unique_ptr<provisio::http::Server> StartProvisio(uint16_t& port, size_t io_threads) {
  provisio::http::ServerOptions options;
  options.port = port;
  options.io_threads = io_threads;
  options.worker_threads = 4;
  options.access_log = false;
  auto server = std::make_unique<provisio::http::Server>(options, BenchRouter());
  auto bound = server->Start();
  if (!bound.ok()) {
    std::cerr << bound.error().ToString() << "\n";
    std::exit(1);
  }
  port = *bound;
  return server;
}

// The baseline: the smallest sensible Beast coroutine server, one I/O thread.
class BaselineServer {
 public:
  explicit BaselineServer(uint16_t port)
      : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)) {
    asio::co_spawn(ioc_, Accept(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~BaselineServer() {
    ioc_.stop();
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::awaitable<void> Accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket s =
          co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      asio::co_spawn(ioc_, Session(std::move(s)), asio::detached);
    }
  }
  static asio::awaitable<void> Session(tcp::socket s) {
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    s.set_option(tcp::no_delay(true), ec);
    for (;;) {
      bhttp::request<bhttp::string_body> req;
      co_await bhttp::async_read(s, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      bhttp::response<bhttp::string_body> res{bhttp::status::ok, req.version()};
      res.set(bhttp::field::server, "baseline");
      res.set(bhttp::field::content_type, "application/json");
      res.body() = std::string(kBody);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      co_await bhttp::async_write(s, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !res.keep_alive()) co_return;
    }
  }

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

// Servers shared by all benchmark threads, started on first use.
struct Servers {
  Servers()
      : provisio(StartProvisio(provisio_port, 1)), baseline(std::make_unique<BaselineServer>(0)) {}
  uint16_t provisio_port = 0;
  std::unique_ptr<provisio::http::Server> provisio;
  std::unique_ptr<BaselineServer> baseline;
};

Servers& Shared() {
  static Servers servers;
  return servers;
}

// One keep-alive connection; Round() sends a GET and reads the whole response.
class KeepAliveClient {
 public:
  KeepAliveClient(uint16_t port, std::string_view path) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    socket_.set_option(tcp::no_delay(true));
    request_ = "GET " + std::string(path) + " HTTP/1.1\r\nHost: bench\r\n\r\n";
  }
  bool Round() {
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(request_), ec);
    if (ec) return false;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(socket_, buffer_, res, ec);
    return !ec && res.result_int() == 200 && res.body() == kBody;
  }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::string request_;
};

void Drive(benchmark::State& state, uint16_t port, std::string_view path) {
  KeepAliveClient client(port, path);
  for (auto _ : state) {
    if (!client.Round()) {
      state.SkipWithError("request failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Baseline(benchmark::State& state) { Drive(state, Shared().baseline->port(), "/healthz"); }
void BM_ProvisioInline(benchmark::State& state) {
  Drive(state, Shared().provisio_port, "/healthz");
}
void BM_ProvisioPooled(benchmark::State& state) { Drive(state, Shared().provisio_port, "/pooled"); }

BENCHMARK(BM_Baseline)->Threads(1)->Threads(8)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_ProvisioInline)->Threads(1)->Threads(8)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_ProvisioPooled)->Threads(1)->Threads(8)->UseRealTime()->MinTime(2.0);

int Serve(int argc, char** argv) {
  uint16_t port = argc > 2 ? static_cast<uint16_t>(std::atoi(argv[2])) : 8080;
  if (std::string_view(argv[1]) == "--serve-baseline") {
    BaselineServer server(port);
    std::cout << "baseline listening on 127.0.0.1:" << server.port() << std::endl;
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
  }
  size_t io_threads = argc > 3 ? static_cast<size_t>(std::atoi(argv[3])) : 1;
  auto server = StartProvisio(port, io_threads);
  std::cout << "provisio listening on 127.0.0.1:" << port << std::endl;
  server->Wait();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 &&
      (std::string_view(argv[1]) == "--serve" || std::string_view(argv[1]) == "--serve-baseline")) {
    return Serve(argc, argv);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
