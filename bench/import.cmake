# Import speed: 1 M persons from CSV against sqlite3's .import of the same file.
add_executable(import_speed ${CMAKE_CURRENT_SOURCE_DIR}/import_speed.cpp)
target_link_libraries(import_speed PRIVATE sanad_app sanad_registry sanad_synth fmt::fmt sanad_warnings)
target_compile_definitions(import_speed PRIVATE SANAD_SOURCE_ROOT="${CMAKE_SOURCE_DIR}" SANAD_BINARY="$<TARGET_FILE:sanad>")
add_dependencies(import_speed sanad)
