package nmodl

import (
	"strconv"
	"strings"
)

// Format prints f as canonical NMODL: one statement a line, bodies indented by four spaces,
// one blank line between top-level blocks, lists separated by ", ", and expressions with single
// spaces around binary operators and the parentheses that were written (plus those that the
// tree's shape needs, for trees not made by Parse). TITLE, VERBATIM and COMMENT blocks between
// top-level blocks are printed as written; line comments, and COMMENT blocks inside a block, are
// not printed (they are in f.Comments). Parsing the output gives the same tree, positions
// apart, and formatting that gives the same text.
func Format(f *File) []byte {
	var pr printer
	for i, b := range f.Blocks {
		if i > 0 {
			pr.b.WriteByte('\n')
		}
		pr.block(b)
	}
	return []byte(pr.b.String())
}

type printer struct {
	b      strings.Builder
	indent int
}

func (pr *printer) line(parts ...string) {
	pr.b.WriteString(strings.Repeat("    ", pr.indent))
	for _, s := range parts {
		pr.b.WriteString(s)
	}
	pr.b.WriteByte('\n')
}

func (pr *printer) block(b Block) {
	switch b := b.(type) {
	case *Title:
		pr.line("TITLE ", b.Text)
	case *CommentBlock:
		pr.line("COMMENT", b.Text, "ENDCOMMENT")
	case *VerbatimBlock:
		pr.line("VERBATIM", b.Text, "ENDVERBATIM")
	case *UnitsSwitch:
		pr.line(unitsSwitch(b.On))
	case *Define:
		pr.line("DEFINE ", b.Name.Name, " ", ExprString(b.Value))
	case *Include:
		pr.line("INCLUDE ", b.Path.Lit)
	case *Local:
		pr.stmt(b)
	case *NeuronBlock:
		pr.line("NEURON {")
		pr.indent++
		for _, s := range b.Stmts {
			pr.neuronStmt(s)
		}
		pr.indent--
		pr.line("}")
	case *UnitsBlock:
		pr.line("UNITS {")
		pr.indent++
		for _, d := range b.Defs {
			var s string
			switch {
			case d.Name == nil:
				s = units(d.Left) + " = " + units(d.Right)
			case d.Left != nil:
				s = d.Name.Name + " = " + units(d.Left) + " " + units(d.Right)
			default:
				s = d.Name.Name + " = " + ExprString(d.Value)
				if d.Right != nil {
					s += " " + units(d.Right)
				}
			}
			pr.line(s)
		}
		pr.indent--
		pr.line("}")
	case *DeclBlock:
		pr.line(b.Kind, " {")
		pr.indent++
		for _, d := range b.Decls {
			pr.line(decl(d))
		}
		pr.indent--
		pr.line("}")
	case *StmtBlock:
		head := b.Kind
		if b.Name != nil {
			head += " " + b.Name.Name
		}
		pr.body(head+" ", b.Body)
	case *FuncDecl:
		head := b.Kind
		if b.Name != nil {
			head += " " + b.Name.Name
		}
		var ps []string
		for _, p := range b.Params {
			s := p.Name.Name
			if p.Units != nil {
				s += " " + units(p.Units)
			}
			ps = append(ps, s)
		}
		head += "(" + strings.Join(ps, ", ") + ")"
		if b.Units != nil {
			head += " " + units(b.Units)
		}
		pr.body(head+" ", b.Body)
	}
}

func unitsSwitch(on bool) string {
	if on {
		return "UNITSON"
	}
	return "UNITSOFF"
}

func units(u *Units) string { return "(" + u.Text + ")" }

func idents(ids []*Ident) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.Name
	}
	return strings.Join(s, ", ")
}

func (pr *printer) neuronStmt(s NeuronStmt) {
	switch s := s.(type) {
	case *Suffix:
		pr.line(s.Kind, " ", s.Name.Name)
	case *UseIon:
		l := "USEION " + s.Ion.Name
		if len(s.Read) > 0 {
			l += " READ " + idents(s.Read)
		}
		if len(s.Write) > 0 {
			l += " WRITE " + idents(s.Write)
		}
		if s.Valence != nil {
			l += " VALENCE " + ExprString(s.Valence)
		}
		pr.line(l)
	case *NameList:
		if len(s.Names) == 0 {
			pr.line(s.Kind)
		} else {
			pr.line(s.Kind, " ", idents(s.Names))
		}
	}
}

