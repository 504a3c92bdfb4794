#include <algorithm>

#include "core/clock.h"
#include "directory/directory.h"
#include "directory/resource_parts.h"
#include "scim/filter_eval.h"

namespace provisio::directory {
namespace {

using store::ScanSpec;

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Narrows a scan with what the store can answer from an index. The filter is still
// evaluated on every row the scan visits, so a hint only has to select a superset.
void HintFromFilter(const scim::Filter& f, bool users, ScanSpec& spec) {
  if (const auto* c = std::get_if<scim::Comparison>(&f.node)) {
    if (!c->path.urn.empty()) return;
    const std::string& attr = c->path.attr;
    if (c->op == scim::CompareOp::kEq && c->value.is_string() && !spec.lookup) {
      std::string value(c->value.get_string());
      using F = ScanSpec::Field;
      if (c->path.sub.empty() && IEquals(attr, "id")) {
        spec.lookup = ScanSpec::Lookup{F::kId, value};
      } else if (c->path.sub.empty() && IEquals(attr, "externalId")) {
        spec.lookup = ScanSpec::Lookup{F::kExternalId, value};
      } else if (c->path.sub.empty() && IEquals(attr, "displayName")) {
        spec.lookup = ScanSpec::Lookup{F::kDisplayName, value};
      } else if (users && c->path.sub.empty() && IEquals(attr, "userName")) {
        spec.lookup = ScanSpec::Lookup{F::kUserName, value};
      } else if (users && IEquals(attr, "emails") &&
                 (c->path.sub.empty() || IEquals(c->path.sub, "value"))) {
        spec.lookup = ScanSpec::Lookup{F::kEmail, value};
      }
    }
    if ((c->op == scim::CompareOp::kGt || c->op == scim::CompareOp::kGe) && IEquals(attr, "meta") &&
        IEquals(c->path.sub, "lastModified") && c->value.is_string() && !spec.modified_after) {
      if (auto t = ParseRfc3339(c->value.get_string())) {
        spec.modified_after = *t;
        spec.modified_inclusive = c->op == scim::CompareOp::kGe;
      }
    }
    return;
  }
  if (const auto* vp = std::get_if<scim::ValuePath>(&f.node)) {
    // emails[value eq "x"] or emails[type eq "work" and value eq "x"]
    if (!users || !vp->path.urn.empty() || !IEquals(vp->path.attr, "emails")) return;
    ScanSpec inner;
    HintFromFilter(*vp->filter, false, inner);
    if (const auto* c = std::get_if<scim::Comparison>(&vp->filter->node)) {
      if (c->op == scim::CompareOp::kEq && IEquals(c->path.attr, "value") && c->value.is_string() &&
          !spec.lookup) {
        spec.lookup = ScanSpec::Lookup{ScanSpec::Field::kEmail, std::string(c->value.get_string())};
      }
    } else if (const auto* l = std::get_if<scim::Logical>(&vp->filter->node)) {
      if (l->op != scim::LogicalOp::kAnd) return;
      for (const auto* side : {l->lhs.get(), l->rhs.get()}) {
        scim::Filter wrapped{
            scim::ValuePath{vp->path, std::make_unique<scim::Filter>(scim::Clone(*side))}};
        HintFromFilter(wrapped, users, spec);
      }
    }
    return;
  }
  if (const auto* l = std::get_if<scim::Logical>(&f.node)) {
    // Either side of an AND narrows the whole; an OR could only use an index per side.
    if (l->op == scim::LogicalOp::kAnd) {
      HintFromFilter(*l->lhs, users, spec);
      HintFromFilter(*l->rhs, users, spec);
    }
  }
}

// True when the filter names `attr` anywhere (so derived attributes must be loaded).
bool Mentions(const scim::Filter& f, std::string_view attr) {
  if (const auto* c = std::get_if<scim::Comparison>(&f.node)) return IEquals(c->path.attr, attr);
  if (const auto* vp = std::get_if<scim::ValuePath>(&f.node)) return IEquals(vp->path.attr, attr);
  if (const auto* l = std::get_if<scim::Logical>(&f.node)) {
    return Mentions(*l->lhs, attr) || Mentions(*l->rhs, attr);
  }
  if (const auto* n = std::get_if<scim::Not>(&f.node)) return Mentions(*n->operand, attr);
  return false;
}

// Walks candidate rows, keeps the matching ones a page needs, counts them all.
template <typename Row>
Result<ListResult> ListMatches(
    const scim::ListQuery& q, const scim::ResourceType& type, size_t max_sorted,
    int64_t total_without_filter,
    const std::function<Status(const ScanSpec&, const store::Visitor<Row>&)>& scan,
    const std::function<Result<Resource>(const Row&)>& build, bool users) {
  ListResult out;
  const bool sorted = q.sort_by.has_value();
  const size_t first = static_cast<size_t>(q.start_index - 1);
  const size_t count = static_cast<size_t>(q.count);
  ScanSpec spec;
  if (q.filter) HintFromFilter(*q.filter, users, spec);

  if (!q.filter && !sorted && total_without_filter >= 0) {
    // Nothing to evaluate: the page comes straight from the store's order.
    out.total = static_cast<uint64_t>(total_without_filter);
    if (count == 0) return out;
    spec.offset = first;
    spec.page_size = std::min<size_t>(count, 1000);
    Status inner = Ok();
    RETURN_IF_ERROR(scan(spec, [&](const Row& row) {
      auto r = build(row);
      if (!r.ok()) {
        inner = std::move(r).error();
        return false;
      }
      out.page.push_back(std::move(r->body));
      return out.page.size() < count;
    }));
    RETURN_IF_ERROR(inner);
    return out;
  }

  std::vector<boost::json::object> matches;
  Status inner = Ok();
  RETURN_IF_ERROR(scan(spec, [&](const Row& row) {
    auto r = build(row);
    if (!r.ok()) {
      inner = std::move(r).error();
      return false;
    }
    if (q.filter && !scim::Matches(*q.filter, r->body, type)) return true;
    size_t index = out.total++;
    if (sorted) {
      if (matches.size() >= max_sorted) {
        inner = Error(Code::kTooMany, "sortBy over more than " + std::to_string(max_sorted) +
                                          " results; narrow the filter");
        return false;
      }
      matches.push_back(std::move(r->body));
    } else if (index >= first && index < first + count) {
      out.page.push_back(std::move(r->body));
    }
    return true;
  }));
  RETURN_IF_ERROR(inner);
  if (sorted) {
    scim::SortResources(matches, q, type);
    auto [b, e] = scim::PageRange(matches.size(), q);
    for (size_t i = b; i < e; ++i) out.page.push_back(std::move(matches[i]));
  }
  return out;
}

// True when the filter or the sort needs the derived attribute `attr` of every candidate.
bool Evaluates(const scim::ListQuery& q, std::string_view attr) {
  return (q.filter && Mentions(*q.filter, attr)) ||
         (q.sort_by && q.sort_by->urn.empty() && IEquals(q.sort_by->attr, attr));
}

// ListMatches, where `build` makes what the filter and the sort evaluate and `complete` (when
// set) then adds to each resource of the page what only the answer needs.
template <typename Row>
Result<ListResult> RunList(
    const scim::ListQuery& q, const scim::ResourceType& type, size_t max_sorted,
    int64_t total_without_filter,
    const std::function<Status(const ScanSpec&, const store::Visitor<Row>&)>& scan,
    const std::function<Result<Resource>(const Row&)>& build,
    const std::function<Status(boost::json::object&)>& complete, bool users) {
  ASSIGN_OR_RETURN(ListResult out,
                   ListMatches(q, type, max_sorted, total_without_filter, scan, build, users));
  if (complete) {
    for (auto& body : out.page) RETURN_IF_ERROR(complete(body));
  }
  return out;
}

}  // namespace

Result<ListResult> Directory::ListUsers(const scim::ListQuery& q, const ReadOptions& options) {
  // A user's groups are read for every candidate only when the filter or the sort needs them;
  // otherwise for the page alone (one read per user: a read per scanned row made a filter over
  // 100,000 users 100,000 round trips on PostgreSQL).
  const bool evaluated = Evaluates(q, "groups");
  int64_t total = -1;
  if (!q.filter && !q.sort_by) {
    ASSIGN_OR_RETURN(total, store_.users().Count());
  }
  std::function<Status(boost::json::object&)> complete;
  if (options.groups && !evaluated) {
    complete = [&](boost::json::object& body) {
      return AddGroups(nullptr, body.at("id").as_string(), body);
    };
  }
  return RunList<store::UserRow>(
      q, *user_type_, limits_.max_sorted_results, total,
      [&](const ScanSpec& s, const store::Visitor<store::UserRow>& v) {
        return store_.users().Scan(s, v);
      },
      [&](const store::UserRow& row) {
        return UserFromRow(nullptr, row, {.groups = evaluated, .members = false});
      },
      complete, true);
}

Result<ListResult> Directory::ListGroups(const scim::ListQuery& q, const ReadOptions& options) {
  // Members likewise: for every candidate only when the filter or the sort needs them.
  const bool evaluated = Evaluates(q, "members");
  std::function<Status(boost::json::object&)> complete;
  if (options.members && !evaluated) {
    complete = [&](boost::json::object& body) {
      return AddMembers(nullptr, body.at("id").as_string(), body);
    };
  }
  return RunList<store::GroupRow>(
      q, *group_type_, limits_.max_sorted_results, -1,
      [&](const ScanSpec& s, const store::Visitor<store::GroupRow>& v) {
        return store_.groups().Scan(s, v);
      },
      [&](const store::GroupRow& row) {
        return GroupFromRow(nullptr, row, {.groups = false, .members = evaluated});
      },
      complete, false);
}

}  // namespace provisio::directory
