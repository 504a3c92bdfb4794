#include "http/client.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "http/client_redact.h"
#include "http/request.h"

namespace provisio::http {
namespace {

using Clock = std::chrono::steady_clock;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  HttpRequest request;
  Client::Callback done;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  HttpResponse response;
  size_t limit = 0;
  bool too_large = false;
  char error_buffer[CURL_ERROR_SIZE] = {};
  Clock::time_point started;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->response.body.size() + n > t->limit) {
    t->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    t->response.headers.clear();  // a new response (after 100 Continue or a redirect)
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  t->response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return n;
}

Error TransportError(CURLcode code, const Transfer& t, const std::string& redacted_url) {
  std::string detail = t.error_buffer[0] != '\0' ? t.error_buffer : curl_easy_strerror(code);
  Code c = Code::kInternal;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      c = Code::kTimeout;
      break;
    case CURLE_FILESIZE_EXCEEDED:
      c = Code::kPayloadTooLarge;
      break;
    case CURLE_WRITE_ERROR:
      c = t.too_large ? Code::kPayloadTooLarge : Code::kInternal;
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      c = Code::kUnavailable;
      break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      c = Code::kInvalidArgument;
      break;
    default:
      break;  // TLS verification and anything unexpected: kInternal, not worth retrying
  }
  if (c == Code::kPayloadTooLarge)
    detail = "response larger than " + std::to_string(t.limit) + " bytes";
  boost::json::object details{{"curl_code", static_cast<int>(code)}, {"url", redacted_url}};
  return Error(c, "HTTP " + t.request.method + " " + redacted_url + ": " + detail,
               std::move(details));
}

}  // namespace

