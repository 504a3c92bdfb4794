// The HTTP/1.1 server: Boost.Beast over Asio with C++20 coroutines, optional TLS. Handlers
// see only Request/Response; they run on a blocking worker pool unless a route is inline_io.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/metrics.h"
#include "http/router.h"

namespace provisio::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;                 // 0 = pick a free one
  size_t io_threads = 0;                // 0 = hardware_concurrency
  size_t worker_threads = 0;            // blocking handler pool; 0 = 2*hardware_concurrency, min 4
  size_t max_body_bytes = 1 << 20;      // larger -> 413
  size_t max_header_bytes = 16 * 1024;  // larger -> 431
  // A request must arrive complete this long after its first byte, else 408.
  std::chrono::milliseconds read_timeout{30000};
  // A keep-alive connection with no request in progress is closed after this, silently.
  std::chrono::milliseconds idle_timeout{60000};
  // Stop() waits this long for in-flight requests before closing everything.
  std::chrono::milliseconds drain_timeout{10000};
  size_t max_connections = 10000;  // beyond: accepted and closed at once
  std::string tls_cert_file{};     // PEM chain; with tls_key_file -> HTTPS
  std::string tls_key_file{};      // PEM private key
  bool access_log = true;          // one spdlog info line per request
};

class Server {
 public:
  Server(ServerOptions options, Router router);
  ~Server();  // Stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads; the bound port. Once only.
  Result<uint16_t> Start();
  // Graceful: stop accepting, let in-flight requests finish (up to drain_timeout), close idle
  // keep-alive connections, join threads. Idempotent, callable from any thread; from inside
  // a handler it only begins the shutdown (Wait() or the destructor finishes it).
  void Stop();
  // Blocks until the server has stopped (returns at once if it never started).
  void Wait();
  Metrics& metrics();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace provisio::http
