package parser

import "fmt"

// MaxLen is the length in bytes of the longest expression text Parse accepts.
const MaxLen = 64 << 10

// maxDepth bounds the nesting of parentheses, call arguments, conditionals, unary operators
// and exponents, so that hostile input cannot exhaust the stack. The whole expression is the
// first level, so Parse accepts 99 nested parentheses around a name but not 100.
const maxDepth = 100

// Binding strengths of the grammar's levels, loosest first.
const (
	precCond = iota + 1
	precOr
	precAnd
	precCmp
	precAdd
	precMul
	precUnary
	precPow
	precPrimary
)

// binaryPrec returns the level of the binary operator op, or 0 if op is not binary.
func binaryPrec(op Op) int {
	switch op {
	case OpOr:
		return precOr
	case OpAnd:
		return precAnd
	case OpLT, OpLE, OpGT, OpGE, OpEQ, OpNE:
		return precCmp
	case OpAdd, OpSub:
		return precAdd
	case OpMul, OpDiv:
		return precMul
	case OpPow:
		return precPow
	}
	return 0
}

// Parse parses src as one expression of the grammar in the package documentation. On failure
// it returns a *Error that locates the first problem in src and says how to fix it.
func Parse(src string) (Expr, error) {
	if len(src) > MaxLen {
		return nil, errorf(0, "expression too long: %d bytes, the limit is %d", len(src), MaxLen)
	}
	p := &parser{src: src}
	p.tok = lex(src, 0)
	if p.tok.kind == tEOF {
		return nil, errorf(0, "empty expression")
	}
	x, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		return nil, p.unexpected("")
	}
	return x, nil
}

// parser is a recursive-descent parser with one token of lookahead.
type parser struct {
	src   string
	tok   token // the current token, not yet consumed
	prev  token // the last consumed token
	depth int   // current nesting
}

// next consumes the current token. A tError token is never consumed: the parser reports it.
func (p *parser) next() {
	if p.tok.kind == tEOF || p.tok.kind == tError {
		return
	}
	p.prev = p.tok
	p.tok = lex(p.src, int(p.tok.end))
}

// enter records one more level of nesting; leave undoes it.
func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return errorf(p.tok.pos, "expression nests too deeply: simplify it or split it into several expressions")
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// text returns the source text of e.
func (p *parser) text(e Expr) string { return p.src[e.Pos():e.End()] }

// describe names t for a message.
func (p *parser) describe(t token) string {
	if t.kind == tEOF {
		return "end of expression"
	}
	return "`" + p.src[t.pos:t.end] + "`"
}

// unexpected returns the error for the current token, which cannot continue the expression.
// want describes what could have followed; if it is empty the expression was complete.
func (p *parser) unexpected(want string) *Error {
	t := p.tok
	startsOperand := t.kind == tNum || t.kind == tName || t.kind == tLParen
	endsOperand := p.prev.kind == tNum || p.prev.kind == tName || p.prev.kind == tRParen
	switch {
	case t.kind == tError:
		return t.err
	case startsOperand && endsOperand:
		prev, cur := p.src[p.prev.pos:p.prev.end], p.src[t.pos:t.end]
		if p.prev.kind == tNum && t.kind == tName {
			return errorf(t.pos, "missing operator between `%s` and `%s`: write `%s*%s`", prev, cur, prev, cur)
		}
		return errorf(t.pos, "missing operator between `%s` and `%s`: insert one, such as `*` or `+`", prev, cur)
	case want == "":
		return errorf(t.pos, "unexpected %s after expression", p.describe(t))
	}
	return errorf(t.pos, "expected %s, found %s", want, p.describe(t))
}

// parseExpr parses expr = or [ "?" expr ":" expr ].
func (p *parser) parseExpr() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	cond, err := p.parseBinary(precOr)
	if err != nil || p.tok.kind != tQuestion {
		return cond, err
	}
	question := p.tok.pos
	p.next()
	then, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tColon {
		return nil, p.unexpected("the `:` of `cond ? then : else`")
	}
	colon := p.tok.pos
	p.next()
	els, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	// govaluate cannot evaluate a conditional nested in a branch of another without
	// parentheses (`a ? b : c ? d : e` fails at run time whenever a is true): refuse it.
	if in, ok := then.(*Cond); ok {
		return nil, p.nestedCond(in, "then", cond, "("+p.text(then)+")", p.text(els))
	}
	if in, ok := els.(*Cond); ok {
		return nil, p.nestedCond(in, "else", cond, p.text(then), "("+p.text(els)+")")
	}
	return &Cond{Cond: cond, Question: question, Then: then, Colon: colon, Else: els}, nil
}

// nestedCond returns the error for the conditional in, written without parentheses in the
// branch (then or else) of a conditional on cond; then and els are the branches to suggest.
func (p *parser) nestedCond(in *Cond, branch string, cond Expr, then, els string) *Error {
	fix := p.text(cond) + " ? " + then + " : " + els
	if len(fix) > 80 {
		fix = "(" + p.text(in) + ")"
	}
	return errorf(in.Question, "a `?:` in the %s branch of another needs parentheses (govaluate cannot evaluate it): write `%s`", branch, fix)
}

