// The one place Salesforce's answers become classified Errors: REST error arrays
// ([{"message","errorCode","fields"}]), collection SaveResult errors ("statusCode") and OAuth
// token endpoint errors ({"error","error_description"}).
#pragma once

#include <string_view>

#include "connectors/error_class.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/client.h"

namespace provisio::connectors::salesforce {

// The class of a Salesforce error code answered with `status` (0 when unknown, as for the
// per-record errors of an sObject Collections answer).
ErrorClass ClassOfSalesforceCode(int status, std::string_view code);

// `response` is a non-2xx answer to `what` ("POST sobjects/User").
Error ClassifySalesforceResponse(const http::HttpResponse& response, std::string_view what,
                                 TimePoint now);

}  // namespace provisio::connectors::salesforce
