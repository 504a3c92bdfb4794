// Evaluating an expression against a portal user (a SCIM User resource in stored form: core
// attributes at the top, extension attributes under their schema URN). A missing attribute
// is null, never an error; a value of the wrong type for a function is an error naming it.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/result.h"
#include "mapping/expression.h"

namespace provisio::mapping {

Result<boost::json::value> Evaluate(const Expression& expr, const boost::json::object& user);

// The value a reference denotes in `user`; null when absent. `attr.sub` over a multi-valued
// attribute gives the array of the elements' values; a value path gives the first matching
// element (or its sub-attribute).
boost::json::value Lookup(const AttributePath& path, const boost::json::object& user);

}  // namespace provisio::mapping
