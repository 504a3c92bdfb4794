# Helpers every module uses. A module is a folder under src/: its *.cpp files (except
# *_test.cpp, *_bench.cpp, *_fuzz.cpp and main.cpp) form the library provisio_<name>, and its
# *_test.cpp files form one GoogleTest executable whose cases CTest discovers at test time.

set(PROVISIO_WARNINGS -Wall -Wextra -Wpedantic -Wno-restrict)
if(PROVISIO_WERROR)
  list(APPEND PROVISIO_WARNINGS -Werror)
endif()

function(provisio_module name)
  cmake_parse_arguments(ARG "NEEDS_POSTGRES" "" "DEPS;TEST_DEPS;SUBDIRS" ${ARGN})
  file(GLOB _all CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  foreach(sub ${ARG_SUBDIRS})
    file(GLOB _sub CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${sub}/*.cpp)
    list(APPEND _all ${_sub})
  endforeach()
  set(_lib "")
  set(_tests "")
  foreach(f ${_all})
    if(f MATCHES "_test\\.cpp$")
      list(APPEND _tests ${f})
    elseif(f MATCHES "(_bench|_fuzz)\\.cpp$" OR f MATCHES "/main\\.cpp$")
    else()
      list(APPEND _lib ${f})
    endif()
  endforeach()
  add_library(provisio_${name} STATIC ${_lib})
  target_include_directories(provisio_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(provisio_${name} PRIVATE ${PROVISIO_WARNINGS})
  target_link_libraries(provisio_${name} PUBLIC ${ARG_DEPS})
  provisio_fuzzers(${name})
  if(_tests AND BUILD_TESTING)
    add_executable(${name}_test ${_tests})
    target_compile_options(${name}_test PRIVATE ${PROVISIO_WARNINGS})
    target_link_libraries(${name}_test PRIVATE provisio_${name} ${ARG_TEST_DEPS} GTest::gmock GTest::gtest_main)
    set_target_properties(${name}_test PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    if(ARG_NEEDS_POSTGRES)
      # One PostgreSQL server for the whole run (tests/postgres_fixture.sh), not one per test.
      gtest_discover_tests(${name}_test DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                           PROPERTIES LABELS unit FIXTURES_REQUIRED postgres)
    else()
      gtest_discover_tests(${name}_test DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                           PROPERTIES LABELS unit)
    endif()
  endif()
endfunction()

# An integration test executable in tests/.
function(provisio_integration_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${PROVISIO_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS integration FIXTURES_REQUIRED postgres
                       ENVIRONMENT "PROVISIO_BIN_DIR=${CMAKE_BINARY_DIR}/bin")
endfunction()

# libFuzzer targets: every *_fuzz.cpp in a module folder, built only with -DPROVISIO_FUZZ=ON
# and clang (CXX=clang++), as fuzz_<file stem>.
function(provisio_fuzzers name)
  if(NOT PROVISIO_FUZZ)
    return()
  endif()
  file(GLOB _fuzz CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_fuzz.cpp)
  foreach(f ${_fuzz})
    get_filename_component(stem ${f} NAME_WE)
    add_executable(fuzz_${stem} ${f})
    target_compile_options(fuzz_${stem} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(fuzz_${stem} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(fuzz_${stem} PRIVATE provisio_${name})
  endforeach()
endfunction()
