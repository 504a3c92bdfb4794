#include "http/server.h"

// g++ 12 reports a false -Wmismatched-new-delete when it inlines Asio's coroutine frame
// allocator (operator new paired with its own recycling free).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/ids.h"
#include "core/log.h"
#include "http/target.h"

namespace provisio::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Strand = asio::strand<asio::io_context::executor_type>;
using TlsStream = asio::ssl::stream<tcp::socket>;

constexpr size_t kMaxRequestIdLength = 128;
constexpr size_t kLingerBytes = 1 << 20;  // read and drop at most this much before closing
constexpr std::chrono::milliseconds kLingerTime{1000};
const std::string kUnmatchedRoute = "(unmatched)";

// The handler being run on this thread belongs to this server (Stop() must not join itself).
thread_local const void* t_running_server = nullptr;

tcp::socket& Lowest(tcp::socket& s) { return s; }
tcp::socket& Lowest(TlsStream& s) { return s.next_layer(); }

// RFC 7231 IMF-fixdate, cached per second per thread.
const std::string& HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_second || cached.empty()) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    cached = buf;
    cached_second = now;
  }
  return cached;
}

bool SaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// The raw path part of a target: safe to log (no query, so no tokens; no decoded CR/LF).
std::string_view LoggablePath(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// Per-connection state shared by the session, its watchdog and Stop(). Touched only on the
// connection's strand.
struct Conn {
  explicit Conn(const asio::any_io_executor& s) : strand(s), timer(s) {}
  asio::any_io_executor strand;  // a strand, or the io_context itself with one I/O thread
  asio::steady_timer timer;
  Clock::time_point deadline = Clock::time_point::max();
  tcp::socket* socket = nullptr;  // null once the session has ended
  bool timed_out = false;
  bool idle = false;     // waiting for the first byte of a request
  bool closing = false;  // the server is stopping: finish the current request, then close

  // Pending socket operations fail with operation_aborted after `d`.
  void Arm(Clock::duration d) {
    Clock::time_point next = Clock::now() + d;
    bool earlier = next < timer.expiry();
    deadline = next;
    timed_out = false;
    if (earlier) timer.cancel();
  }
  void Disarm() { deadline = Clock::time_point::max(); }
};

// Cancels the connection's socket operations once its deadline passes. The timer never
// sleeps longer than `tick` (the shortest timeout Arm() is given on the request path), so a
// new deadline is almost never earlier than the pending expiry and Arm() rarely has to
// cancel the timer: per request the watchdog costs nothing.
asio::awaitable<void> Watchdog(std::shared_ptr<Conn> c, Clock::duration tick) {
  while (c->socket != nullptr) {
    c->timer.expires_at(std::min(c->deadline, Clock::now() + tick));
    boost::system::error_code ec;
    co_await c->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (c->socket == nullptr) break;
    if (c->deadline <= Clock::now()) {
      c->timed_out = true;
      c->deadline = Clock::time_point::max();
      c->socket->cancel(ec);
    }
  }
}

Response ErrorResponse(Code code, std::string message, int status_override = 0) {
  Response r = Response::FromError(Error(code, std::move(message)));
  if (status_override != 0) r.status = status_override;
  return r;
}

// How a failed read ends the connection: silently, or with an error response.
std::optional<Response> ReadFailureResponse(const boost::system::error_code& ec, bool timed_out) {
  if (timed_out) return ErrorResponse(Code::kTimeout, "request not received in time");
  if (ec == bhttp::error::body_limit) {
    return ErrorResponse(Code::kPayloadTooLarge, "request body too large");
  }
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    return ErrorResponse(Code::kInvalidArgument, "request header too large", 431);
  }
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return {};
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return ErrorResponse(Code::kInvalidArgument, "malformed HTTP request: " + ec.message());
  }
  return {};  // socket errors, peer gone
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Router r) : options(std::move(o)), router(std::move(r)) {}

  ServerOptions options;
  Router router;
  Metrics metrics;
  asio::io_context ioc;
  std::optional<asio::thread_pool> pool;  // declared after ioc: destroyed (joined) first
  std::optional<asio::ssl::context> tls;
  std::optional<Strand> accept_strand;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> io_threads;
  size_t io_thread_count = 0;  // set before the threads start

  std::mutex mu;
  std::condition_variable cv;
  std::unordered_set<std::shared_ptr<Conn>> conns;                                 // guarded by mu
  enum class State { kIdle, kRunning, kStopping, kStopped } state = State::kIdle;  // mu
  std::thread stopper;
  std::atomic<bool> stopping{false};

  bool Stopping() const { return stopping.load(std::memory_order_relaxed); }

  Result<uint16_t> Start();
  void BeginStop();
  void DrainAndJoin();

  asio::awaitable<void> AcceptLoop();
  template <typename Stream>
  asio::awaitable<void> Session(Stream& stream, std::shared_ptr<Conn> c, std::string remote,
                                bool secure);
  asio::awaitable<void> Serve(tcp::socket socket, std::shared_ptr<Conn> c);
  template <typename Stream>
  asio::awaitable<bool> Write(Stream& stream, Conn& c, Response r, unsigned version,
                              bool keep_alive, const std::string& request_id, bool head = false);
  template <typename Stream>
  asio::awaitable<void> Close(Stream& stream, Conn& c, bool linger);
  Response Invoke(const Handler& handler, Request& request);
  asio::awaitable<Response> InvokeOnPool(const Handler* handler, Request* request);
  void Finish(std::string_view method, std::string_view target, std::string_view route, int status,
              size_t bytes, Clock::time_point started, const std::string& id);
};

