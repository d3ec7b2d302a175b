package units

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neurogen/neurogen/internal/suggest"
)

// Unit is a unit as written in a spec, with its dimension and its size in
// internal units.
type Unit struct {
	// Name is the unit as written, such as "mS/cm2"; empty for a bare
	// number.
	Name string
	// Dim is the dimension of the unit.
	Dim Dim
	// Scale is the value of one Name in internal units: 1 for "mV", 1000
	// for "V", 1000 for "S/cm2", 1e-3 for "nA", 1e-4 for "um", 1000 for
	// "s", 1e-3 for "Hz", 1000 for "M". A number x written in this unit is
	// x*Scale in internal units.
	Scale float64
}

// symbol is an SI unit symbol that takes prefixes.
type symbol struct {
	name  string
	dim   Dim
	pow10 int // size of one unit in SI units, as a power of ten
}

// symbols are the unit symbols Lookup knows, each usable with any prefix.
var symbols = []symbol{
	{"m", Length, 0},
	{"g", Mass, -3},
	{"s", Time, 0},
	{"A", Current, 0},
	{"K", Temperature, 0},
	{"mol", Amount, 0},
	{"cd", Dim{Candela: 1}, 0},
	{"M", Concentration, 3}, // molar: mol/L = 1000 mol/m³
	{"V", Voltage, 0},
	{"S", Conductance, 0},
	{"F", Capacitance, 0},
	{"C", Charge, 0},
	{"Hz", Rate, 0},
	{"ohm", Resistance, 0},
	{"L", Volume, -3}, // litre: 1e-3 m³
	{"J", Energy, 0},
}

// prefixes are the decimal prefixes every symbol takes. There is no mega
// prefix: M is molar. The centi prefix is allowed only in cm (see
// lengthNames).
var prefixes = []struct {
	name  string
	pow10 int
}{
	{"p", -12},
	{"n", -9},
	{"u", -6},
	{"µ", -6}, // U+00B5 MICRO SIGN
	{"m", -3},
	{"k", 3},
}

// entry is a unit of the table, with its size in SI units as a power of
// ten, from which Parse computes exact scales of compound units.
type entry struct {
	unit  Unit
	pow10 int
}

// unitTable maps every name Lookup accepts to its unit. It is built once by
// init and never modified.
var unitTable map[string]entry

// sortedNames holds the keys of unitTable in sorted order.
var sortedNames []string

// lengthNames are the length units that take a power suffix 2 or 3.
var lengthNames = []string{"pm", "nm", "um", "µm", "mm", "cm", "m", "km"}

func init() {
	unitTable = make(map[string]entry)
	add := func(name string, dim Dim, pow10 int) {
		if _, dup := unitTable[name]; dup {
			panic("units: duplicate unit name " + name)
		}
		u := Unit{Name: name, Dim: dim, Scale: exp10(pow10 - dim.pow10())}
		unitTable[name] = entry{u, pow10}
	}
	for _, s := range symbols {
		add(s.name, s.dim, s.pow10)
		for _, p := range prefixes {
			add(p.name+s.name, s.dim, p.pow10+s.pow10)
		}
	}
	add("cm", Length, -2)
	for _, name := range lengthNames {
		e := unitTable[name]
		for _, n := range []int{2, 3} {
			add(fmt.Sprint(name, n), e.unit.Dim.Pow(n), e.pow10*n)
		}
	}
	sortedNames = make([]string, 0, len(unitTable))
	for name := range unitTable {
		sortedNames = append(sortedNames, name)
	}
	slices.Sort(sortedNames)
}

// Lookup returns the unit named by a single symbol, such as "mV", "uA",
// "cm2", "mM", "Hz" or "kohm", and false if there is none. The symbols are
// m, g, s, A, K, mol, cd, M (molar, mol/L), V, S, F, C, Hz, ohm, L (litre)
// and J, each bare or with one of the prefixes p, n, u, µ (U+00B5, same as
// u), m and k; c is a prefix only in cm. Length units (m, cm, mm, um, µm,
// nm, and also pm and km) take a power suffix 2 or 3, as in cm2 or um3.
// Names are case-sensitive: "mM" is millimolar, "mm" millimetre, "ms"
// millisecond and "mS" millisiemens.
func Lookup(name string) (Unit, bool) {
	e, ok := unitTable[name]
	return e.unit, ok
}

