#include "emulators/common/serve.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <iostream>

#include "http/server.h"

namespace provisio::emulators {

int ServeUntilSignal(const ServeOptions& options, http::Router router,
                     const std::function<void()>& on_stop) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts

  auto colon = options.listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "--listen: HOST:PORT expected\n";
    return 2;
  }
  std::string host = options.listen.substr(0, colon);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  std::string_view port_text(options.listen.data() + colon + 1, options.listen.size() - colon - 1);
  auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || p != port_text.data() + port_text.size() || port > 65535) {
    std::cerr << "--listen: bad port\n";
    return 2;
  }
  http::ServerOptions so;
  so.host = host;
  so.port = static_cast<uint16_t>(port);
  so.worker_threads = options.worker_threads;
  so.max_body_bytes = 16u << 20;
  so.access_log = false;
  http::Server server(so, std::move(router));
  auto bound = server.Start();
  if (!bound.ok()) {
    std::cerr << "cannot listen on " << options.listen << ": " << bound.error().message() << "\n";
    return 1;
  }
  std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::cout << "listening on http://" << shown << ":" << *bound << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  server.Stop();
  if (on_stop) on_stop();
  return 0;
}

}  // namespace provisio::emulators
