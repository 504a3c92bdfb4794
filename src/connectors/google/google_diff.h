// Request bodies for users.patch and users.update from what the target holds and what the
// mappings want. Google's patch semantics: objects merge, arrays and scalars are replaced,
// null clears; update (PUT) is the same except that it can clear repeated fields too.
#pragma once

#include <boost/json/object.hpp>

namespace provisio::connectors::google {

// The fields of `desired` whose values differ from `current`, nested objects reduced to their
// differing fields. Read-only fields and the password (never readable, so never comparable)
// are left out. Empty when nothing differs.
boost::json::object PatchBody(const boost::json::object& current,
                              const boost::json::object& desired);

// `desired` without read-only fields, plus null for each clearable field `current` holds and
// `desired` lacks, so that the user ends up holding `desired`.
boost::json::object ReplaceBody(const boost::json::object& current,
                                const boost::json::object& desired);

// A copy of `user` without the read-only fields Google ignores or rejects on writes.
boost::json::object WritableUser(const boost::json::object& user);

}  // namespace provisio::connectors::google