func decl(d *Decl) string {
	s := d.Name.Name
	if d.Size != nil {
		s += "[" + ExprString(d.Size) + "]"
	}
	if d.Value != nil {
		s += " = " + ExprString(d.Value)
	}
	if d.Units != nil {
		s += " " + units(d.Units)
	}
	if d.From {
		s += " FROM " + ExprString(d.Lo) + " TO " + ExprString(d.Hi)
		if d.With != nil {
			s += " WITH " + ExprString(d.With)
		}
	} else if d.Lo != nil {
		s += " <" + ExprString(d.Lo) + ", " + ExprString(d.Hi) + ">"
	}
	if d.Tol != nil {
		s += " <" + ExprString(d.Tol) + ">"
	}
	return s
}

// body prints head, the body's statements indented, and "}".
func (pr *printer) body(head string, b *Body) {
	pr.line(head, "{")
	pr.stmts(b.Stmts)
	pr.line("}")
}

func (pr *printer) stmt(s Stmt) {
	switch s := s.(type) {
	case *Local:
		names := make([]string, len(s.Names))
		for i, d := range s.Names {
			names[i] = decl(d)
		}
		pr.line("LOCAL ", strings.Join(names, ", "))
	case *Assign:
		pr.line(ExprString(s.Lhs), " = ", ExprString(s.Rhs))
	case *ExprStmt:
		pr.line(ExprString(s.X))
	case *If:
		pr.ifStmt(s)
	case *While:
		pr.body("while ("+ExprString(s.Cond)+") ", s.Body)
	case *FromLoop:
		head := "FROM " + s.Var.Name + " = " + ExprString(s.From) + " TO " + ExprString(s.To)
		if s.By != nil {
			head += " BY " + ExprString(s.By)
		}
		pr.body(head+" ", s.Body)
	case *BlockStmt:
		head := ""
		if s.Kind != "" {
			head = s.Kind + " "
		}
		pr.body(head, s.Body)
	case *Solve:
		l := "SOLVE " + s.Name.Name
		switch {
		case s.Method != nil && s.SteadyState:
			l += " STEADYSTATE " + s.Method.Name
		case s.Method != nil:
			l += " METHOD " + s.Method.Name
		}
		if s.IfError != nil {
			pr.body(l+" IFERROR ", s.IfError)
		} else {
			pr.line(l)
		}
	case *Reaction:
		l := "~ " + reactants(s.Left) + " " + s.Op.String()
		if len(s.Right) > 0 {
			l += " " + reactants(s.Right)
		}
		rates := make([]string, len(s.Rates))
		for i, r := range s.Rates {
			rates[i] = ExprString(r)
		}
		pr.line(l, " (", strings.Join(rates, ", "), ")")
	case *Equation:
		pr.line("~ ", ExprString(s.Lhs), " = ", ExprString(s.Rhs))
	case *Conserve:
		pr.line("CONSERVE ", ExprString(s.Lhs), " = ", ExprString(s.Rhs))
	case *Compartment:
		l := s.Kind + " "
		if s.Index != nil {
			l += s.Index.Name + ", "
		}
		states := make([]string, len(s.States))
		for i, id := range s.States {
			states[i] = id.Name
		}
		pr.line(l, ExprString(s.Volume), " {", strings.Join(states, " "), "}")
	case *Table:
		l := "TABLE "
		if len(s.Names) > 0 {
			l += idents(s.Names) + " "
		}
		if len(s.Depend) > 0 {
			l += "DEPEND " + idents(s.Depend) + " "
		}
		pr.line(l, "FROM ", ExprString(s.From), " TO ", ExprString(s.To), " WITH ", ExprString(s.With))
	case *Watch:
		pr.line("WATCH (", ExprString(s.Cond), ") ", ExprString(s.Flag))
	case *Mutex:
		if s.Lock {
			pr.line("MUTEXLOCK")
		} else {
			pr.line("MUTEXUNLOCK")
		}
	case *Protect:
		// PROTECT's statement is an assignment: print it on the same line.
		var inner printer
		inner.stmt(s.Stmt)
		pr.line("PROTECT ", strings.TrimSuffix(inner.b.String(), "\n"))
	case *UnitsSwitch:
		pr.line(unitsSwitch(s.On))
	case *VerbatimBlock:
		pr.line("VERBATIM", s.Text, "ENDVERBATIM")
	}
}

