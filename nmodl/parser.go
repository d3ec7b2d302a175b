package nmodl

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/spec"
)

// The codes of Parse's errors (and spec.TooLarge beyond the limits on size and nesting).
const (
	// Syntax: the file is not NMODL that nocmodl accepts.
	Syntax spec.Code = "nmodl-syntax"
	// Unsupported: NMODL that nocmodl accepts but this parser does not: FUNCTION_TABLE,
	// DISCRETE and PARTIAL blocks, SOLVEFOR, REPRESENTS, LAG, RESET, SENS, MATCH, FOR_NETCONS.
	Unsupported spec.Code = "nmodl-unsupported"
)

// Limits that keep any input from exhausting the parser.
const (
	maxSize   = 16 << 20 // bytes of a file
	maxDepth  = 200      // nesting of expressions and bodies
	maxErrors = 50       // errors reported before the parser gives up
)

// Parse parses the NMODL source src of the file named filename. It returns the file's syntax
// tree and, when the source has errors, a spec.ErrorList of all of them, sorted, each at its
// file:line:col with code Syntax or Unsupported (spec.TooLarge for a file or nesting beyond
// the limits). The tree is returned even then, with what parsed; where an expression did not,
// it holds a BadExpr. Parse does not panic on any input.
func Parse(filename string, src []byte) (*File, error) {
	p := &parser{file: spec.NewFile(filename, src)}
	p.s = scanner{file: p.file, src: src, err: func(off int, format string, args ...any) {
		p.errorAt(off, Syntax, format, args...)
	}}
	f := &File{Name: filename, Start: p.file.Pos(0)}
	if len(src) > maxSize {
		p.errorAt(0, spec.TooLarge, "file is %d bytes, more than the limit of %d", len(src), maxSize)
		return f, p.errs.Err()
	}
	if bytes.HasPrefix(src, []byte("\xEF\xBB\xBF")) {
		p.s.start, p.s.off = 3, 3 // a byte order mark, which editors do not show
	}
	p.next()
	var spans [][2]int // where each top-level block lies, to place COMMENT blocks among them
	for p.tok.kind != EOF {
		start := p.tok.off
		if b := p.block(); b != nil {
			f.Blocks = append(f.Blocks, b)
			spans = append(spans, [2]int{start, p.prevEnd})
		}
		if p.bad {
			p.syncTop(start)
		}
	}
	f.Comments = p.s.comments
	// COMMENT blocks between top-level blocks are blocks too, where they were written.
	for _, c := range f.Comments {
		off := c.At.Offset()
		i := sort.Search(len(spans), func(i int) bool { return spans[i][0] > off })
		if c.Kind == BlockComment && (i == 0 || spans[i-1][1] <= off) {
			f.Blocks = append(f.Blocks, &CommentBlock{c})
		}
	}
	sort.SliceStable(f.Blocks, func(i, j int) bool {
		return f.Blocks[i].Pos().Offset() < f.Blocks[j].Pos().Offset()
	})
	p.errs.Sort()
	return f, p.errs.Err()
}

type parser struct {
	file    *spec.File
	s       scanner
	tok     tok
	prevEnd int // where the token before tok ends
	errs    spec.ErrorList
	bad     bool // an error in the current statement: report no more until resynchronised
	depth   int  // nesting of expressions and bodies
	stopped bool // too many errors, or too deep: the rest of the file is skipped
}

func (p *parser) pos(off int) spec.Pos { return p.file.Pos(off) }

func (p *parser) next() {
	p.prevEnd = p.tok.end
	if p.stopped {
		p.tok = tok{kind: EOF, off: len(p.s.src), end: len(p.s.src)}
		return
	}
	p.tok = p.s.next()
}

// errorAt records an error at byte offset off; it reports a second error at the same place
// only once, and stops the parse after maxErrors.
func (p *parser) errorAt(off int, code spec.Code, format string, args ...any) {
	if p.stopped {
		return
	}
	pos := p.pos(off)
	for _, e := range p.errs {
		if e.Pos == pos {
			return
		}
	}
	if len(p.errs) == maxErrors {
		p.errs.Add(pos, Syntax, "too many errors")
		p.stopped = true
		return
	}
	p.errs.Add(pos, code, format, args...)
}

// errorf reports an error at the current token, unless the statement already has one.
func (p *parser) errorf(format string, args ...any) { p.codeErrorf(Syntax, format, args...) }

// unsupported reports NMODL that this parser does not support at the current token.
func (p *parser) unsupported(format string, args ...any) {
	p.codeErrorf(Unsupported, format, args...)
}

func (p *parser) codeErrorf(code spec.Code, format string, args ...any) {
	if !p.bad {
		p.errorAt(p.tok.off, code, format, args...)
	}
	p.bad = true
}

