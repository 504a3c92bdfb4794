// The ways a connection authenticates to its target, and the fields each needs. Secret
// fields are sealed at rest and never returned; the others are plain configuration.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace provisio::apps {

struct AuthField {
  std::string_view name;
  bool secret = false;
  bool required = true;
  size_t max_chars = 2048;
  std::string_view description;  // for the form, "" none
  std::string_view file;         // a file's content ("pem", "json"): the form offers an upload
};

struct AuthKind {
  std::string_view kind;  // "bearer", "basic", ...
  std::string_view label;
  std::vector<AuthField> fields;
};

std::span<const AuthKind> AuthKinds();
const AuthKind* FindAuthKind(std::string_view kind);

}  // namespace provisio::apps