// Names returns every name [Lookup] accepts, sorted, for "did you mean"
// suggestions. The caller may modify the returned slice.
func Names() []string { return slices.Clone(sortedNames) }

// Error is a syntax or range error in a unit or quantity. [Parse] and
// [ParseQuantity] return errors of type *Error.
type Error struct {
	// Offset is the byte offset of the problem in the input.
	Offset int
	// Msg describes the problem.
	Msg string
}

// Error returns e.Msg.
func (e *Error) Error() string { return e.Msg }

func errorf(offset int, format string, args ...any) *Error {
	return &Error{Offset: offset, Msg: fmt.Sprintf(format, args...)}
}

// MustParse is like [Parse] but panics if s is not a valid unit. It is
// meant for constant unit strings in Go code.
func MustParse(s string) Unit {
	u, err := Parse(s)
	if err != nil {
		panic(fmt.Sprintf("units: MustParse(%q): %v", s, err))
	}
	return u
}

// Parse parses a compound unit, such as "mS/cm2", "uA/cm^2", "uA/cm**2",
// "1/(mV*ms)", "mol/m3" or "", with the grammar
//
//	unit   = factor { ("*" | "/") factor }
//	factor = "1" | NAME [ ("^" | "**") INT ] | "(" unit ")"
//
// where NAME is a name [Lookup] accepts and INT an optionally signed
// integer, as in "cm^-2". "*" and "/" associate to the left, as in
// arithmetic: "mV/ms*cm" is (mV/ms)*cm. Spaces, tabs and newlines between
// tokens are ignored. The empty string and "1" are dimensionless with Scale
// 1. The Name of the result is s without leading and trailing spaces.
//
// Errors are of type *[Error], such as `unknown unit "mv" (did you mean
// "mV"?)` or `missing unit after "/"`, with the byte offset of the problem.
func Parse(s string) (Unit, error) {
	u, _, err := parseAt(s, 0, false)
	if err != nil {
		return Unit{}, err // avoid a non-nil error holding a nil *Error
	}
	return u, nil
}

// parseAt parses s as a unit and also returns the power of ten of its
// Scale. Offsets in errors are shifted by base, the offset of s in a larger
// input. If afterOne is set, s is parsed as if it followed "1": it must
// start with "*" or "/", as in the "/ms" of "0.1/ms".
func parseAt(s string, base int, afterOne bool) (Unit, int, *Error) {
	p := &parser{lex: lexer{src: s, base: base}}
	p.next()
	var v value
	var err *Error
	switch {
	case afterOne:
		v, err = p.operators(value{})
	case p.tok.kind != tokEOF:
		v, err = p.unit("")
	}
	if err != nil {
		return Unit{}, 0, err
	}
	switch p.tok.kind {
	case tokEOF:
	case tokRParen:
		return Unit{}, 0, p.errorf(`unexpected ")"`)
	case tokName, tokNumber, tokLParen:
		return Unit{}, 0, p.errorf("missing \"*\" or \"/\" before %q", p.tok.text)
	default:
		return Unit{}, 0, p.errorf("unexpected %q", p.tok.text)
	}
	pow10 := v.pow10 - v.dim.pow10()
	scale := exp10(pow10)
	if scale == 0 || math.IsInf(scale, 0) {
		lead := len(s) - len(strings.TrimLeft(s, spaces))
		return Unit{}, 0, errorf(base+lead, "unit %q is out of range", strings.Trim(s, spaces))
	}
	return Unit{Name: strings.Trim(s, spaces), Dim: v.dim, Scale: scale}, pow10, nil
}

// value is a partly parsed unit: its dimension and its size in SI units as
// a power of ten. Keeping the power of ten as an integer makes Unit.Scale
// exact however many factors a unit has.
type value struct {
	dim   Dim
	pow10 int
}

// tokKind is the kind of a token of a unit.
type tokKind int

const (
	tokEOF    tokKind = iota
	tokName           // unit name: a letter, then letters and digits
	tokNumber         // decimal digits, possibly with a fraction
	tokMul            // *
	tokDiv            // /
	tokPow            // ^ or **
	tokLParen         // (
	tokRParen         // )
	tokSign           // + or -
	tokOther          // any other character
)

type token struct {
	kind tokKind
	text string
	off  int // byte offset in the whole input
}

