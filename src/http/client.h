// The outbound HTTP client: one libcurl multi handle driven by its own thread, shared by every
// connector. Connections are kept alive and reused per host (HTTP/2 multiplexing over TLS where
// the server offers it, HTTP/1.1 keep-alive for http://); TLS verification is on unless a
// request turns it off, which is logged as a warning. Every log line it writes is redacted.
// Asio users: co_await AsyncSend(client, request) from http/client_asio.h.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace provisio::http {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{0};  // 0: ClientOptions::connect_timeout
  std::chrono::milliseconds timeout{0};          // whole transfer; 0: ClientOptions::timeout
  size_t max_response_bytes = 0;                 // 0: ClientOptions::max_response_bytes
  bool insecure_skip_verify = false;             // loud: logged as a warning on every use

  void SetHeader(std::string name, std::string value);
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names as received
  std::string body;

  // First header of that name, case-insensitively.
  std::optional<std::string_view> Header(std::string_view name) const;
};

struct ClientOptions {
  std::string ca_bundle{};             // PEM file of trusted CAs; empty: system store
  std::optional<std::string> proxy{};  // "http://host:3128"; nullopt: environment; "": none
  std::string no_proxy{};              // hosts bypassing the proxy, comma-separated
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{60000};
  size_t max_response_bytes = 64u << 20;  // larger responses abort with kPayloadTooLarge
  long max_connections_per_host = 0;      // 0: unlimited
  long max_cached_connections = 0;        // idle connection cache; 0: curl's default
  std::string user_agent = "provisio/0.1";
  // Which query parameter and header names hold secrets, for redaction in logs (pass
  // security::IsSecretName from the composition root). Unset: every query value and every
  // header value is redacted. Authorization, Proxy-Authorization and Cookie always are.
  std::function<bool(std::string_view)> is_secret_name{};
};

class Client {
 public:
  using Callback = std::function<void(Result<HttpResponse>)>;

  explicit Client(ClientOptions options = {});
  // Fails requests still in flight with kUnavailable, then joins the thread.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Thread-safe. `done` runs on the client's thread exactly once: keep it short and never
  // block in it (post elsewhere). Transport failures arrive as Errors: kTimeout, kUnavailable
  // (connect/resolve/reset), kPayloadTooLarge, kInvalidArgument (bad URL), kInternal (TLS);
  // HTTP error statuses are responses, not Errors.
  void Submit(HttpRequest request, Callback done);

  // Blocking form of Submit. Must not be called from a `done` callback.
  Result<HttpResponse> Send(HttpRequest request);

  const ClientOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace provisio::http