// describe says what the current token is, for "expected X, found Y".
func (p *parser) describe() string {
	switch p.tok.kind {
	case NameTok:
		if keywords[p.tok.lit] {
			return "keyword " + p.tok.lit
		}
		return "name " + p.tok.lit
	case NumberTok, PrimeTok, StringTok:
		return p.tok.kind.String() + " " + p.tok.lit
	case EOF, TitleTok, VerbatimTok, Illegal:
		return p.tok.kind.String()
	}
	return strconv.Quote(p.tok.lit)
}

// quoted spells token kind k for a message: quoted when it is punctuation.
func quoted(k Token) string {
	if k >= LParen {
		return strconv.Quote(k.String())
	}
	return k.String()
}

// expectClose expects the closing k of a list: "expected "," or ")"" when it is missing.
func (p *parser) expectClose(k Token) {
	if p.tok.kind != k {
		p.errorf("expected \",\" or %s, found %s", quoted(k), p.describe())
		return
	}
	p.next()
}

func (p *parser) expect(k Token) spec.Pos {
	pos := p.pos(p.tok.off)
	if p.tok.kind != k {
		p.errorf("expected %s, found %s", quoted(k), p.describe())
		return pos
	}
	p.next()
	return pos
}

func (p *parser) isWord(w string) bool { return p.tok.kind == NameTok && p.tok.lit == w }

// keywords are the reserved words: they cannot name variables, and lists of names end at one.
var keywords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`NEURON UNITS PARAMETER CONSTANT ASSIGNED STATE INDEPENDENT
		INITIAL BREAKPOINT DERIVATIVE KINETIC LINEAR NONLINEAR PROCEDURE FUNCTION NET_RECEIVE
		CONSTRUCTOR DESTRUCTOR BEFORE AFTER UNITSOFF UNITSON DEFINE INCLUDE TITLE COMMENT
		ENDCOMMENT VERBATIM ENDVERBATIM SUFFIX POINT_PROCESS ARTIFICIAL_CELL USEION READ WRITE
		VALENCE REPRESENTS NONSPECIFIC_CURRENT ELECTRODE_CURRENT RANGE GLOBAL THREADSAFE POINTER
		BBCOREPOINTER EXTERNAL LOCAL SOLVE METHOD STEADYSTATE IFERROR CONSERVE COMPARTMENT
		LONGITUDINAL_DIFFUSION TABLE DEPEND FROM TO BY WITH WATCH MUTEXLOCK MUTEXUNLOCK PROTECT
		FUNCTION_TABLE DISCRETE PARTIAL LAG RESET SENS MATCH FOR_NETCONS SOLVEFOR STEP
		if else while`) {
		keywords[w] = true
	}
}

// topKeywords start a top-level block; after an error, the parser resumes at one that starts a
// line.
var topKeywords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`NEURON UNITS PARAMETER CONSTANT ASSIGNED STATE INDEPENDENT
		INITIAL BREAKPOINT DERIVATIVE KINETIC LINEAR NONLINEAR PROCEDURE FUNCTION NET_RECEIVE
		CONSTRUCTOR DESTRUCTOR BEFORE AFTER UNITSOFF UNITSON DEFINE INCLUDE FUNCTION_TABLE
		DISCRETE PARTIAL LOCAL`) {
		topKeywords[w] = true
	}
}

// syncTop skips to the next top-level block after an error in the one that began at offset
// start: a block keyword at the start of a line outside braces, or, once a braced block has been
// skipped, any token that starts a line. It skips at least one token unless the error left the
// parser at one.
func (p *parser) syncTop(start int) {
	depth, closed := 0, false
	for first := true; p.tok.kind != EOF; first = false {
		if depth == 0 && p.tok.nl && (!first || p.tok.off != start) &&
			(closed || p.tok.kind == TitleTok || p.tok.kind == VerbatimTok || p.tok.kind == NameTok && topKeywords[p.tok.lit]) {
			break
		}
		switch p.tok.kind {
		case LBrace:
			depth++
		case RBrace:
			if depth > 0 {
				depth--
				closed = depth == 0
			}
		}
		p.next()
	}
	p.bad = false
}

// syncStmt skips to the next statement after an error in the statement that began at offset
// start: a token that starts a line, or the "}" that closes the body, outside nested braces.
// When the error was found at a token that starts a line, past the statement's start (the
// statement ended early), the parser resumes there.
func (p *parser) syncStmt(start int) {
	if p.tok.nl && p.tok.off != start {
		p.bad = false
		return
	}
	depth := 0
	for p.tok.kind != EOF {
		switch p.tok.kind {
		case LBrace:
			depth++
		case RBrace:
			if depth == 0 {
				p.bad = false
				return
			}
			depth--
		}
		p.next()
		if depth == 0 && p.tok.nl {
			break
		}
	}
	p.bad = false
}

