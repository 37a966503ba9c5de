#!/usr/bin/env bash
# Two `sanad serve` processes on one PostgreSQL database (a ministry's app servers behind a load
# balancer): a change approved on one node is visible to the other node's name search within 2 s — a
# new person, a rename, a household that leaves, a merged duplicate.
set -euo pipefail
sanad=${SANAD_BIN:?}
tmp=$(mktemp -d)
. "$(dirname "$0")/cluster_lib.sh"
trap 'cluster_cleanup; rm -rf "$tmp"' EXIT

db=$(fresh_pg_database "${SANAD_TEST_PG_URL_FILE:?}")
"$sanad" migrate --db "$db" >/dev/null 2>&1
echo "olive grove ledger 2026" | "$sanad" user add --db "$db" --username agent --role data_entry --area MA-03.231 >/dev/null 2>&1
echo "cedar hills review 2026" | "$sanad" user add --db "$db" --username coord --role regional_coordinator --area MA-03 >/dev/null 2>&1
port_a=$(free_port); port_b=$(free_port)
[ "$port_a" != "$port_b" ] || port_b=$(free_port)
start_node a "$db" "$port_a"
start_node b "$db" "$port_b"
A="http://127.0.0.1:$port_a"; B="http://127.0.0.1:$port_b"
agent=$(token "$A" agent "olive grove ledger 2026")
coord=$(token "$A" coord "cedar hills review 2026")
[ -n "$agent" ] && [ "$agent" != null ] && [ -n "$coord" ] && [ "$coord" != null ] || fail "no tokens"

# within2s NODE QUERY JQ-CONDITION WHAT: polls NODE's name search until the condition holds on the
# answer, for at most 2 s after the approval's answer.
within2s() {
  local node=$1 query=$2 cond=$3 what=$4 start end answer
  start=$(date +%s%N)
  while :; do
    answer=$(search "$node" "$coord" "$query")
    if jq -e "$cond" >/dev/null <<<"$answer"; then
      end=$(date +%s%N)
      echo "  $what: $(( (end - start) / 1000000 )) ms"
      return 0
    fi
    [ $(( $(date +%s%N) - start )) -lt 2000000000 ] || fail "$what: not within 2 s; last answer: $answer"
    sleep 0.05
  done
}

household() {  # household COMMUNE GIVEN FAMILY → a create_household body with one head
  echo "{\"kind\":\"create_household\",\"payload\":{\"household\":{\"commune_code\":\"$1\",\"urban\":true},
    \"members\":[{\"relationship\":\"head\",\"given_name_lat\":\"$2\",\"family_name_lat\":\"$3\",\"sex\":\"F\",\"birth_date\":\"1980\"}]}}"
}

# 1. A new person approved on A is found on B.
[ "$(search "$B" "$coord" "Zoubida Benkirane" | jq '.items | length')" = 0 ] || fail "B found the person before approval"
cr=$(file_change "$A" "$agent" "$(household MA-03.231.01.03 Zoubida Benkirane)")
approve "$A" "$coord" "$cr"
within2s "$B" "Zoubida Benkirane" '.items | map(select(.given_name_lat == "Zoubida")) | length == 1' "new person on B"
person=$(search "$A" "$coord" "Zoubida Benkirane" | jq -r '.items[0].id')
hh=$(search "$A" "$coord" "Zoubida Benkirane" | jq -r '.items[0].household_id')

# 2. A rename approved on B reaches A: the new name is found, the old one no longer matches.
cr=$(file_change "$B" "$agent" "{\"kind\":\"update_person\",\"payload\":{\"person_id\":$person,\"changes\":{\"given_name_lat\":\"Rkia\"}}}")
approve "$B" "$coord" "$cr"
within2s "$A" "Rkia Benkirane" ".items | map(select(.id == $person)) | length == 1" "rename on A (new name)"
within2s "$A" "Zoubida" ".total == 0" "rename on A (old name gone)"
within2s "$B" "Rkia Benkirane" ".items | map(select(.id == $person)) | length == 1" "rename on B itself"

# 3. The household leaves (emigration), approved on A: B's index drops the person.
cr=$(file_change "$A" "$agent" "{\"kind\":\"exit_household\",\"payload\":{\"household_id\":$hh,\"reason\":\"emigration\"}}")
approve "$A" "$coord" "$cr"
within2s "$B" "Rkia Benkirane" ".total == 0" "exit on B"

# 4. Two registrations of one person merged on A: B keeps only the survivor.
for _ in 1 2; do
  cr=$(file_change "$A" "$agent" "$(household MA-03.231.01.03 Ghizlane Ouazzani)")
  approve "$A" "$coord" "$cr"
done
within2s "$B" "Ghizlane Ouazzani" ".total == 2" "both registrations on B"
ids=($(search "$A" "$coord" "Ghizlane Ouazzani" | jq -r '.items[].id' | sort -n))
cr=$(file_change "$A" "$agent" "{\"kind\":\"merge_persons\",\"payload\":{\"person_id\":${ids[0]},\"duplicate_person_id\":${ids[1]}}}")
approve "$A" "$coord" "$cr"
within2s "$B" "Ghizlane Ouazzani" ".total == 1 and .items[0].id == ${ids[0]}" "merge on B"

echo "cluster two nodes: 1 passed, 0 failed"
