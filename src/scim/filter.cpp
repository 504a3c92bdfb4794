#include "scim/filter.h"

#include <boost/json/serialize.hpp>

namespace provisio::scim {

std::string_view ToString(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "eq";
    case CompareOp::kNe:
      return "ne";
    case CompareOp::kCo:
      return "co";
    case CompareOp::kSw:
      return "sw";
    case CompareOp::kEw:
      return "ew";
    case CompareOp::kGt:
      return "gt";
    case CompareOp::kGe:
      return "ge";
    case CompareOp::kLt:
      return "lt";
    case CompareOp::kLe:
      return "le";
    case CompareOp::kPr:
      return "pr";
  }
  return "eq";
}

std::string_view ToString(LogicalOp op) { return op == LogicalOp::kAnd ? "and" : "or"; }

namespace {

bool PtrEq(const FilterPtr& a, const FilterPtr& b) {
  if (!a || !b) return !a && !b;
  return *a == *b;
}

bool ValueEq(const boost::json::value& a, const boost::json::value& b) {
  return a.kind() == b.kind() && a == b;
}

struct Printer {
  std::string& out;

  void Print(const Filter& f) { std::visit(*this, f.node); }

  void operator()(const Comparison& c) {
    out += ToString(c.path);
    out += ' ';
    out += ToString(c.op);
    if (c.op != CompareOp::kPr) {
      out += ' ';
      out += boost::json::serialize(c.value);
    }
  }
  void operator()(const Logical& l) {
    // Left-associative parse: a same-op child on the left needs no parentheses; `or` under
    // `and` and any same-op child on the right do.
    PrintChild(*l.lhs, l.op, /*right=*/false);
    out += ' ';
    out += ToString(l.op);
    out += ' ';
    PrintChild(*l.rhs, l.op, /*right=*/true);
  }
  void operator()(const Not& n) {
    out += "not (";
    Print(*n.operand);
    out += ')';
  }
  void operator()(const ValuePath& v) {
    out += ToString(v.path);
    out += '[';
    Print(*v.filter);
    out += ']';
  }

  void PrintChild(const Filter& child, LogicalOp parent, bool right) {
    const auto* l = std::get_if<Logical>(&child.node);
    bool parens = l != nullptr && ((parent == LogicalOp::kAnd && l->op == LogicalOp::kOr) ||
                                   (right && l->op == parent));
    if (parens) out += '(';
    Print(child);
    if (parens) out += ')';
  }
};

}  // namespace

bool operator==(const Filter& a, const Filter& b) {
  if (a.node.index() != b.node.index()) return false;
  if (const auto* c = std::get_if<Comparison>(&a.node)) {
    const auto& d = std::get<Comparison>(b.node);
    return c->path == d.path && c->op == d.op && ValueEq(c->value, d.value);
  }
  if (const auto* l = std::get_if<Logical>(&a.node)) {
    const auto& m = std::get<Logical>(b.node);
    return l->op == m.op && PtrEq(l->lhs, m.lhs) && PtrEq(l->rhs, m.rhs);
  }
  if (const auto* n = std::get_if<Not>(&a.node)) {
    return PtrEq(n->operand, std::get<Not>(b.node).operand);
  }
  const auto& v = std::get<ValuePath>(a.node);
  const auto& w = std::get<ValuePath>(b.node);
  return v.path == w.path && PtrEq(v.filter, w.filter);
}

Filter Clone(const Filter& filter) {
  if (const auto* c = std::get_if<Comparison>(&filter.node)) return Filter{*c};
  if (const auto* l = std::get_if<Logical>(&filter.node)) {
    return MakeLogical(l->op, Clone(*l->lhs), Clone(*l->rhs));
  }
  if (const auto* n = std::get_if<Not>(&filter.node)) return MakeNot(Clone(*n->operand));
  const auto& v = std::get<ValuePath>(filter.node);
  return MakeValuePath(v.path, Clone(*v.filter));
}

std::string ToString(const Filter& filter) {
  std::string out;
  Printer{out}.Print(filter);
  return out;
}

Filter MakeComparison(AttrPath path, CompareOp op, boost::json::value value) {
  return Filter{Comparison{std::move(path), op, std::move(value)}};
}

Filter MakeLogical(LogicalOp op, Filter lhs, Filter rhs) {
  return Filter{Logical{op, std::make_unique<Filter>(std::move(lhs)),
                        std::make_unique<Filter>(std::move(rhs))}};
}

Filter MakeNot(Filter operand) { return Filter{Not{std::make_unique<Filter>(std::move(operand))}}; }

Filter MakeValuePath(AttrPath path, Filter filter) {
  return Filter{ValuePath{std::move(path), std::make_unique<Filter>(std::move(filter))}};
}

}  // namespace provisio::scim
