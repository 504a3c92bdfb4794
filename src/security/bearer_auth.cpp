#include "security/bearer_auth.h"

#include <chrono>

#include "security/token.h"

namespace provisio::security {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Recording every use would cost a write per request; once a minute is enough to tell
// which tokens are alive.
constexpr auto kTouchEvery = std::chrono::minutes(1);

}  // namespace

Result<Principal> AuthenticateBearer(store::Store& store, const Clock& clock,
                                     std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size() ||
      !IEquals(authorization.substr(0, kScheme.size()), kScheme)) {
    return Error::Unauthenticated("expected 'Authorization: Bearer <token>'");
  }
  std::string_view secret = authorization.substr(kScheme.size());
  while (!secret.empty() && secret.front() == ' ') secret.remove_prefix(1);
  while (!secret.empty() && secret.back() == ' ') secret.remove_suffix(1);
  if (secret.empty() || secret.size() > 512)
    return Error::Unauthenticated("malformed bearer token");
  std::string hash = HashToken(secret);
  ASSIGN_OR_RETURN(auto row, store.tokens().FindByHash(hash));
  // The lookup is by hash, so timing reveals nothing of the secret; compare again anyway so a
  // store that matched loosely cannot let a wrong token through.
  if (!row || !TokenHashEquals(row->hash, hash)) return Error::Unauthenticated("unknown token");
  if (row->revoked) return Error::Unauthenticated("token revoked");
  TimePoint now = clock.Now();
  if (!row->last_used || now - *row->last_used > kTouchEvery) {
    if (auto tx = store.Begin(); tx.ok()) {
      if (store.tokens().TouchLastUsed(**tx, row->id, now).ok()) (void)(*tx)->Commit();
    }
  }
  Principal p;
  p.kind = row->kind == "scim" ? Principal::Kind::kScimToken : Principal::Kind::kApiToken;
  p.id = row->id;
  p.role = row->kind == "scim" ? std::string(kRoleScimClient) : row->role;
  p.name = row->name;
  p.admin_id = row->created_by;
  return p;
}

Result<NewToken> CreateToken(store::Store& store, const Clock& clock, std::string_view kind,
                             std::string_view name, std::string_view role,
                             std::string_view created_by) {
  if (kind != "api" && kind != "scim")
    return Error::InvalidArgument("token kind must be api or scim");
  if (name.empty() || name.size() > 200) {
    return Error(Code::kInvalidArgument, "a token needs a name of 1 to 200 characters",
                 {{"field", "name"}});
  }
  IssuedToken issued = IssueToken();
  store::TokenRow row;
  row.id = issued.id;
  row.kind = kind;
  row.name = name;
  row.role = role;
  row.hash = issued.hash;
  row.created_by = created_by;
  row.created = clock.Now();
  ASSIGN_OR_RETURN(auto tx, store.Begin());
  RETURN_IF_ERROR(store.tokens().Insert(*tx, row));
  RETURN_IF_ERROR(tx->Commit());
  return NewToken{issued.id, issued.secret};
}

}  // namespace provisio::security
