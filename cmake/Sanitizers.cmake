# Applied to every target: the library, the CLI and the tests all run instrumented.
set(_solidcell_san -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
add_compile_options(${_solidcell_san})
add_link_options(${_solidcell_san})
