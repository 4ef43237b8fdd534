# Copies hls.js (npm install in web/) into web/static/vendor at build time, from where the static
# build (assets/CMakeLists.txt) puts it in the served tree under its hashed name for the viewer
# page. Without it the page falls back to the browser's own HLS (Safari, WeChat).
# Included from web/, assets/ and tests/e2e/CMakeLists.txt: the first include does the work.
if(TARGET boai_static_assets)
  return()
endif()
set(BOAI_HLS_JS_SOURCE ${CMAKE_CURRENT_LIST_DIR}/node_modules/hls.js/dist/hls.min.js)
set(BOAI_HLS_JS_COPY ${CMAKE_CURRENT_LIST_DIR}/static/vendor/hls.min.js)
if(EXISTS ${BOAI_HLS_JS_SOURCE})
  add_custom_command(
    OUTPUT ${BOAI_HLS_JS_COPY}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_LIST_DIR}/static/vendor
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${BOAI_HLS_JS_SOURCE} ${BOAI_HLS_JS_COPY}
    DEPENDS ${BOAI_HLS_JS_SOURCE}
    COMMENT "Copying hls.js into web/static/vendor")
  add_custom_target(boai_static_assets ALL DEPENDS ${BOAI_HLS_JS_COPY})
  if(TARGET boai_web)
    add_dependencies(boai_web boai_static_assets)
  endif()
else()
  message(STATUS "hls.js is not installed (npm install in web/): the viewer page will use the "
                 "browser's own HLS only")
endif()
