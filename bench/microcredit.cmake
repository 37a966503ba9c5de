# The micro-credit portfolio's nightly ageing and PAR by wilaya (src/microcredit) against the same
# computation as SQL in PostgreSQL; bench/microcredit_portfolio.sh starts the server and runs it.
add_executable(microcredit_portfolio ${CMAKE_CURRENT_SOURCE_DIR}/microcredit_portfolio.cpp)
target_link_libraries(microcredit_portfolio PRIVATE sanad_microcredit sanad_db fmt::fmt soci::all sanad_warnings)
# A smoke run at 3,000 loans on the PostgreSQL test server (a few seconds): the engine and the SQL
# comparator agree. Built by default so that `ctest -L bench` finds it.
if(SANAD_BUILD_TESTS)
  set_target_properties(microcredit_portfolio PROPERTIES EXCLUDE_FROM_ALL FALSE)
  add_test(NAME microcredit_portfolio_smoke COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/microcredit_portfolio_smoke.sh)
  set_tests_properties(microcredit_portfolio_smoke PROPERTIES LABELS bench FIXTURES_REQUIRED postgres TIMEOUT 60
    ENVIRONMENT "SANAD_BIN=$<TARGET_FILE:sanad>;MC_BENCH_BIN=$<TARGET_FILE:microcredit_portfolio>;SANAD_TEST_PG_URL_FILE=${SANAD_PG_URL_FILE}")
endif()
