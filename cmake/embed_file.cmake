# Script mode: writes OUT, a C file holding IN's bytes as SYMBOL (see embed.cmake).
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
file(WRITE ${OUT} "/* generated from ${IN}: do not edit */\nconst unsigned char ${SYMBOL}[] = {\n${bytes}0x00};\nconst unsigned long ${SYMBOL}_len = ${len};\n")