Result<uint16_t> Server::Impl::Start() {
  {
    std::lock_guard lock(mu);
    if (state != State::kIdle) return Error(Code::kConflict, "server already started");
    state = State::kRunning;
  }
  auto fail = [&](Error e) {
    std::lock_guard lock(mu);
    state = State::kStopped;
    cv.notify_all();
    return e;
  };
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
      return fail(Error::InvalidArgument("TLS needs both a certificate and a key file"));
    }
    tls.emplace(asio::ssl::context::tls_server);
    boost::system::error_code ec;
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use,
                     ec);
    if (!ec) tls->use_certificate_chain_file(options.tls_cert_file, ec);
    if (ec) return fail(Error::InvalidArgument("TLS certificate: " + ec.message()));
    tls->use_private_key_file(options.tls_key_file, asio::ssl::context::pem, ec);
    if (ec) return fail(Error::InvalidArgument("TLS private key: " + ec.message()));
  }

  boost::system::error_code ec;
  tcp::endpoint endpoint;
  asio::ip::address address = asio::ip::make_address(options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options.port);
  } else {
    tcp::resolver resolver(ioc);
    auto results = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec || results.empty()) {
      return fail(Error::InvalidArgument("cannot resolve listen host " + options.host));
    }
    endpoint = results.begin()->endpoint();
  }
  accept_strand.emplace(asio::make_strand(ioc));
  acceptor.emplace(*accept_strand);
  std::string where = options.host + ":" + std::to_string(options.port);
  if (acceptor->open(endpoint.protocol(), ec); ec) {
    return fail(Error::Unavailable("open " + where + ": " + ec.message()));
  }
  acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor->bind(endpoint, ec); ec) {
    return fail(Error::Unavailable("bind " + where + ": " + ec.message()));
  }
  if (acceptor->listen(asio::socket_base::max_listen_connections, ec); ec) {
    return fail(Error::Unavailable("listen " + where + ": " + ec.message()));
  }
  uint16_t port = acceptor->local_endpoint().port();

  size_t hw = std::max<size_t>(1, std::thread::hardware_concurrency());
  size_t n_io = options.io_threads != 0 ? options.io_threads : hw;
  io_thread_count = n_io;
  size_t n_workers =
      options.worker_threads != 0 ? options.worker_threads : std::max<size_t>(4, 2 * hw);
  pool.emplace(n_workers);
  work.emplace(ioc.get_executor());
  asio::co_spawn(*accept_strand, AcceptLoop(), asio::detached);
  for (size_t i = 0; i < n_io; ++i) {
    io_threads.emplace_back([this] { ioc.run(); });
  }
  return port;
}

