#!/bin/sh
# Doxygen input filter for chapters/NN-slug/README.md: a bare file name in
# \snippet, \include or \dontinclude means the chapter's own file, so
# "\snippet demo.cpp name" becomes "\snippet NN-slug/demo.cpp name"
# (EXAMPLE_PATH is chapters/; every chapter has a demo.cpp). Lines are kept
# one for one, so warnings point at the right line of the README.
chapter=$(basename "$(dirname "$1")")
exec sed -E "s#([\\\\@](snippet|snippetdoc|include|dontinclude|includelineno)(\\{[^}]*\\})?[[:space:]]+)([^/[:space:]]+)([[:space:]]|\$)#\\1${chapter}/\\4\\5#g" "$1"
