#include "mapping/scoping.h"

#include "mapping/portal_user.h"
#include "scim/filter_eval.h"

namespace provisio::mapping {

Result<ScopingFilter> ParseScopingFilter(std::string_view text) {
  return ParseScopingFilter(text, PortalUserType());
}

Result<ScopingFilter> ParseScopingFilter(std::string_view text, const scim::ResourceType& type) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return ScopingFilter();
  ASSIGN_OR_RETURN(scim::Filter filter, scim::ParseFilter(text, type));
  return ScopingFilter(std::move(filter), type);
}

bool InScope(const ScopingFilter& filter, const boost::json::object& user) {
  if (filter.everyone()) return true;
  return scim::Matches(*filter.filter(), user, *filter.type());
}

std::string ToString(const ScopingFilter& filter) {
  return filter.everyone() ? std::string() : scim::ToString(*filter.filter());
}

}  // namespace provisio::mapping
