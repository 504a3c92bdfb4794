#include "mapping/functions.h"

#include <cmath>
#include <optional>

#include "mapping/canonical.h"
#include "mapping/date_time.h"
#include "mapping/utf8.h"
#include "scim/text.h"

namespace provisio::mapping {

namespace json = boost::json;

namespace {

constexpr FunctionInfo kFunctions[] = {
    {Function::kAppend, "Append", 2, 2, "Append(source, suffix)"},
    {Function::kCoalesce, "Coalesce", 1, kVariadic, "Coalesce(source1, source2, ...)"},
    {Function::kEquals, "Equals", 2, 2, "Equals(a, b)"},
    {Function::kFormatDateTime, "FormatDateTime", 3, 3,
     "FormatDateTime(source, inputFormat, outputFormat)"},
    {Function::kIIF, "IIF", 3, 3, "IIF(condition, valueIfTrue, valueIfFalse)"},
    {Function::kIsNullOrEmpty, "IsNullOrEmpty", 1, 1, "IsNullOrEmpty(source)"},
    {Function::kIsPresent, "IsPresent", 1, 1, "IsPresent(source)"},
    {Function::kJoin, "Join", 2, kVariadic, "Join(separator, source1, source2, ...)"},
    {Function::kLeft, "Left", 2, 2, "Left(source, length)"},
    {Function::kMid, "Mid", 3, 3, "Mid(source, start, length)"},
    {Function::kNormalizeDiacritics, "NormalizeDiacritics", 1, 1, "NormalizeDiacritics(source)"},
    {Function::kNot, "Not", 1, 1, "Not(source)"},
    {Function::kReplace, "Replace", 3, 3, "Replace(source, oldValue, newValue)"},
    {Function::kSplit, "Split", 2, 2, "Split(source, separator)"},
    {Function::kSwitch, "Switch", 4, kVariadic,
     "Switch(source, defaultValue, key1, value1, key2, value2, ...)"},
    {Function::kToLower, "ToLower", 1, 1, "ToLower(source)"},
    {Function::kToUpper, "ToUpper", 1, 1, "ToUpper(source)"},
    {Function::kWord, "Word", 3, 3, "Word(source, wordNumber, delimiters)"},
};

// Parameter names for messages, indexed like the signature (the last repeats for variadics).
std::string_view ParamName(Function f, size_t i) {
  std::string_view sig = Info(f).signature;
  size_t open = sig.find('(');
  std::string_view params = sig.substr(open + 1, sig.size() - open - 2);
  std::string_view last;
  for (size_t k = 0;; ++k) {
    size_t comma = params.find(", ");
    std::string_view name = params.substr(0, comma);
    if (name != "...") last = name;
    if (k == i || comma == std::string_view::npos) return last;
    params = params.substr(comma + 2);
  }
}

Error TypeError(Function f, size_t i, std::string_view expected, const json::value& got) {
  return {Code::kInvalidValue,
          std::string(Info(f).name) + ": argument " + std::to_string(i + 1) + " (" +
              std::string(ParamName(f, i)) + ") must be " + std::string(expected) + ", got " +
              std::string(KindName(got)),
          {{"function", Info(f).name}, {"argument", i + 1}}};
}

Error ValueError(Function f, std::string message) {
  return {Code::kInvalidValue,
          std::string(Info(f).name) + ": " + message,
          {{"function", Info(f).name}}};
}

// A string argument; nullopt for null; an error for any other kind.
Result<std::optional<std::string_view>> Text(Function f, std::span<const json::value> args,
                                             size_t i) {
  const json::value& v = args[i];
  if (v.is_null()) return std::optional<std::string_view>();
  if (!v.is_string()) return TypeError(f, i, "a string", v);
  return std::optional<std::string_view>(v.get_string());
}

// A non-negative integer argument (JSON integers, or doubles with no fraction).
Result<int64_t> Count(Function f, std::span<const json::value> args, size_t i, int64_t min) {
  const json::value& v = args[i];
  std::optional<int64_t> n;
  if (v.is_int64()) n = v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    n = static_cast<int64_t>(v.get_uint64());
  }
  if (v.is_double() && std::trunc(v.get_double()) == v.get_double() &&
      std::fabs(v.get_double()) < 9e15) {
    n = static_cast<int64_t>(v.get_double());
  }
  if (!n || *n < min) {
    return TypeError(f, i, min == 0 ? "a non-negative integer" : "a positive integer", v);
  }
  return *n;
}

json::value Str(std::string s) { return json::value(json::string(s)); }

// Scalars as Join and Append write them.
Result<bool> AppendScalar(Function f, size_t i, const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::string:
      out += v.get_string();
      return true;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return true;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      out += CanonicalJson(v);
      return true;  // 2.5, not 2.5E0
    case json::kind::null:
      return false;
    default:
      return TypeError(f, i, "a string, number, boolean or array of them", v);
  }
}

