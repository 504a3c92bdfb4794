// The one place Google's error answers become classified Errors: the Directory API's shape
// {"error":{"code","message","errors":[{"reason",...}]}} and the token endpoint's RFC 6749
// shape {"error":"invalid_grant","error_description"}.
#pragma once

#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "http/client.h"

namespace provisio::connectors::google {

// `response` is a non-2xx answer to `what` ("POST users"). The message carries Google's
// reason and message ("409 duplicate: Entity already exists.").
Error ClassifyGoogleResponse(const http::HttpResponse& response, std::string_view what,
                             TimePoint now);

}  // namespace provisio::connectors::google