// lexer splits a unit into tokens, skipping spaces.
type lexer struct {
	src  string
	pos  int
	base int // offset of src in the whole input
}

// spaces are the characters Parse ignores and ParseQuantity trims.
const spaces = " \t\r\n"

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// letterAt returns the size in bytes of the rune at s[i] if it can be part
// of a unit name (a letter or '_', such as the µ of "µm"), and 0 otherwise.
func letterAt(s string, i int) int {
	c := s[i]
	if c < utf8.RuneSelf {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' {
			return 1
		}
		return 0
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if unicode.IsLetter(r) {
		return size
	}
	return 0
}

func (l *lexer) next() token {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
	start := l.pos
	tok := func(kind tokKind) token {
		return token{kind: kind, text: l.src[start:l.pos], off: l.base + start}
	}
	if l.pos == len(l.src) {
		return tok(tokEOF)
	}
	if n := letterAt(l.src, l.pos); n > 0 {
		l.pos += n
		for l.pos < len(l.src) {
			if isDigit(l.src[l.pos]) {
				l.pos++
			} else if n := letterAt(l.src, l.pos); n > 0 {
				l.pos += n
			} else {
				break
			}
		}
		return tok(tokName)
	}
	c := l.src[l.pos]
	l.pos++
	switch {
	case isDigit(c) || c == '.':
		for l.pos < len(l.src) && (isDigit(l.src[l.pos]) || l.src[l.pos] == '.') {
			l.pos++
		}
		return tok(tokNumber)
	case c == '*':
		if l.pos < len(l.src) && l.src[l.pos] == '*' {
			l.pos++
			return tok(tokPow)
		}
		return tok(tokMul)
	case c == '/':
		return tok(tokDiv)
	case c == '^':
		return tok(tokPow)
	case c == '(':
		return tok(tokLParen)
	case c == ')':
		return tok(tokRParen)
	case c == '+' || c == '-':
		return tok(tokSign)
	}
	// Any other character, whole: "·" rather than half of it.
	if c >= utf8.RuneSelf {
		_, size := utf8.DecodeRuneInString(l.src[start:])
		l.pos = start + size
	}
	return tok(tokOther)
}

// parser is a recursive-descent parser of units.
type parser struct {
	lex   lexer
	tok   token
	depth int // number of open parentheses
}

// maxDepth bounds the nesting of parentheses, and so the recursion of the
// parser, far above anything a spec needs.
const maxDepth = 100

func (p *parser) next() { p.tok = p.lex.next() }

func (p *parser) errorf(format string, args ...any) *Error {
	return errorf(p.tok.off, format, args...)
}

// unit parses factor { ("*" | "/") factor }. after is the opening
// parenthesis before the unit, if any, for error messages.
func (p *parser) unit(after string) (value, *Error) {
	v, err := p.factor(after)
	if err != nil {
		return value{}, err
	}
	return p.operators(v)
}

// operators parses { ("*" | "/") factor } after a factor of value v.
func (p *parser) operators(v value) (value, *Error) {
	for p.tok.kind == tokMul || p.tok.kind == tokDiv {
		op := p.tok
		p.next()
		w, err := p.factor(op.text)
		if err != nil {
			return value{}, err
		}
		var ok bool
		if op.kind == tokMul {
			v.dim, ok = v.dim.MulOK(w.dim)
			v.pow10 += w.pow10
		} else {
			v.dim, ok = v.dim.DivOK(w.dim)
			v.pow10 -= w.pow10
		}
		if !ok {
			return value{}, errorf(op.off, "exponent out of range")
		}
	}
	return v, nil
}

