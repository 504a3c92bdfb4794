// Minimal SCIM PATCH operations that turn `current` into `desired` for the attributes `desired`
// names (attributes it does not name are the target's own and left alone; a null in `desired`
// removes). Complex single-valued attributes and extension objects are diffed per
// sub-attribute; multi-valued attributes are replaced whole when they differ.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string_view>

namespace provisio::connectors::scim2 {

boost::json::array DiffToPatchOperations(const boost::json::object& current,
                                         const boost::json::object& desired);

// `current` with `desired` laid over it the same way, for targets without PATCH (sent by PUT).
boost::json::object MergeForReplace(const boost::json::object& current,
                                    const boost::json::object& desired);

// Gives a resource that has no "schemas" its core schema and every extension whose attributes
// it carries (RFC 7643 section 3: a resource lists each extension it uses, and strict
// services refuse an extension's attributes otherwise).
void SetSchemas(boost::json::object& resource, std::string_view core_schema);

}  // namespace provisio::connectors::scim2
