// Admin console sessions: a random session id in an HttpOnly cookie (stored only as its
// SHA-256), a CSRF token for state-changing requests, idle and absolute expiry.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace provisio::security {

inline constexpr std::string_view kSessionCookieName = "provisio_session";

struct SessionPolicy {
  std::chrono::microseconds idle = std::chrono::minutes(30);
  std::chrono::microseconds absolute = std::chrono::hours(12);
  // last_seen is written at most this often, so reads do not cost a write each.
  std::chrono::microseconds touch_every = std::chrono::minutes(1);
};

struct NewSession {
  std::string session_id;  // goes in the cookie; never stored, never logged
  std::string csrf_token;  // returned once in the sign-in response
  store::SessionRow row;
};

// Creates a session for `admin_id` inside `tx` (so the sign-in's audit row commits with it),
// and sweeps expired sessions.
Result<NewSession> StartSession(store::Store& store, store::Transaction& tx, const Clock& clock,
                                const SessionPolicy& policy, std::string_view admin_id,
                                std::string_view source_address);

struct ActiveSession {
  store::SessionRow row;
  store::AdminRecord admin;
};

// The live session the cookie's id names. kUnauthenticated when unknown, idle too long, past
// its absolute expiry (the one set at sign-in, or `policy.absolute` after its creation when
// that is sooner: a shortened lifetime applies to sessions already open), or its admin is
// disabled; expired sessions are removed on the way.
Result<ActiveSession> ResumeSession(store::Store& store, const Clock& clock,
                                    const SessionPolicy& policy, std::string_view session_id);

// Constant-time check of a presented CSRF token against the session's.
bool CsrfMatches(const store::SessionRow& session, std::string_view csrf_token);

// Set-Cookie values: the session cookie (HttpOnly, SameSite=Strict, Path=/, Secure when the
// request came over TLS), and one that clears it.
std::string SessionCookie(std::string_view session_id, bool secure,
                          std::chrono::microseconds max_age);
std::string ClearedSessionCookie(bool secure);

}  // namespace provisio::security
