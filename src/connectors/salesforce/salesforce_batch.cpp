// SalesforceConnector's batches: the sObject Collections API (composite/sobjects). A call
// answers 200 with one SaveResult per record, in order; failures ride in those results.
#include <boost/json.hpp>

#include "connectors/error_class.h"
#include "connectors/salesforce/salesforce_connector.h"
#include "connectors/salesforce/salesforce_errors.h"
#include "core/json.h"

namespace provisio::connectors::salesforce {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

Error RecordError(const object& result, std::string_view what) {
  std::string code, message;
  if (const auto* errors = result.if_contains("errors"); errors && errors->is_array()) {
    for (const auto& e : errors->as_array()) {
      if (!e.is_object()) continue;
      code = std::string(json::GetString(e.as_object(), "statusCode").value_or(""));
      message = std::string(json::GetString(e.as_object(), "message").value_or(""));
      break;
    }
  }
  ErrorClass c = code.empty() ? ErrorClass::kFatal : ClassOfSalesforceCode(0, code);
  return ClassifiedError(c, std::string(what) +
                                " record failed: " + (code.empty() ? "no error given" : code) +
                                (message.empty() ? "" : ": " + message.substr(0, 300)));
}

}  // namespace

std::vector<Result<Account>> SalesforceConnector::SendCollection(std::string_view method,
                                                                 std::span<const object> records) {
  std::string what = std::string(method) + " composite/sobjects";
  array list;
  for (const auto& r : records) {
    object rec = r;
    rec["attributes"] = object{{"type", "User"}};
    list.push_back(std::move(rec));
  }
  value body = object{{"allOrNone", false}, {"records", std::move(list)}};
  auto r = Send(method, Api() + "/composite/sobjects", &body);
  if (!r.ok()) return std::vector<Result<Account>>(records.size(), r.error());
  auto answer = json::Parse(r->body);
  if (!answer.ok() || !answer->is_array() || answer->as_array().size() != records.size()) {
    Error e =
        ClassifiedError(ErrorClass::kFatal, what + " did not answer one SaveResult per record",
                        {r->status, std::nullopt});
    return std::vector<Result<Account>>(records.size(), e);
  }
  std::vector<Result<Account>> out;
  out.reserve(records.size());
  const array& results = answer->as_array();
  for (size_t i = 0; i < records.size(); ++i) {
    const object* result = results[i].is_object() ? &results[i].as_object() : nullptr;
    if (result == nullptr || !json::GetBool(*result, "success").value_or(false)) {
      out.push_back(
          result ? RecordError(*result, what)
                 : ClassifiedError(ErrorClass::kFatal, what + ": a SaveResult is no object"));
      continue;
    }
    Account a;
    a.id = std::string(json::GetString(*result, "id").value_or(""));
    if (a.id.empty()) a.id = std::string(json::GetString(records[i], "id").value_or(""));
    if (a.id.empty()) {
      out.push_back(ClassifiedError(ErrorClass::kFatal, what + " answered no id"));
      continue;
    }
    a.attributes = records[i];
    a.attributes.erase("id");
    a.attributes["Id"] = a.id;
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<Result<Account>> SalesforceConnector::ApplyBatch(std::span<const BatchWrite> writes) {
  std::vector<std::optional<Result<Account>>> results(writes.size());
  // Creates and updates are different calls (POST and PATCH); each keeps the writes' order.
  for (bool creating : {true, false}) {
    std::vector<object> records;
    std::vector<size_t> index;
    std::vector<object> merged;  // updates: the account after success
    for (size_t i = 0; i < writes.size(); ++i) {
      const BatchWrite& w = writes[i];
      if ((w.kind == BatchWrite::Kind::kCreate) != creating) continue;
      if (creating) {
        auto body = CreateBody(w.desired);
        if (!body.ok()) {
          results[i] = std::move(body).error();
          continue;
        }
        if (!body->contains("IsActive")) (*body)["IsActive"] = true;
        records.push_back(std::move(*body));
      } else {
        if (w.id.empty()) {
          results[i] = ClassifiedError(ErrorClass::kInvalid, "empty id");
          continue;
        }
        bool deprovision =
            w.kind == BatchWrite::Kind::kDisable || w.kind == BatchWrite::Kind::kDelete;
        if (deprovision && (!settings_.deactivates() || settings_.freezes())) {
          results[i] = ClassifiedError(ErrorClass::kInvalid, "freezing is not done in a batch");
          continue;
        }
        // Salesforce users cannot be deleted: both deactivate, as DisableUser does.
        object changes = deprovision ? object{{"IsActive", false}} : Changes(w.current, w.desired);
        object after = w.current;
        for (const auto& [k, v] : changes) after[k] = v;
        after["Id"] = w.id;
        if (changes.empty()) {  // nothing differs: no record at all
          Account a;
          a.id = w.id;
          a.attributes = std::move(after);
          results[i] = std::move(a);
          continue;
        }
        changes["id"] = w.id;
        records.push_back(std::move(changes));
        merged.push_back(std::move(after));
      }
      index.push_back(i);
    }
    for (size_t from = 0; from < records.size(); from += settings_.collection_size) {
      size_t n = std::min(settings_.collection_size, records.size() - from);
      auto chunk = SendCollection(creating ? "POST" : "PATCH",
                                  std::span<const object>(records.data() + from, n));
      for (size_t j = 0; j < n; ++j) {
        if (!creating && chunk[j].ok()) chunk[j]->attributes = merged[from + j];
        results[index[from + j]] = std::move(chunk[j]);
      }
    }
  }
  std::vector<Result<Account>> out;
  out.reserve(writes.size());
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

}  // namespace provisio::connectors::salesforce