// ifStmt prints an if statement and its chain of else ifs, "} else if (...) {" on one line.
func (pr *printer) ifStmt(s *If) {
	ind := strings.Repeat("    ", pr.indent)
	pr.b.WriteString(ind)
	for {
		pr.b.WriteString("if (" + ExprString(s.Cond) + ") {\n")
		pr.stmts(s.Then.Stmts)
		pr.b.WriteString(ind + "}")
		switch e := s.Else.(type) {
		case *If:
			pr.b.WriteString(" else ")
			s = e
			continue
		case *BlockStmt:
			pr.b.WriteString(" else {\n")
			pr.stmts(e.Body.Stmts)
			pr.b.WriteString(ind + "}")
		}
		pr.b.WriteByte('\n')
		return
	}
}

func (pr *printer) stmts(list []Stmt) {
	pr.indent++
	for _, s := range list {
		pr.stmt(s)
	}
	pr.indent--
}

func reactants(rs []*Reactant) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		if r.Coef != nil {
			s[i] = r.Coef.Lit + " "
		}
		s[i] += ExprString(r.State)
	}
	return strings.Join(s, " + ")
}

// ExprString prints an expression as Format does.
func ExprString(x Expr) string {
	var b strings.Builder
	writeExpr(&b, x, -1)
	return b.String()
}

// shortExprString prints x for a message: as ExprString does, but with "..." for what lies
// deeper than a few levels, so that a long expression costs little.
func shortExprString(x Expr) string {
	var b strings.Builder
	writeExpr(&b, x, 6)
	return b.String()
}

// prec returns the binding power of x as an operand: that of its operator, or more than any for
// an operand that is no operation.
func prec(x Expr) int {
	switch x := x.(type) {
	case *Binary:
		return x.Op.precedence()
	case *Unary:
		return unaryPrecedence
	}
	return 10
}

// writeExpr writes x to b, down to depth levels (all of them for a negative depth).
func writeExpr(b *strings.Builder, x Expr, depth int) {
	if depth == 0 {
		b.WriteString("...")
		return
	}
	depth--
	switch x := x.(type) {
	case *Ident:
		b.WriteString(x.Name)
	case *Number:
		if x.Lit != "" {
			b.WriteString(x.Lit)
		} else {
			b.WriteString(strconv.FormatFloat(x.Value, 'g', -1, 64))
		}
		if x.Units != nil {
			b.WriteString(" " + units(x.Units))
		}
	case *StringLit:
		b.WriteString(x.Lit)
	case *Deriv:
		b.WriteString(x.Name + strings.Repeat("'", x.Order))
	case *Paren:
		b.WriteByte('(')
		writeExpr(b, x.X, depth)
		b.WriteByte(')')
	case *Unary:
		b.WriteString(x.Op.String())
		// The operand binds tighter than the operator, or needs parentheses: -(a*b).
		operand(b, x.X, depth, prec(x.X) < unaryPrecedence)
	case *Binary:
		q := x.Op.precedence()
		lp, rp := prec(x.X), prec(x.Y)
		if x.Op == Caret {
			// Right-associative: a^b^c is a^(b^c); the left operand needs parentheses at equal
			// or lower power, and a unary one too (-a^b is -(a^b)).
			operand(b, x.X, depth, lp <= q)
			b.WriteString(" ^ ")
			operand(b, x.Y, depth, rp < q && rp != unaryPrecedence)
			return
		}
		operand(b, x.X, depth, lp < q)
		b.WriteString(" " + x.Op.String() + " ")
		operand(b, x.Y, depth, rp <= q)
	case *Call:
		b.WriteString(x.Fun.Name + "(")
		for i, a := range x.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			writeExpr(b, a, depth)
		}
		b.WriteByte(')')
	case *Index:
		b.WriteString(x.X.Name + "[")
		writeExpr(b, x.Index, depth)
		b.WriteByte(']')
	case *BadExpr:
		b.WriteString("BAD")
	}
}

func operand(b *strings.Builder, x Expr, depth int, paren bool) {
	if paren {
		b.WriteByte('(')
	}
	writeExpr(b, x, depth)
	if paren {
		b.WriteByte(')')
	}
}
