#include "scim/filter_parser.h"

#include <boost/json/parse.hpp>
#include <charconv>
#include <cmath>
#include <string>

#include "scim/errors.h"
#include "scim/text.h"

namespace provisio::scim {

namespace {

enum class Tok { kEnd, kLParen, kRParen, kLBracket, kRBracket, kWord, kString, kNumber };

struct Token {
  Tok kind = Tok::kEnd;
  size_t pos = 0;
  std::string_view text;  // the raw characters
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Parser {
 public:
  Parser(std::string_view text, const FilterLimits& limits) : text_(text), limits_(limits) {}

  Result<Filter> Run() {
    if (text_.size() > limits_.max_length) {
      return InvalidFilterError("filter is longer than " + std::to_string(limits_.max_length) +
                                " characters");
    }
    RETURN_IF_ERROR(Advance());
    if (tok_.kind == Tok::kEnd) return Fail("empty filter");
    ASSIGN_OR_RETURN(Filter f, ParseOr(/*in_brackets=*/false));
    if (tok_.kind != Tok::kEnd) return Fail("unexpected '" + std::string(tok_.text) + "'");
    return f;
  }

 private:
  Error Fail(const std::string& what) const { return FailAt(tok_.pos, what); }
  Error FailAt(size_t pos, const std::string& what) const {
    return InvalidFilterError("invalid filter at position " + std::to_string(pos) + ": " + what);
  }

  Status Advance() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    tok_.pos = pos_;
    if (pos_ >= text_.size()) {
      tok_ = {Tok::kEnd, pos_, {}};
      return Ok();
    }
    char c = text_[pos_];
    auto single = [&](Tok k) {
      tok_ = {k, pos_, text_.substr(pos_, 1)};
      ++pos_;
      return Ok();
    };
    switch (c) {
      case '(':
        return single(Tok::kLParen);
      case ')':
        return single(Tok::kRParen);
      case '[':
        return single(Tok::kLBracket);
      case ']':
        return single(Tok::kRBracket);
      default:
        break;
    }
    size_t start = pos_;
    if (c == '"') {
      ++pos_;
      while (pos_ < text_.size() && text_[pos_] != '"') {
        if (text_[pos_] == '\\') ++pos_;
        ++pos_;
      }
      if (pos_ >= text_.size()) return FailAt(start, "unterminated string");
      ++pos_;
      tok_ = {Tok::kString, start, text_.substr(start, pos_ - start)};
      return Ok();
    }
    while (pos_ < text_.size() && !IsSpace(text_[pos_]) && text_[pos_] != '(' &&
           text_[pos_] != ')' && text_[pos_] != '[' && text_[pos_] != ']' && text_[pos_] != '"') {
      ++pos_;
    }
    bool numeric = c == '-' || (c >= '0' && c <= '9');
    tok_ = {numeric ? Tok::kNumber : Tok::kWord, start, text_.substr(start, pos_ - start)};
    return Ok();
  }

  bool IsKeyword(std::string_view kw) const {
    return tok_.kind == Tok::kWord && IEquals(tok_.text, kw);
  }