// block parses a top-level block, or returns nil after an error.
func (p *parser) block() Block {
	at := p.pos(p.tok.off)
	switch p.tok.kind {
	case TitleTok:
		b := &Title{At: at, Text: p.tok.lit}
		p.next()
		return b
	case VerbatimTok:
		b := &VerbatimBlock{At: at, Text: p.tok.lit}
		p.next()
		return b
	case NameTok:
	default:
		p.errorf("expected a block (NEURON, PARAMETER, BREAKPOINT, ...), found %s", p.describe())
		return nil
	}
	kind := p.tok.lit
	switch kind {
	case "NEURON":
		p.next()
		return p.neuronBlock(at)
	case "UNITS":
		p.next()
		return p.unitsBlock(at)
	case "PARAMETER", "CONSTANT", "ASSIGNED", "STATE", "INDEPENDENT":
		p.next()
		return p.declBlock(at, kind)
	case "INITIAL", "BREAKPOINT", "CONSTRUCTOR", "DESTRUCTOR":
		p.next()
		return &StmtBlock{At: at, Kind: kind, Body: p.body()}
	case "DERIVATIVE", "KINETIC", "LINEAR", "NONLINEAR":
		p.next()
		b := &StmtBlock{At: at, Kind: kind, Name: p.ident()}
		if (kind == "LINEAR" || kind == "NONLINEAR") && p.isWord("SOLVEFOR") {
			p.unsupported("SOLVEFOR is not supported")
		}
		b.Body = p.body()
		return b
	case "BEFORE", "AFTER":
		p.next()
		if p.tok.kind == NameTok && (p.tok.lit == "BREAKPOINT" || p.tok.lit == "SOLVE" || p.tok.lit == "INITIAL" || p.tok.lit == "STEP") {
			kind += " " + p.tok.lit
			p.next()
		} else {
			p.errorf("expected BREAKPOINT, SOLVE, INITIAL or STEP after %s, found %s", kind, p.describe())
		}
		return &StmtBlock{At: at, Kind: kind, Body: p.body()}
	case "PROCEDURE", "FUNCTION":
		p.next()
		return p.funcDecl(at, kind, p.ident())
	case "NET_RECEIVE":
		p.next()
		return p.funcDecl(at, kind, nil)
	case "UNITSOFF", "UNITSON":
		p.next()
		return &UnitsSwitch{At: at, On: kind == "UNITSON"}
	case "LOCAL":
		// Variables of the whole file, as old files such as hh.mod declare them.
		if s, ok := p.keywordStmt(at, kind).(*Local); ok {
			return s
		}
		return nil
	case "DEFINE":
		p.next()
		d := &Define{At: at, Name: p.ident()}
		if p.tok.kind != NumberTok {
			p.errorf("expected a number after DEFINE %s, found %s", d.Name.Name, p.describe())
			return d
		}
		d.Value = p.number(false)
		return d
	case "INCLUDE":
		p.next()
		d := &Include{At: at, Path: &StringLit{At: p.pos(p.tok.off), Lit: p.tok.lit}}
		p.expect(StringTok)
		return d
	case "FUNCTION_TABLE", "DISCRETE", "PARTIAL":
		p.unsupported("%s blocks are not supported", kind)
		return nil
	}
	if kw := p.tok.lit; keywords[kw] {
		p.errorf("%s is not allowed at top level", kw)
	} else {
		p.errorf("expected a block (NEURON, PARAMETER, BREAKPOINT, ...), found %s", p.describe())
	}
	return nil
}

// ident parses a name that is not a keyword.
func (p *parser) ident() *Ident {
	id := &Ident{At: p.pos(p.tok.off), Name: p.tok.lit}
	if p.tok.kind != NameTok || keywords[p.tok.lit] {
		p.errorf("expected a name, found %s", p.describe())
		id.Name = ""
		return id
	}
	p.next()
	return id
}

// names parses a list of names, separated by commas or blanks, that ends before a keyword or
// any other token; at least one name unless empty is allowed.
func (p *parser) names(empty bool) []*Ident {
	var list []*Ident
	if !empty || p.tok.kind == NameTok && !keywords[p.tok.lit] {
		list = append(list, p.ident())
	}
	for !p.bad {
		if p.tok.kind == Comma {
			p.next()
			list = append(list, p.ident())
			continue
		}
		if p.tok.kind == NameTok && !keywords[p.tok.lit] {
			list = append(list, p.ident())
			continue
		}
		break
	}
	return list
}

