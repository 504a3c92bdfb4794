#include "security/redact.h"

#include <boost/json/serialize.hpp>
#include <initializer_list>
#include <string>
#include <vector>

namespace provisio::security {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLowerOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// "X-CSRF-Token" -> {x, csrf, token}; "clientSecret" -> {client, secret}.
std::vector<std::string> Words(std::string_view name) {
  std::vector<std::string> words(1);
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '_' || c == '-' || c == '.' || c == ' ') {
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    // A new word at a capital after a lower-case letter, and at the last capital of an
    // acronym that a capitalised word follows ("sambaNTPassword" -> {samba, nt, password}).
    const bool acronym_end = IsUpper(c) && i > 0 && IsUpper(name[i - 1]) && i + 1 < name.size() &&
                             name[i + 1] >= 'a' && name[i + 1] <= 'z';
    if (IsUpper(c) && i > 0 && (IsLowerOrDigit(name[i - 1]) || acronym_end) &&
        !words.back().empty()) {
      words.emplace_back();
    }
    words.back().push_back(Lower(c));
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

bool Contains(std::initializer_list<std::string_view> set, std::string_view w) {
  for (std::string_view s : set) {
    if (s == w) return true;
  }
  return false;
}

bool IsHeaderNameMember(std::string_view key) { return key == "header" || key == "name"; }

}  // namespace

bool IsSecretName(std::string_view key) {
  const std::vector<std::string> words = Words(key);
  if (words.empty()) return false;
  // Facts about a secret are not the secret: "min_password_length", and the directory's
  // "pwdLastSet", "badPwdCount" or "passwordExpiry" stay readable in the audit log.
  if (Contains({"length", "count", "set", "changed", "expires", "expiry", "age", "policy"},
               words.back())) {
    return false;
  }
  for (const std::string& w : words) {
    if (Contains({"password", "passwd", "pwd", "passphrase", "secret", "credential", "credentials",
                  "apikey", "privatekey"},
                 w)) {
      return true;
    }
  }
  const std::string& last = words.back();
  if (last == "token" || last == "cookie" || last == "authorization") return true;
  if (last == "key" && words.size() >= 2 &&
      Contains({"private", "api", "master", "secret", "signing", "encryption", "access"},
               words[words.size() - 2])) {
    return true;
  }
  return words.size() == 3 && words[0] == "service" && words[1] == "account" && words[2] == "json";
}

boost::json::value Redact(const boost::json::value& v) {
  if (const boost::json::array* a = v.if_array()) {
    boost::json::array out;
    out.reserve(a->size());
    for (const boost::json::value& e : *a) out.push_back(Redact(e));
    return out;
  }
  const boost::json::object* o = v.if_object();
  if (o == nullptr) return v;
  // {"header":"X-Api-Key","value":"..."} and {"name":"Authorization","value":"..."}.
  bool value_is_secret = false;
  for (const auto& m : *o) {
    if (!IsHeaderNameMember(m.key()) || !m.value().is_string()) continue;
    if (m.key() == "header" || IsSecretName(m.value().get_string())) value_is_secret = true;
  }
  boost::json::object out;
  out.reserve(o->size());
  for (const auto& m : *o) {
    const bool secret = IsSecretName(m.key()) || (value_is_secret && m.key() == "value");
    out.emplace(m.key(), secret ? boost::json::value(kRedacted) : Redact(m.value()));
  }
  return out;
}

std::string RedactJson(const boost::json::value& v) { return boost::json::serialize(Redact(v)); }

}  // namespace provisio::security