Status JoinValue(Function f, size_t i, const json::value& v, std::string_view sep, bool& first,
                 std::string& out, int depth) {
  if (v.is_array()) {
    if (depth > 32) return ValueError(f, "arrays nested too deeply");
    for (const auto& e : v.get_array())
      RETURN_IF_ERROR(JoinValue(f, i, e, sep, first, out, depth + 1));
    return Ok();
  }
  if (!IsPresentValue(v)) return Ok();
  size_t mark = out.size();
  if (!first) out += sep;
  ASSIGN_OR_RETURN(bool wrote, AppendScalar(f, i, v, out));
  if (!wrote) {
    out.resize(mark);
  } else {
    first = false;
  }
  return Ok();
}

Result<json::value> Join(std::span<const json::value> args) {
  const Function f = Function::kJoin;
  ASSIGN_OR_RETURN(auto sep, Text(f, args, 0));
  std::string out;
  bool first = true;
  for (size_t i = 1; i < args.size(); ++i) {
    RETURN_IF_ERROR(JoinValue(f, i, args[i], sep.value_or(""), first, out, 0));
  }
  if (first) return json::value(nullptr);
  return Str(std::move(out));
}

Result<json::value> Append(std::span<const json::value> args) {
  ASSIGN_OR_RETURN(auto a, Text(Function::kAppend, args, 0));
  ASSIGN_OR_RETURN(auto b, Text(Function::kAppend, args, 1));
  if (!a && !b) return json::value(nullptr);
  return Str(std::string(a.value_or("")) + std::string(b.value_or("")));
}

Result<json::value> Replace(std::span<const json::value> args) {
  const Function f = Function::kReplace;
  ASSIGN_OR_RETURN(auto s, Text(f, args, 0));
  ASSIGN_OR_RETURN(auto from, Text(f, args, 1));
  ASSIGN_OR_RETURN(auto to, Text(f, args, 2));
  if (!s) return json::value(nullptr);
  if (!from || from->empty()) return Str(std::string(*s));
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t hit = s->find(*from, pos);
    if (hit == std::string_view::npos) break;
    out.append(*s, pos, hit - pos);
    out += to.value_or("");
    pos = hit + from->size();
  }
  out.append(*s, pos);
  return Str(std::move(out));
}

Result<json::value> Left(std::span<const json::value> args) {
  ASSIGN_OR_RETURN(auto s, Text(Function::kLeft, args, 0));
  ASSIGN_OR_RETURN(int64_t n, Count(Function::kLeft, args, 1, 0));
  if (!s) return json::value(nullptr);
  std::u32string cps = DecodeUtf8(*s);
  if (static_cast<uint64_t>(n) < cps.size()) cps.resize(static_cast<size_t>(n));
  return Str(EncodeUtf8(cps));
}

Result<json::value> Mid(std::span<const json::value> args) {
  ASSIGN_OR_RETURN(auto s, Text(Function::kMid, args, 0));
  ASSIGN_OR_RETURN(int64_t start, Count(Function::kMid, args, 1, 1));
  ASSIGN_OR_RETURN(int64_t len, Count(Function::kMid, args, 2, 0));
  if (!s) return json::value(nullptr);
  std::u32string cps = DecodeUtf8(*s);
  auto begin = static_cast<uint64_t>(start - 1);
  if (begin >= cps.size()) return Str("");
  return Str(EncodeUtf8(std::u32string_view(cps).substr(begin, static_cast<size_t>(len))));
}

Result<json::value> Split(std::span<const json::value> args) {
  ASSIGN_OR_RETURN(auto s, Text(Function::kSplit, args, 0));
  ASSIGN_OR_RETURN(auto sep, Text(Function::kSplit, args, 1));
  if (!sep || sep->empty()) return TypeError(Function::kSplit, 1, "a non-empty string", args[1]);
  if (!s) return json::value(nullptr);
  json::array out;
  size_t pos = 0;
  while (true) {
    size_t hit = s->find(*sep, pos);
    out.emplace_back(s->substr(pos, hit == std::string_view::npos ? hit : hit - pos));
    if (hit == std::string_view::npos) break;
    pos = hit + sep->size();
  }
  return json::value(std::move(out));
}

Result<json::value> Word(std::span<const json::value> args) {
  const Function f = Function::kWord;
  ASSIGN_OR_RETURN(auto s, Text(f, args, 0));
  ASSIGN_OR_RETURN(int64_t n, Count(f, args, 1, 1));
  ASSIGN_OR_RETURN(auto seps, Text(f, args, 2));
  if (!s) return json::value(nullptr);
  std::u32string delims = DecodeUtf8(seps.value_or(""));
  std::u32string cps = DecodeUtf8(*s);
  int64_t index = 0;
  size_t i = 0;
  while (i < cps.size()) {
    while (i < cps.size() && delims.find(cps[i]) != std::u32string::npos) ++i;
    if (i == cps.size()) break;
    size_t j = i;
    while (j < cps.size() && delims.find(cps[j]) == std::u32string::npos) ++j;
    if (++index == n) return Str(EncodeUtf8(std::u32string_view(cps).substr(i, j - i)));
    i = j;
  }
  return json::value(nullptr);
}