// open expects the "{" of a block and counts its nesting; it reports false when there is none.
func (p *parser) open() (spec.Pos, bool) {
	if p.tok.kind != LBrace {
		p.errorf("expected \"{\", found %s", p.describe())
		return p.pos(p.tok.off), false
	}
	at := p.pos(p.tok.off)
	p.next()
	p.bad = false
	return at, true
}

// close expects the "}" of the block opened at lbrace.
func (p *parser) close(lbrace spec.Pos) spec.Pos {
	at := p.pos(p.tok.off)
	if p.tok.kind != RBrace {
		if p.tok.kind == EOF {
			p.errorf("expected \"}\", found end of file: the \"{\" at %d:%d is not closed", lbrace.Line(), lbrace.Col())
		} else {
			p.errorf("expected \"}\", found %s", p.describe())
		}
		return at
	}
	p.next()
	return at
}

// list parses the statements of a block up to its "}", resynchronising after errors, with
// item parsing one.
func (p *parser) list(item func()) {
	for p.tok.kind != RBrace && p.tok.kind != EOF {
		off := p.tok.off
		item()
		if p.bad {
			p.syncStmt(off)
		}
		if p.tok.off == off && p.tok.kind != RBrace && p.tok.kind != EOF {
			p.next() // no progress: skip the token
		}
	}
}

func (p *parser) neuronBlock(at spec.Pos) *NeuronBlock {
	b := &NeuronBlock{At: at}
	lb, ok := p.open()
	if !ok {
		b.Rbrace = lb
		return b
	}
	p.list(func() {
		if s := p.neuronStmt(); s != nil {
			b.Stmts = append(b.Stmts, s)
		}
	})
	b.Rbrace = p.close(lb)
	return b
}

func (p *parser) neuronStmt() NeuronStmt {
	at := p.pos(p.tok.off)
	if p.tok.kind != NameTok {
		p.errorf("expected a NEURON statement (SUFFIX, USEION, RANGE, ...), found %s", p.describe())
		return nil
	}
	switch kw := p.tok.lit; kw {
	case "SUFFIX", "POINT_PROCESS", "ARTIFICIAL_CELL":
		p.next()
		return &Suffix{At: at, Kind: kw, Name: p.ident()}
	case "USEION":
		p.next()
		u := &UseIon{At: at, Ion: p.ident()}
		// READ, WRITE and VALENCE, each at most once, in any order.
		for !p.bad && p.tok.kind == NameTok {
			switch {
			case p.tok.lit == "READ" && u.Read == nil:
				p.next()
				u.Read = p.names(false)
			case p.tok.lit == "WRITE" && u.Write == nil:
				p.next()
				u.Write = p.names(false)
			case p.tok.lit == "VALENCE" && u.Valence == nil:
				p.next()
				u.Valence = p.signedNumber("VALENCE")
			case p.tok.lit == "REPRESENTS":
				p.unsupported("REPRESENTS is not supported")
				return u
			case p.tok.lit == "READ" || p.tok.lit == "WRITE" || p.tok.lit == "VALENCE":
				p.errorf("%s given twice for ion %s", p.tok.lit, u.Ion.Name)
				return u
			default:
				return u
			}
		}
		return u
	case "RANGE", "GLOBAL", "NONSPECIFIC_CURRENT", "ELECTRODE_CURRENT", "POINTER", "BBCOREPOINTER", "EXTERNAL":
		p.next()
		return &NameList{At: at, Kind: kw, Names: p.names(false)}
	case "THREADSAFE":
		p.next()
		return &NameList{At: at, Kind: kw, Names: p.names(true)}
	}
	p.errorf("expected a NEURON statement (SUFFIX, USEION, RANGE, ...), found %s", p.describe())
	return nil
}

// signedNumber parses a number, maybe negative, without units: a declaration's value or limit.
func (p *parser) signedNumber(what string) Expr {
	at := p.pos(p.tok.off)
	neg := p.tok.kind == Minus
	if neg || p.tok.kind == Plus {
		p.next()
	}
	if p.tok.kind != NumberTok {
		p.errorf("expected a number for %s, found %s", what, p.describe())
		return &BadExpr{At: p.pos(p.tok.off)}
	}
	n := p.number(false)
	if neg {
		return &Unary{At: at, Op: Minus, X: n}
	}
	return n
}

// number parses a number and, when units is set and a "(" follows, its units.
func (p *parser) number(units bool) *Number {
	n := &Number{At: p.pos(p.tok.off), Lit: p.tok.lit}
	v, err := strconv.ParseFloat(p.tok.lit, 64)
	if err != nil && !math.IsInf(v, 0) {
		v = 0
	}
	if math.IsInf(v, 0) {
		p.errorf("number %s is out of range", p.tok.lit)
	}
	n.Value = v
	p.next()
	if units && p.tok.kind == LParen {
		n.Units = p.units()
	}
	return n
}