  Result<Filter> ParseOr(bool in_brackets) {
    ASSIGN_OR_RETURN(Filter lhs, ParseAnd(in_brackets));
    while (IsKeyword("or")) {
      RETURN_IF_ERROR(Advance());
      ASSIGN_OR_RETURN(Filter rhs, ParseAnd(in_brackets));
      lhs = MakeLogical(LogicalOp::kOr, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  Result<Filter> ParseAnd(bool in_brackets) {
    ASSIGN_OR_RETURN(Filter lhs, ParseUnary(in_brackets));
    while (IsKeyword("and")) {
      RETURN_IF_ERROR(Advance());
      ASSIGN_OR_RETURN(Filter rhs, ParseUnary(in_brackets));
      lhs = MakeLogical(LogicalOp::kAnd, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  Status Enter() {
    if (++depth_ > limits_.max_depth) {
      return Fail("nesting deeper than " + std::to_string(limits_.max_depth));
    }
    return Ok();
  }

  Result<Filter> ParseGroup(bool in_brackets) {
    RETURN_IF_ERROR(Enter());
    RETURN_IF_ERROR(Advance());  // '('
    ASSIGN_OR_RETURN(Filter inner, ParseOr(in_brackets));
    if (tok_.kind != Tok::kRParen) return Fail("expected ')'");
    RETURN_IF_ERROR(Advance());
    --depth_;
    return inner;
  }

  Result<Filter> ParseUnary(bool in_brackets) {
    if (tok_.kind == Tok::kLParen) return ParseGroup(in_brackets);
    if (IsKeyword("not")) {
      // "not" is an attribute name when an operator follows it ("not pr" is legal).
      size_t save_pos = pos_;
      Token save_tok = tok_;
      RETURN_IF_ERROR(Advance());
      if (tok_.kind == Tok::kLParen) {
        ASSIGN_OR_RETURN(Filter inner, ParseGroup(in_brackets));
        return MakeNot(std::move(inner));
      }
      pos_ = save_pos;
      tok_ = save_tok;
    }
    return ParseAttrExpr(in_brackets);
  }

  Result<AttrPath> ParsePath(const Token& t) {
    auto path = ParseAttrPath(t.text);
    if (!path.ok()) return FailAt(t.pos, "invalid attribute path '" + std::string(t.text) + "'");
    return path;
  }

  Result<CompareOp> ParseOp() {
    static constexpr std::pair<std::string_view, CompareOp> kOps[] = {
        {"eq", CompareOp::kEq}, {"ne", CompareOp::kNe}, {"co", CompareOp::kCo},
        {"sw", CompareOp::kSw}, {"ew", CompareOp::kEw}, {"gt", CompareOp::kGt},
        {"ge", CompareOp::kGe}, {"lt", CompareOp::kLt}, {"le", CompareOp::kLe},
        {"pr", CompareOp::kPr}};
    if (tok_.kind == Tok::kWord) {
      for (const auto& [name, op] : kOps) {
        if (IEquals(tok_.text, name)) return op;
      }
    }
    if (tok_.kind == Tok::kEnd) return Fail("expected an operator, found end of filter");
    return Fail("expected an operator, found '" + std::string(tok_.text) + "'");
  }

  Result<boost::json::value> ParseValue() {
    if (tok_.kind == Tok::kString || tok_.kind == Tok::kNumber) {
      boost::system::error_code ec;
      boost::json::value v = boost::json::parse(tok_.text, ec);
      bool kind_ok = tok_.kind == Tok::kString ? v.is_string() : v.is_number();
      if (ec || !kind_ok) {
        return Fail(std::string(tok_.kind == Tok::kString ? "invalid string " : "invalid number ") +
                    std::string(tok_.text));
      }
      if (v.is_double()) {
        // Boost.JSON 1.81 does not round long mantissas correctly; from_chars does, so a
        // printed filter parses back to the same double.
        double d = 0;
        auto [end, fc] = std::from_chars(tok_.text.data(), tok_.text.data() + tok_.text.size(), d);
        if (fc != std::errc() || end != tok_.text.data() + tok_.text.size() || !std::isfinite(d)) {
          return Fail("number out of range " + std::string(tok_.text));
        }
        v = d;
      }
      return v;
    }
    if (IsKeyword("true")) return boost::json::value(true);
    if (IsKeyword("false")) return boost::json::value(false);
    if (IsKeyword("null")) return boost::json::value(nullptr);
    if (tok_.kind == Tok::kEnd) return Fail("expected a value, found end of filter");
    return Fail("expected a value (string, number, true, false or null), found '" +
                std::string(tok_.text) + "'");
  }

  Result<Filter> ParseComparison(AttrPath path) {
    ASSIGN_OR_RETURN(CompareOp op, ParseOp());
    RETURN_IF_ERROR(Advance());
    if (++terms_ > limits_.max_terms) {
      return Fail("more than " + std::to_string(limits_.max_terms) + " comparisons");
    }
    if (op == CompareOp::kPr) return MakeComparison(std::move(path), op);
    ASSIGN_OR_RETURN(boost::json::value v, ParseValue());
    RETURN_IF_ERROR(Advance());
    return MakeComparison(std::move(path), op, std::move(v));
  }

  Result<Filter> ParseAttrExpr(bool in_brackets) {
    if (tok_.kind != Tok::kWord) {
      if (tok_.kind == Tok::kEnd) return Fail("expected an attribute, found end of filter");
      return Fail("expected an attribute, found '" + std::string(tok_.text) + "'");
    }
    Token name = tok_;
    ASSIGN_OR_RETURN(AttrPath path, ParsePath(name));
    RETURN_IF_ERROR(Advance());
    if (tok_.kind != Tok::kLBracket) return ParseComparison(std::move(path));

    if (in_brackets) return Fail("value filters cannot be nested");
    if (!path.sub.empty())
      return FailAt(name.pos,
                    "a value filter applies to an attribute, not "
                    "a sub-attribute");
    RETURN_IF_ERROR(Enter());
    RETURN_IF_ERROR(Advance());  // '['
    ASSIGN_OR_RETURN(Filter inner, ParseOr(/*in_brackets=*/true));
    if (tok_.kind != Tok::kRBracket) return Fail("expected ']'");
    --depth_;
    // The closing bracket may be followed directly by ".sub op value" (Entra's form).
    size_t after = pos_;
    if (after < text_.size() && text_[after] == '.') {
      RETURN_IF_ERROR(Advance());
      Token sub_tok = tok_;
      std::string_view sub = sub_tok.text.substr(1);
      auto sub_path = ParseAttrPath(sub);
      if (sub.empty() || !sub_path.ok() || !sub_path->urn.empty() || !sub_path->sub.empty()) {
        return FailAt(sub_tok.pos, "invalid sub-attribute after ']'");
      }
      RETURN_IF_ERROR(Advance());
      ASSIGN_OR_RETURN(Filter cmp, ParseComparison(std::move(sub_path).value()));
      inner = MakeLogical(LogicalOp::kAnd, std::move(inner), std::move(cmp));
      return MakeValuePath(std::move(path), std::move(inner));
    }
    RETURN_IF_ERROR(Advance());
    return MakeValuePath(std::move(path), std::move(inner));
  }

  std::string_view text_;
  const FilterLimits& limits_;
  size_t pos_ = 0;
  Token tok_;
  int depth_ = 0;
  int terms_ = 0;
};

}  // namespace

Result<Filter> ParseFilter(std::string_view text, const FilterLimits& limits) {
  try {
    return Parser(text, limits).Run();
  } catch (const std::exception& e) {  // allocation failures and the like from Boost.JSON
    return InvalidFilterError(std::string("invalid filter: ") + e.what());
  }
}

}  // namespace provisio::scim