Result<json::value> MapText(Function f, std::span<const json::value> args,
                            std::string (*map)(std::string_view)) {
  ASSIGN_OR_RETURN(auto s, Text(f, args, 0));
  if (!s) return json::value(nullptr);
  return Str(map(*s));
}

Result<json::value> FormatDateTime(std::span<const json::value> args) {
  const Function f = Function::kFormatDateTime;
  ASSIGN_OR_RETURN(auto s, Text(f, args, 0));
  ASSIGN_OR_RETURN(auto in, Text(f, args, 1));
  ASSIGN_OR_RETURN(auto out, Text(f, args, 2));
  if (!out) return TypeError(f, 2, "a string", args[2]);
  if (!s || s->empty()) return json::value(nullptr);
  auto r = ReformatDateTime(*s, in.value_or(""), *out);
  if (!r.ok()) return ValueError(f, r.error().message());
  return Str(std::move(r).value());
}

Result<json::value> NotFn(std::span<const json::value> args) {
  if (args[0].is_null()) return json::value(nullptr);
  if (!args[0].is_bool()) return TypeError(Function::kNot, 0, "a boolean", args[0]);
  return json::value(!args[0].get_bool());
}

}  // namespace

std::span<const FunctionInfo> Functions() { return kFunctions; }

const FunctionInfo& Info(Function function) {
  for (const FunctionInfo& f : kFunctions) {
    if (f.function == function) return f;
  }
  return kFunctions[0];  // unreachable: every Function is in the table
}

const FunctionInfo* FindFunction(std::string_view name) {
  for (const FunctionInfo& f : kFunctions) {
    if (scim::IEquals(f.name, name)) return &f;
  }
  return nullptr;
}

std::string CheckArity(Function function, size_t count) {
  const FunctionInfo& f = Info(function);
  if (function == Function::kSwitch && count >= f.min_args && count % 2 == 1) {
    return "an even number of arguments (source, default, then key/value pairs)";
  }
  if (count >= f.min_args && count <= f.max_args) return {};
  auto plural = [](size_t n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); };
  if (f.max_args == kVariadic) return "at least " + plural(f.min_args);
  if (f.min_args == f.max_args) return plural(f.min_args);
  return std::to_string(f.min_args) + " to " + plural(f.max_args);
}

Result<json::value> ApplyFunction(Function function, std::span<const json::value> args) {
  if (!CheckArity(function, args.size()).empty()) {
    return ValueError(function, "expects " + CheckArity(function, args.size()));
  }
  switch (function) {
    case Function::kAppend:
      return Append(args);
    case Function::kEquals:
      return json::value(ValuesEqual(args[0], args[1]));
    case Function::kFormatDateTime:
      return FormatDateTime(args);
    case Function::kIsNullOrEmpty:
      return json::value(!IsPresentValue(args[0]));
    case Function::kIsPresent:
      return json::value(IsPresentValue(args[0]));
    case Function::kJoin:
      return Join(args);
    case Function::kLeft:
      return Left(args);
    case Function::kMid:
      return Mid(args);
    case Function::kNormalizeDiacritics:
      return MapText(function, args, [](std::string_view s) { return RemoveDiacritics(s); });
    case Function::kNot:
      return NotFn(args);
    case Function::kReplace:
      return Replace(args);
    case Function::kSplit:
      return Split(args);
    case Function::kToLower:
      return MapText(function, args, [](std::string_view s) { return ToLowerUtf8(s); });
    case Function::kToUpper:
      return MapText(function, args, [](std::string_view s) { return ToUpperUtf8(s); });
    case Function::kWord:
      return Word(args);
    case Function::kCoalesce:
    case Function::kIIF:
    case Function::kSwitch:
      break;
  }
  return Error::Internal(std::string(Info(function).name) + " is evaluated lazily, not here");
}

bool IsPresentValue(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return false;
    case json::kind::string:
      return !v.get_string().empty();
    case json::kind::array:
      return !v.get_array().empty();
    case json::kind::object:
      return !v.get_object().empty();
    default:
      return true;
  }
}

bool ValuesEqual(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
    if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
    if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
    const json::value& s = a.is_int64() ? a : b;
    const json::value& u = a.is_int64() ? b : a;
    return s.get_int64() >= 0 && static_cast<uint64_t>(s.get_int64()) == u.get_uint64();
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!ValuesEqual(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const json::value* other = y.if_contains(kv.key());
      if (other == nullptr || !ValuesEqual(kv.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

std::string_view KindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
    default:
      return "number";
  }
}

}  // namespace provisio::mapping