// units parses units in parentheses; the current token is the "(".
func (p *parser) units() *Units {
	u := &Units{Lparen: p.pos(p.tok.off)}
	if p.tok.kind != LParen {
		p.errorf("expected units in parentheses, found %s", p.describe())
		return u
	}
	text, rparen := p.s.units()
	u.Text = strings.Join(strings.Fields(text), " ")
	if rparen < 0 {
		// Resume after a ")" later on the line, or at the end of the line.
		bad := p.tok.end + len(text)
		switch {
		case bad >= len(p.s.src):
			p.errorAt(bad, Syntax, "units not closed: expected \")\", found end of file")
		case p.s.src[bad] == '\n' || p.s.src[bad] == '\r':
			p.errorAt(bad, Syntax, "units not closed: expected \")\" before the end of the line")
		default:
			p.errorAt(bad, Syntax, "unexpected %s in units", quoteChar(p.s.src[bad:]))
		}
		p.bad = true
		p.s.off = bad
		for p.s.off < len(p.s.src) && p.s.src[p.s.off] != '\n' && p.s.src[p.s.off] != '\r' {
			p.s.off++
			if p.s.src[p.s.off-1] == ')' {
				break
			}
		}
	} else if u.Text == "" {
		p.errorAt(p.tok.off, Syntax, "empty units ()")
		p.bad = true
	}
	p.next()
	return u
}

func (p *parser) unitsBlock(at spec.Pos) *UnitsBlock {
	b := &UnitsBlock{At: at}
	lb, ok := p.open()
	if !ok {
		b.Rbrace = lb
		return b
	}
	p.list(func() {
		d := &UnitDef{At: p.pos(p.tok.off)}
		switch p.tok.kind {
		case LParen:
			d.Left = p.units()
			p.expect(Equals)
			d.Right = p.units()
		case NameTok:
			d.Name = p.ident()
			p.expect(Equals)
			if p.tok.kind == LParen {
				d.Left = p.units()
				d.Right = p.units()
			} else {
				d.Value = p.signedNumber(d.Name.Name)
				if p.tok.kind == LParen {
					d.Right = p.units()
				}
			}
		default:
			p.errorf("expected (units) or a name in UNITS, found %s", p.describe())
			return
		}
		b.Defs = append(b.Defs, d)
	})
	b.Rbrace = p.close(lb)
	return b
}

func (p *parser) declBlock(at spec.Pos, kind string) *DeclBlock {
	b := &DeclBlock{At: at, Kind: kind}
	lb, ok := p.open()
	if !ok {
		b.Rbrace = lb
		return b
	}
	p.list(func() {
		if p.tok.kind == Comma && len(b.Decls) > 0 {
			p.next()
		}
		if d := p.decl(kind); d != nil {
			b.Decls = append(b.Decls, d)
		}
	})
	b.Rbrace = p.close(lb)
	return b
}

// decl parses one declaration of a block of kind.
func (p *parser) decl(kind string) *Decl {
	if p.tok.kind != NameTok || keywords[p.tok.lit] {
		p.errorf("expected a name to declare in %s, found %s", kind, p.describe())
		return nil
	}
	d := &Decl{Name: p.ident()}
	if p.tok.kind == LBrack {
		p.next()
		if d.Size = p.arraySize(d.Name); p.bad {
			return d
		}
		p.expect(RBrack)
	}
	if p.tok.kind == Equals {
		if kind != "PARAMETER" && kind != "CONSTANT" {
			p.errorf("%s %s has a value: only PARAMETER and CONSTANT declarations have values", kind, d.Name.Name)
			return d
		}
		p.next()
		d.Value = p.signedNumber(d.Name.Name)
	} else if kind == "CONSTANT" {
		p.errorf("expected \"=\" and a value for constant %s, found %s", d.Name.Name, p.describe())
		return d
	}
	if p.tok.kind == LParen {
		d.Units = p.units()
	}
	if p.isWord("FROM") && kind != "CONSTANT" {
		p.next()
		d.From = true
		d.Lo = p.signedNumber("FROM")
		if !p.isWord("TO") {
			p.errorf("expected TO, found %s", p.describe())
			return d
		}
		p.next()
		d.Hi = p.signedNumber("TO")
		if kind == "INDEPENDENT" {
			if !p.isWord("WITH") {
				p.errorf("expected WITH, found %s", p.describe())
				return d
			}
			p.next()
			d.With = p.signedNumber("WITH")
			if p.tok.kind == LParen && d.Units == nil {
				d.Units = p.units()
			}
		}
	}
	if p.tok.kind == Lt {
		if d.From && kind == "PARAMETER" {
			p.errorf("both FROM ... TO and <...> for %s", d.Name.Name)
			return d
		}
		p.next()
		switch kind {
		case "PARAMETER":
			d.Lo = p.signedNumber("the lower limit")
			p.expect(Comma)
			d.Hi = p.signedNumber("the upper limit")
		case "STATE", "ASSIGNED":
			d.Tol = p.signedNumber("the tolerance")
		default:
			p.errorf("%s declarations take no <...>", kind)
			return d
		}
		p.expect(Gt)
	}
	return d
}

