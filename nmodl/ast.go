package nmodl

import "github.com/neurogen/neurogen/spec"

// A Node is any node of the syntax tree; Pos is where it starts in its file.
type Node interface{ Pos() spec.Pos }

// File is a parsed .mod file: its top-level blocks in the order written, and every comment.
type File struct {
	Name     string
	Start    spec.Pos   // line 1, column 1
	Blocks   []Block    // TITLE, NEURON, PARAMETER, ..., in source order
	Comments []*Comment // every comment, line and block, in source order
}

func (f *File) Pos() spec.Pos { return f.Start }

// CommentKind says how a comment was written.
type CommentKind int

const (
	LineComment  CommentKind = iota // ": text" or "? text", to the end of the line
	BlockComment                    // COMMENT text ENDCOMMENT
)

// A Comment is one comment. Text is what follows the ":" (or "?") of a line comment, or what
// lies between COMMENT and ENDCOMMENT, unchanged.
type Comment struct {
	At   spec.Pos
	Kind CommentKind
	Text string
}

func (c *Comment) Pos() spec.Pos { return c.At }

// A Block is a top-level block or statement of a file.
type Block interface {
	Node
	block()
}

// Title is the TITLE line; Text is the rest of the line, trimmed.
type Title struct {
	At   spec.Pos
	Text string
}

// CommentBlock is a COMMENT ... ENDCOMMENT written between top-level blocks, kept in the order
// of the blocks so that the printer writes it back where it was (the comment is also in
// File.Comments).
type CommentBlock struct{ *Comment }

// NeuronBlock is NEURON { ... }: how the mechanism shows itself to NEURON.
type NeuronBlock struct {
	At     spec.Pos
	Stmts  []NeuronStmt
	Rbrace spec.Pos
}

// A NeuronStmt is a statement of the NEURON block.
type NeuronStmt interface {
	Node
	neuronStmt()
}

// Suffix is SUFFIX, POINT_PROCESS or ARTIFICIAL_CELL and the mechanism's name.
type Suffix struct {
	At   spec.Pos
	Kind string // "SUFFIX", "POINT_PROCESS", "ARTIFICIAL_CELL"
	Name *Ident
}

// UseIon is USEION ion READ ... WRITE ... VALENCE z.
type UseIon struct {
	At      spec.Pos
	Ion     *Ident
	Read    []*Ident
	Write   []*Ident
	Valence Expr // nil when not given; a Number or a negated Number
}

// NameList is one of the NEURON block's statements that list names: RANGE, GLOBAL,
// NONSPECIFIC_CURRENT, ELECTRODE_CURRENT, POINTER, BBCOREPOINTER, EXTERNAL, THREADSAFE (whose
// list may be empty).
type NameList struct {
	At    spec.Pos
	Kind  string
	Names []*Ident
}

// UnitsBlock is UNITS { ... }.
type UnitsBlock struct {
	At     spec.Pos
	Defs   []*UnitDef
	Rbrace spec.Pos
}

// A UnitDef is a line of the UNITS block: an alias "(mA) = (milliamp)" (Name nil, Left and
// Right set), a named factor "FARADAY = (faraday) (coulomb)" (Name, Left, Right), or a named
// value "FARADAY = 96485.3 (coulomb)" (Name, Value, Right).
type UnitDef struct {
	At    spec.Pos
	Name  *Ident
	Left  *Units
	Value Expr // a Number or a negated Number
	Right *Units
}

// DeclBlock is a block of declarations: PARAMETER, CONSTANT, ASSIGNED, STATE or INDEPENDENT.
type DeclBlock struct {
	At     spec.Pos
	Kind   string
	Decls  []*Decl
	Rbrace spec.Pos
}

// A Decl declares one name: "gnabar = .12 (S/cm2) <0, 1e9>", "v (mV)", "m FROM 0 TO 1",
// "C[4] (mM)", "ca (mM) <1e-8>" (a STATE's absolute tolerance), "t FROM 0 TO 1 WITH 10 (ms)"
// (INDEPENDENT). Unset parts are nil.
type Decl struct {
	Name   *Ident
	Size   Expr // the array size of x[4]: a Number, or the Ident of a DEFINE
	Value  Expr // a Number or a negated Number
	Units  *Units
	Lo, Hi Expr // <lo, hi> of a PARAMETER, or FROM lo TO hi
	From   bool // Lo and Hi were written FROM lo TO hi
	With   Expr // INDEPENDENT's WITH n
	Tol    Expr // a STATE's <tolerance>
}

