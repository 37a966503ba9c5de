#include "crvs/civil_search.h"

#include "text/cross_script.h"

namespace sanad::crvs {
namespace {

std::unexpected<Error> Refused(const std::string& why) {
  return Failure(Code::kUnavailable, "crvs.registry_unavailable", {{"reason", why}});
}

// The same name: equal, or the same cross-script key, against either script's field.
std::optional<bool> SameName(const std::optional<std::string>& civil, const std::string& ar, const std::string& lat) {
  if (!civil || (ar.empty() && lat.empty())) return std::nullopt;
  const std::string key = text::CrossScriptKey(*civil);
  for (const auto* mine : {&ar, &lat}) {
    if (mine->empty()) continue;
    if (*mine == *civil || (!key.empty() && text::CrossScriptKey(*mine) == key)) return true;
  }
  return false;
}

}  // namespace

Comparison Compare(const std::optional<CivilPerson>& civil, const RegistryFacts& here) {
  Comparison c;
  if (!civil) return c;
  c.found = true;
  c.given_name = SameName(civil->given_name, here.given_ar, here.given_lat);
  c.family_name = SameName(civil->surname, here.family_ar, here.family_lat);
  if (civil->sex && !here.sex.empty()) c.sex = *civil->sex == here.sex;
  if (civil->birth_date && !here.birth_date.empty()) c.birth_date = *civil->birth_date == here.birth_date;
  c.dead_in_civil_registry = civil->death_date.has_value();
  c.alive_here = here.status == "active";
  return c;
}

nlohmann::json SearchByIdRequest(const std::string& uin, const std::string& message_id, const std::string& now) {
  return {{"signature", ""},
          {"header",
           {{"version", "1.0.0"},
            {"message_id", message_id},
            {"message_ts", now},
            {"action", "search"},
            {"sender_id", "sanad"},
            {"receiver_id", "crvs"},
            {"total_count", 1},
            {"is_msg_encrypted", false}}},
          {"message",
           {{"transaction_id", message_id},
            {"search_request",
             {{{"reference_id", message_id + "-1"},
               {"timestamp", now},
               {"search_criteria",
                {{"version", "1.0.0"},
                 {"reg_type", "ns:org:RegistryType:CRVS"},
                 {"reg_record_type", "ns:org:RegistryRecordType:Person"},
                 {"query_type", "idtype-value"},
                 {"query", {{"type", "UIN"}, {"value", uin}}}}}}}}}}};
}

Result<std::optional<CivilPerson>> ReadSearchAnswer(const nlohmann::json& answer) {
  if (!answer.is_object()) return Refused("not an object");
  auto message = answer.find("message");
  if (message == answer.end() || !message->is_object()) return Refused("no message");
  auto list = message->find("search_response");
  if (list == message->end() || !list->is_array() || list->empty() || !(*list)[0].is_object()) {
    auto error = message->find("error");
    if (error != message->end() && error->is_object() && error->contains("code") && (*error)["code"].is_string())
      return Refused((*error)["code"].get<std::string>());
    return Refused("no search_response");
  }
  const auto& first = (*list)[0];
  if (first.contains("status") && first["status"] != "succ") {
    const auto code = first.value("status_reason_code", std::string("rjct"));
    // "not found" is an answer, not a failure of the registry.
    if (code.find("not_found") != std::string::npos) return std::optional<CivilPerson>();
    return Refused(code);
  }
  auto data = first.find("data");
  if (data == first.end() || !data->is_object()) return std::optional<CivilPerson>();
  auto records = data->find("reg_records");
  if (records == data->end()) return std::optional<CivilPerson>();
  const nlohmann::json* person = &*records;
  if (records->is_array()) {
    // Two persons for one identifier is not an identity: nobody is taken.
    if (records->size() != 1) return std::optional<CivilPerson>();
    person = &(*records)[0];
  }
  if (!person->is_object()) return std::optional<CivilPerson>();
  return std::optional<CivilPerson>(ReadCivilPerson(*person));
}

}  // namespace sanad::crvs
