# Name search benchmark.
if(TARGET sanad_search AND TARGET sanad_synth)
  add_executable(name_search ${CMAKE_CURRENT_LIST_DIR}/name_search.cpp)
  target_link_libraries(name_search PRIVATE sanad_search sanad_synth PkgConfig::PQ sanad_warnings)
  target_compile_definitions(name_search PRIVATE SANAD_SOURCE_ROOT="${CMAKE_SOURCE_DIR}")
endif()