void Server::Impl::BeginStop() {
  std::lock_guard lock(mu);
  if (state == State::kIdle) {
    state = State::kStopped;
    cv.notify_all();
    return;
  }
  if (state != State::kRunning) return;
  state = State::kStopping;
  stopping.store(true);
  stopper = std::thread([this] { DrainAndJoin(); });
}

void Server::Impl::DrainAndJoin() {
  // Once the acceptor is closed every accepted connection is registered (AcceptLoop
  // registers before it spawns the session).
  std::promise<void> closed;
  asio::post(*accept_strand, [this, &closed] {
    boost::system::error_code ec;
    acceptor->close(ec);
    closed.set_value();
  });
  closed.get_future().wait();
  std::vector<std::shared_ptr<Conn>> snapshot;
  {
    std::lock_guard lock(mu);
    snapshot.assign(conns.begin(), conns.end());
  }
  for (auto& c : snapshot) {
    asio::post(c->strand, [c] {
      c->closing = true;
      if (c->idle && c->socket != nullptr) {
        boost::system::error_code ec;
        c->socket->cancel(ec);
      }
    });
  }
  {
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, options.drain_timeout, [&] { return conns.empty(); })) {
      spdlog::warn("http: {} connection(s) still busy after the drain timeout; closing",
                   conns.size());
    }
  }
  work.reset();
  ioc.stop();
  for (auto& t : io_threads) t.join();
  pool->join();
  std::lock_guard lock(mu);
  state = State::kStopped;
  cv.notify_all();
}

