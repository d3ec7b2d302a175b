// Package nmodl is a front end for NMODL, the language of NEURON's mechanisms (.mod files), as
// NEURON's translator nocmodl accepts it: a lexer, a recursive-descent parser to a syntax tree,
// and a printer back to canonical NMODL. It is the first stage of importing NEURON channels
// into specs (issue 15; package nmodl/export, beside it, writes specs as .mod files); it
// resolves no names, checks no units and maps nothing to neurogen's conventions.
//
// # What it parses
//
// The top-level blocks TITLE, COMMENT ... ENDCOMMENT, NEURON (SUFFIX, POINT_PROCESS,
// ARTIFICIAL_CELL, USEION ... READ ... WRITE ... VALENCE, NONSPECIFIC_CURRENT,
// ELECTRODE_CURRENT, RANGE, GLOBAL, THREADSAFE, POINTER, BBCOREPOINTER, EXTERNAL), UNITS
// ("(mA) = (milliamp)", "FARADAY = (faraday) (coulomb)", "e0 = 1.6e-19 (coulomb)"), PARAMETER
// ("gnabar = .12 (S/cm2) <0, 1e9>"), CONSTANT, ASSIGNED, STATE (arrays, FROM ... TO, <tol>),
// INDEPENDENT, INITIAL, BREAKPOINT, DERIVATIVE, KINETIC, LINEAR, NONLINEAR, PROCEDURE and
// FUNCTION (parameters with units, a FUNCTION's units), NET_RECEIVE, CONSTRUCTOR, DESTRUCTOR,
// BEFORE and AFTER blocks, UNITSOFF and UNITSON, VERBATIM ... ENDVERBATIM, DEFINE, INCLUDE and
// LOCAL (variables of the whole file, as old files declare them). USEION's READ, WRITE and
// VALENCE may come in any order.
//
// Statements: LOCAL, assignments (x = e, x[i] = e, m' = e), calls, if/else if/else, while,
// FROM i = a TO b BY c loops, SOLVE x METHOD m (or STEADYSTATE m, and IFERROR), TABLE ...
// DEPEND ... FROM ... TO ... WITH, reactions (~ A + 2 B <-> C (kf, kb), ~ A -> B (k), ~ A <<
// (flux)), equations of LINEAR blocks (~ lhs = rhs), CONSERVE, COMPARTMENT,
// LONGITUDINAL_DIFFUSION, WATCH, MUTEXLOCK, MUTEXUNLOCK, PROTECT, nested INITIAL (in
// NET_RECEIVE), UNITSOFF, UNITSON and VERBATIM.
//
// Expressions have nocmodl's precedence, loosest first: ||, &&, the comparisons (< > <= >= ==
// !=), + and -, * / and %, unary - and !, and ^ (power, right-associative, binding tighter
// than unary minus: -x^2 is -(x^2), 2^-1 is 2^(-1)). A number may be followed by its units,
// "37 (degC)"; units in parentheses also follow declarations and parameters.
//
// Keywords are reserved, as in nocmodl, and case matters. FUNCTION_TABLE, DISCRETE and
// PARTIAL blocks, SOLVEFOR, REPRESENTS, LAG, RESET, SENS, MATCH and FOR_NETCONS are refused with
// an error of code Unsupported that says so.
//
// # What it keeps
//
// Every node knows its position (a spec.Pos, printed file:line:col as a spec's are). The File
// keeps every comment, ":" (and "?") line comments and COMMENT ... ENDCOMMENT blocks, with their
// text and position, so that an importer can carry them, and the TITLE, into a spec's doc:
// COMMENT blocks between top-level blocks are also blocks of the File, in place;
// File.CommentsIn finds the comments inside a block (its End is its closing brace) and
// File.TrailingComment the comment that ends a declaration's or statement's line. VERBATIM text
// is kept as a node, so that a consumer can refuse it at its position. Numbers keep their
// spelling beside their value, and expressions the parentheses written.
//
// # Errors
//
// Parse reports all the errors it can find in one pass, as a spec.ErrorList sorted by position
// (code Syntax, or Unsupported; spec.TooLarge beyond the limits on size and nesting): after an
// error in a statement it resumes at the next line, after one in a block's header at the next
// top-level block. It returns the tree even then. It never panics; FuzzParse holds it to that.
//
// # Walking
//
// Inspect walks a tree in source order, as go/ast.Inspect does: to find the calls of a
// FUNCTION, the names a block uses, or a VERBATIM at any depth.
//
// # Printing
//
// Format prints a File as canonical NMODL (see Format for the layout). Parsing what it prints
// gives the same tree, positions aside; line comments are not printed.
package nmodl
