#include "mapping/expression_parser.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "mapping/utf8.h"
#include "scim/text.h"

namespace provisio::mapping {

namespace json = boost::json;

namespace {

constexpr std::string_view kExpectedExpression =
    "expected an expression: an attribute in brackets such as [userName], a \"string\", a "
    "number, true, false, null or a function call such as Join(\" \", [name.givenName], "
    "[name.familyName])";

enum class Tok { kEnd, kReference, kString, kNumber, kName, kLParen, kRParen, kComma, kEquals };

struct Token {
  Tok kind = Tok::kEnd;
  size_t pos = 0;  // byte offset
  std::string_view text;
};

class Parser {
 public:
  Parser(std::string_view text, const ExpressionLimits& limits) : text_(text), limits_(limits) {}

  Result<Expression> Parse() {
    if (text_.size() > limits_.max_length) {
      return FailAt(limits_.max_length, "expected at most " + std::to_string(limits_.max_length) +
                                            " bytes in an expression");
    }
    RETURN_IF_ERROR(Next());
    if (tok_.kind == Tok::kEnd) return Fail(std::string(kExpectedExpression));
    ASSIGN_OR_RETURN(Expression e, ParseExpr(0));
    if (tok_.kind != Tok::kEnd) {
      return Fail("expected the end of the expression, found " + Describe(tok_));
    }
    return e;
  }

 private:
  Error FailAt(size_t offset, const std::string& what) const {
    size_t pos = CharPosition(text_, offset);
    return Error(Code::kInvalidArgument,
                 "invalid expression at position " + std::to_string(pos) + ": " + what,
                 {{"position", pos}});
  }
  Error Fail(const std::string& what) const { return FailAt(tok_.pos, what); }

  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case Tok::kEnd:
        return "the end of the expression";
      case Tok::kRParen:
        return "')'";
      case Tok::kLParen:
        return "'('";
      case Tok::kComma:
        return "','";
      case Tok::kEquals:
        return "'='";
      default:
        return "'" + std::string(t.text.substr(0, 40)) + "'";
    }
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  static bool IsNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  Status Next() {
    SkipSpace();
    size_t start = pos_;
    tok_ = Token{Tok::kEnd, start, {}};
    if (pos_ >= text_.size()) return Ok();
    char c = text_[pos_];
    auto single = [&](Tok kind) {
      tok_ = Token{kind, start, text_.substr(start, 1)};
      ++pos_;
      return Ok();
    };
    switch (c) {
      case '(':
        return single(Tok::kLParen);
      case ')':
        return single(Tok::kRParen);
      case ',':
        return single(Tok::kComma);
      case '=':
        return single(Tok::kEquals);
      case '[':
        return LexReference();
      case '"':
        return LexString();
      default:
        break;
    }
    if (IsDigit(c) || (c == '-' && pos_ + 1 < text_.size() && IsDigit(text_[pos_ + 1]))) {
      return LexNumber();
    }
    if (IsNameStart(c)) {
      // Dots too, so a bare `user.userName` is reported whole (with a bracketed hint).
      while (pos_ < text_.size() &&
             (IsNameStart(text_[pos_]) || IsDigit(text_[pos_]) || text_[pos_] == '.')) {
        ++pos_;
      }
      tok_ = Token{Tok::kName, start, text_.substr(start, pos_ - start)};
      return Ok();
    }
    if (c == '\'') {
      return FailAt(start, "expected a string in double quotes (\"...\"), not single quotes");
    }
    return FailAt(start, "unexpected character; " + std::string(kExpectedExpression));
  }

  Status LexReference() {
    size_t start = pos_;
    int depth = 0;
    for (size_t i = pos_; i < text_.size(); ++i) {
      char c = text_[i];
      if (c == '"') {
        for (++i; i < text_.size() && text_[i] != '"'; ++i) {
          if (text_[i] == '\\') ++i;
        }
      } else if (c == '[') {
        ++depth;
      } else if (c == ']' && --depth == 0) {
        pos_ = i + 1;
        tok_ = Token{Tok::kReference, start, text_.substr(start, pos_ - start)};
        return Ok();
      }
    }
    return FailAt(start, "expected ']' to close the attribute reference opened here");
  }

