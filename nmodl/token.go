package nmodl

import "strconv"

// A Token is the kind of a lexical token of NMODL.
type Token int

// The tokens. Keywords are not tokens of their own: they are Names that the parser recognises
// by their spelling, as nocmodl reserves them.
const (
	Illegal     Token = iota
	EOF               // end of the file
	NameTok           // gnabar, SUFFIX
	PrimeTok          // m' (a name and one or more primes)
	NumberTok         // 1e-3, .12, 6.3
	StringTok         // "text"
	TitleTok          // TITLE and the rest of its line
	VerbatimTok       // VERBATIM ... ENDVERBATIM
	LParen            // (
	RParen            // )
	LBrace            // {
	RBrace            // }
	LBrack            // [
	RBrack            // ]
	Comma             // ,
	Equals            // =
	Plus              // +
	Minus             // -
	Star              // *
	Slash             // /
	Percent           // %
	Caret             // ^
	Lt                // <
	Gt                // >
	Le                // <=
	Ge                // >=
	Eq                // ==
	Ne                // !=
	Not               // !
	AndAnd            // &&
	OrOr              // ||
	Tilde             // ~
	Reversible        // <->
	Arrow             // ->
	Flux              // <<
)

var tokenNames = [...]string{
	Illegal:     "illegal character",
	EOF:         "end of file",
	NameTok:     "name",
	PrimeTok:    "derivative",
	NumberTok:   "number",
	StringTok:   "string",
	TitleTok:    "TITLE",
	VerbatimTok: "VERBATIM",
	LParen:      "(",
	RParen:      ")",
	LBrace:      "{",
	RBrace:      "}",
	LBrack:      "[",
	RBrack:      "]",
	Comma:       ",",
	Equals:      "=",
	Plus:        "+",
	Minus:       "-",
	Star:        "*",
	Slash:       "/",
	Percent:     "%",
	Caret:       "^",
	Lt:          "<",
	Gt:          ">",
	Le:          "<=",
	Ge:          ">=",
	Eq:          "==",
	Ne:          "!=",
	Not:         "!",
	AndAnd:      "&&",
	OrOr:        "||",
	Tilde:       "~",
	Reversible:  "<->",
	Arrow:       "->",
	Flux:        "<<",
}

// String returns the token's spelling (for operators) or a word for its kind.
func (t Token) String() string {
	if t >= 0 && int(t) < len(tokenNames) {
		return tokenNames[t]
	}
	return "Token(" + strconv.Itoa(int(t)) + ")"
}

// precedence returns the binding power of a binary operator (higher binds tighter), 0 for a
// token that is none. These are nocmodl's (parse1.y): || below && below the comparisons below
// + - below * / % below unary - and ! below ^, which is right-associative.
func (t Token) precedence() int {
	switch t {
	case OrOr:
		return 1
	case AndAnd:
		return 2
	case Lt, Gt, Le, Ge, Eq, Ne:
		return 3
	case Plus, Minus:
		return 4
	case Star, Slash, Percent:
		return 5
	case Caret:
		return 7
	}
	return 0
}

// unaryPrecedence is the binding power of unary - and !: above * and below ^, so that -x^2 is
// -(x^2) and -a*b is (-a)*b.
const unaryPrecedence = 6