// arraySize parses the size of array name: a number or a name (of a DEFINE).
func (p *parser) arraySize(name *Ident) Expr {
	switch {
	case p.tok.kind == NumberTok:
		return p.number(false)
	case p.tok.kind == NameTok && !keywords[p.tok.lit]:
		return p.ident()
	}
	p.errorf("expected the size of array %s, found %s", name.Name, p.describe())
	return &BadExpr{At: p.pos(p.tok.off)}
}

func (p *parser) funcDecl(at spec.Pos, kind string, name *Ident) *FuncDecl {
	f := &FuncDecl{At: at, Kind: kind, Name: name}
	if p.tok.kind != LParen {
		p.errorf("expected \"(\" and the parameters of %s, found %s", kind, p.describe())
	} else {
		p.next()
		for p.tok.kind != RParen && !p.bad {
			par := &Param{Name: p.ident()}
			if p.tok.kind == LParen {
				par.Units = p.units()
			}
			f.Params = append(f.Params, par)
			if p.tok.kind != Comma {
				break
			}
			p.next()
			if p.tok.kind == RParen {
				p.errorf("expected a name, found %s", p.describe())
			}
		}
		p.expectClose(RParen)
		if p.bad {
			// Resume at the body, so that its statements are checked too.
			for p.tok.kind != LBrace && p.tok.kind != EOF && !(p.tok.nl && p.tok.kind == NameTok && topKeywords[p.tok.lit]) {
				p.next()
			}
		}
	}
	if kind == "FUNCTION" && p.tok.kind == LParen {
		f.Units = p.units()
	}
	f.Body = p.body()
	return f
}

// body parses { statements }.
func (p *parser) body() *Body {
	b := &Body{Lbrace: p.pos(p.tok.off)}
	lb, ok := p.open()
	if !ok {
		b.Rbrace = lb
		return b
	}
	if !p.enter() {
		return b
	}
	defer p.leave()
	p.list(func() {
		if s := p.stmt(); s != nil {
			b.Stmts = append(b.Stmts, s)
		}
	})
	b.Rbrace = p.close(lb)
	return b
}

// enter counts one more level of nesting, and stops the parse beyond maxDepth.
func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.errorAt(p.tok.off, spec.TooLarge, "nested more than %d deep", maxDepth)
		p.stopped, p.bad = true, true
		p.tok = tok{kind: EOF, off: len(p.s.src), end: len(p.s.src)}
		p.depth--
		return false
	}
	return true
}

func (p *parser) leave() { p.depth-- }

// stmt parses a statement, or returns nil after an error.
func (p *parser) stmt() Stmt {
	at := p.pos(p.tok.off)
	switch p.tok.kind {
	case LBrace:
		return &BlockStmt{At: at, Body: p.body()}
	case Tilde:
		p.next()
		return p.reaction(at)
	case VerbatimTok:
		s := &VerbatimBlock{At: at, Text: p.tok.lit}
		p.next()
		return s
	case NameTok:
		if keywords[p.tok.lit] {
			return p.keywordStmt(at, p.tok.lit)
		}
	}
	x := p.expr()
	if p.tok.kind == Equals {
		switch x.(type) {
		case *Ident, *Index, *Deriv:
		default:
			if !p.bad {
				p.errorAt(x.Pos().Offset(), Syntax, "cannot assign to %s", exprString(x))
				p.bad = true
			}
			return nil
		}
		p.next()
		return &Assign{Lhs: x, Rhs: p.expr()}
	}
	if _, ok := x.(*Call); !ok {
		if !p.bad {
			p.errorAt(x.Pos().Offset(), Syntax, "%s is not a statement: want an assignment or a call", exprString(x))
			p.bad = true
		}
		return nil
	}
	return &ExprStmt{X: x}
}