func (d *Decl) Pos() spec.Pos { return d.Name.Pos() }

// StmtBlock is a block of statements: INITIAL, BREAKPOINT, DERIVATIVE name, KINETIC name,
// LINEAR name, NONLINEAR name, CONSTRUCTOR, DESTRUCTOR, or BEFORE/AFTER with what follows
// (Kind "BEFORE BREAKPOINT").
type StmtBlock struct {
	At   spec.Pos
	Kind string
	Name *Ident // the name of a DERIVATIVE, KINETIC, LINEAR or NONLINEAR block; else nil
	Body *Body
}

// FuncDecl is PROCEDURE name(args) { }, FUNCTION name(args) (units) { } or
// NET_RECEIVE(args) { } (Name nil).
type FuncDecl struct {
	At     spec.Pos
	Kind   string // "PROCEDURE", "FUNCTION", "NET_RECEIVE"
	Name   *Ident
	Params []*Param
	Units  *Units // a FUNCTION's units, after its parameters
	Body   *Body
}

// A Param is a parameter of a PROCEDURE, FUNCTION or NET_RECEIVE, with its units if given.
type Param struct {
	Name  *Ident
	Units *Units
}

func (p *Param) Pos() spec.Pos { return p.Name.Pos() }

// VerbatimBlock is VERBATIM ... ENDVERBATIM, kept so that a consumer can refuse it at its
// position; Text is the C code between the keywords, unchanged. It is a Block at top level and a
// Stmt in a body.
type VerbatimBlock struct {
	At   spec.Pos
	Text string
}

// UnitsSwitch is UNITSOFF or UNITSON, a Block at top level and a Stmt in a body.
type UnitsSwitch struct {
	At spec.Pos
	On bool
}

// Define is DEFINE name value.
type Define struct {
	At    spec.Pos
	Name  *Ident
	Value *Number
}

// Include is INCLUDE "file".
type Include struct {
	At   spec.Pos
	Path *StringLit
}

// Body is a brace-delimited list of statements.
type Body struct {
	Lbrace, Rbrace spec.Pos
	Stmts          []Stmt
}

func (b *Body) Pos() spec.Pos { return b.Lbrace }

// A Stmt is a statement in a body.
type Stmt interface {
	Node
	stmt()
}

// Local is LOCAL a, b[2]: a Stmt in a body, a Block at top level.
type Local struct {
	At    spec.Pos
	Names []*Decl // Name and Size only
}

// Assign is lhs = rhs; Lhs is an Ident, an Index or a Deriv (m' = ...).
type Assign struct {
	Lhs Expr
	Rhs Expr
}

func (a *Assign) Pos() spec.Pos { return a.Lhs.Pos() }

// ExprStmt is an expression used as a statement: a call, rates(v).
type ExprStmt struct{ X Expr }

func (s *ExprStmt) Pos() spec.Pos { return s.X.Pos() }

// If is if (cond) { } else ...; Else is nil, an *If or a *BlockStmt.
type If struct {
	At   spec.Pos
	Cond Expr
	Then *Body
	Else Stmt
}

// While is while (cond) { }.
type While struct {
	At   spec.Pos
	Cond Expr
	Body *Body
}

// FromLoop is FROM i = a TO b BY c { }; By is nil when not given.
type FromLoop struct {
	At           spec.Pos
	Var          *Ident
	From, To, By Expr
	Body         *Body
}

// BlockStmt is a body written as a statement, { ... }, or a nested INITIAL { } (in
// NET_RECEIVE): Kind is "" or "INITIAL".
type BlockStmt struct {
	At   spec.Pos
	Kind string
	Body *Body
}

// Solve is SOLVE name METHOD m, SOLVE name STEADYSTATE m, or SOLVE name; IfError is the body of
// a following IFERROR, or nil.
type Solve struct {
	At          spec.Pos
	Name        *Ident
	Method      *Ident
	SteadyState bool // the method was given as STEADYSTATE, not METHOD
	IfError     *Body
}

