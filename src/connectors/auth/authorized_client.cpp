#include "connectors/auth/authorized_client.h"

#include "connectors/error_class.h"

namespace provisio::connectors {

Result<http::HttpResponse> AuthorizedClient::Send(http::HttpRequest request) {
  for (int attempt = 0;; ++attempt) {
    http::HttpRequest prepared = request;
    RETURN_IF_ERROR(auth_->Authorize(prepared));
    auto response = http_.Send(prepared);
    if (!response.ok()) return ClassifyTransportError(std::move(response).error());
    if (response->status != 401 || attempt > 0 || !auth_->Refresh(prepared)) return response;
  }
}

}  // namespace provisio::connectors
