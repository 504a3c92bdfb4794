#include "emulators/salesforce/soql.h"

#include <cctype>
#include <charconv>

namespace provisio::emulators::soql {
namespace {

struct Token {
  enum class Kind { kWord, kString, kSymbol, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;
};

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

Error Malformed(std::string_view why) {
  return Error::InvalidArgument("unexpected token: " + std::string(why));
}

Result<std::vector<Token>> Lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '\'') {
      std::string value;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char d = s[i++];
        if (d == '\\') {
          if (i >= s.size()) return Malformed("unterminated escape");
          char e = s[i++];
          switch (e) {
            case 'n':
              value += '\n';
              break;
            case 'r':
              value += '\r';
              break;
            case 't':
              value += '\t';
              break;
            case 'b':
              value += '\b';
              break;
            case 'f':
              value += '\f';
              break;
            case '\\':
            case '\'':
            case '"':
            case '_':
            case '%':
              value += e;
              break;
            default:
              return Malformed(std::string("invalid escape \\") + e);
          }
        } else if (d == '\'') {
          closed = true;
          break;
        } else {
          value += d;
        }
      }
      if (!closed) return Malformed("unterminated string");
      out.push_back({Token::Kind::kString, std::move(value)});
    } else if (c == '!' && i + 1 < s.size() && s[i + 1] == '=') {
      out.push_back({Token::Kind::kSymbol, "!="});
      i += 2;
    } else if (c == ',' || c == '=' || c == '(' || c == ')') {
      out.push_back({Token::Kind::kSymbol, std::string(1, c)});
      ++i;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-') {
      size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                              s[j] == '.' || s[j] == '-')) {
        ++j;
      }
      out.push_back({Token::Kind::kWord, std::string(s.substr(i, j - i))});
      i = j;
    } else {
      return Malformed(std::string(1, c));
    }
  }
  out.push_back({});
  return out;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  Result<Query> Run() {
    Query q;
    if (!Keyword("SELECT")) return Malformed(Peek().text);
    do {
      if (Peek().kind != Token::Kind::kWord || IsKeyword(Peek().text)) {
        return Malformed(Peek().text.empty() ? "<end>" : Peek().text);
      }
      q.fields.push_back(Next().text);
    } while (Symbol(","));
    if (!Keyword("FROM")) return Malformed(Peek().text.empty() ? "<end>" : Peek().text);
    if (Peek().kind != Token::Kind::kWord) return Malformed("<end>");
    q.object = Next().text;
    if (Keyword("WHERE")) {
      do {
        Condition c;
        if (Peek().kind != Token::Kind::kWord) return Malformed(Peek().text);
        c.field = Next().text;
        if (Symbol("=")) {
        } else if (Symbol("!=")) {
          c.negated = true;
        } else if (Keyword("IN")) {
          if (!Symbol("(")) return Malformed(Peek().text);
          do {
            ASSIGN_OR_RETURN(Literal l, Value());
            c.values.push_back(std::move(l));
          } while (Symbol(","));
          if (!Symbol(")")) return Malformed(Peek().text);
          q.where.push_back(std::move(c));
          continue;
        } else {
          return Malformed(Peek().text.empty() ? "<end>" : Peek().text);
        }
        ASSIGN_OR_RETURN(Literal l, Value());
        c.values.push_back(std::move(l));
        q.where.push_back(std::move(c));
      } while (Keyword("AND"));
    }
    if (Keyword("ORDER")) {
      if (!Keyword("BY") || Peek().kind != Token::Kind::kWord) return Malformed(Peek().text);
      q.order_by = Next().text;
      if (Keyword("DESC")) {
        q.descending = true;
      } else {
        Keyword("ASC");
      }
    }
    if (Keyword("LIMIT")) {
      size_t n = 0;
      const std::string& text = Peek().text;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (Peek().kind != Token::Kind::kWord || ec != std::errc() ||
          p != text.data() + text.size()) {
        return Malformed(text);
      }
      Next();
      q.limit = n;
    }
    if (Peek().kind != Token::Kind::kEnd) return Malformed(Peek().text);
    return q;
  }

 private:
  static bool IsKeyword(std::string_view w) {
    for (std::string_view k : {"FROM", "WHERE", "AND", "ORDER", "LIMIT"}) {
      if (IEquals(w, k)) return true;
    }
    return false;
  }
  const Token& Peek() const { return t_[pos_]; }
  const Token& Next() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }
  bool Keyword(std::string_view k) {
    if (Peek().kind == Token::Kind::kWord && IEquals(Peek().text, k)) {
      Next();
      return true;
    }
    return false;
  }
  bool Symbol(std::string_view s) {
    if (Peek().kind == Token::Kind::kSymbol && Peek().text == s) {
      Next();
      return true;
    }
    return false;
  }
  Result<Literal> Value() {
    const Token& t = Peek();
    if (t.kind == Token::Kind::kString) return Literal{Literal::Kind::kString, Next().text};
    if (t.kind == Token::Kind::kWord) {
      if (IEquals(t.text, "true") || IEquals(t.text, "false")) {
        bool v = IEquals(t.text, "true");
        Next();
        return Literal{Literal::Kind::kBool, v ? "true" : "false"};
      }
      if (IEquals(t.text, "null")) {
        Next();
        return Literal{Literal::Kind::kNull, ""};
      }
      if (!t.text.empty() &&
          (std::isdigit(static_cast<unsigned char>(t.text[0])) || t.text[0] == '-')) {
        return Literal{Literal::Kind::kNumber, Next().text};
      }
    }
    return Malformed(t.text.empty() ? "<end>" : t.text);
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
};

}  // namespace

Result<Query> Parse(std::string_view text) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(text));
  return Parser(std::move(tokens)).Run();
}

}  // namespace provisio::emulators::soql