// A Reactant is a term of a reaction: an optional stoichiometric coefficient and a state, or an
// element of a state array.
type Reactant struct {
	Coef  *Number // nil for 1
	State Expr    // an Ident or an Index
}

func (r *Reactant) Pos() spec.Pos {
	if r.Coef != nil {
		return r.Coef.Pos()
	}
	return r.State.Pos()
}

// Reaction is a KINETIC reaction: ~ A + B <-> C (kf, kb), ~ A -> B (k), or a flux
// ~ A << (f) (Right empty, one rate).
type Reaction struct {
	At    spec.Pos
	Left  []*Reactant
	Op    Token // Reversible, Arrow or Flux
	Right []*Reactant
	Rates []Expr
}

// Equation is ~ lhs = rhs, an equation of a LINEAR or NONLINEAR block.
type Equation struct {
	At       spec.Pos
	Lhs, Rhs Expr
}

// Conserve is CONSERVE lhs = rhs.
type Conserve struct {
	At       spec.Pos
	Lhs, Rhs Expr
}

// Compartment is COMPARTMENT [i,] volume { states } (a KINETIC's volumes, which the importer
// ignores with a note), or LONGITUDINAL_DIFFUSION [i,] rate { states } (Kind says which);
// Index is nil without one.
type Compartment struct {
	At     spec.Pos
	Kind   string // "COMPARTMENT" or "LONGITUDINAL_DIFFUSION"
	Index  *Ident
	Volume Expr
	States []*Ident
}

// Table is TABLE names DEPEND names FROM lo TO hi WITH n (names empty in a FUNCTION's).
type Table struct {
	At     spec.Pos
	Names  []*Ident
	Depend []*Ident
	From   Expr
	To     Expr
	With   Expr
}

// Watch is WATCH (cond) flag.
type Watch struct {
	At   spec.Pos
	Cond Expr
	Flag Expr
}

// Mutex is MUTEXLOCK or MUTEXUNLOCK.
type Mutex struct {
	At   spec.Pos
	Lock bool
}

// Protect is PROTECT stmt.
type Protect struct {
	At   spec.Pos
	Stmt Stmt
}

// An Expr is an expression.
type Expr interface {
	Node
	expr()
}

// BadExpr stands where an expression did not parse; its file has errors.
type BadExpr struct{ At spec.Pos }

func (x *BadExpr) Pos() spec.Pos { return x.At }
func (*BadExpr) expr()           {}

// Ident is a name.
type Ident struct {
	At   spec.Pos
	Name string
}

// Number is a number as written, with the units that follow it, if any.
type Number struct {
	At    spec.Pos
	Lit   string  // as written: "1e-3", ".12"
	Value float64 // its value
	Units *Units
}

// Units is text in parentheses that names units: (mV), (/ms), (mA/cm2), (1).
type Units struct {
	Lparen spec.Pos
	Text   string // between the parentheses, trimmed
}

func (u *Units) Pos() spec.Pos { return u.Lparen }

// StringLit is a string, with its quotes.
type StringLit struct {
	At  spec.Pos
	Lit string
}

// Deriv is a derivative: m' (Order 1), m” (Order 2).
type Deriv struct {
	At    spec.Pos
	Name  string
	Order int
}

// Paren is (x).
type Paren struct {
	Lparen spec.Pos
	X      Expr
}

// Unary is -x or !x.
type Unary struct {
	At spec.Pos
	Op Token // Minus or Not
	X  Expr
}

// Binary is x op y.
type Binary struct {
	X     Expr
	OpPos spec.Pos
	Op    Token
	Y     Expr
}

// Call is f(args); an argument may be a StringLit (printf).
type Call struct {
	Fun  *Ident
	Args []Expr
}

// Index is x[i].
type Index struct {
	X     *Ident
	Index Expr
}