  Status LexString() {
    size_t start = pos_;
    string_.clear();
    for (size_t i = pos_ + 1; i < text_.size(); ++i) {
      char c = text_[i];
      if (c == '"') {
        pos_ = i + 1;
        tok_ = Token{Tok::kString, start, text_.substr(start, pos_ - start)};
        return Ok();
      }
      if (c == '\\') {
        if (i + 1 < text_.size() && (text_[i + 1] == '"' || text_[i + 1] == '\\')) {
          string_ += text_[++i];
          continue;
        }
        return FailAt(i, "expected \\\" or \\\\ after a backslash in a string");
      }
      string_ += c;
    }
    return FailAt(start, "expected '\"' to close the string opened here");
  }

  Status LexNumber() {
    size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    bool is_double = false;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      is_double = true;
      ++pos_;
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) {
        return FailAt(pos_, "expected a digit after the decimal point");
      }
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      is_double = true;
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) {
        return FailAt(pos_, "expected a digit in the exponent");
      }
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (IsNameStart(text_[pos_]) || text_[pos_] == '.')) {
      return FailAt(pos_, "expected a separator after the number");
    }
    tok_ = Token{Tok::kNumber, start, text_.substr(start, pos_ - start)};
    std::string s(tok_.text);
    if (!is_double) {
      int64_t n = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), n);
      if (r.ec == std::errc() && r.ptr == s.data() + s.size()) {
        number_ = n;
        return Ok();
      }
    }
    double d = std::strtod(s.c_str(), nullptr);
    if (!std::isfinite(d)) return FailAt(start, "expected a number of a representable size");
    number_ = d;
    return Ok();
  }

  Result<Expression> ParseExpr(size_t depth) {
    if (depth > limits_.max_depth) {
      return Fail("expected at most " + std::to_string(limits_.max_depth) + " nested calls");
    }
    ASSIGN_OR_RETURN(Expression lhs, ParseOperand(depth));
    if (tok_.kind != Tok::kEquals) return lhs;
    RETURN_IF_ERROR(Next());
    if (tok_.kind == Tok::kEnd || tok_.kind == Tok::kComma || tok_.kind == Tok::kRParen) {
      return Fail("expected an expression after '='");
    }
    ASSIGN_OR_RETURN(Expression rhs, ParseOperand(depth));
    if (tok_.kind == Tok::kEquals) return Fail("expected ',' or ')': '=' does not chain");
    Expression e{Call{Function::kEquals, {}}, lhs.position};
    auto& call = std::get<Call>(e.node);
    call.args.push_back(std::move(lhs));
    call.args.push_back(std::move(rhs));
    return e;
  }

  Result<Expression> ParseOperand(size_t depth) {
    Token t = tok_;
    size_t position = CharPosition(text_, t.pos);
    switch (t.kind) {
      case Tok::kString: {
        Expression e{Literal{json::value(json::string(string_))}, position};
        RETURN_IF_ERROR(Next());
        return e;
      }
      case Tok::kNumber: {
        Expression e{Literal{number_}, position};
        RETURN_IF_ERROR(Next());
        return e;
      }
      case Tok::kReference: {
        std::string_view inner = t.text.substr(1, t.text.size() - 2);
        size_t lead = 0;
        while (lead < inner.size() && inner[lead] == ' ') ++lead;
        size_t trail = inner.size();
        while (trail > lead && inner[trail - 1] == ' ') --trail;
        std::string_view trimmed = inner.substr(lead, trail - lead);
        auto path = ParseAttributePath(trimmed);
        if (!path.ok()) {
          size_t inner_offset = 0;
          if (const auto* p = path.error().details().if_contains("position")) {
            inner_offset = static_cast<size_t>(p->to_number<int64_t>()) - 1;
          }
          // Re-anchor the path's character position at the reference in the expression.
          std::string message = path.error().message();
          size_t colon = message.find(": ");
          std::string what = colon == std::string::npos ? message : message.substr(colon + 2);
          size_t byte = t.pos + 1 + lead;
          for (size_t k = 0; k < inner_offset && byte < t.pos + 1 + trail; ++k) {
            ++byte;
            while (byte < text_.size() &&
                   (static_cast<unsigned char>(text_[byte]) & 0xC0) == 0x80) {
              ++byte;
            }
          }
          return FailAt(byte, what);
        }
        Expression e{Reference{std::move(path).value()}, position};
        RETURN_IF_ERROR(Next());
        return e;
      }
      case Tok::kName:
        return ParseName(depth);
      case Tok::kEnd:
        return Fail(std::string(kExpectedExpression) + ", found the end");
      default:
        return Fail(std::string(kExpectedExpression) + ", found " + Describe(t));
    }
  }

  Result<Expression> ParseName(size_t depth) {
    Token name = tok_;
    size_t position = CharPosition(text_, name.pos);
    RETURN_IF_ERROR(Next());
    if (tok_.kind != Tok::kLParen) {
      if (scim::IEquals(name.text, "true")) return Expression{Literal{true}, position};
      if (scim::IEquals(name.text, "false")) return Expression{Literal{false}, position};
      if (scim::IEquals(name.text, "null")) return Expression{Literal{nullptr}, position};
      if (FindFunction(name.text) != nullptr) {
        return Fail("expected '(' after the function name " + std::string(name.text));
      }
      std::string_view hint = name.text;
      if (scim::IStartsWith(hint, "user.") && hint.size() > 5) hint.remove_prefix(5);
      return FailAt(name.pos, "unknown name '" + std::string(name.text) +
                                  "': write attribute references in brackets, e.g. [" +
                                  std::string(hint) + "], and strings in double quotes");
    }
    const FunctionInfo* f = FindFunction(name.text);
    if (f == nullptr) {
      return FailAt(name.pos, "unknown function '" + std::string(name.text) +
                                  "'; expected one of " + FunctionNames());
    }
    Expression e{Call{f->function, {}}, position};
    auto& args = std::get<Call>(e.node).args;
    RETURN_IF_ERROR(Next());
    if (tok_.kind != Tok::kRParen) {
      while (true) {
        if (tok_.kind == Tok::kComma || tok_.kind == Tok::kRParen) {
          return Fail("expected an argument of " + std::string(f->signature));
        }
        ASSIGN_OR_RETURN(Expression arg, ParseExpr(depth + 1));
        args.push_back(std::move(arg));
        if (tok_.kind == Tok::kComma) {
          RETURN_IF_ERROR(Next());
          continue;
        }
        if (tok_.kind == Tok::kRParen) break;
        return Fail("expected ',' or ')' in " + std::string(f->signature) + ", found " +
                    Describe(tok_));
      }
    }
    std::string arity = CheckArity(f->function, args.size());
    if (!arity.empty()) {
      return FailAt(name.pos, std::string(f->name) + " expects " + arity + " (" +
                                  std::string(f->signature) + "), got " +
                                  std::to_string(args.size()));
    }
    RETURN_IF_ERROR(Next());
    return e;
  }

  static std::string FunctionNames() {
    std::string out;
    for (const FunctionInfo& f : Functions()) {
      if (!out.empty()) out += ", ";
      out += f.name;
    }
    return out;
  }

  std::string_view text_;
  const ExpressionLimits& limits_;
  size_t pos_ = 0;
  Token tok_;
  std::string string_;  // the decoded value of the current string token
  json::value number_;  // the value of the current number token
};

}  // namespace

Result<Expression> ParseExpression(std::string_view text, const ExpressionLimits& limits) {
  return Parser(text, limits).Parse();
}

}  // namespace provisio::mapping
