package nmodl

// Inspect visits the tree of n in source order, as go/ast.Inspect does: it calls f(n), and
// when f returns true, visits each of n's children in turn, then calls f(nil). A File's blocks
// are its children; its Comments are not visited (CommentBlocks among the blocks are).
func Inspect(n Node, f func(Node) bool) {
	if n == nil || isNilNode(n) || !f(n) {
		return
	}
	walkChildren(n, f)
	f(nil)
}

// isNilNode reports whether n is a typed nil pointer, such as an absent *Units, which is no
// node to visit.
func isNilNode(n Node) bool {
	switch x := n.(type) {
	case *Ident:
		return x == nil
	case *Number:
		return x == nil
	case *Units:
		return x == nil
	case *Body:
		return x == nil
	case *StringLit:
		return x == nil
	}
	return false
}

func walkChildren(n Node, f func(Node) bool) {
	visit := func(ns ...Node) {
		for _, c := range ns {
			Inspect(c, f)
		}
	}
	exprs := func(xs []Expr) {
		for _, x := range xs {
			Inspect(x, f)
		}
	}
	idents := func(ids []*Ident) {
		for _, id := range ids {
			Inspect(id, f)
		}
	}
	opt := func(x Expr) {
		if x != nil {
			Inspect(x, f)
		}
	}
	decl := func(d *Decl) {
		visit(d.Name)
		opt(d.Size)
		opt(d.Value)
		visit(d.Units)
		opt(d.Lo)
		opt(d.Hi)
		opt(d.With)
		opt(d.Tol)
	}
	switch n := n.(type) {
	case *File:
		for _, b := range n.Blocks {
			visit(b)
		}
	case *NeuronBlock:
		for _, s := range n.Stmts {
			visit(s)
		}
	case *Suffix:
		visit(n.Name)
	case *UseIon:
		visit(n.Ion)
		idents(n.Read)
		idents(n.Write)
		opt(n.Valence)
	case *NameList:
		idents(n.Names)
	case *UnitsBlock:
		for _, d := range n.Defs {
			visit(d)
		}
	case *UnitDef:
		visit(n.Name, n.Left)
		opt(n.Value)
		visit(n.Right)
	case *DeclBlock:
		for _, d := range n.Decls {
			visit(d)
		}
	case *Decl:
		decl(n)
	case *StmtBlock:
		visit(n.Name, n.Body)
	case *FuncDecl:
		visit(n.Name)
		for _, p := range n.Params {
			visit(p)
		}
		visit(n.Units, n.Body)
	case *Param:
		visit(n.Name, n.Units)
	case *Define:
		visit(n.Name, n.Value)
	case *Include:
		visit(n.Path)
	case *Body:
		for _, s := range n.Stmts {
			visit(s)
		}
	case *Local:
		for _, d := range n.Names {
			visit(d)
		}
	case *Assign:
		visit(n.Lhs, n.Rhs)
	case *ExprStmt:
		visit(n.X)
	case *If:
		visit(n.Cond, n.Then)
		if n.Else != nil {
			visit(n.Else)
		}
	case *While:
		visit(n.Cond, n.Body)
	case *FromLoop:
		visit(n.Var, n.From, n.To)
		opt(n.By)
		visit(n.Body)
	case *BlockStmt:
		visit(n.Body)
	case *Solve:
		visit(n.Name, n.Method, n.IfError)
	case *Reaction:
		for _, r := range n.Left {
			visit(r)
		}
		for _, r := range n.Right {
			visit(r)
		}
		exprs(n.Rates)
	case *Reactant:
		visit(n.Coef, n.State)
	case *Equation:
		visit(n.Lhs, n.Rhs)
	case *Conserve:
		visit(n.Lhs, n.Rhs)
	case *Compartment:
		visit(n.Index, n.Volume)
		idents(n.States)
	case *Table:
		idents(n.Names)
		idents(n.Depend)
		visit(n.From, n.To, n.With)
	case *Watch:
		visit(n.Cond, n.Flag)
	case *Protect:
		visit(n.Stmt)
	case *Number:
		visit(n.Units)
	case *Paren:
		visit(n.X)
	case *Unary:
		visit(n.X)
	case *Binary:
		visit(n.X, n.Y)
	case *Call:
		visit(n.Fun)
		exprs(n.Args)
	case *Index:
		visit(n.X, n.Index)
	}
}