func (x *Title) Pos() spec.Pos         { return x.At }
func (x *NeuronBlock) Pos() spec.Pos   { return x.At }
func (x *Suffix) Pos() spec.Pos        { return x.At }
func (x *UseIon) Pos() spec.Pos        { return x.At }
func (x *NameList) Pos() spec.Pos      { return x.At }
func (x *UnitsBlock) Pos() spec.Pos    { return x.At }
func (x *UnitDef) Pos() spec.Pos       { return x.At }
func (x *DeclBlock) Pos() spec.Pos     { return x.At }
func (x *StmtBlock) Pos() spec.Pos     { return x.At }
func (x *FuncDecl) Pos() spec.Pos      { return x.At }
func (x *VerbatimBlock) Pos() spec.Pos { return x.At }
func (x *UnitsSwitch) Pos() spec.Pos   { return x.At }
func (x *Define) Pos() spec.Pos        { return x.At }
func (x *Include) Pos() spec.Pos       { return x.At }
func (x *Local) Pos() spec.Pos         { return x.At }
func (x *If) Pos() spec.Pos            { return x.At }
func (x *While) Pos() spec.Pos         { return x.At }
func (x *FromLoop) Pos() spec.Pos      { return x.At }
func (x *BlockStmt) Pos() spec.Pos     { return x.At }
func (x *Solve) Pos() spec.Pos         { return x.At }
func (x *Reaction) Pos() spec.Pos      { return x.At }
func (x *Equation) Pos() spec.Pos      { return x.At }
func (x *Conserve) Pos() spec.Pos      { return x.At }
func (x *Compartment) Pos() spec.Pos   { return x.At }
func (x *Table) Pos() spec.Pos         { return x.At }
func (x *Watch) Pos() spec.Pos         { return x.At }
func (x *Mutex) Pos() spec.Pos         { return x.At }
func (x *Protect) Pos() spec.Pos       { return x.At }
func (x *Ident) Pos() spec.Pos         { return x.At }
func (x *Number) Pos() spec.Pos        { return x.At }
func (x *StringLit) Pos() spec.Pos     { return x.At }
func (x *Deriv) Pos() spec.Pos         { return x.At }
func (x *Paren) Pos() spec.Pos         { return x.Lparen }
func (x *Unary) Pos() spec.Pos         { return x.At }
func (x *Binary) Pos() spec.Pos        { return x.X.Pos() }
func (x *Call) Pos() spec.Pos          { return x.Fun.Pos() }
func (x *Index) Pos() spec.Pos         { return x.X.Pos() }

// End returns the position of the block's closing "}".
func (x *NeuronBlock) End() spec.Pos { return x.Rbrace }

// End returns the position of the block's closing "}".
func (x *UnitsBlock) End() spec.Pos { return x.Rbrace }

// End returns the position of the block's closing "}".
func (x *DeclBlock) End() spec.Pos { return x.Rbrace }

// End returns the position of the block's closing "}".
func (x *StmtBlock) End() spec.Pos { return x.Body.Rbrace }

// End returns the position of the block's closing "}".
func (x *FuncDecl) End() spec.Pos { return x.Body.Rbrace }

func (*Title) block()         {}
func (*CommentBlock) block()  {}
func (*NeuronBlock) block()   {}
func (*UnitsBlock) block()    {}
func (*DeclBlock) block()     {}
func (*StmtBlock) block()     {}
func (*FuncDecl) block()      {}
func (*VerbatimBlock) block() {}
func (*UnitsSwitch) block()   {}
func (*Define) block()        {}
func (*Include) block()       {}
func (*Local) block()         {}

func (*Suffix) neuronStmt()   {}
func (*UseIon) neuronStmt()   {}
func (*NameList) neuronStmt() {}

func (*Local) stmt()         {}
func (*Assign) stmt()        {}
func (*ExprStmt) stmt()      {}
func (*If) stmt()            {}
func (*While) stmt()         {}
func (*FromLoop) stmt()      {}
func (*BlockStmt) stmt()     {}
func (*Solve) stmt()         {}
func (*Reaction) stmt()      {}
func (*Equation) stmt()      {}
func (*Conserve) stmt()      {}
func (*Compartment) stmt()   {}
func (*Table) stmt()         {}
func (*Watch) stmt()         {}
func (*Mutex) stmt()         {}
func (*Protect) stmt()       {}
func (*VerbatimBlock) stmt() {}
func (*UnitsSwitch) stmt()   {}

func (*Ident) expr()     {}
func (*Number) expr()    {}
func (*StringLit) expr() {}
func (*Deriv) expr()     {}
func (*Paren) expr()     {}
func (*Unary) expr()     {}
func (*Binary) expr()    {}
func (*Call) expr()      {}
func (*Index) expr()     {}
