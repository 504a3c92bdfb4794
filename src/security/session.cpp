#include "security/session.h"

#include "security/token.h"

namespace provisio::security {

Result<NewSession> StartSession(store::Store& store, store::Transaction& tx, const Clock& clock,
                                const SessionPolicy& policy, std::string_view admin_id,
                                std::string_view source_address) {
  TimePoint now = clock.Now();
  RETURN_IF_ERROR(store.sessions().DeleteExpired(tx, now - policy.idle, now));
  IssuedToken id = IssueToken("pss_");
  IssuedToken csrf = IssueToken("");
  NewSession s;
  s.session_id = id.secret;
  s.csrf_token = csrf.secret;
  s.row.id_hash = id.hash;
  s.row.admin_id = std::string(admin_id);
  s.row.csrf_hash = csrf.hash;
  s.row.source_address = std::string(source_address);
  s.row.created = s.row.last_seen = now;
  s.row.expires = now + policy.absolute;
  RETURN_IF_ERROR(store.sessions().Insert(tx, s.row));
  return s;
}

Result<ActiveSession> ResumeSession(store::Store& store, const Clock& clock,
                                    const SessionPolicy& policy, std::string_view session_id) {
  if (session_id.empty() || session_id.size() > 256) {
    return Error::Unauthenticated("no valid session");
  }
  std::string hash = HashToken(session_id);
  ASSIGN_OR_RETURN(auto row, store.sessions().FindByHash(hash));
  if (!row || !TokenHashEquals(row->id_hash, hash)) {
    return Error::Unauthenticated("no valid session");
  }
  TimePoint now = clock.Now();
  bool expired = now >= row->expires || now >= row->created + policy.absolute ||
                 now - row->last_seen >= policy.idle;
  std::optional<store::AdminRecord> admin;
  if (!expired) {
    ASSIGN_OR_RETURN(admin, store.admins().FindById(row->admin_id));
  }
  if (expired || !admin || admin->disabled) {
    ASSIGN_OR_RETURN(auto tx, store.Begin());
    auto gone = store.sessions().Delete(*tx, hash);
    if (gone.ok()) RETURN_IF_ERROR(tx->Commit());
    return Error::Unauthenticated(expired ? "the session has expired; sign in again"
                                          : "no valid session");
  }
  if (now - row->last_seen >= policy.touch_every) {
    ASSIGN_OR_RETURN(auto tx, store.Begin());
    RETURN_IF_ERROR(store.sessions().Touch(*tx, hash, now));
    RETURN_IF_ERROR(tx->Commit());
    row->last_seen = now;
  }
  return ActiveSession{std::move(*row), std::move(*admin)};
}

bool CsrfMatches(const store::SessionRow& session, std::string_view csrf_token) {
  if (csrf_token.empty() || csrf_token.size() > 256) return false;
  return TokenHashEquals(session.csrf_hash, HashToken(csrf_token));
}

std::string SessionCookie(std::string_view session_id, bool secure,
                          std::chrono::microseconds max_age) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(max_age).count();
  std::string c = std::string(kSessionCookieName) + "=" + std::string(session_id) +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(seconds);
  if (secure) c += "; Secure";
  return c;
}

std::string ClearedSessionCookie(bool secure) {
  std::string c =
      std::string(kSessionCookieName) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  if (secure) c += "; Secure";
  return c;
}

}  // namespace provisio::security
