# The micro-credit portfolio's nightly ageing and PAR by wilaya (src/microcredit) against the same
# computation as SQL in PostgreSQL; bench/microcredit_portfolio.sh starts the server and runs it.
add_executable(microcredit_portfolio ${CMAKE_CURRENT_SOURCE_DIR}/microcredit_portfolio.cpp)
target_link_libraries(microcredit_portfolio PRIVATE sanad_microcredit sanad_db fmt::fmt soci::all sanad_warnings)
