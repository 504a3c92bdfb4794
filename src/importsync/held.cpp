#include "importsync/held.h"

#include <algorithm>

#include "mapping/canonical.h"
#include "scim/schema_urns.h"
#include "security/redact.h"

namespace provisio::importsync {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool Under(const std::string& path, const std::string& attr) {
  return path == attr || (path.size() > attr.size() && path.compare(0, attr.size(), attr) == 0 &&
                          (path[attr.size()] == '.' || path[attr.size()] == ':'));
}

const boost::json::value* FindCi(const boost::json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key)) return v;
  std::string want = Lower(key);
  for (const auto& [k, v] : o) {
    if (Lower(k) == want) return &v;
  }
  return nullptr;
}

boost::json::object Replace(std::string path, const boost::json::value& v) {
  return {{"op", "replace"}, {"path", std::move(path)}, {"value", v}};
}

}  // namespace

bool IsHeldPath(std::string_view path, const std::vector<std::string>& held) {
  const std::string p = Lower(path);
  const std::string ext = Lower(scim::kEnterpriseUserSchema) + ":";
  const std::string short_form =
      p.size() > ext.size() && p.compare(0, ext.size(), ext) == 0 ? p.substr(ext.size()) : "";
  for (const auto& h : held) {
    const std::string a = Lower(h);
    if (Under(p, a) || (!short_form.empty() && Under(short_form, a))) return true;
  }
  return false;
}

SplitPatch SplitHeld(const boost::json::object& patch, const std::vector<std::string>& held,
                     const boost::json::object& rejected) {
  SplitPatch out;
  boost::json::array apply;
  auto place = [&](boost::json::object op) {
    const std::string path(op.at("path").as_string());
    if (!IsHeldPath(path, held)) {
      apply.push_back(std::move(op));
      return;
    }
    const auto* no = rejected.if_contains(path);
    if (no && mapping::CanonicalJson(*no) == mapping::CanonicalJson(op.at("value"))) {
      out.dropped.push_back(std::move(op));
    } else {
      out.held.push_back(std::move(op));
    }
  };
  const auto* ops = patch.if_contains("Operations");
  if (ops && ops->is_array()) {
    for (const auto& v : ops->as_array()) {
      if (!v.is_object()) continue;
      const auto& op = v.as_object();
      const auto* path = op.if_contains("path");
      const auto* value = op.if_contains("value");
      if (!path || !path->is_string() || !value) continue;
      const std::string p(path->as_string());
      bool split = false;
      if (value->is_object() && !held.empty() && !IsHeldPath(p, held)) {
        // A whole object written at once (an extension the user did not have): hold only the
        // members the policy names.
        const std::string sep = p.find(':') != std::string::npos ? ":" : ".";
        for (const auto& [k, sv] : value->as_object()) {
          split = split || IsHeldPath(p + sep + std::string(k), held);
        }
        if (split) {
          for (const auto& [k, sv] : value->as_object())
            place(Replace(p + sep + std::string(k), sv));
        }
      }
      if (!split) place(op);
    }
  }
  out.apply = PatchOf(std::move(apply));
  return out;
}

boost::json::value ValueAt(const boost::json::object& user, std::string_view path) {
  if (const auto* v = FindCi(user, path)) return *v;
  const boost::json::object* obj = &user;
  std::string_view rest = path;
  if (path.substr(0, 4) == "urn:" || path.substr(0, 4) == "URN:") {
    size_t colon = path.rfind(':');
    const auto* ext = FindCi(user, path.substr(0, colon));
    if (!ext || !ext->is_object()) return nullptr;
    obj = &ext->as_object();
    rest = path.substr(colon + 1);
  }
  for (;;) {
    size_t dot = rest.find('.');
    const auto* v = FindCi(*obj, rest.substr(0, dot));
    if (!v) return nullptr;
    if (dot == std::string_view::npos) return *v;
    if (!v->is_object()) return nullptr;
    obj = &v->as_object();
    rest = rest.substr(dot + 1);
  }
}

boost::json::object HeldChange(const boost::json::array& held, const boost::json::object& user) {
  boost::json::array changes;
  for (const auto& v : held) {
    const auto& op = v.as_object();
    std::string_view path = op.at("path").as_string();
    changes.push_back(boost::json::object{
        {"path", path}, {"before", ValueAt(user, path)}, {"after", op.at("value")}});
  }
  return {{"operations", held}, {"changes", std::move(changes)}};
}

boost::json::object ShownSource(const boost::json::object& attributes) {
  boost::json::value v = security::Redact(attributes);
  boost::json::object out = std::move(v.as_object());
  // Also any directory name containing "pwd" or "password" however it is cased
  // ("USERPASSWORD", "msDS-ManagedPasswordId"), beyond the words IsSecretName knows.
  for (auto& [k, val] : out) {
    std::string name = Lower(k);
    if (name.find("pwd") != std::string::npos || name.find("password") != std::string::npos) {
      val = security::kRedacted;
    }
  }
  return out;
}

boost::json::object PatchOf(boost::json::array operations) {
  return {{"schemas", boost::json::array{scim::kPatchOpSchema}},
          {"Operations", std::move(operations)}};
}

}  // namespace provisio::importsync
