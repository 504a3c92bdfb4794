// Attribute mappings of an application: an ordered list of {target, source, strength},
// where source is an expression over the directory user (evaluated by mapping/) and strength
// says when it applies: strong (always), normal (when the source changes), weak (only when
// the target has no value yet).
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "apps/catalog.h"
#include "core/result.h"

namespace provisio::apps {

inline constexpr size_t kMaxMappings = 500;

// A request's mapping list validated and in canonical JSON text, ready to store.
Result<std::string> ParseMappings(const boost::json::value& list, std::string_view field);

// The template's default mappings as canonical JSON text.
std::string DefaultMappings(const Template& t);

}  // namespace provisio::apps