func (p *parser) keywordStmt(at spec.Pos, kw string) Stmt {
	p.next()
	switch kw {
	case "LOCAL":
		s := &Local{At: at}
		for {
			d := &Decl{Name: p.ident()}
			if p.tok.kind == LBrack {
				p.next()
				if d.Size = p.arraySize(d.Name); p.bad {
					return s
				}
				p.expect(RBrack)
			}
			s.Names = append(s.Names, d)
			if p.tok.kind != Comma || p.bad {
				return s
			}
			p.next()
		}
	case "if":
		return p.ifStmt(at)
	case "while":
		s := &While{At: at, Cond: p.cond()}
		s.Body = p.body()
		return s
	case "FROM":
		s := &FromLoop{At: at, Var: p.ident()}
		p.expect(Equals)
		s.From = p.expr()
		p.word("TO")
		s.To = p.expr()
		if p.isWord("BY") {
			p.next()
			s.By = p.expr()
		}
		s.Body = p.body()
		return s
	case "SOLVE":
		s := &Solve{At: at, Name: p.ident()}
		switch {
		case p.isWord("METHOD"):
			p.next()
			s.Method = p.ident()
		case p.isWord("STEADYSTATE"):
			p.next()
			s.SteadyState = true
			s.Method = p.ident()
		}
		if p.isWord("IFERROR") {
			p.next()
			s.IfError = p.body()
		}
		return s
	case "CONSERVE":
		s := &Conserve{At: at, Lhs: p.expr()}
		p.expect(Equals)
		s.Rhs = p.expr()
		return s
	case "COMPARTMENT", "LONGITUDINAL_DIFFUSION":
		s := &Compartment{At: at, Kind: kw, Volume: p.expr()}
		if id, ok := s.Volume.(*Ident); ok && p.tok.kind == Comma {
			p.next()
			s.Index, s.Volume = id, p.expr()
		}
		lb := p.expect(LBrace)
		if p.bad {
			return s
		}
		s.States = p.names(true)
		p.close(lb)
		return s
	case "TABLE":
		s := &Table{At: at}
		if p.tok.kind == NameTok && !keywords[p.tok.lit] {
			s.Names = p.names(false)
		}
		if p.isWord("DEPEND") {
			p.next()
			s.Depend = p.names(false)
		}
		p.word("FROM")
		s.From = p.expr()
		p.word("TO")
		s.To = p.expr()
		p.word("WITH")
		s.With = p.expr()
		return s
	case "WATCH":
		s := &Watch{At: at}
		p.expect(LParen)
		s.Cond = p.expr()
		p.expect(RParen)
		s.Flag = p.expr()
		return s
	case "MUTEXLOCK", "MUTEXUNLOCK":
		return &Mutex{At: at, Lock: kw == "MUTEXLOCK"}
	case "PROTECT":
		s := &Protect{At: at}
		if p.tok.kind == NameTok && keywords[p.tok.lit] || p.tok.kind == LBrace || p.tok.kind == Tilde {
			p.errorf("PROTECT takes an assignment, found %s", p.describe())
			return nil
		}
		if s.Stmt = p.stmt(); s.Stmt == nil {
			return nil
		}
		if _, ok := s.Stmt.(*Assign); !ok {
			p.errorAt(s.Stmt.Pos().Offset(), Syntax, "PROTECT takes an assignment")
			p.bad = true
			return nil
		}
		return s
	case "UNITSOFF", "UNITSON":
		return &UnitsSwitch{At: at, On: kw == "UNITSON"}
	case "INITIAL":
		return &BlockStmt{At: at, Kind: kw, Body: p.body()}
	case "else":
		p.errorAt(at.Offset(), Syntax, "else without if")
		p.bad = true
		return nil
	}
	switch kw {
	case "LAG", "RESET", "SENS", "MATCH", "FOR_NETCONS":
		p.errorAt(at.Offset(), Unsupported, "%s is not supported", kw)
	default:
		p.errorAt(at.Offset(), Syntax, "%s is not allowed in a statement block", kw)
	}
	p.bad = true
	return nil
}

// word expects the keyword w.
func (p *parser) word(w string) {
	if !p.isWord(w) {
		p.errorf("expected %s, found %s", w, p.describe())
		return
	}
	p.next()
}

// cond parses a parenthesised condition.
func (p *parser) cond() Expr {
	p.expect(LParen)
	x := p.expr()
	p.expect(RParen)
	return x
}

func (p *parser) ifStmt(at spec.Pos) *If {
	s := &If{At: at, Cond: p.cond()}
	s.Then = p.body()
	if p.isWord("else") {
		elseAt := p.pos(p.tok.off)
		p.next()
		if p.isWord("if") {
			ifAt := p.pos(p.tok.off)
			p.next()
			if !p.enter() {
				return s
			}
			s.Else = p.ifStmt(ifAt)
			p.leave()
		} else {
			s.Else = &BlockStmt{At: elseAt, Body: p.body()}
		}
	}
	return s
}

