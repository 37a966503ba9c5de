#!/bin/bash
# The death and birth notifications, as the mock would send them (SPDCI NotifyEventRequest).
S=http://127.0.0.1:18081
tok() { curl -s -X POST $S/api/v1/auth/token -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token'; }
COORD=$(tok coord Munassiq-Madani-2026)
NOTIFY_TOKEN=$(cat /tmp/crvsmock/notify_token)
env() { echo "{\"signature\":\"unsigned-mock\",\"header\":{\"version\":\"1.0.0\",\"message_id\":\"m-$1\",\"message_ts\":\"2026-12-05T10:00:00Z\",\"action\":\"notify\",\"status\":\"succ\",\"sender_id\":\"mock-registry\",\"receiver_id\":\"sanad\",\"total_count\":1},\"message\":{\"transaction_id\":\"t-$1\",\"notify_event\":[{\"reference_id\":\"$1\",\"timestamp\":\"2026-12-05T10:00:00Z\",\"data\":{\"version\":\"1.0.0\",\"reg_type\":\"ns:org:RegistryType:CRVS\",\"reg_event_type\":\"$2\",\"reg_record_type\":\"CRVSPerson\",\"reg_records\":$3}}]}}"; }
DEATH=$(env d-1 spdci-common:RegistryEventType:Death '{"identifier":{"identifier_type":"UIN","identifier_value":"CD654321"},"sex":"male","death_date":"2026-12-03"}')
BIRTH=$(env b-1 spdci-common:RegistryEventType:LiveBirth '{"identifier":{"identifier_type":"UIN","identifier_value":"N-2026-0001"},"name":{"given_name":"ياسمين","surname":"العلوي"},"sex":"female","birth_date":"2026-11-30T08:15:00","parent1_identifier":{"identifier_type":"UIN","identifier_value":"AB123456"}}')
echo "== through the mock's /admin/trigger-callback (it posts without Authorization)"
curl -s -X POST http://127.0.0.1:3335/admin/trigger-callback -H 'Content-Type: application/json' -d "{\"url\":\"$S/dci/crvs/mock/registry/notify\",\"payload\":$DEATH}"; echo
echo "== the same death and birth with the registry's bearer token"
curl -s -X POST $S/dci/crvs/mock/registry/notify -H 'Content-Type: application/json' -H "Authorization: Bearer $NOTIFY_TOKEN" -d "$DEATH" | node -pe 'JSON.stringify(JSON.parse(require("fs").readFileSync(0)).message)'
curl -s -X POST $S/dci/crvs/mock/registry/notify -H 'Content-Type: application/json' -H "Authorization: Bearer $NOTIFY_TOKEN" -d "$BIRTH" | node -pe 'JSON.stringify(JSON.parse(require("fs").readFileSync(0)).message)'
echo "== the reviewer approves both change requests"
for cr in $(curl -s $S/api/v1/crvs/events -H "Authorization: Bearer $COORD" | node -pe 'JSON.parse(require("fs").readFileSync(0)).items.map(e=>e.change_request_id).join(" ")'); do
  curl -s -X POST $S/api/v1/change-requests/$cr/approve -H "Authorization: Bearer $COORD" -H 'Content-Type: application/json' -d '{"acknowledge_conflicts": true}' | node -pe 'const r=JSON.parse(require("fs").readFileSync(0)); `request ${r.id}: ${r.kind} ${r.status}`'
done
echo "== the household now"
HH=$(curl -s "$S/api/v1/persons?national_id=AB123456" -H "Authorization: Bearer $COORD" | node -pe 'JSON.parse(require("fs").readFileSync(0)).items[0].household_id')
curl -s $S/api/v1/households/$HH -H "Authorization: Bearer $COORD" | node -pe 'JSON.parse(require("fs").readFileSync(0)).members.map(m=>[m.given_name_lat||m.given_name_ar, m.relationship, m.status, m.exit_reason||"", m.source_ref||""].join(" | ")).join("\n")'
