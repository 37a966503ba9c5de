#!/bin/bash
# Sanad against the compliance suite's mock CRVS (DOMAIN=crvs, :3335). Sanad on :18081.
set -e
S=http://127.0.0.1:18081
tok() { curl -s -X POST $S/api/v1/auth/token -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token'; }
ADMIN=$(tok admin Idara-Madania-2026); AGENT=$(tok agent Wakil-Madani-2026); COORD=$(tok coord Munassiq-Madani-2026)
j() { curl -s -X "$1" "$S$2" -H 'Content-Type: application/json' -H "Authorization: Bearer $3" ${4:+-d "$4"}; }
echo "== register the mock as a civil registry"
REG=$(j POST /api/v1/crvs/sources $ADMIN '{"code":"mock","name":"Mock CRVS","base_url":"http://127.0.0.1:3335"}')
echo "$REG" | node -pe 'const r=JSON.parse(require("fs").readFileSync(0)); JSON.stringify({code:r.code,notify_path:r.notify_path})'
NOTIFY_TOKEN=$(echo "$REG" | node -pe 'JSON.parse(require("fs").readFileSync(0)).notify_token')
echo "$NOTIFY_TOKEN" > /tmp/crvsmock/notify_token
echo "== a household: Amina (AB123456) and Karim (CD654321)"
CR=$(j POST /api/v1/change-requests $AGENT '{"kind":"create_household","payload":{"household":{"commune_code":"MA-03.231.01.03","urban":true},"members":[{"relationship":"head","sex":"F","birth_date":"1990-05-01","given_name_lat":"Amina","family_name_lat":"Alaoui","national_id":"AB123456"},{"relationship":"spouse","sex":"M","birth_date":"1985-03-02","given_name_lat":"Karim","family_name_lat":"Alaoui","national_id":"CD654321"}]}}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')
j POST /api/v1/change-requests/$CR/approve $COORD '{}' > /dev/null
echo "== Sanad subscribes (the mock ACKs, then posts on-subscribe to header.sender_uri)"
j POST /api/v1/crvs/sources/mock/subscribe $ADMIN '{"sanad_url":"http://127.0.0.1:18081"}'; echo
sleep 1
echo "== the mock's recording of Sanad's subscribe request (its OpenAPI validation of it, and the callback)"
curl -s http://127.0.0.1:3335/admin/requests/registry%2Fsubscribe | node -pe 'const r=JSON.parse(require("fs").readFileSync(0)).requests.at(-1); JSON.stringify({endpoint:r.endpoint,action:r.action,validation:r.validation,callback:r.callback})'
echo "== Sanad's subscriptions after the on-subscribe"
j GET /api/v1/crvs/sources/mock/subscriptions $ADMIN; echo