asio::awaitable<void> Server::Impl::AcceptLoop() {
  for (;;) {
    // With one I/O thread the io_context is already an implicit strand.
    asio::any_io_executor strand = io_thread_count == 1
                                       ? asio::any_io_executor(ioc.get_executor())
                                       : asio::any_io_executor(asio::make_strand(ioc));
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor->async_accept(strand, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (!acceptor->is_open() || Stopping()) co_return;
      spdlog::warn("http: accept failed: {}", ec.message());
      asio::steady_timer pause(*accept_strand, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (static_cast<size_t>(metrics.connections_active()) >= options.max_connections) {
      socket.close(ec);
      continue;
    }
    metrics.ConnectionOpened();
    auto c = std::make_shared<Conn>(strand);
    {
      std::lock_guard lock(mu);
      conns.insert(c);
    }
    asio::co_spawn(strand, Serve(std::move(socket), c), [this](std::exception_ptr e) {
      metrics.ConnectionClosed();
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("http: connection failed: {}", ex.what());
      }
    });
  }
}

asio::awaitable<void> Server::Impl::Serve(tcp::socket socket, std::shared_ptr<Conn> c) {
  boost::system::error_code ec;
  tcp::endpoint peer = socket.remote_endpoint(ec);
  std::string remote = ec ? std::string() : peer.address().to_string();
  socket.set_option(tcp::no_delay(true), ec);
  c->socket = &socket;
  asio::co_spawn(c->strand, Watchdog(c, std::min(options.read_timeout, options.idle_timeout)),
                 asio::detached);
  try {
    if (tls) {
      TlsStream stream(std::move(socket), *tls);
      c->socket = &stream.next_layer();
      c->Arm(options.read_timeout);
      co_await stream.async_handshake(asio::ssl::stream_base::server,
                                      asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) co_await Session(stream, c, remote, true);
      c->socket = nullptr;
    } else {
      co_await Session(socket, c, remote, false);
    }
  } catch (...) {
    c->socket = nullptr;
    c->timer.cancel();
    std::lock_guard lock(mu);
    conns.erase(c);
    cv.notify_all();
    throw;
  }
  c->socket = nullptr;
  c->timer.cancel();
  std::lock_guard lock(mu);
  conns.erase(c);
  cv.notify_all();
}

template <typename Stream>
asio::awaitable<void> Server::Impl::Session(Stream& stream, std::shared_ptr<Conn> c,
                                            std::string remote, bool secure) {
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  for (;;) {
    // Idle: wait for the first byte of the next request (pipelined bytes may be buffered).
    if (buffer.size() == 0) {
      if (c->closing || Stopping()) break;
      c->idle = true;
      c->Arm(options.idle_timeout);
      size_t n = co_await stream.async_read_some(buffer.prepare(4096),
                                                 asio::redirect_error(asio::use_awaitable, ec));
      c->idle = false;
      if (ec || c->closing) break;
      buffer.commit(n);
    }
    Clock::time_point started = Clock::now();
    c->Arm(options.read_timeout);
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(
        std::min<size_t>(options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser.body_limit(boost::none);  // checked below, once the route is known
    co_await bhttp::async_read_header(stream, buffer, parser,
                                      asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      std::optional<Response> r = ReadFailureResponse(ec, c->timed_out);
      if (r) {
        std::string id = NewUuid();
        int status = r->status;
        size_t bytes = r->body.size();
        co_await Write(stream, *c, std::move(*r), 11, false, id);
        Finish("-", "-", kUnmatchedRoute, status, bytes, started, id);
      }
      co_await Close(stream, *c, r.has_value());
      break;
    }

    auto& msg = parser.get();
    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    req.headers.reserve(std::distance(msg.begin(), msg.end()));
    for (const auto& field : msg) {
      req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    auto given_id = req.Header("X-Request-Id");
    req.request_id = given_id && SaneRequestId(*given_id) ? std::string(*given_id) : NewUuid();
    req.remote_address = remote;
    req.secure = secure;
    unsigned version = msg.version();
    bool keep_alive = msg.keep_alive();

    // Decide everything that can be decided from the header alone.
    std::optional<Response> early;
    bool must_close = false;  // the body was not read: the stream is out of sync
    std::string_view route = kUnmatchedRoute;
    std::optional<Router::Match> match;
    auto target = ParseTarget(req.target);
    if (!target.ok()) {
      early = Response::FromError(target.error());
    } else {
      req.path = std::move(target->path);
      req.query = std::move(target->query);
      auto found = router.Find(req.method, req.path);
      if (!found.ok() && req.method == "HEAD") {
        auto as_get = router.Find("GET", req.path);  // HEAD is GET without the body
        if (as_get.ok()) found = std::move(as_get);
      }
      if (!found.ok()) {
        early = Response::FromError(found.error());
        if (found.error().code() == Code::kMethodNotAllowed) {
          early->SetHeader("Allow", std::string(found.error().details().at("allow").as_string()));
        }
      } else {
        match.emplace(std::move(found).value());
        route = match->route;
      }
    }
    size_t body_limit = match && match->options.max_body_bytes != 0 ? match->options.max_body_bytes
                                                                    : options.max_body_bytes;
    if (!parser.is_done()) {
      auto length = parser.content_length();
      if (length && *length > body_limit) {
        early = ErrorResponse(Code::kPayloadTooLarge, "request body too large");
        must_close = true;
      } else if (auto expect = req.Header("Expect");
                 expect && EqualsIgnoreCase(*expect, "100-continue") && early) {
        must_close = true;  // the client waits for our answer before sending the body
      } else {
        if (expect && EqualsIgnoreCase(*expect, "100-continue") && version >= 11) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          co_await asio::async_write(stream, asio::buffer(kContinue),
                                     asio::redirect_error(asio::use_awaitable, ec));
          if (ec) break;
        }
        parser.body_limit(body_limit);
        co_await bhttp::async_read(stream, buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          std::optional<Response> r = ReadFailureResponse(ec, c->timed_out);
          if (r) {
            int status = r->status;
            size_t bytes = r->body.size();
            co_await Write(stream, *c, std::move(*r), version, false, req.request_id);
            Finish(req.method, req.target, route, status, bytes, started, req.request_id);
          }
          co_await Close(stream, *c, r.has_value());
          break;
        }
      }
    }
    c->Disarm();

    Response res;
    if (early) {
      res = std::move(*early);
    } else {
      req.body = std::move(parser.get().body());
      req.params = std::move(match->params);
      if (match->options.inline_io) {
        res = Invoke(*match->handler, req);
      } else {
        res = co_await asio::co_spawn(pool->get_executor(), InvokeOnPool(match->handler, &req),
                                      asio::use_awaitable);
      }
    }
    keep_alive = keep_alive && !must_close && !c->closing && !Stopping();
    int status = res.status;
    size_t bytes = res.body.size();
    bool written = co_await Write(stream, *c, std::move(res), version, keep_alive, req.request_id,
                                  req.method == "HEAD");
    Finish(req.method, req.target, route, status, bytes, started, req.request_id);
    if (!written) break;
    if (!keep_alive) {
      co_await Close(stream, *c, must_close);
      break;
    }
  }
}

template <typename Stream>
asio::awaitable<bool> Server::Impl::Write(Stream& stream, Conn& c, Response r, unsigned version,
                                          bool keep_alive, const std::string& request_id,
                                          bool head) {
  bhttp::response<bhttp::string_body> res;
  res.version(version);
  if (r.status < 100 || r.status > 599) {
    spdlog::error("http: handler returned status {}; sending 500", r.status);
    r = Response::FromError(Error::Internal("internal error"));
  }
  res.result(static_cast<unsigned>(r.status));
  res.set(bhttp::field::date, HttpDate());
  res.set(bhttp::field::server, "provisio");
  for (auto& [name, value] : r.headers) {
    if (EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Connection") ||
        EqualsIgnoreCase(name, "Transfer-Encoding") || EqualsIgnoreCase(name, "X-Request-Id")) {
      continue;
    }
    res.insert(name, value);
  }
  res.set("X-Request-Id", request_id);
  if (r.status == 204 || r.status == 304 || r.status < 200) r.body.clear();
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  if (head) res.body().clear();  // Content-Length stays that of the GET body
  c.Arm(options.idle_timeout);
  boost::system::error_code ec;
  co_await bhttp::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
  c.Disarm();
  co_return !ec;
}

template <typename Stream>
asio::awaitable<void> Server::Impl::Close(Stream& stream, Conn& c, bool linger) {
  boost::system::error_code ec;
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    c.Arm(kLingerTime);
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    c.Disarm();
  } else {
    stream.shutdown(tcp::socket::shutdown_send, ec);
    if (linger) {
      // Read what the client is still sending, so closing does not reset the connection
      // before it has read our error response.
      c.Arm(kLingerTime);
      std::vector<char> sink(16 * 1024);
      size_t total = 0;
      while (total < kLingerBytes) {
        size_t n = co_await stream.async_read_some(asio::buffer(sink),
                                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        total += n;
      }
      c.Disarm();
    }
  }
  Lowest(stream).close(ec);
}

Response Server::Impl::Invoke(const Handler& handler, Request& request) {
  log::RequestScope scope(request.request_id);
  const void* previous = t_running_server;
  t_running_server = this;
  Response res;
  try {
    res = handler(request);
  } catch (const std::exception& e) {
    spdlog::error("http: handler for {} {} threw: {}", request.method, LoggablePath(request.target),
                  e.what());
    res = Response::FromError(Error::Internal("internal error"));
  } catch (...) {
    spdlog::error("http: handler for {} {} threw a non-exception", request.method,
                  LoggablePath(request.target));
    res = Response::FromError(Error::Internal("internal error"));
  }
  t_running_server = previous;
  return res;
}

asio::awaitable<Response> Server::Impl::InvokeOnPool(const Handler* handler, Request* request) {
  co_return Invoke(*handler, *request);
}

void Server::Impl::Finish(std::string_view method, std::string_view target, std::string_view route,
                          int status, size_t bytes, Clock::time_point started,
                          const std::string& id) {
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  metrics.RecordRequest(route, method, status, seconds);
  if (options.access_log) {
    log::RequestScope scope(id);
    spdlog::info("{} {} {} {}B {:.3f}ms id={}", method, LoggablePath(target), status, bytes,
                 seconds * 1e3, id);
  }
}

Server::Server(ServerOptions options, Router router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}

Server::~Server() {
  Stop();
  if (impl_->stopper.joinable()) {
    if (impl_->stopper.get_id() == std::this_thread::get_id()) {
      impl_->stopper.detach();
    } else {
      impl_->stopper.join();
    }
  }
}

Result<uint16_t> Server::Start() { return impl_->Start(); }

void Server::Stop() {
  impl_->BeginStop();
  if (t_running_server != impl_.get()) Wait();
}

void Server::Wait() {
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait(lock, [&] {
    return impl_->state == Impl::State::kStopped || impl_->state == Impl::State::kIdle;
  });
}

Metrics& Server::metrics() { return impl_->metrics; }

}  // namespace provisio::http
