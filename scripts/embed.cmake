# Turns each file of FILES into a C string named lg_schema_<basename> in OUT.
file(WRITE ${OUT} "/* Generated from the schema folder by scripts/embed.cmake. Do not edit. */\n")
foreach(f ${FILES})
  get_filename_component(name ${f} NAME_WE)
  file(READ ${f} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  file(APPEND ${OUT} "const char lg_schema_${name}[] = {${hex} 0};\n")
endforeach()
