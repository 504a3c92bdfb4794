#include "connectors/google/service_account.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json.hpp>
#include <memory>

#include "core/json.h"
#include "core/url.h"

namespace provisio::connectors::google {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

Result<ServiceAccountKey> ParseServiceAccountKey(std::string_view json_text) {
  auto parsed = json::Parse(json_text);
  if (!parsed.ok() || !parsed->is_object()) {
    return Error::InvalidArgument("service account key: not a JSON object");
  }
  const auto& obj = parsed->as_object();
  if (auto type = json::GetString(obj, "type"); type && *type != "service_account") {
    return Error::InvalidArgument("service account key: type is \"" + std::string(*type) +
                                  "\", not \"service_account\"");
  }
  ServiceAccountKey key;
  key.client_email = std::string(json::GetString(obj, "client_email").value_or(""));
  key.private_key = std::string(json::GetString(obj, "private_key").value_or(""));
  key.private_key_id = std::string(json::GetString(obj, "private_key_id").value_or(""));
  if (auto uri = json::GetString(obj, "token_uri"); uri && !uri->empty()) key.token_uri = *uri;
  if (key.client_email.empty()) {
    return Error::InvalidArgument("service account key: client_email is required");
  }
  if (key.private_key.find("-----BEGIN") == std::string::npos) {
    return Error::InvalidArgument("service account key: private_key is not a PEM key");
  }
  if (std::string problem = CheckHttpsOrLoopback("service account key: token_uri", key.token_uri);
      !problem.empty()) {
    return Error::InvalidArgument(problem);
  }
  return key;
}

Result<std::string> MakeJwtAssertion(const ServiceAccountKey& key, const AssertionClaims& claims) {
  std::unique_ptr<BIO, BioFree> bio(
      BIO_new_mem_buf(key.private_key.data(), static_cast<int>(key.private_key.size())));
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey || EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_RSA) {
    return Error::InvalidArgument("service account key: private_key is not an RSA private key");
  }
  boost::json::object header{{"alg", "RS256"}, {"typ", "JWT"}};
  if (!key.private_key_id.empty()) header["kid"] = key.private_key_id;
  int64_t iat =
      std::chrono::duration_cast<std::chrono::seconds>(claims.issued_at.time_since_epoch()).count();
  boost::json::object payload{{"iss", key.client_email},
                              {"scope", claims.scope},
                              {"aud", key.token_uri},
                              {"iat", iat},
                              {"exp", iat + claims.lifetime.count()}};
  if (!claims.subject.empty()) payload["sub"] = claims.subject;
  std::string signing_input = Base64UrlEncode(boost::json::serialize(header)) + "." +
                              Base64UrlEncode(boost::json::serialize(payload));

  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return Error::Internal("RS256: signing failed");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return Error::Internal("RS256: signing failed");
  }
  signature.resize(size);
  return signing_input + "." + Base64UrlEncode(signature);
}

}  // namespace provisio::connectors::google