// parseBinary parses the left-associative levels or, and, add and mul, and the
// non-associative cmp, starting at level prec.
func (p *parser) parseBinary(prec int) (Expr, error) {
	if prec >= precUnary {
		return p.parseUnary()
	}
	x, err := p.parseBinary(prec + 1)
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tOp && binaryPrec(p.tok.op) == prec {
		opTok := p.tok
		p.next()
		y, err := p.parseBinary(prec + 1)
		if err != nil {
			return nil, err
		}
		x = &Binary{X: x, OpPos: opTok.pos, Op: opTok.op, Y: y}
		if prec == precCmp && p.tok.kind == tOp && p.tok.op.IsComparison() {
			return nil, p.chainError(x.(*Binary))
		}
	}
	return x, nil
}

// chainError reports the comparison that follows the comparison cmp.
func (p *parser) chainError(cmp *Binary) *Error {
	opTok := p.tok
	p.next()
	z, err := p.parseBinary(precAdd)
	if err != nil { // cannot quote the third operand
		return errorf(opTok.pos, "comparisons do not chain: write `a < b && b < c`")
	}
	return errorf(opTok.pos, "comparisons do not chain: write `%s && %s`",
		p.text(cmp), p.src[cmp.Y.Pos():z.End()])
}

// parseUnary parses unary = ("-" | "+" | "!") unary | pow.
func (p *parser) parseUnary() (Expr, error) {
	if p.tok.kind != tOp || (p.tok.op != OpSub && p.tok.op != OpAdd && p.tok.op != OpNot) {
		return p.parsePow()
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	opTok := p.tok
	p.next()
	x, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	op := opTok.op
	switch op {
	case OpSub:
		op = OpNeg
	case OpAdd:
		op = OpPlus
	}
	if pow, ok := x.(*Binary); ok && pow.Op == OpPow {
		opText := p.src[opTok.pos:opTok.end]
		return nil, errorf(opTok.pos, "`%s` is ambiguous: write `%s(%s)` or `(%s)%s`",
			p.src[opTok.pos:pow.End()], opText, p.text(pow),
			p.src[opTok.pos:pow.X.End()], p.src[pow.X.End():pow.End()])
	}
	return &Unary{OpPos: opTok.pos, Op: op, X: x}, nil
}

// parsePow parses pow = primary [ "**" unary ].
func (p *parser) parsePow() (Expr, error) {
	x, err := p.parsePrimary()
	if err != nil || p.tok.kind != tOp || p.tok.op != OpPow {
		return x, err
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	opPos := p.tok.pos
	p.next()
	y, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	if inner, ok := y.(*Binary); ok && inner.Op == OpPow {
		return nil, errorf(inner.OpPos, "`%s` is ambiguous: write `(%s)%s` or `%s(%s)`",
			p.src[x.Pos():y.End()], p.src[x.Pos():inner.X.End()], p.src[inner.X.End():y.End()],
			p.src[x.Pos():y.Pos()], p.text(y))
	}
	return &Binary{X: x, OpPos: opPos, Op: OpPow, Y: y}, nil
}

// parsePrimary parses primary = number | name | name "(" [ expr { "," expr } ] ")" | "(" expr ")".
func (p *parser) parsePrimary() (Expr, error) {
	t := p.tok
	switch t.kind {
	case tNum:
		p.next()
		return &Num{At: t.pos, Text: p.src[t.pos:t.end], Value: t.val}, nil
	case tName:
		p.next()
		id := &Ident{At: t.pos, Name: p.src[t.pos:t.end]}
		if p.tok.kind != tLParen {
			return id, nil
		}
		return p.parseCall(id)
	case tLParen:
		p.next()
		x, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tRParen {
			return nil, p.unexpected("`)` to close the `(`")
		}
		rparen := p.tok.pos
		p.next()
		return &Paren{Lparen: t.pos, X: x, Rparen: rparen}, nil
	case tError:
		return nil, t.err
	}
	if p.prev.kind == tEOF { // nothing consumed yet
		return nil, errorf(t.pos, "expected an operand, found %s", p.describe(t))
	}
	what := "an operand"
	if p.prev.kind == tComma {
		what = "an argument"
	}
	return nil, errorf(t.pos, "expected %s after %s, found %s", what, p.describe(p.prev), p.describe(t))
}

// parseCall parses the arguments of a call of fun; the current token is the "(".
func (p *parser) parseCall(fun *Ident) (Expr, error) {
	call := &Call{Fun: fun, Lparen: p.tok.pos}
	p.next()
	if p.tok.kind != tRParen {
		for {
			arg, err := p.parseExpr()
			if err != nil {
				return nil, err
			}
			call.Args = append(call.Args, arg)
			if p.tok.kind != tComma {
				break
			}
			p.next()
		}
		if p.tok.kind != tRParen {
			return nil, p.unexpected(fmt.Sprintf("`,` or `)` in the call of `%s`", fun.Name))
		}
	}
	call.Rparen = p.tok.pos
	p.next()
	return call, nil
}
