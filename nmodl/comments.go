package nmodl

import (
	"sort"

	"github.com/neurogen/neurogen/spec"
)

// CommentsIn returns the comments of f that start at or after from and before to, in source
// order: those inside a block b are f.CommentsIn(b.Pos(), b.End()).
func (f *File) CommentsIn(from, to spec.Pos) []*Comment {
	i := sort.Search(len(f.Comments), func(i int) bool { return f.Comments[i].At.Offset() >= from.Offset() })
	j := sort.Search(len(f.Comments), func(i int) bool { return f.Comments[i].At.Offset() >= to.Offset() })
	if i >= j {
		return nil
	}
	return f.Comments[i:j]
}

// TrailingComment returns the line comment that ends the line on which n starts, after n's
// start, or nil: the doc of a declaration such as "gnabar = .12 (S/cm2) : peak conductance".
func (f *File) TrailingComment(n Node) *Comment {
	at := n.Pos()
	line := at.Line()
	i := sort.Search(len(f.Comments), func(i int) bool { return f.Comments[i].At.Offset() > at.Offset() })
	for ; i < len(f.Comments) && f.Comments[i].At.Line() == line; i++ {
		if c := f.Comments[i]; c.Kind == LineComment {
			return c
		}
	}
	return nil
}
