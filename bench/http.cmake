# HTTP benchmark (not a test): `cmake --build <dir> --target bench_http` runs bench/http_areas.sh against
# the sanad binary of this build tree. The script builds nothing itself; it can also be run by hand:
#   bench/http_areas.sh [path/to/sanad]        (default bin/sanad)
add_custom_target(bench_http
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/http_areas.sh $<TARGET_FILE:sanad>
  DEPENDS sanad
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  USES_TERMINAL
  COMMENT "wrk: GET /api/v1/areas/{code} with a bearer token vs GET /healthz, 256 connections")
