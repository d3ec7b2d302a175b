NEURON { SUFFIX x }
: A COMMENT block that never ends.
COMMENT
this comment runs to the end of the file
