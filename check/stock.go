package check

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/units"
)

// useStock returns the channel a `use:` stands for: the stock channel, or the channel of a
// file NAME.yaml (relative to the spec's directory, as `neurogen import` writes them), under
// the spec's channel name, with the spec's parameter values in place of the stock ones. It
// reports an unknown stock channel or a file that does not load, an override of a parameter
// the channel does not have or with another dimension, and fields other than parameters and
// `doc` beside `use:`; it returns nil when the stock channel cannot be used.
func (c *checker) useStock(sch *spec.Channel) *spec.Channel {
	name := sch.Use.Value
	var lc *spec.LibraryChannel
	var err error
	if strings.HasSuffix(name, ".yaml") {
		lc, err = channelFile(sch.Use)
	} else {
		lc, err = c.lib.Channel(name)
	}
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
	ctx := fmt.Sprintf("channel `%s` uses %s, which takes parameter values and `doc` only", sch.Name.Value, usedName("channel", name))
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
	merged.Params, ok = c.overrideParams(stock.Params, sch.Params, "channel", name, ok)
	if !ok {
		return nil
	}
	return merged
}

// channelFile loads the channel file that a `use:` names, relative to the directory of the
// spec that names it.
func channelFile(use *spec.Scalar) (*spec.LibraryChannel, error) {
	file := use.Value
	if !filepath.IsAbs(file) {
		file = filepath.Join(filepath.Dir(use.Pos.Position().File), file)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("channel file: %v", err)
	}
	lc, err := spec.LoadChannel(file, src)
	if err != nil {
		return nil, fmt.Errorf("channel file %s: %v", use.Value, err)
	}
	return lc, nil
}

// receptorFile loads the receptor file that a `use:` names (as `neurogen import` writes an
// NMODL POINT_PROCESS), relative to the directory of the spec that names it.
func receptorFile(use *spec.Scalar) (*spec.LibraryReceptor, error) {
	file := use.Value
	if !filepath.IsAbs(file) {
		file = filepath.Join(filepath.Dir(use.Pos.Position().File), file)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("receptor file: %v", err)
	}
	lr, err := spec.LoadReceptor(file, src)
	if err != nil {
		return nil, fmt.Errorf("receptor file %s: %v", use.Value, err)
	}
	return lr, nil
}

// usedName is how messages name what a `use:` names: a stock channel or receptor, or a
// channel file.
func usedName(kind, name string) string {
	if strings.HasSuffix(name, ".yaml") {
		return fmt.Sprintf("%s file `%s`", kind, name)
	}
	return fmt.Sprintf("stock %s `%s`", kind, name)
}

func ionOrNone(s *spec.Scalar) string {
	if s == nil {
		return "no ion"
	}
	return "`" + s.Value + "`"
}

// useStockReceptor returns the receptor a `use:` stands for: the stock receptor, or the
// receptor of a file NAME.yaml (relative to the spec's directory), under the spec's receptor name, with the spec's parameter values in place of the stock ones. It
// reports what useStock reports for channels, and returns nil when the stock receptor cannot
// be used.
func (c *checker) useStockReceptor(sr *spec.Receptor) *spec.Receptor {
	name := sr.Use.Value
	var lr *spec.LibraryReceptor
	var err error
	if strings.HasSuffix(name, ".yaml") {
		lr, err = receptorFile(sr.Use)
	} else {
		lr, err = c.recLib.Receptor(name)
	}
	if err != nil {
		c.errorf(sr.Use.Pos, spec.StockUse, "%v", err)
		return nil
	}
	if lr == nil {
		msg := fmt.Sprintf("unknown stock receptor `%s`", name)
		if sug := c.suggestName(name, c.recLib.Names()); sug != "" {
			msg += fmt.Sprintf(" (did you mean `%s`?)", sug)
		} else {
			msg += " (the stock receptors: " + strings.Join(c.recLib.Names(), ", ") + ")"
		}
		c.errorf(sr.Use.Pos, spec.UnknownReceptor, "%s", msg)
		return nil
	}
	stock := lr.Receptor
	ctx := fmt.Sprintf("receptor `%s` uses %s, which takes parameter values and `doc` only", sr.Name.Value, usedName("receptor", name))
	ok := true
	if sr.Current != nil {
		c.errorf(sr.Current.Pos, spec.StockUse, "%s, not `current`", ctx)
		ok = false
	}
	if sr.Event != nil {
		c.errorf(sr.Event.Pos, spec.StockUse, "%s, not `event`", ctx)
		ok = false
	}
	if len(sr.States) > 0 {
		c.errorf(sr.States[0].Name.Pos, spec.StockUse, "%s, not `states`", ctx)
		ok = false
	}
	if sr.Weight != nil {
		c.errorf(sr.Weight.Pos, spec.StockUse, "%s, not `weight`", ctx)
		ok = false
	}
	if sr.Transmitter != nil {
		c.errorf(sr.Transmitter.Pos, spec.StockUse, "%s, not `transmitter`", ctx)
		ok = false
	}
	merged := &spec.Receptor{
		Name:    sr.Name,
		Use:     sr.Use,
		Doc:     stock.Doc,
		States:  stock.States,
		Current: stock.Current,
		Event:   stock.Event,
		// A kinetic receptor's weight unit and transmitter are its kinetics, not overridden.
		Weight:      stock.Weight,
		Transmitter: stock.Transmitter,
	}
	if strings.TrimSpace(sr.Doc) != "" {
		merged.Doc = sr.Doc
	}
	merged.Params, ok = c.overrideParams(stock.Params, sr.Params, "receptor", name, ok)
	if !ok {
		return nil
	}
	return merged
}

// overrideParams returns a copy of a stock channel's or receptor's parameters with the spec's
// values in place of those it overrides (kind is "channel" or "receptor", name the stock
// one's), reporting overrides of parameters it does not have or with another dimension; ok is
// false after an error, or when it was false already.
func (c *checker) overrideParams(stockParams, given []*spec.Param, kind, name string, ok bool) ([]*spec.Param, bool) {
	var out []*spec.Param
	byName := map[string]int{}
	var names []string
	for i, p := range stockParams {
		byName[p.Name.Value] = i
		names = append(names, p.Name.Value)
		cp := *p
		out = append(out, &cp)
	}
	for _, p := range given {
		i, found := byName[p.Name.Value]
		if !found {
			c.errorf(p.Name.Pos, spec.UnknownField, "%s has no parameter `%s`%s (its parameters: %s)", usedName(kind, name), p.Name.Value,
				c.didYouMean(p.Name.Value, names), strings.Join(names, ", "))
			ok = false
			continue
		}
		old := stockParams[i]
		want, err1 := units.ParseQuantity(old.Value.Value)
		got, err2 := units.ParseQuantity(p.Value.Value)
		if err1 == nil && err2 == nil && got.Unit.Dim != want.Unit.Dim {
			c.errorf(p.Value.Pos, spec.WrongDimension, "parameter `%s` of %s is %s (as `%s`), got %s", p.Name.Value, usedName(kind, name),
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
			c.setOverrideWant(&np, kind, name, old.Value.Value, want.Unit.Dim)
		}
		out[i] = &np
	}
	return out, ok
}
