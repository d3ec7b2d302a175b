package parser

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// tokenKind classifies a token.
type tokenKind uint8

const (
	tEOF      tokenKind = iota
	tError              // a lexical error; token.err says which
	tNum                // number literal
	tName               // name
	tOp                 // operator; token.op says which
	tLParen             // (
	tRParen             // )
	tComma              // ,
	tQuestion           // ?
	tColon              // :
)

// token is a lexical token of src[pos:end].
type token struct {
	kind tokenKind
	pos  Pos
	end  Pos
	op   Op      // tOp: OpAdd and OpSub also stand for unary + and -
	val  float64 // tNum
	err  *Error  // tError
}

// lex returns the token that starts at or after offset i of src, skipping whitespace. A lexical
// error is returned as a tError token, so that the parser reports problems in source order.
func lex(src string, i int) token {
	for i < len(src) && isSpace(src[i]) {
		i++
	}
	if i >= len(src) {
		return token{kind: tEOF, pos: Pos(len(src)), end: Pos(len(src))}
	}
	c := src[i]
	switch {
	case isLetter(c):
		j := i + 1
		for j < len(src) && (isLetter(src[j]) || isDigit(src[j])) {
			j++
		}
		return token{kind: tName, pos: Pos(i), end: Pos(j)}
	case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
		return lexNumber(src, i)
	}

	simple := func(kind tokenKind, op Op, n int) token {
		return token{kind: kind, pos: Pos(i), end: Pos(i + n), op: op}
	}
	// pick chooses between a one-byte operator and a two-byte one whose second byte is next.
	pick := func(next byte, two, one Op) token {
		if i+1 < len(src) && src[i+1] == next {
			return simple(tOp, two, 2)
		}
		return simple(tOp, one, 1)
	}
	fail := func(n int, format string, args ...any) token {
		return token{kind: tError, pos: Pos(i), end: Pos(i + n), err: errorf(Pos(i), format, args...)}
	}
	// unsupported reports the operator of n bytes at i.
	unsupported := func(n int) token { return fail(n, "unsupported operator `%s`", src[i:i+n]) }
	// second reports whether the byte after c is b.
	second := func(b byte) bool { return i+1 < len(src) && src[i+1] == b }

	switch c {
	case '(':
		return simple(tLParen, OpInvalid, 1)
	case ')':
		return simple(tRParen, OpInvalid, 1)
	case ',':
		return simple(tComma, OpInvalid, 1)
	case ':':
		return simple(tColon, OpInvalid, 1)
	case '?':
		if second('?') {
			return unsupported(2)
		}
		return simple(tQuestion, OpInvalid, 1)
	case '+':
		return simple(tOp, OpAdd, 1)
	case '-':
		return simple(tOp, OpSub, 1)
	case '/':
		return simple(tOp, OpDiv, 1)
	case '*':
		return pick('*', OpPow, OpMul)
	case '!':
		if second('~') {
			return unsupported(2)
		}
		return pick('=', OpNE, OpNot)
	case '<':
		if second('<') {
			return unsupported(2)
		}
		return pick('=', OpLE, OpLT)
	case '>':
		if second('>') {
			return unsupported(2)
		}
		return pick('=', OpGE, OpGT)
	case '=':
		switch {
		case second('='):
			return simple(tOp, OpEQ, 2)
		case second('~'):
			return unsupported(2)
		}
		return fail(1, "`=` is not an operator: write `==` to compare")
	case '&':
		if second('&') {
			return simple(tOp, OpAnd, 2)
		}
		return unsupported(1)
	case '|':
		if second('|') {
			return simple(tOp, OpOr, 2)
		}
		return unsupported(1)
	case '%', '~':
		return unsupported(1)
	case '^':
		return fail(1, "`^` is not a power operator (govaluate reads it as bitwise XOR): write `**`")
	case '\'', '"':
		return fail(1, "strings are not allowed in expressions")
	case '[':
		return fail(1, "`[` is not allowed in expressions: write the bare name, as in `g_Na`")
	}
	r, n := utf8.DecodeRuneInString(src[i:])
	if r == utf8.RuneError && n == 1 {
		return fail(1, "invalid UTF-8 byte 0x%02x", c)
	}
	return fail(n, "unexpected character %s (names are ASCII letters, digits and _)", strconv.QuoteRune(r))
}

// lexNumber lexes the number at src[i:]: digits, an optional fraction and an optional exponent.
// An `e` not followed by exponent digits ends the number, so `2em` is the number 2 and the name
// em, which the parser reports as a missing operator.
func lexNumber(src string, i int) token {
	j := skipDigits(src, i)
	if j < len(src) && src[j] == '.' {
		j = skipDigits(src, j+1)
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			j = skipDigits(src, k)
		}
	}
	text := src[i:j]
	v, err := strconv.ParseFloat(text, 64)
	if err != nil { // only a range error is possible: the text is well-formed
		return token{kind: tError, pos: Pos(i), end: Pos(j),
			err: errorf(Pos(i), "number out of range: `%s` exceeds the float64 range", text)}
	}
	return token{kind: tNum, pos: Pos(i), end: Pos(j), val: v}
}

func skipDigits(src string, i int) int {
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool  { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }

func errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
