# A full ASD run (src/targeting scores every household, then src/cycles) on SQLite against the same computation as set-based SQL in PostgreSQL;
# bench/asd_cycle.sh makes the registries and runs it.
add_executable(asd_cycle ${CMAKE_CURRENT_SOURCE_DIR}/asd_cycle.cpp)
target_link_libraries(asd_cycle PRIVATE sanad_cycles sanad_targeting sanad_programs sanad_db fmt::fmt soci::all sanad_warnings)
