#include "emulators/google/google_token.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <boost/json.hpp>
#include <sstream>

#include "core/ids.h"
#include "core/json.h"

namespace provisio::emulators {
namespace {

constexpr std::string_view kJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr std::string_view kScopePrefix = "https://www.googleapis.com/auth/";
constexpr int64_t kMaxLifetime = 3600;
constexpr int64_t kClockSkew = 300;

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size()) {
      auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      int hi = hex(s[i + 1]);
      int lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) {
        out.push_back(s[i]);
        continue;
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::map<std::string, std::string> ParseForm(std::string_view body) {
  std::map<std::string, std::string> out;
  while (!body.empty()) {
    auto amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(PercentDecode(pair.substr(0, eq)), PercentDecode(pair.substr(eq + 1)));
  }
  return out;
}

TokenError InvalidGrant(std::string description) {
  return TokenError{400, "invalid_grant", std::move(description)};
}

}  // namespace

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  std::string b64(in);
  for (char& c : b64) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    else if (c == '=' || c == '+' || c == '/')
      return std::nullopt;
  }
  if (b64.size() % 4 == 1) return std::nullopt;
  size_t pad = (4 - b64.size() % 4) % 4;
  b64.append(pad, '=');
  std::string out(b64.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

struct GoogleTokenIssuer::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

GoogleTokenIssuer::GoogleTokenIssuer(std::unique_ptr<Key> key, std::chrono::seconds lifetime)
    : key_(std::move(key)), lifetime_(lifetime) {}
GoogleTokenIssuer::~GoogleTokenIssuer() = default;

Result<std::unique_ptr<GoogleTokenIssuer>> GoogleTokenIssuer::Create(
    std::string_view public_key_pem, std::chrono::seconds lifetime) {
  auto key = std::make_unique<Key>();
  BIO* bio = BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size()));
  key->pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  if (key->pkey == nullptr) {
    BIO_free(bio);
    bio = BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size()));
    if (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
      key->pkey = X509_get_pubkey(cert);
      X509_free(cert);
    }
  }
  BIO_free(bio);
  if (key->pkey == nullptr || EVP_PKEY_get_base_id(key->pkey) != EVP_PKEY_RSA) {
    return Error::InvalidArgument("not a PEM RSA public key or certificate");
  }
  return std::unique_ptr<GoogleTokenIssuer>(new GoogleTokenIssuer(std::move(key), lifetime));
}

std::optional<TokenError> GoogleTokenIssuer::Verify(std::string_view assertion,
                                                    std::string_view audience, int64_t now,
                                                    GoogleGrant& grant) const {
  auto dot1 = assertion.find('.');
  auto dot2 = dot1 == std::string_view::npos ? dot1 : assertion.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || assertion.find('.', dot2 + 1) != std::string_view::npos) {
    return InvalidGrant("Invalid JWT: not three segments.");
  }
  auto header = Base64UrlDecode(assertion.substr(0, dot1));
  auto payload = Base64UrlDecode(assertion.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = Base64UrlDecode(assertion.substr(dot2 + 1));
  if (!header || !payload || !signature) return InvalidGrant("Invalid JWT: bad base64url.");
  auto h = json::Parse(*header);
  if (!h.ok() || !h->is_object() || json::GetString(h->as_object(), "alg") != "RS256") {
    return InvalidGrant("Invalid JWT: the header must name alg RS256.");
  }
  std::string_view signed_part = assertion.substr(0, dot2);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool good = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key_->pkey) == 1 &&
              EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature->data()),
                               signature->size(),
                               reinterpret_cast<const unsigned char*>(signed_part.data()),
                               signed_part.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!good) return InvalidGrant("Invalid JWT Signature.");

  auto p = json::Parse(*payload);
  if (!p.ok() || !p->is_object()) return InvalidGrant("Invalid JWT: the claim set is not JSON.");
  const auto& claims = p->as_object();
  grant.client_email = std::string(json::GetString(claims, "iss").value_or(""));
  grant.subject = std::string(json::GetString(claims, "sub").value_or(""));
  if (grant.client_email.empty()) return InvalidGrant("Invalid JWT: iss is required.");
  if (json::GetString(claims, "aud") != audience) {
    return InvalidGrant("Invalid JWT: Failed audience check. The right audience is " +
                        std::string(audience));
  }
  auto iat = json::GetInt(claims, "iat");
  auto exp = json::GetInt(claims, "exp");
  if (!iat || !exp || *exp <= *iat || *exp - *iat > kMaxLifetime || *iat > now + kClockSkew ||
      *exp < now - kClockSkew) {
    return InvalidGrant(
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
        "timeframe. Check your iat and exp values in the JWT claim.");
  }
  std::istringstream scopes(std::string(json::GetString(claims, "scope").value_or("")));
  for (std::string s; scopes >> s;) {
    if (!s.starts_with(kScopePrefix)) {
      return TokenError{400, "invalid_scope", "Invalid OAuth scope or ID token audience provided."};
    }
    grant.scopes.insert(s);
  }
  if (grant.scopes.empty()) {
    return TokenError{400, "invalid_scope", "Invalid OAuth scope or ID token audience provided."};
  }
  return std::nullopt;
}

std::variant<std::pair<std::string, int64_t>, TokenError> GoogleTokenIssuer::Exchange(
    std::string_view form_body, std::string_view audience, int64_t now) {
  auto form = ParseForm(form_body);
  if (form["grant_type"] != kJwtBearer) {
    return TokenError{400, "unsupported_grant_type", "Invalid grant_type: " + form["grant_type"]};
  }
  if (form["assertion"].empty()) return InvalidGrant("Invalid JWT: no assertion.");
  GoogleGrant grant;
  if (auto err = Verify(form["assertion"], audience, now, grant)) return *err;
  grant.expires_at = now + lifetime_.count();
  std::string token = "ya29.emu-" + RandomToken(24);
  std::lock_guard lock(mu_);
  // Forget expired tokens now and then so a long run does not grow without bound.
  if (tokens_.size() > 10000)
    std::erase_if(tokens_, [&](auto& kv) { return kv.second.expires_at <= now; });
  tokens_[token] = std::move(grant);
  return std::make_pair(token, static_cast<int64_t>(lifetime_.count()));
}

std::optional<GoogleGrant> GoogleTokenIssuer::Lookup(std::string_view access_token, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(access_token);
  if (it == tokens_.end() || it->second.expires_at <= now) return std::nullopt;
  return it->second;
}

}  // namespace provisio::emulators
