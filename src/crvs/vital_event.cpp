#include "crvs/vital_event.h"

#include <fmt/format.h>

#include "crvs/bad_message.h"

namespace sanad::crvs {
namespace {

std::optional<std::string> Text(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

// The date part of "1980-03-23T10:20:15" or "1980-03-23"; nullopt when it does not start with one.
std::optional<std::string> DatePart(const std::optional<std::string>& v) {
  if (!v || v->size() < 10) return std::nullopt;
  const std::string d = v->substr(0, 10);
  for (std::size_t i = 0; i < d.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? d[i] != '-' : (d[i] < '0' || d[i] > '9')) return std::nullopt;
  }
  return d;
}

std::optional<std::string> IdentifierValue(const nlohmann::json& person, const char* key) {
  auto it = person.find(key);
  if (it == person.end()) return std::nullopt;
  // An identifier object, or a list of them (the first UIN / national id wins).
  auto pick = [](const nlohmann::json& id) -> std::optional<std::string> {
    if (!id.is_object()) return std::nullopt;
    const auto type = Text(id, "identifier_type").value_or("UIN");
    if (type != "UIN" && type != "NIN" && type != "national_id" && type != "CIN") return std::nullopt;
    return Text(id, "identifier_value");
  };
  if (it->is_array()) {
    for (const auto& id : *it) {
      if (auto v = pick(id)) return v;
    }
    return std::nullopt;
  }
  return pick(*it);
}

}  // namespace

bool HasArabic(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0xD8 && c <= 0xDB) return true;  // lead bytes of U+0600–U+06FF
  }
  return false;
}

CivilPerson ReadCivilPerson(const nlohmann::json& person) {
  CivilPerson e;
  if (!person.is_object()) return e;
  e.uin = IdentifierValue(person, "identifier");
  if (auto name = person.find("name"); name != person.end() && name->is_object()) {
    e.given_name = Text(*name, "given_name");
    e.surname = Text(*name, "surname");
  }
  if (auto sex = Text(person, "sex")) {
    if (*sex == "female" || *sex == "F" || *sex == "f") e.sex = "F";
    if (*sex == "male" || *sex == "M" || *sex == "m") e.sex = "M";
  }
  e.birth_date = DatePart(Text(person, "birth_date"));
  e.death_date = DatePart(Text(person, "death_date"));
  for (const char* key : {"parent1_identifier", "parent2_identifier"}) {
    if (auto v = IdentifierValue(person, key)) e.parent_uins.push_back(*v);
  }
  return e;
}

EventKind KindOf(const std::string& event_type) {
  const auto last = event_type.substr(event_type.rfind(':') == std::string::npos ? 0 : event_type.rfind(':') + 1);
  if (last == "LiveBirth" || last == "Birth" || last == "birth" || last == "live_birth") return EventKind::kBirth;
  if (last == "Death" || last == "death") return EventKind::kDeath;
  return EventKind::kOther;
}

Result<std::vector<VitalEvent>> ReadNotify(const nlohmann::json& message) {
  if (!message.is_object()) return BadMessage("message", "an object");
  auto list = message.find("notify_event");
  if (list == message.end() || !list->is_array()) return BadMessage("message.notify_event", "a list of events");
  if (list->size() > 1000) return BadMessage("message.notify_event", "at most 1000 events");
  std::vector<VitalEvent> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    const std::string at = fmt::format("message.notify_event[{}]", i);
    if (!item.is_object()) return BadMessage(at, "an object");
    VitalEvent e;
    auto ref = Text(item, "reference_id");
    if (!ref) return BadMessage(at + ".reference_id", "a non-empty string");
    if (ref->size() > 100) return BadMessage(at + ".reference_id", "at most 100 characters");
    e.reference_id = *ref;
    e.timestamp = Text(item, "timestamp").value_or("");
    auto data = item.find("data");
    if (data == item.end() || !data->is_object()) return BadMessage(at + ".data", "an object");
    e.event_type = Text(*data, "reg_event_type").value_or("");
    e.kind = KindOf(e.event_type);
    auto records = data->find("reg_records");
    if (records == data->end()) return BadMessage(at + ".data.reg_records", "the person");
    // The spec shows one person object; a list of one is read the same way.
    const nlohmann::json* person = &*records;
    if (records->is_array()) {
      if (records->size() != 1) return BadMessage(at + ".data.reg_records", "one person");
      person = &(*records)[0];
    }
    if (!person->is_object()) return BadMessage(at + ".data.reg_records", "a person object");
    static_cast<CivilPerson&>(e) = ReadCivilPerson(*person);
    out.push_back(std::move(e));
  }
  return out;
}

nlohmann::json NewbornPerson(const VitalEvent& e, const std::string& parent_relationship) {
  nlohmann::json p;
  p["relationship"] = parent_relationship == "head" || parent_relationship == "spouse" ? "child"
                      : parent_relationship == "child"                                 ? "grandchild"
                                                                                       : "other";
  const bool arabic = HasArabic(e.given_name.value_or("") + e.surname.value_or(""));
  if (e.given_name) p[arabic ? "given_name_ar" : "given_name_lat"] = *e.given_name;
  if (e.surname) p[arabic ? "family_name_ar" : "family_name_lat"] = *e.surname;
  if (e.sex) p["sex"] = *e.sex;
  if (e.birth_date) p["birth_date"] = *e.birth_date;
  return p;
}

}  // namespace sanad::crvs