void HttpRequest::SetHeader(std::string name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

struct Client::Impl {
  ClientOptions options;
  CURLM* multi = nullptr;
  std::mutex mutex;
  std::deque<std::unique_ptr<Transfer>> pending;  // guarded by mutex
  bool stopping = false;                          // guarded by mutex
  std::vector<CURL*> idle_easy;                   // client thread only
  std::unordered_set<CURL*> active;               // client thread only
  std::thread thread;

  explicit Impl(ClientOptions o) : options(std::move(o)) {
    GlobalInit();
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    if (options.max_connections_per_host > 0) {
      curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_connections_per_host);
    }
    if (options.max_cached_connections > 0) {
      curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, options.max_cached_connections);
    }
    thread = std::thread([this] { Run(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    curl_multi_wakeup(multi);
    thread.join();
    for (CURL* e : idle_easy) curl_easy_cleanup(e);
    curl_multi_cleanup(multi);
  }

  std::string Redacted(std::string_view url) const {
    return RedactUrl(url, options.is_secret_name);
  }

  void Start(std::unique_ptr<Transfer> t) {
    CURL* e;
    if (!idle_easy.empty()) {
      e = idle_easy.back();
      idle_easy.pop_back();
      curl_easy_reset(e);
    } else {
      e = curl_easy_init();
    }
    t->easy = e;
    const HttpRequest& r = t->request;
    t->limit = r.max_response_bytes > 0 ? r.max_response_bytes : options.max_response_bytes;
    auto connect = r.connect_timeout.count() > 0 ? r.connect_timeout : options.connect_timeout;
    auto total = r.timeout.count() > 0 ? r.timeout : options.timeout;

    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect.count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t->limit));
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error_buffer);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    if (r.url.starts_with("https:")) curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    if (!options.ca_bundle.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options.ca_bundle.c_str());
    if (r.insecure_skip_verify) {
      spdlog::warn("TLS certificate verification is OFF for {} {}", r.method, Redacted(r.url));
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    } else {
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    }
    if (options.proxy) curl_easy_setopt(e, CURLOPT_PROXY, options.proxy->c_str());
    if (!options.no_proxy.empty()) curl_easy_setopt(e, CURLOPT_NOPROXY, options.no_proxy.c_str());

    if (r.method == "GET") {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else if (r.method == "HEAD") {
      curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else {
      if (r.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
      if (r.method == "POST" || !r.body.empty()) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
      }
    }
    for (const auto& [name, value] : r.headers) {
      std::string line = name + ": " + value;
      t->header_list = curl_slist_append(t->header_list, line.c_str());
    }
    t->header_list = curl_slist_append(t->header_list, "Expect:");  // no 100-continue round trip
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->header_list);

    if (spdlog::should_log(spdlog::level::trace)) {
      for (const auto& [name, value] : r.headers) {
        spdlog::trace("http > {}: {}", name, RedactHeader(name, value, options.is_secret_name));
      }
    }
    t->started = Clock::now();
    curl_multi_add_handle(multi, e);
    active.insert(e);
    t.release();  // owned through CURLOPT_PRIVATE until Finish
  }

  void Finish(CURL* e, CURLcode code) {
    Transfer* raw = nullptr;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, &raw);
    std::unique_ptr<Transfer> t(raw);
    curl_multi_remove_handle(multi, e);
    active.erase(e);
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(t->header_list);
    t->header_list = nullptr;
    idle_easy.push_back(e);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t->started);
    std::string url = Redacted(t->request.url);
    if (code != CURLE_OK) {
      Error error = TransportError(code, *t, url);
      spdlog::warn("http {} {} failed after {}ms: {}", t->request.method, url, ms.count(),
                   error.message());
      Deliver(*t, std::move(error));
      return;
    }
    t->response.status = static_cast<int>(status);
    spdlog::debug("http {} {} -> {} in {}ms", t->request.method, url, status, ms.count());
    Deliver(*t, std::move(t->response));
  }

  static void Deliver(Transfer& t, Result<HttpResponse> r) {
    try {
      t.done(std::move(r));
    } catch (const std::exception& ex) {
      spdlog::error("http client callback threw: {}", ex.what());
    }
  }

  void Run() {
    while (true) {
      std::deque<std::unique_ptr<Transfer>> batch;
      bool stop;
      {
        std::lock_guard lock(mutex);
        batch.swap(pending);
        stop = stopping;
      }
      if (stop) {
        for (auto& t : batch) Deliver(*t, Error::Unavailable("http client shut down"));
        AbortAll();
        return;
      }
      for (auto& t : batch) Start(std::move(t));
      int running = 0;
      curl_multi_perform(multi, &running);
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
        if (msg->msg == CURLMSG_DONE) Finish(msg->easy_handle, msg->data.result);
      }
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
  }

  void AbortAll() {
    for (CURL* e : active) {
      Transfer* raw = nullptr;
      curl_easy_getinfo(e, CURLINFO_PRIVATE, &raw);
      std::unique_ptr<Transfer> t(raw);
      curl_multi_remove_handle(multi, e);
      curl_easy_cleanup(e);
      curl_slist_free_all(t->header_list);
      Deliver(*t, Error::Unavailable("http client shut down"));
    }
    active.clear();
  }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() = default;

const ClientOptions& Client::options() const { return impl_->options; }

void Client::Submit(HttpRequest request, Callback done) {
  auto t = std::make_unique<Transfer>();
  t->request = std::move(request);
  t->done = std::move(done);
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) {
      Impl::Deliver(*t, Error::Unavailable("http client shut down"));
      return;
    }
    impl_->pending.push_back(std::move(t));
  }
  curl_multi_wakeup(impl_->multi);
}

Result<HttpResponse> Client::Send(HttpRequest request) {
  if (std::this_thread::get_id() == impl_->thread.get_id()) {
    return Error::Internal("http::Client::Send called from a completion callback");
  }
  std::promise<Result<HttpResponse>> promise;
  auto future = promise.get_future();
  Submit(std::move(request),
         [&promise](Result<HttpResponse> r) { promise.set_value(std::move(r)); });
  return future.get();
}

}  // namespace provisio::http