// factor parses "1" | NAME [ ("^" | "**") INT ] | "(" unit ")". after is
// the operator or parenthesis before the factor, for error messages.
func (p *parser) factor(after string) (value, *Error) {
	missing := func() *Error {
		if after == "" {
			if p.tok.kind == tokEOF {
				return p.errorf("missing unit")
			}
			return p.errorf("missing unit before %q", p.tok.text)
		}
		return p.errorf("missing unit after %q", after)
	}
	switch p.tok.kind {
	case tokNumber:
		if p.tok.text != "1" {
			return value{}, p.errorf("unexpected number %q in unit (only 1 is allowed, as in 1/ms)", p.tok.text)
		}
		p.next()
		return value{}, nil
	case tokLParen:
		open := p.tok
		if p.depth == maxDepth {
			return value{}, p.errorf("too many nested parentheses")
		}
		p.depth++
		p.next()
		v, err := p.unit(open.text)
		p.depth--
		if err != nil {
			return value{}, err
		}
		switch p.tok.kind {
		case tokRParen:
			p.next()
			return v, nil
		case tokEOF:
			return value{}, errorf(open.off, `missing ")" to match "("`)
		case tokName, tokNumber, tokLParen:
			return value{}, p.errorf("missing \"*\" or \"/\" before %q", p.tok.text)
		}
		return value{}, p.errorf("unexpected %q", p.tok.text)
	case tokName:
		return p.name()
	case tokEOF, tokMul, tokDiv, tokRParen, tokPow:
		return value{}, missing()
	}
	return value{}, p.errorf("unexpected %q", p.tok.text)
}

// name parses NAME [ ("^" | "**") INT ].
func (p *parser) name() (value, *Error) {
	nameTok := p.tok
	e, ok := unitTable[nameTok.text]
	if !ok {
		return value{}, errorf(nameTok.off, "%s", unknownUnit(nameTok.text))
	}
	v := value{dim: e.unit.Dim, pow10: e.pow10}
	p.next()
	if p.tok.kind != tokPow {
		return v, nil
	}
	pow := p.tok
	p.next()
	expOff := p.tok.off
	n, err := p.integer(pow.text)
	if err != nil {
		return value{}, err
	}
	dim, ok := v.dim.PowOK(n)
	if !ok {
		return value{}, errorf(expOff, "exponent out of range")
	}
	return value{dim: dim, pow10: v.pow10 * n}, nil
}

// integer parses an optionally signed integer exponent after pow ("^" or
// "**").
func (p *parser) integer(pow string) (int, *Error) {
	start := p.tok.off
	neg := false
	if p.tok.kind == tokSign {
		neg = p.tok.text == "-"
		p.next()
	}
	if p.tok.kind != tokNumber {
		return 0, p.errorf("missing exponent after %q", pow)
	}
	if strings.Contains(p.tok.text, ".") {
		return 0, p.errorf("exponent %s is not an integer", p.tok.text)
	}
	n := 0
	for _, c := range []byte(p.tok.text) {
		n = n*10 + int(c-'0')
		if n > 128 { // no exponent beyond this fits a Dim
			return 0, errorf(start, "exponent out of range")
		}
	}
	p.next()
	if neg {
		n = -n
	}
	return n, nil
}

// unknownUnit returns the message for an unknown unit name, with a
// suggestion when one is close.
func unknownUnit(name string) string {
	// "mV2" for "mV^2": only lengths take a power suffix.
	if i := strings.LastIndexFunc(name, func(r rune) bool { return r < '0' || r > '9' }) + 1; i > 0 && i < len(name) {
		if _, ok := Lookup(name[:i]); ok {
			return fmt.Sprintf("unknown unit %q (did you mean \"%s^%s\"?)", name, name[:i], name[i:])
		}
	}
	// Greek small letter mu for the micro sign.
	if fixed := strings.ReplaceAll(name, "\u03bc", "\u00b5"); fixed != name {
		if _, ok := Lookup(fixed); ok {
			return fmt.Sprintf("unknown unit %q (did you mean %q, with the micro sign U+00B5, or %q?)", name, fixed, strings.ReplaceAll(name, "\u03bc", "u"))
		}
	}
	if fixed := strings.ReplaceAll(name, "Ω", "ohm"); fixed != name {
		if _, ok := Lookup(fixed); ok {
			return fmt.Sprintf("unknown unit %q (did you mean %q?)", name, fixed)
		}
	}
	hint := ""
	if rest, ok := strings.CutPrefix(name, "M"); ok {
		if _, ok := Lookup(rest); ok {
			hint = "there is no mega prefix: M is molar"
		}
	}
	if s := suggest.Closest(name, sortedNames); s != "" {
		if hint != "" {
			hint += "; "
		}
		hint += fmt.Sprintf("did you mean %q?", s)
	}
	if hint == "" {
		return fmt.Sprintf("unknown unit %q", name)
	}
	return fmt.Sprintf("unknown unit %q (%s)", name, hint)
}
