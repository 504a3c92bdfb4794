// Bearer tokens (admin API tokens and SCIM client tokens), kept as hashes only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct TokenRow {
  std::string id;
  std::string kind;  // "api" | "scim"
  std::string name;
  std::string role;        // for api tokens: the role they act with
  std::string hash;        // hex SHA-256 of the secret
  std::string created_by;  // admin id, empty for the CLI
  TimePoint created;
  std::optional<TimePoint> last_used;
  std::optional<TimePoint> revoked;
};

class TokenStore {
 public:
  virtual ~TokenStore() = default;
  virtual Status Insert(Transaction& tx, const TokenRow& token) = 0;
  virtual Result<std::optional<TokenRow>> FindByHash(std::string_view hash) = 0;
  virtual Result<std::optional<TokenRow>> Get(std::string_view id) = 0;
  virtual Result<std::vector<TokenRow>> List(std::string_view kind) = 0;
  virtual Status Revoke(Transaction& tx, std::string_view id, TimePoint at) = 0;
  virtual Status TouchLastUsed(Transaction& tx, std::string_view id, TimePoint at) = 0;
};

}  // namespace provisio::store
