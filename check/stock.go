package check

import (
	"fmt"
	"strings"

	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/units"
)

// useStock returns the channel a `use:` stands for: the stock channel, under the spec's channel
// name, with the spec's parameter values in place of the stock ones. It reports an unknown
// stock channel, an override of a parameter the channel does not have or with another
// dimension, and fields other than parameters and `doc` beside `use:`; it returns nil when the
// stock channel cannot be used.
func (c *checker) useStock(sch *spec.Channel) *spec.Channel {
	name := sch.Use.Value
	lc, err := c.lib.Channel(name)
	if err != nil {
		c.errorf(sch.Use.Pos, spec.StockUse, "%v", err)
		return nil
	}
	if lc == nil {
		msg := fmt.Sprintf("unknown stock channel `%s`", name)
		if sug := c.suggestName(name, c.lib.Names()); sug != "" {
			msg += fmt.Sprintf(" (did you mean `%s`?)", sug)
		} else {
			msg += " (`neurogen channels` lists them)"
		}
		c.errorf(sch.Use.Pos, spec.UnknownChannel, "%s", msg)
		return nil
	}
	stock := lc.Channel
	ctx := fmt.Sprintf("channel `%s` uses stock channel `%s`, which takes parameter values and `doc` only", sch.Name.Value, name)
	ok := true
	if sch.Current != nil {
		c.errorf(sch.Current.Pos, spec.StockUse, "%s, not `current`", ctx)
		ok = false
	}
	if len(sch.Gates) > 0 {
		c.errorf(sch.Gates[0].Name.Pos, spec.StockUse, "%s, not `gates`", ctx)
		ok = false
	}
	if len(sch.Defs) > 0 {
		c.errorf(sch.Defs[0].Name.Pos, spec.StockUse, "%s, not `defs`", ctx)
		ok = false
	}
	if sch.Ion != nil {
		c.errorf(sch.Ion.Pos, spec.StockUse, "%s, not `ion` (it carries %s)", ctx, ionOrNone(stock.Ion))
		ok = false
	}
	merged := &spec.Channel{
		Name:    sch.Name,
		Use:     sch.Use,
		Ion:     stock.Ion,
		Doc:     stock.Doc,
		Current: stock.Current,
		Defs:    stock.Defs,
		Gates:   stock.Gates,
	}
	if strings.TrimSpace(sch.Doc) != "" {
		merged.Doc = sch.Doc
	}
	byName := map[string]int{}
	var names []string
	for i, p := range stock.Params {
		byName[p.Name.Value] = i
		names = append(names, p.Name.Value)
		cp := *p
		merged.Params = append(merged.Params, &cp)
	}
	for _, p := range sch.Params {
		i, found := byName[p.Name.Value]
		if !found {
			c.errorf(p.Name.Pos, spec.UnknownField, "stock channel `%s` has no parameter `%s`%s (its parameters: %s)", name, p.Name.Value,
				c.didYouMean(p.Name.Value, names), strings.Join(names, ", "))
			ok = false
			continue
		}
		old := stock.Params[i]
		want, err1 := units.ParseQuantity(old.Value.Value)
		got, err2 := units.ParseQuantity(p.Value.Value)
		if err1 == nil && err2 == nil && got.Unit.Dim != want.Unit.Dim {
			c.errorf(p.Value.Pos, spec.WrongDimension, "parameter `%s` of stock channel `%s` is %s (as `%s`), got %s", p.Name.Value, name,
				describeWant(want.Unit.Dim), old.Value.Value, describe(got.Unit.Dim))
			ok = false
			continue
		}
		np := *p
		if np.Doc == "" {
			np.Doc = old.Doc
		}
		if err1 == nil && err2 != nil {
			// An expression (`V_sh: VT`): its dimension is checked when it is converted.
			c.setOverrideWant(&np, name, old.Value.Value, want.Unit.Dim)
		}
		merged.Params[i] = &np
	}
	if !ok {
		return nil
	}
	return merged
}

func ionOrNone(s *spec.Scalar) string {
	if s == nil {
		return "no ion"
	}
	return "`" + s.Value + "`"
}
