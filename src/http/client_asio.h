// Awaiting an http::Client request from an Asio coroutine: co_await AsyncSend(client, req).
// The completion is posted back to the awaiting coroutine's executor, never run on the
// client's thread. Kept apart from client.h so code that does not await needs no Asio.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <utility>

#include "http/client.h"

namespace provisio::http {

template <typename CompletionToken = boost::asio::use_awaitable_t<>>
auto AsyncSend(Client& client, HttpRequest request, CompletionToken&& token = {}) {
  return boost::asio::async_initiate<CompletionToken, void(Result<HttpResponse>)>(
      [&client](auto handler, HttpRequest req) {
        using Handler = decltype(handler);
        auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
        auto shared = std::make_shared<Handler>(std::move(handler));
        client.Submit(std::move(req), [shared, work](Result<HttpResponse> r) mutable {
          auto ex = work.get_executor();
          boost::asio::post(ex, [shared, r = std::move(r)]() mutable { (*shared)(std::move(r)); });
          work.reset();
        });
      },
      token, std::move(request));
}

}  // namespace provisio::http
