#include "importsync/review.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "core/json.h"
#include "importsync/held.h"
#include "importsync/source_mapper.h"

namespace provisio::importsync {
namespace {

boost::json::object ParseObject(std::string_view text) {
  auto v = json::Parse(text.empty() ? "{}" : text);
  if (!v.ok() || !v->is_object()) return {};
  return std::move(v->as_object());
}

// An error with the precise code the admin API shows (details "reason").
Error Refuse(Code code, std::string_view reason, std::string message,
             boost::json::object details = {}) {
  details["reason"] = reason;
  return Error(code, std::move(message), std::move(details));
}

const boost::json::object* ObjectAt(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

std::string StringAt(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool IsHeld(const store::SourceLinkRow& l) {
  return l.state == "held" ||
         (l.state == "active" && ParseObject(l.detail).contains("held_change"));
}

boost::json::object UserSummary(directory::Directory& directory, const std::string& id) {
  boost::json::object o{{"id", id}};
  auto u = directory.GetUser(id, {.groups = false, .members = false});
  if (u.ok()) {
    o["userName"] = StringAt(u->body, "userName");
    o["displayName"] = StringAt(u->body, "displayName");
  } else {
    o["missing"] = true;
  }
  return o;
}

boost::json::object ItemJson(directory::Directory& directory, const store::SourceLinkRow& l) {
  boost::json::object d = ParseObject(l.detail);
  boost::json::object o{{"source_id", l.source_id},
                        {"source_name", l.source_name},
                        {"run_id", l.seen_run},
                        {"updated", FormatRfc3339(l.updated)}};
  if (l.state == "held") {
    std::string reason = StringAt(d, "reason");
    o["kind"] = "record";
    o["reason"] = reason.empty() ? "unmatched" : reason;
    o["message"] = StringAt(d, "message");
    o["record"] = d.contains("record") ? d.at("record") : boost::json::value(nullptr);
    o["source"] = d.contains("source") ? d.at("source") : boost::json::value(nullptr);
    boost::json::array candidates;
    if (const auto* c = d.if_contains("candidates"); c && c->is_array()) {
      for (const auto& id : c->as_array()) {
        if (id.is_string())
          candidates.push_back(UserSummary(directory, std::string(id.as_string())));
      }
    }
    o["candidates"] = std::move(candidates);
    if (d.contains("rule")) o["rule"] = d.at("rule");
    if (d.contains("linked_source_id")) o["linked_source_id"] = d.at("linked_source_id");
  } else {
    const boost::json::object* c = ObjectAt(d, "held_change");
    o["kind"] = "change";
    o["reason"] = "attribute_change";
    o["message"] = c ? StringAt(*c, "message") : "";
    o["user"] = UserSummary(directory, l.subject_id);
    o["changes"] = c && c->contains("changes") ? c->at("changes") : boost::json::array{};
    o["record"] = c && c->contains("record") ? c->at("record") : boost::json::value(nullptr);
  }
  return o;
}

Result<store::SourceLinkRow> HeldLink(store::Store& store, store::Transaction* tx,
                                      std::string_view application_id, std::string_view source_id) {
  ASSIGN_OR_RETURN(auto link, store.source_links().Get(tx, application_id, "user", source_id));
  if (!link) {
    return Error::NotFound("nothing was imported under source id " + std::string(source_id));
  }
  if (!IsHeld(*link)) {
    return Refuse(Code::kConflict, "not_held",
                  "source record " + std::string(source_id) + " is not held (its link is " +
                      link->state + ")",
                  {{"state", link->state}});
  }
  return std::move(*link);
}

bool HasOps(const boost::json::object& patch) {
  const auto* ops = patch.if_contains("Operations");
  return ops && ops->is_array() && !ops->as_array().empty();
}

}  // namespace

Result<HeldPage> ListHeld(store::Store& store, directory::Directory& directory,
                          std::string_view application_id, std::string_view after, size_t limit) {
  std::vector<store::SourceLinkRow> held;
  RETURN_IF_ERROR(
      store.source_links().Scan(application_id, "user", after, [&](const store::SourceLinkRow& l) {
        if (IsHeld(l)) held.push_back(l);
        return held.size() < limit;
      }));
  HeldPage page;
  for (const auto& l : held) page.items.push_back(ItemJson(directory, l));
  if (held.size() == limit && limit > 0) page.next = held.back().source_id;
  return page;
}

Result<boost::json::object> GetHeld(store::Store& store, directory::Directory& directory,
                                    std::string_view application_id, std::string_view source_id) {
  ASSIGN_OR_RETURN(auto link, HeldLink(store, nullptr, application_id, source_id));
  return ItemJson(directory, link);
}

Result<Outcome> Approve(store::Store& store, directory::Directory& directory,
                        store::Transaction& tx, std::string_view application_id,
                        std::string_view source_id, const Approval& approval, TimePoint now) {
  ASSIGN_OR_RETURN(store::SourceLinkRow link, HeldLink(store, &tx, application_id, source_id));
  boost::json::object d = ParseObject(link.detail);
  Outcome out{{"source_id", link.source_id}, {"decision", "approved"}};
  if (link.state == "held") {
    if (approval.action == Approval::Action::kApply) {
      return Refuse(Code::kInvalidValue, "invalid_value",
                    "a held record is approved with action \"create\" or \"link\"",
                    {{"field", "action"}});
    }
    const boost::json::object* record = ObjectAt(d, "record");
    if (!record) {
      return Refuse(Code::kConflict, "not_held",
                    "this record was held by an import that did not keep it; run the import "
                    "again to hold it with its record");
    }
    std::string user_id;
    if (approval.action == Approval::Action::kCreate) {
      ASSIGN_OR_RETURN(auto created, directory.CreateUser(*record, &tx));
      user_id = StringAt(created.body, "id");
      out["action"] = "create";
    } else {
      auto user = directory.GetUser(approval.user_id, {.groups = false, .members = false});
      if (!user.ok()) {
        if (user.error().code() != Code::kNotFound) return std::move(user).error();
        return Refuse(Code::kInvalidValue, "unknown_user", "no user with id " + approval.user_id,
                      {{"field", "user_id"}});
      }
      ASSIGN_OR_RETURN(auto other, store.source_links().FindBySubject(&tx, application_id, "user",
                                                                      approval.user_id));
      if (other && other->source_id != link.source_id) {
        return Refuse(Code::kConflict, "already_linked",
                      "the user is linked to another source account (" + other->source_id + ")",
                      {{"field", "user_id"}, {"linked_source_id", other->source_id}});
      }
      // The admin looked at the record and chose the user: the user takes its values, as a
      // linked record does on import.
      boost::json::object patch = MinimalPatch(user->body, *record);
      if (HasOps(patch)) {
        RETURN_IF_ERROR(directory.PatchUser(approval.user_id, patch, {}, &tx));
      }
      user_id = approval.user_id;
      out["action"] = "link";
      out["operations"] = patch.at("Operations");
    }
    link.subject_id = user_id;
    link.state = "active";
    link.detail = "{}";
    out["user_id"] = user_id;
  } else {
    if (approval.action != Approval::Action::kApply) {
      return Refuse(Code::kInvalidValue, "invalid_value",
                    "a held attribute change is approved with action \"apply\" (or none)",
                    {{"field", "action"}});
    }
    const boost::json::object* change = ObjectAt(d, "held_change");
    boost::json::array ops;
    if (const auto* o = change ? change->if_contains("operations") : nullptr; o && o->is_array()) {
      ops = o->as_array();
    }
    if (!ops.empty()) {
      auto patched = directory.PatchUser(link.subject_id, PatchOf(ops), {}, &tx);
      if (!patched.ok()) {
        if (patched.error().code() != Code::kNotFound) return std::move(patched).error();
        return Refuse(Code::kConflict, "not_held",
                      "the linked portal user " + link.subject_id + " no longer exists");
      }
    }
    out["action"] = "apply";
    out["user_id"] = link.subject_id;
    out["operations"] = std::move(ops);
    d.erase("held_change");
    link.detail = boost::json::serialize(d);
  }
  link.updated = now;
  RETURN_IF_ERROR(store.source_links().Upsert(tx, link));
  return out;
}

Result<Outcome> RejectHeld(store::Store& store, store::Transaction& tx,
                           std::string_view application_id, std::string_view source_id,
                           TimePoint now) {
  ASSIGN_OR_RETURN(store::SourceLinkRow link, HeldLink(store, &tx, application_id, source_id));
  boost::json::object d = ParseObject(link.detail);
  Outcome out{{"source_id", link.source_id}, {"decision", "rejected"}};
  if (link.state == "held") {
    // Kept with its hash: the next import skips it while the source record is unchanged.
    link.state = "rejected";
    d["rejected_at"] = FormatRfc3339(now);
    out["kind"] = "record";
  } else {
    // The portal keeps its values; each rejected value is remembered per attribute, so the
    // same change is not held again (a different value is).
    boost::json::object rejected;
    if (const auto* r = ObjectAt(d, "rejected")) rejected = *r;
    boost::json::array paths;
    if (const auto* c = ObjectAt(d, "held_change")) {
      if (const auto* ops = c->if_contains("operations"); ops && ops->is_array()) {
        for (const auto& op : ops->as_array()) {
          if (!op.is_object()) continue;
          std::string path = StringAt(op.as_object(), "path");
          rejected[path] = op.as_object().contains("value") ? op.as_object().at("value")
                                                            : boost::json::value(nullptr);
          paths.push_back(boost::json::value(path));
        }
      }
    }
    d.erase("held_change");
    d["rejected"] = std::move(rejected);
    out["kind"] = "change";
    out["paths"] = std::move(paths);
    out["user_id"] = link.subject_id;
  }
  link.detail = boost::json::serialize(d);
  link.updated = now;
  RETURN_IF_ERROR(store.source_links().Upsert(tx, link));
  return out;
}

}  // namespace provisio::importsync

namespace provisio::importsync {

Result<HeldPage> ListAccounts(store::Store& store, std::string_view application_id,
                              std::string_view after, size_t limit, std::string_view entitlement) {
  ASSIGN_OR_RETURN(auto known, store.entitlements().List(application_id));
  std::map<std::string, const store::EntitlementRow*, std::less<>> by_id;
  for (const auto& e : known) by_id[e.entitlement_id] = &e;
  HeldPage page;
  std::string last;
  RETURN_IF_ERROR(
      store.source_links().Scan(application_id, "user", after, [&](const store::SourceLinkRow& l) {
        if (page.items.size() >= limit) {
          page.next = last;
          return false;
        }
        boost::json::object d = ParseObject(l.detail);
        std::vector<std::string> ids;
        for (std::string_view key : {"groups", "entitlements"}) {
          if (const auto* v = d.if_contains(key); v && v->is_array()) {
            for (const auto& e : v->as_array()) {
              if (e.is_string()) ids.emplace_back(e.as_string());
            }
          }
        }
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        if (!entitlement.empty() && !std::binary_search(ids.begin(), ids.end(), entitlement)) {
          return true;
        }
        boost::json::array ents;
        for (const auto& id : ids) {
          boost::json::object e{{"id", id}};
          if (auto it = by_id.find(id); it != by_id.end()) {
            e["kind"] = it->second->kind;
            e["display_name"] = it->second->display_name;
          } else {
            e["kind"] = nullptr;  // not (or no longer) among the application's entitlements
            e["display_name"] = nullptr;
          }
          ents.push_back(std::move(e));
        }
        page.items.push_back(boost::json::object{
            {"source_id", l.source_id},
            {"source_name", l.source_name},
            {"state", l.state},
            {"user_id",
             l.subject_id.empty() ? boost::json::value(nullptr) : boost::json::value(l.subject_id)},
            {"entitlements", std::move(ents)},
            {"run_id", l.seen_run},
            {"updated", FormatRfc3339(l.updated)}});
        last = l.source_id;
        return true;
      }));
  return page;
}

}  // namespace provisio::importsync
