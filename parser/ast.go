// Package parser reads the expression language of neurogen specs into an abstract syntax tree.
//
// The grammar is govaluate's arithmetic subset, so that github.com/Knetic/govaluate can serve as
// an independent evaluator of any spec expression:
//
//	expr    = cond
//	cond    = or [ "?" expr ":" expr ]            (a branch that is a cond needs parentheses)
//	or      = and { "||" and }
//	and     = cmp { "&&" cmp }
//	cmp     = add [ ("<" | "<=" | ">" | ">=" | "==" | "!=") add ]
//	add     = mul { ("+" | "-") mul }
//	mul     = unary { ("*" | "/") unary }
//	unary   = ("-" | "+" | "!") unary | pow
//	pow     = primary [ "**" unary ]
//	primary = number | name | name "(" [ expr { "," expr } ] ")" | "(" expr ")"
//
// Numbers are decimal with an optional fraction and exponent (1, 2.5, .5, 1e-3). Names are
// ASCII letters, digits and underscores, not starting with a digit.
//
// Where govaluate and ordinary mathematics disagree, the parser refuses the expression rather
// than pick one reading: `-a**b` (govaluate reads (-a)**b), `a**b**c` (govaluate reads
// (a**b)**c) and comparison chains such as `a < b < c`. `^` is XOR in govaluate; the parser
// rejects it and suggests `**`. A conditional in a branch of another must be in parentheses,
// `a ? b : (c ? d : e)`: govaluate fails on `a ? b : c ? d : e` whenever a is true.
//
// Every node knows its byte offsets in the source text; the spec package maps those to file
// positions.
package parser

// Pos is a byte offset into the expression text, starting at 0.
type Pos int

// Op is an operator.
type Op int

// Operators.
const (
	OpInvalid Op = iota
	OpAdd        // +
	OpSub        // -
	OpMul        // *
	OpDiv        // /
	OpPow        // **
	OpNeg        // unary -
	OpPlus       // unary +
	OpNot        // !
	OpLT         // <
	OpLE         // <=
	OpGT         // >
	OpGE         // >=
	OpEQ         // ==
	OpNE         // !=
	OpAnd        // &&
	OpOr         // ||
)

var opText = [...]string{
	OpInvalid: "?", OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpPow: "**",
	OpNeg: "-", OpPlus: "+", OpNot: "!",
	OpLT: "<", OpLE: "<=", OpGT: ">", OpGE: ">=", OpEQ: "==", OpNE: "!=",
	OpAnd: "&&", OpOr: "||",
}

// String returns the operator as written in an expression.
func (op Op) String() string {
	if op < 0 || int(op) >= len(opText) {
		return "?"
	}
	return opText[op]
}

// IsComparison reports whether op is one of < <= > >= == !=.
func (op Op) IsComparison() bool { return op >= OpLT && op <= OpNE }

// IsLogical reports whether op is && or || (binary) or ! (unary).
func (op Op) IsLogical() bool { return op == OpAnd || op == OpOr || op == OpNot }

// Expr is a node of the expression tree.
type Expr interface {
	Pos() Pos // offset of the first byte of the node
	End() Pos // offset just past the last byte of the node
	exprNode()
}

// Num is a number literal.
type Num struct {
	At    Pos
	Text  string  // as written
	Value float64 // parsed with strconv.ParseFloat
}

// Ident is a name.
type Ident struct {
	At   Pos
	Name string
}

// Unary is a prefix operation: -X, +X or !X.
type Unary struct {
	OpPos Pos
	Op    Op // OpNeg, OpPlus or OpNot
	X     Expr
}

// Binary is an infix operation X Op Y.
type Binary struct {
	X     Expr
	OpPos Pos
	Op    Op
	Y     Expr
}

// Call is a function call Fun(Args...).
type Call struct {
	Fun    *Ident
	Lparen Pos
	Args   []Expr
	Rparen Pos
}

// Cond is the ternary Cond ? Then : Else.
type Cond struct {
	Cond     Expr
	Question Pos
	Then     Expr
	Colon    Pos
	Else     Expr
}

// Paren is a parenthesised expression (X).
type Paren struct {
	Lparen Pos
	X      Expr
	Rparen Pos
}

func (x *Num) Pos() Pos    { return x.At }
func (x *Ident) Pos() Pos  { return x.At }
func (x *Unary) Pos() Pos  { return x.OpPos }
func (x *Binary) Pos() Pos { return x.X.Pos() }
func (x *Call) Pos() Pos   { return x.Fun.At }
func (x *Cond) Pos() Pos   { return x.Cond.Pos() }
func (x *Paren) Pos() Pos  { return x.Lparen }

func (x *Num) End() Pos    { return x.At + Pos(len(x.Text)) }
func (x *Ident) End() Pos  { return x.At + Pos(len(x.Name)) }
func (x *Unary) End() Pos  { return x.X.End() }
func (x *Binary) End() Pos { return x.Y.End() }
func (x *Call) End() Pos   { return x.Rparen + 1 }
func (x *Cond) End() Pos   { return x.Else.End() }
func (x *Paren) End() Pos  { return x.Rparen + 1 }

func (*Num) exprNode()    {}
func (*Ident) exprNode()  {}
func (*Unary) exprNode()  {}
func (*Binary) exprNode() {}
func (*Call) exprNode()   {}
func (*Cond) exprNode()   {}
func (*Paren) exprNode()  {}

// Error is a syntax error at a byte offset of the expression text.
type Error struct {
	Pos Pos
	Msg string
}

// Error returns the message, without the position.
func (e *Error) Error() string { return e.Msg }