// reaction parses what follows "~": a reaction, or an equation when no arrow follows the
// first terms.
func (p *parser) reaction(at spec.Pos) Stmt {
	saveScan, saveTok, savePrev, saveErrs, saveBad := p.s, p.tok, p.prevEnd, len(p.errs), p.bad
	saveComments := len(p.s.comments)
	left := p.reactants()
	if !p.bad && (p.tok.kind == Reversible || p.tok.kind == Arrow || p.tok.kind == Flux) {
		r := &Reaction{At: at, Left: left, Op: p.tok.kind}
		p.next()
		if r.Op != Flux {
			r.Right = p.reactants()
		}
		p.expect(LParen)
		r.Rates = append(r.Rates, p.expr())
		if r.Op == Reversible {
			p.expect(Comma)
			r.Rates = append(r.Rates, p.expr())
		}
		p.expect(RParen)
		return r
	}
	// Not a reaction: parse again as an equation.
	p.s, p.tok, p.prevEnd, p.errs, p.bad = saveScan, saveTok, savePrev, p.errs[:saveErrs], saveBad
	p.s.comments = p.s.comments[:saveComments]
	e := &Equation{At: at, Lhs: p.expr()}
	if p.tok.kind != Equals {
		p.errorf("expected \"<->\", \"->\", \"<<\" or \"=\" after ~ %s, found %s", exprString(e.Lhs), p.describe())
		return nil
	}
	p.next()
	e.Rhs = p.expr()
	return e
}

// reactants parses [n] A + [n] B[i] + ...
func (p *parser) reactants() []*Reactant {
	var list []*Reactant
	for {
		r := &Reactant{}
		if p.tok.kind == NumberTok {
			r.Coef = p.number(false)
		}
		id := p.ident()
		r.State = id
		if p.tok.kind == LBrack {
			p.next()
			r.State = &Index{X: id, Index: p.expr()}
			p.expect(RBrack)
		}
		list = append(list, r)
		if p.tok.kind != Plus || p.bad {
			return list
		}
		p.next()
	}
}

// expr parses an expression.
func (p *parser) expr() Expr { return p.binary(1) }

func (p *parser) binary(prec int) Expr {
	x := p.unary()
	for {
		op := p.tok.kind
		q := op.precedence()
		if q == 0 || q < prec {
			return x
		}
		at := p.pos(p.tok.off)
		p.next()
		var y Expr
		if op == Caret {
			y = p.binary(q) // right-associative
		} else {
			y = p.binary(q + 1)
		}
		x = &Binary{X: x, OpPos: at, Op: op, Y: y}
	}
}

func (p *parser) unary() Expr {
	if !p.enter() {
		return &BadExpr{At: p.pos(p.tok.off)}
	}
	defer p.leave()
	if k := p.tok.kind; k == Minus || k == Not {
		at := p.pos(p.tok.off)
		p.next()
		return &Unary{At: at, Op: k, X: p.binary(unaryPrecedence)}
	}
	return p.primary()
}

func (p *parser) primary() Expr {
	at := p.pos(p.tok.off)
	switch p.tok.kind {
	case NumberTok:
		return p.number(true)
	case PrimeTok:
		lit := p.tok.lit
		name := strings.TrimRight(lit, "'")
		p.next()
		return &Deriv{At: at, Name: name, Order: len(lit) - len(name)}
	case LParen:
		p.next()
		x := &Paren{Lparen: at, X: p.expr()}
		p.expect(RParen)
		return x
	case NameTok:
		if keywords[p.tok.lit] {
			break
		}
		id := p.ident()
		switch p.tok.kind {
		case LParen:
			p.next()
			c := &Call{Fun: id}
			for p.tok.kind != RParen && !p.bad {
				// An argument, then "," and the next or the end.
				if p.tok.kind == StringTok {
					c.Args = append(c.Args, &StringLit{At: p.pos(p.tok.off), Lit: p.tok.lit})
					p.next()
				} else {
					c.Args = append(c.Args, p.expr())
				}
				if p.tok.kind != Comma {
					break
				}
				p.next()
				if p.tok.kind == RParen {
					p.errorf("expected an expression, found %s", p.describe())
				}
			}
			p.expectClose(RParen)
			return c
		case LBrack:
			p.next()
			x := &Index{X: id, Index: p.expr()}
			p.expect(RBrack)
			return x
		}
		return id
	}
	p.errorf("expected an expression, found %s", p.describe())
	return &BadExpr{At: at}
}

// exprString prints x for a message, shortened.
func exprString(x Expr) string {
	s := shortExprString(x)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return fmt.Sprintf("%q", s)
}
