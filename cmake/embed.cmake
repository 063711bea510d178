# mesd_embed(TARGET SYMBOL FILE): compiles FILE into TARGET as
#   const unsigned char SYMBOL[]; const unsigned long SYMBOL_len;
# (NUL-terminated, so text files can be used as C strings).
function(mesd_embed target symbol file)
  set(out ${CMAKE_BINARY_DIR}/generated/${symbol}.c)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DSYMBOL=${symbol} -P ${CMAKE_SOURCE_DIR}/cmake/embed_file.cmake
    DEPENDS ${file} ${CMAKE_SOURCE_DIR}/cmake/embed_file.cmake
    COMMENT "Embedding ${file}")
  target_sources(${target} PRIVATE ${out})
endfunction()
