// Writing the audit row of an admin API change from a handler, inside its transaction.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

#include "api/call.h"
#include "store/transaction.h"

namespace provisio::api {

Status Audit(const Call& call, store::Transaction& tx, std::string_view action,
             std::string_view object_type, std::string_view object_id,
             std::optional<boost::json::value> before, std::optional<boost::json::value> after,
             std::string_view outcome = "success");

}  // namespace provisio::api
