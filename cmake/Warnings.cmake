# Warnings are set per target (rights_enable_warnings(tgt)), never as global flags,
# so third-party code pulled in later is not held to our standard.
function(rights_enable_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  if(RIGHTS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
