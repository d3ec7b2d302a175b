package codegen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/build"
	"go/format"
	"go/token"
	"io"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// Options adjust generation.
type Options struct {
	// SpecName is how the header names the spec file; default: the model's SpecFile with
	// forward slashes.
	SpecName string
	// Tables, when set, asks for rate tables (see Tables and PlanTables).
	Tables *Tables
	// SIMD adds eight- and four-lane Steps, built with GOEXPERIMENT=simd on amd64 (see vector.go).
	SIMD bool
	// Float32 stores the state variables in single precision (runtime.Float32Vars); every
	// step still computes in double precision.
	Float32 bool
	// LineDirectives puts a //line SPEC:LINE:COL directive before each statement that comes
	// from an expression written in the spec (see lines.go), so that compiler errors, panics
	// and profiles point at the spec.
	LineDirectives bool
}

// stateType is the element type of the state variables' slices.
func (g *generator) stateType() jen.Code {
	if g.opts.Float32 {
		return jen.Float32()
	}
	return jen.Float64()
}

// readState converts a stored state value to the float64 that the arithmetic uses.
func (g *generator) readState(c jen.Code) jen.Code {
	if g.opts.Float32 {
		return jen.Float64().Call(c)
	}
	return c
}

// writeState converts a float64 to the state's storage type.
func (g *generator) writeState(c jen.Code) jen.Code {
	if g.opts.Float32 {
		return jen.Float32().Call(c)
	}
	return c
}

// Generate returns the files of the model's package, by file name: one file, named after the
// package (hh52.go), or model.go where the go command would not build a file of that name on
// every system (see fileName).
func Generate(m *ir.Model, opts Options) (map[string][]byte, error) {
	g, err := newGenerator(m, opts)
	if err != nil {
		return nil, err
	}
	step := g.file()
	var buf bytes.Buffer
	if err := g.f.Render(&buf); err != nil {
		return nil, fmt.Errorf("codegen: %s: %w", m.Name, err)
	}
	src, err := format.Source(groupImports(buf.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("codegen: %s: generated code does not parse (a bug in neurogen): %w", m.Name, err)
	}
	if src, err = renumberTemps(src, g.temps()); err != nil {
		return nil, err
	}
	name := fileName(m.Package, src)
	if opts.LineDirectives {
		if src, err = fixLines(src, g.specName(), name); err != nil {
			return nil, err
		}
	}
	files := map[string][]byte{name: src}
	if opts.SIMD {
		vec, err := g.vectorFiles(name, step)
		if err != nil {
			return nil, err
		}
		maps.Copy(files, vec)
	}
	return files, nil
}

// newGenerator returns the generator of one Generate, or why the model and options have none.
func newGenerator(m *ir.Model, opts Options) (*generator, error) {
	if !token.IsIdentifier(m.Package) || m.Package == "_" || m.Package == "main" {
		// The checker settles the name; refuse rather than write code that cannot compile.
		return nil, fmt.Errorf("codegen: %s: %q is not a valid name for an importable package (a bug in neurogen)", m.Name, m.Package)
	}
	g := &generator{m: m, names: newGoNames(m), f: jen.NewFilePathName("", m.Package), opts: opts}
	if opts.Tables != nil {
		plan, err := PlanTables(m, *opts.Tables)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
		}
		g.tables = plan
	}
	if opts.SIMD {
		if err := g.checkSIMD(); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
		}
	}
	if err := g.checkEvents(); err != nil {
		return nil, err
	}
	g.f.ImportName(runtimePkg, "runtime")
	g.f.ImportName(mathPkg, "math")
	g.f.ImportName("math/rand/v2", "rand")
	g.f.ImportName("fmt", "fmt")
	return g, nil
}

// fileName returns the name of the generated file: the package name with .go, unless the go
// command would ignore a file of that name (_x.go), take it for a test (x_test.go) or build it
// only on some systems (x_windows.go, x_arm64.go); then model.go.
func fileName(pkg string, src []byte) string {
	name := pkg + ".go"
	if strings.HasSuffix(name, "_test.go") {
		return "model.go"
	}
	// A name that builds both for linux/amd64 and for windows/arm64 has no GOOS or GOARCH
	// suffix: such a suffix names one system or one architecture.
	for _, sys := range [][2]string{{"linux", "amd64"}, {"windows", "arm64"}} {
		ctx := build.Default
		ctx.GOOS, ctx.GOARCH = sys[0], sys[1]
		ctx.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(src)), nil }
		if ok, err := ctx.MatchFile(".", name); err != nil || !ok {
			return "model.go"
		}
	}
	return name
}

// groupImports puts the standard library's imports in a group of their own, before the others,
// as goimports does.
func groupImports(src []byte) []byte {
	start := bytes.Index(src, []byte("\nimport (\n"))
	if start < 0 {
		return src
	}
	start += len("\nimport (\n")
	end := bytes.Index(src[start:], []byte("\n)"))
	if end < 0 {
		return src
	}
	var std, other [][]byte
	for _, line := range bytes.Split(src[start:start+end], []byte("\n")) {
		path := string(bytes.TrimSpace(line))
		if i := strings.LastIndexByte(path, ' '); i >= 0 {
			path = path[i+1:]
		}
		path = strings.Trim(path, "\"")
		switch {
		case path == "":
		case strings.Contains(strings.SplitN(path, "/", 2)[0], "."):
			other = append(other, line)
		default:
			std = append(std, line)
		}
	}
	block := bytes.Join(std, []byte("\n"))
	if len(std) > 0 && len(other) > 0 {
		block = append(block, "\n\n"...)
	}
	block = append(block, bytes.Join(other, []byte("\n"))...)
	return append(append(append([]byte{}, src[:start]...), block...), src[start+end:]...)
}

type generator struct {
	m      *ir.Model
	names  *goNames // the Go names of this generation
	f      *jen.File
	opts   Options
	tables *TablePlan // nil: no rate tables
	// expLocals are the statements that compute an exponential, by local (see foldNotes).
	expLocals map[string]*symbolic.Expr
	ranks     sumRank // see sumRanks
}

// local returns a new Go local name, want or want with underscores appended, that no other local
// of the generated functions uses. It asks the generation's own namer, never the model, so that
// every Generate from one model chooses the same names.
func (g *generator) local(want string) string { return g.names.locals.name(want) }

// id returns the Go local of a symbol of the model (a state, a parameter, a statement, the
// input or the time), chosen by the naming step.
func (g *generator) id(sym string) string { return g.names.id(sym) }

// docWidth is the longest line, in characters after "// ", that wrapText makes of a doc
// comment's prose, as the generated files' other doc comments are written.
const docWidth = 110

// wrapText fills each line of text into lines of at most width characters, breaking between
// words (a longer word has a line of its own), but not within a short parenthesis such as
// "(6 nS)" or "(g += w)". A word that gofmt would read as the start of a list item at the
// start of a line ("-", "+", "*", "1.", "2)") stays on the line before. A line that is a list
// item ("  - text") goes on in lines indented under its text, as gofmt writes a list item's
// lines.
func wrapText(text string, width int) string {
	const glue = "\x00" // a space within a short parenthesis, not a place to break
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		indent := ""
		if item := strings.TrimLeft(line, " "); strings.HasPrefix(item, "- ") {
			lead := line[:len(line)-len(item)] + "- "
			b.WriteString(lead)
			indent = strings.Repeat(" ", len(lead)+1) // gofmt's list items are one space deeper
			line = item[2:]
		}
		width := width - len(indent)
		line = strings.ReplaceAll(line, glue, " ")
		for a := 0; a < len(line); a++ {
			if line[a] != '(' {
				continue
			}
			if n := strings.IndexAny(line[a+1:], "()"); n >= 0 && n < 24 && line[a+1+n] == ')' {
				line = line[:a] + strings.ReplaceAll(line[a:a+n+2], " ", glue) + line[a+n+2:]
			}
		}
		n := 0 // characters on the current line
		for _, w := range strings.Fields(line) {
			w = strings.ReplaceAll(w, glue, " ")
			l := utf8.RuneCountInString(w)
			switch {
			case n == 0:
			case n+1+l > width && !listMarker(w):
				b.WriteString("\n" + indent)
				n = 0
			default:
				b.WriteByte(' ')
				n++
			}
			b.WriteString(w)
			n += l
		}
	}
	return b.String()
}

// listMarker reports whether a word starting a doc comment's line would start a list item.
func listMarker(w string) bool {
	if w == "-" || w == "+" || w == "*" {
		return true
	}
	n := len(w)
	return n >= 2 && (w[n-1] == '.' || w[n-1] == ')') && strings.Trim(w[:n-1], "0123456789") == ""
}

// commentLines makes arbitrary text safe to put in // comments: one line per line of text,
// control and bidirectional-override characters replaced, every line starting with "// " so
// that no text can become a directive (//go:, //line) or close a comment, and every line that
// a tool would read as a directive even after "// " (see directiveLike) marked with "| ".
func commentLines(text string) []string {
	var out []string
	for _, line := range textLines(text) {
		switch {
		case line == "":
			out = append(out, "//")
		case directiveLike(line):
			out = append(out, "// "+inertMark+line)
		default:
			out = append(out, "// "+line)
		}
	}
	return out
}

// textLines splits text into lines at every kind of line break, with control and
// bidirectional-override characters replaced by '?', tabs by spaces and trailing spaces
// removed.
func textLines(text string) []string {
	var out []string
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.TrimRight(text, "\n")
	text = strings.NewReplacer("\r", "\n", "\u2028", "\n", "\u2029", "\n").Replace(text)
	for _, line := range strings.Split(text, "\n") {
		line = strings.Map(func(r rune) rune {
			switch {
			case r == '\t':
				return ' '
			case unicode.IsControl(r), r == '\ufeff', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f':
				return '?'
			}
			return r
		}, line)
		out = append(out, strings.TrimRight(line, " "))
	}
	return out
}

// inertMark starts a comment line whose text would otherwise read as a directive.
const inertMark = "| "

// directiveForms are the forms of comment text that some Go tool reads as an instruction
// whatever the space after the //: a legacy build constraint (go/build/constraint trims the
// space, and gofmt turns "// +build ignore" before the package clause into //go:build ignore,
// so that the package no longer builds), the //word:arg form of go:build, go:generate,
// go:embed, go:linkname, lint:ignore and the like (go/ast's //[a-z0-9]+:[a-z0-9], narrowed to
// a tool's name, which starts with a letter, so that a citation's "99:427-441" stays as it
// is), the //line, //export and //extern directives, a cgo preamble line, nolint (which older
// linters accept after a space), the "Code generated … DO NOT EDIT." marker and a package
// clause. The text is matched after its leading space, Unicode spaces included
// (strings.TrimSpace's, which the constraint parser uses).
var directiveForms = regexp.MustCompile(`^(?:\+build|[a-z][a-z0-9]*:[a-z0-9]|(?:line|export|extern|nolint|package)(?:\s|:|$)|#\s*cgo|Code generated .*DO NOT EDIT)`)

// directiveLike reports whether a line of comment text, written after "// ", could be read
// as a directive by a Go tool.
func directiveLike(line string) bool {
	return directiveForms.MatchString(strings.TrimLeftFunc(line, unicode.IsSpace))
}

// comments returns the comment statements for text.
func comments(text ...string) []jen.Code {
	var out []jen.Code
	for _, t := range text {
		for _, l := range commentLines(t) {
			out = append(out, jen.Comment(l))
		}
	}
	return out
}

func (g *generator) specName() string {
	if g.opts.SpecName != "" {
		return g.opts.SpecName
	}
	return filepath.ToSlash(g.m.SpecFile)
}

// headerName is the spec's name as the header comment gives it: one line, comment-safe, with
// "+build" written "%2Bbuild".
func (g *generator) headerName() string {
	name := strings.Join(strings.Fields(strings.Join(textLines(g.specName()), " ")), " ")
	// go vet reports a comment before the package clause that holds "+build" and is not a build
	// constraint ("possible malformed +build comment").
	return strings.ReplaceAll(name, "+build", "%2Bbuild")
}

// file writes the model's file and returns the step plan, which the vector file renders
// too.
func (g *generator) file() *stepPlan {
	m := g.m
	name := g.headerName()
	g.f.HeaderComment("// Code generated by neurogen from " + name + "; DO NOT EDIT.")
	var doc []string
	doc = append(doc, fmt.Sprintf("Package %s simulates a group of %s neurons, generated by neurogen from %s.", m.Package, m.Name, name))
	if strings.TrimSpace(m.Doc) != "" {
		doc = append(doc, "", m.Doc)
	}
	doc = append(doc, "", g.summary())
	for _, l := range commentLines(strings.Join(doc, "\n")) {
		g.f.PackageComment(l)
	}
	g.f.Comment("This file was generated for version 1 of the neurogen runtime API.")
	g.f.Const().Id("_").Op("=").Qual(runtimePkg, "SupportPackageIsVersion1")
	g.f.Line()
	g.params()
	if g.tables != nil {
		g.tableDecls()
	}
	g.group()
	g.model()
	g.newFunc()
	g.basics()
	g.reset()
	g.step()
	step := g.planStep()
	g.stepRange(step)
	g.rates()
	g.currents()
	g.eventFuncs()
	g.access()
	return step
}

// setParamDoc is the doc comment of SetParam, which names the parameters that must be positive.
func setParamDoc(params []*ir.Param) string {
	doc := "SetParam sets a group-wide parameter, or every neuron's value of a per-neuron one, by its spec name (internal units).\n" +
		"It refuses a value that is not finite"
	var positive []string
	for _, p := range params {
		if p.Positive {
			positive = append(positive, p.Name)
		}
	}
	if len(positive) > 0 {
		doc += ", and one that is not positive for " + strings.Join(positive, ", ")
	}
	var folded []string
	for _, p := range params {
		if p.Folded != "" {
			folded = append(folded, p.Name)
		}
	}
	doc += "."
	if len(folded) > 0 {
		doc += "\n" + wrapText("It accepts "+strings.Join(folded, ", ")+" (folded into a kinetic receptor's kinetics when the code was generated) only at the spec's value.", docWidth)
	}
	return doc
}

// summary describes the model for the package doc.
func (g *generator) summary() string {
	m := g.m
	var b strings.Builder
	fmt.Fprintf(&b, "Integration method: %s. Units: mV, ms, uF/cm2, mS/cm2, uA/cm2, cm2.\n", m.Method)
	if g.tables != nil {
		fmt.Fprintf(&b, "\nThe gates' steps use %s.\n", g.tables.Report())
	}
	if g.opts.Float32 {
		fmt.Fprintf(&b, "\nThe state variables are stored in single precision (float32, Var32); each step computes in\n"+
			"double precision and rounds the new state to float32.\n")
	}
	var mem strings.Builder
	mem.WriteString("Membrane: C dV/dt = sum of channel currents + I_ext, with")
	for _, p := range m.Params {
		if p.Membrane {
			fmt.Fprintf(&mem, " %s = %s", p.Name, p.Text)
			if p.Name == "C" {
				mem.WriteString(",")
			}
		}
	}
	fmt.Fprintf(&mem, ", A = %g cm2, V_init = %s.", m.A, m.VInit.Text)
	fmt.Fprintf(&b, "\n%s\n", wrapText(mem.String(), docWidth))
	for _, ch := range m.Channels {
		line := fmt.Sprintf("Channel %s: I = %s", ch.Name, oneLine(ch.Text))
		if ch.Doc != "" {
			line += fmt.Sprintf(" (%s)", strings.Join(strings.Fields(ch.Doc), " "))
		}
		fmt.Fprintf(&b, "\n%s\n", wrapText(line, docWidth))
	}
	return strings.TrimRight(b.String(), "\n")
}

// fieldDoc is the doc comment of a field, in sentences: "C is the specific membrane
// capacitance (uF/cm2); the spec sets 1 uF/cm2." A group-wide parameter's field "is" its
// value; a slice field "holds" one value for each neuron (perNeuron). name is the spec's name
// of what the field stores, plain what it is when the spec gives no doc ("parameter Na.g_max",
// "gate m of channel Na"), doc the spec's doc, extra what follows the unit ("alpha/beta form"),
// and text the value the spec sets, if any.
func fieldDoc(field, name, plain, doc, unit, extra, text string, perNeuron bool) []jen.Code {
	return comments(fieldDocText(field, name, plain, doc, unit, extra, text, perNeuron))
}

// fieldDocText is the text of fieldDoc.
func fieldDocText(field, name, plain, doc, unit, extra, text string, perNeuron bool) string {
	phrase, rest := docPhrase(doc)
	subject := plain
	if phrase != "" {
		subject = phrase
		if name != field {
			subject = name + ", " + phrase
			if perNeuron {
				subject += ","
			}
		}
	}
	var b strings.Builder
	b.WriteString(field)
	if perNeuron {
		b.WriteString(" holds " + subject + " for each neuron")
	} else {
		b.WriteString(" is " + subject)
	}
	switch {
	case unit == "1" && extra == "":
		b.WriteString(", dimensionless")
	case unit == "1":
		b.WriteString(" (dimensionless, " + extra + ")")
	case strings.HasSuffix(subject, ")"):
		b.WriteString(", in " + unit)
		if extra != "" {
			b.WriteString(" (" + extra + ")")
		}
	case extra != "":
		b.WriteString(" (" + unit + ", " + extra + ")")
	default:
		b.WriteString(" (" + unit + ")")
	}
	if text != "" {
		b.WriteString("; the spec sets " + oneLine(text))
	}
	b.WriteString(".")
	if rest != "" {
		b.WriteString(" " + rest)
	}
	return b.String()
}

// docPhrase splits a spec's doc into the noun phrase that a field's doc reads as "the …"
// ("specific membrane capacitance" → "the specific membrane capacitance") and the sentences
// after it: the doc up to its first "; " or ". " is the phrase, the rest a sentence of its own
// ("M-current conductance; it varies across the population").
func docPhrase(doc string) (phrase, rest string) {
	doc = strings.TrimSuffix(oneLine(doc), ".")
	if doc == "" {
		return "", ""
	}
	if i := strings.IndexAny(doc, ";."); i >= 0 && i+1 < len(doc) && doc[i+1] == ' ' {
		doc, rest = doc[:i], strings.TrimSpace(doc[i+1:])
		rest = upperFirst(rest) + "."
	}
	first, _, _ := strings.Cut(doc, " ")
	switch strings.ToLower(first) {
	case "the", "a", "an":
		return lowerWord(doc), rest
	}
	return "the " + lowerWord(doc), rest
}

// lowerWord lowers the first letter of a capitalised word ("Sodium current" → "sodium current")
// but leaves names and acronyms ("M-current", "BrainPy's", "IT") as they are.
func lowerWord(s string) string {
	first, _, _ := strings.Cut(s, " ")
	rs := []rune(first)
	if len(rs) < 2 || !unicode.IsUpper(rs[0]) {
		return s
	}
	for _, r := range rs[1:] {
		if !unicode.IsLower(r) {
			return s
		}
	}
	return string(unicode.ToLower(rs[0])) + s[len(string(rs[0])):]
}

// upperFirst capitalises the first letter of a sentence.
func upperFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

func (g *generator) params() {
	m := g.m
	var fields []jen.Code
	for _, p := range m.Params {
		if p.PerNeuron {
			continue
		}
		fields = append(fields, fieldDoc(g.names.paramField(p), p.Name, "parameter "+p.Name, p.Doc, p.Unit, "", p.Text, false)...)
		fields = append(fields, jen.Id(g.names.paramField(p)).Float64())
	}
	g.f.Comment("Params are the group-wide parameters, in neurogen's internal units.")
	g.f.Type().Id("Params").Struct(fields...)
	g.f.Line()
	var vals keyed
	for _, p := range m.Params {
		if !p.PerNeuron {
			vals.add(g.names.paramField(p), lit(p.Default))
		}
	}
	g.f.Comment("DefaultParams returns the parameter values of the spec.")
	g.f.Func().Id("DefaultParams").Params().Id("Params").Block(jen.Return(jen.Id("Params").Add(vals.literal())))
}

// keyed is the key: value elements of a composite literal, one a line, in the order they are
// added (jen.Dict sorts its keys): spec order, or the order of the struct's fields.
type keyed []jen.Code

func (k *keyed) add(key string, v jen.Code) { *k = append(*k, jen.Id(key).Op(":").Add(v)) }

// literal is the braces and elements of the composite literal.
func (k keyed) literal() jen.Code { return jen.Values(multiline(k)...) }

func lit(v float64) jen.Code {
	c, _ := num(v)
	return c
}

func (g *generator) group() {
	m := g.m
	var fields []jen.Code
	for _, st := range m.States {
		var plain, extra string
		switch st.Kind {
		case ir.Voltage:
			plain = "the membrane potential"
		case ir.Gate:
			plain = fmt.Sprintf("gate %s of channel %s", strings.TrimPrefix(st.Name, st.Channel.Name+"."), st.Channel.Name)
			extra = st.Gate.Form.String() + " form"
		case ir.Concentration:
			plain = "concentration " + st.Name
		case ir.Receptor:
			plain = fmt.Sprintf("state %s of receptor %s", strings.TrimPrefix(st.Name, st.Receptor.Name+"."), st.Receptor.Name)
			if st.Receptor.Kinetic == nil {
				// A kinetic receptor's states say what they are: sums over the synapses in
				// their pulse or not, or the neuron's own (GABAB's G).
				extra = "the sum over the neuron's synapses"
			}
		}
		fields = append(fields, fieldDoc(g.names.stateField(st), st.Name, plain, st.Doc, st.Unit, extra, "", true)...)
		fields = append(fields, jen.Id(g.names.stateField(st)).Index().Add(g.stateType()))
	}
	for _, p := range m.Params {
		if p.PerNeuron {
			fields = append(fields, fieldDoc(g.names.paramField(p), p.Name, "parameter "+p.Name, p.Doc, p.Unit, "", p.Text, true)...)
			fields = append(fields, jen.Id(g.names.paramField(p)).Index().Float64())
		}
	}
	spikedField, timeField := "crossed V_th upwards during the last step", "time of the last spike, ms"
	if g.m.Refractory > 0 {
		spikedField, timeField = "spiked in the last step (V > V_th, not refractory)", "start of the last spike's step, ms; the refractory period counts from it"
	}
	fields = append(fields, jen.Line(), jen.Comment("Params are the group-wide parameters."), jen.Id("Params").Id("Params"), jen.Line(),
		jen.Id("input").Index().Float64().Comment("external current density, uA/cm2"),
		jen.Id("spiked").Index().Bool().Comment(spikedField),
		jen.Id("spikeTime").Index().Float64().Comment(timeField),
		jen.Id("seed").Uint64().Comment("seed of Reset's random draws"),
		jen.Id("clamp").Bool().Comment("voltage clamp: Step leaves V as it is"),
		jen.Id("now").Float64().Comment("time of the state (ms), as of the last Step"),
	)
	if g.tables != nil {
		fields = append(fields,
			jen.Id("tab").Qual("sync/atomic", "Pointer").Types(jen.Id("rateTable")).Comment("the rate table of the last step"),
			jen.Id("tabMu").Qual("sync", "Mutex").Comment("held while the rate table is built"))
	}
	g.f.Comment(fmt.Sprintf("Group is a population of %s neurons stored as a structure of arrays: element i of every", m.Name))
	if g.opts.Float32 {
		g.f.Comment("slice belongs to neuron i. Its methods implement runtime.Group and runtime.Float32Vars: the state")
		g.f.Comment("variables are float32 (Var32 returns them; Var, the per-neuron parameters only).")
	} else {
		g.f.Comment("slice belongs to neuron i. Its methods implement runtime.Group.")
	}
	g.f.Type().Id("Group").Struct(fields...)
	g.f.Line()
	g.f.Var().Id("_").Qual(runtimePkg, "Group").Op("=").Parens(jen.Op("*").Id("Group")).Parens(jen.Nil())
	if g.opts.Float32 {
		g.f.Var().Id("_").Qual(runtimePkg, "Float32Vars").Op("=").Parens(jen.Op("*").Id("Group")).Parens(jen.Nil())
	}
}

func (g *generator) model() {
	m := g.m
	var vars, params, rates []jen.Code
	for _, st := range m.States {
		var d keyed
		d.add("Name", jen.Lit(st.Name))
		d.add("Unit", jen.Lit(st.Unit))
		d.add("Kind", jen.Qual(runtimePkg, varKinds[st.Kind]))
		if doc := oneLine(st.Doc); doc != "" {
			d.add("Doc", jen.Lit(doc))
		}
		vars = append(vars, d.literal())
	}
	var currents []jen.Code
	for _, ch := range m.Channels {
		currents = append(currents, jen.Lit(ch.Name))
	}
	for _, r := range m.Receptors {
		currents = append(currents, jen.Lit(r.Name))
	}
	for _, p := range m.Params {
		var d keyed
		d.add("Name", jen.Lit(p.Name))
		d.add("Unit", jen.Lit(p.Unit))
		d.add("Default", lit(p.Default))
		if p.PerNeuron {
			d.add("PerNeuron", jen.True())
		}
		if doc := oneLine(p.Doc); doc != "" {
			d.add("Doc", jen.Lit(doc))
		}
		if p.Positive {
			d.add("Positive", jen.True())
		}
		params = append(params, d.literal())
	}
	for _, r := range m.Rates {
		var d keyed
		d.add("Name", jen.Lit(r.Name))
		d.add("Unit", jen.Lit(r.Unit))
		d.add("Expr", jen.Lit(r.Text))
		if len(r.Poles) > 0 {
			var ps []jen.Code
			for _, p := range r.Poles {
				ps = append(ps, lit(p))
			}
			d.add("Poles", jen.Index().Float64().Values(ps...))
		}
		rates = append(rates, d.literal())
	}
	g.f.Comment("model describes the generated model; Model returns it.")
	// In the order of runtime.Model's fields.
	var d keyed
	d.add("Name", jen.Lit(m.Name))
	if m.Doc != "" {
		d.add("Doc", jen.Lit(m.Doc))
	}
	d.add("Spec", jen.Lit(g.specName()))
	d.add("SpecHash", jen.Lit(m.SpecHash))
	d.add("Method", jen.Lit(m.Method.String()))
	d.add("LayoutHash", jen.Lit(layoutHash(m, g.opts.Float32)))
	if g.opts.Float32 {
		d.add("Float32", jen.True())
	}
	d.add("C", lit(g.param("C").Default))
	d.add("A", lit(m.A))
	d.add("VTh", lit(g.param("V_th").Default))
	if m.Refractory > 0 {
		d.add("Refractory", lit(m.Refractory))
	}
	d.add("Vars", jen.Index().Qual(runtimePkg, "Var").Values(multiline(vars)...))
	d.add("Params", jen.Index().Qual(runtimePkg, "Param").Values(multiline(params)...))
	d.add("Rates", jen.Index().Qual(runtimePkg, "Rate").Values(multiline(rates)...))
	d.add("Currents", jen.Index().String().Values(currents...))
	if len(m.Receptors) > 0 {
		d.add("Receptors", jen.Index().Qual(runtimePkg, "Receptor").Values(multiline(g.receptors())...))
	}
	g.f.Var().Id("model").Op("=").Qual(runtimePkg, "Model").Add(d.literal())
}

// receptors describes the model's receptors, as runtime.Model.Receptors.
func (g *generator) receptors() []jen.Code {
	var out []jen.Code
	for _, r := range g.m.Receptors {
		var targets []jen.Code
		for _, inc := range r.Events {
			var t keyed
			t.add("Var", jen.Lit(inc.State.Name))
			t.add("Scale", lit(inc.Scale))
			targets = append(targets, t.literal())
		}
		var d keyed
		d.add("Name", jen.Lit(r.Name))
		if doc := strings.TrimSpace(strings.SplitN(strings.TrimSpace(r.Doc), "\n", 2)[0]); doc != "" {
			d.add("Doc", jen.Lit(doc)) // the first line, which says what it is
		}
		if k := r.Kinetic; k != nil {
			var kd keyed
			kd.add("State", jen.Lit(k.State))
			kd.add("On", jen.Lit(k.On.Name))
			kd.add("Off", jen.Lit(k.Off.Name))
			kd.add("WOn", jen.Lit(k.WOn.Name))
			kd.add("AOn", lit(k.AOn))
			kd.add("BOn", lit(k.BOn))
			kd.add("BOff", lit(k.BOff))
			kd.add("Dur", lit(k.Dur))
			d.add("WeightUnit", jen.Lit(r.WeightUnit))
			d.add("Event", jen.Lit(oneLine(r.EventText)))
			d.add("Kinetic", jen.Op("&").Qual(runtimePkg, "KineticReceptor").Add(kd.literal()))
			out = append(out, d.literal())
			continue
		}
		if len(r.Assigns) > 0 {
			d.add("Target", jen.Lit(r.Assigns[0].State.Name))
			d.add("WeightUnit", jen.Lit(r.WeightUnit))
			d.add("Event", jen.Lit(oneLine(r.EventText)))
			d.add("Apply", jen.Id(eventFuncName(r)))
			out = append(out, d.literal())
			continue
		}
		d.add("Target", jen.Lit(r.Events[0].State.Name))
		d.add("Targets", jen.Index().Qual(runtimePkg, "ReceptorTarget").Values(multiline(targets)...))
		d.add("WeightUnit", jen.Lit(r.WeightUnit))
		d.add("Event", jen.Lit(oneLine(r.EventText)))
		out = append(out, d.literal())
	}
	return out
}

// varKinds are the runtime's names of the kinds of state variable (runtime.Var.Kind).
var varKinds = map[ir.StateKind]string{
	ir.Voltage:       "KindVoltage",
	ir.Gate:          "KindGate",
	ir.Concentration: "KindConcentration",
	ir.Receptor:      "KindReceptor",
}

// layoutHash identifies the layout of a group's state: its variables and parameters, in order,
// with units and kinds, and the runtime API version. Docs, defaults and the method do not enter
// it: a state saved by one build of a model loads into another with the same layout.
func layoutHash(m *ir.Model, single bool) string {
	h := sha256.New()
	fmt.Fprintf(h, "neurogen runtime API 1\n")
	if single {
		fmt.Fprintf(h, "states float32\n")
	}
	for _, st := range m.States {
		fmt.Fprintf(h, "var %q %q %s\n", st.Name, st.Unit, st.Kind)
	}
	for _, p := range m.Params {
		fmt.Fprintf(h, "param %q %q %t\n", p.Name, p.Unit, p.PerNeuron)
	}
	if m.Refractory > 0 {
		// spike_time holds the stamps the refractory period is counted from
		fmt.Fprintf(h, "refractory %g ms\n", m.Refractory)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func multiline(items []jen.Code) []jen.Code {
	var out []jen.Code
	for _, it := range items {
		out = append(out, jen.Line().Add(it))
	}
	if len(out) > 0 {
		out = append(out, jen.Line())
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (g *generator) param(name string) *ir.Param {
	for _, p := range g.m.Params {
		if p.Name == name {
			return p
		}
	}
	panic("codegen: no parameter " + name)
}

func (g *generator) newFunc() {
	m := g.m
	mk := func(t jen.Code) jen.Code { return jen.Id("make").Call(t, jen.Id("n")) }
	// In the order of Group's fields.
	var d keyed
	for _, st := range m.States {
		d.add(g.names.stateField(st), mk(jen.Index().Add(g.stateType())))
	}
	d.add("Params", jen.Id("DefaultParams").Call())
	d.add("input", mk(jen.Index().Float64()))
	d.add("spiked", mk(jen.Index().Bool()))
	d.add("spikeTime", mk(jen.Index().Float64()))
	if m.Seed != 0 {
		d.add("seed", jen.Id(strconv.FormatUint(m.Seed, 10))) // an untyped constant: any uint64
	}
	body := []jen.Code{
		jen.If(jen.Id("n").Op("<").Lit(0)).Block(jen.Panic(jen.Lit(m.Package + ".New: negative size"))),
		jen.Id("g").Op(":=").Op("&").Id("Group").Add(d.literal()),
	}
	for _, p := range m.Params {
		if p.PerNeuron {
			body = append(body,
				jen.Id("g").Dot(g.names.paramField(p)).Op("=").Make(jen.Index().Float64(), jen.Id("n")),
				jen.For(jen.Id("i").Op(":=").Range().Id("g").Dot(g.names.paramField(p))).Block(
					jen.Id("g").Dot(g.names.paramField(p)).Index(jen.Id("i")).Op("=").Add(lit(p.Default))))
		}
	}
	body = append(body, jen.Id("g").Dot("Reset").Call(), jen.Return(jen.Id("g")))
	g.f.Comment("New returns a group of n neurons with the spec's parameters and no input, in its initial state.")
	g.f.Func().Id("New").Params(jen.Id("n").Int()).Op("*").Id("Group").Block(body...)
}

func (g *generator) method(name string, params []jen.Code, results []jen.Code, doc string, body ...jen.Code) {
	for _, c := range comments(doc) {
		g.f.Add(c)
	}
	s := g.f.Func().Params(jen.Id("g").Op("*").Id("Group")).Id(name).Params(params...)
	if len(results) == 1 {
		s.Add(results[0])
	} else if len(results) > 1 {
		s.Parens(jen.List(results...))
	}
	s.Block(body...)
}

func (g *generator) basics() {
	g.method("Model", nil, []jen.Code{jen.Op("*").Qual(runtimePkg, "Model")}, "Model describes the generated model.",
		jen.Return(jen.Op("&").Id("model")))
	g.method("Len", nil, []jen.Code{jen.Int()}, "Len is the number of neurons.",
		jen.Return(jen.Len(jen.Id("g").Dot("V"))))
	g.method("SetSeed", []jen.Code{jen.Id("seed").Uint64()}, nil, "SetSeed sets the seed of Reset's random draws.",
		jen.Id("g").Dot("seed").Op("=").Id("seed"))
	g.method("Seed", nil, []jen.Code{jen.Uint64()}, "Seed returns the seed of Reset's random draws.",
		jen.Return(jen.Id("g").Dot("seed")))
	g.method("Now", nil, []jen.Code{jen.Float64()}, "Now is the time (ms) of the state: t+dt after Step(t, dt), 0 after Reset.",
		jen.Return(jen.Id("g").Dot("now")))
	g.method("SetNow", []jen.Code{jen.Id("t").Float64()}, nil, "SetNow sets the time of the state, as when a saved state is restored.",
		jen.Id("g").Dot("now").Op("=").Id("t"))
	g.method("VoltageClamp", nil, []jen.Code{jen.Bool()}, "VoltageClamp reports whether the voltage clamp is on.",
		jen.Return(jen.Id("g").Dot("clamp")))
	g.method("SetVoltageClamp", []jen.Code{jen.Id("on").Bool()}, nil, "SetVoltageClamp holds V where it is while on: Step advances the gates and concentrations only, and the caller sets V between steps.",
		jen.Id("g").Dot("clamp").Op("=").Id("on"))
	g.method("Input", nil, []jen.Code{jen.Index().Float64()}, "Input returns each neuron's external current density (uA/cm2). Step reads it and leaves it as it is.",
		jen.Return(jen.Id("g").Dot("input")))
	spikedDoc := "Spiked reports which neurons crossed V_th upwards during the last step."
	timesDoc := "SpikeTimes holds each neuron's last spike time (ms), interpolated linearly between steps; -Inf before the first."
	if g.m.Refractory > 0 {
		spikedDoc = fmt.Sprintf("Spiked reports which neurons spiked in the last step: V > V_th after it, and not refractory (their last spike at least %g ms before, in whole steps).", g.m.Refractory)
		timesDoc = "SpikeTimes holds the start of the step of each neuron's last spike (ms), as Brian2 stamps spikes; the refractory period counts from it. -Inf before the first."
	}
	g.method("Spiked", nil, []jen.Code{jen.Index().Bool()}, spikedDoc,
		jen.Return(jen.Id("g").Dot("spiked")))
	g.method("SpikeTimes", nil, []jen.Code{jen.Index().Float64()}, timesDoc,
		jen.Return(jen.Id("g").Dot("spikeTime")))
}

// loads returns statements that read the per-neuron values that stmts (and extra) use, for
// neuron index idx; skip names locals that are already set.
func (g *generator) loads(uses map[string]bool, idx jen.Code, slice func(field string) jen.Code, skip map[string]bool) []jen.Code {
	m := g.m
	var out []jen.Code
	for _, st := range m.States {
		if uses[st.Local] && !skip[st.Local] {
			out = append(out, jen.Id(g.id(st.Local)).Op(":=").Add(g.readState(jen.Add(slice(g.names.stateField(st))).Index(idx))))
		}
	}
	for _, p := range m.Params {
		if p.PerNeuron && uses[p.Local] && !skip[p.Local] {
			out = append(out, jen.Id(g.id(p.Local)).Op(":=").Add(slice(g.names.paramField(p))).Index(idx))
		}
	}
	if uses[m.Input] && !skip[m.Input] {
		out = append(out, jen.Id(g.id(m.Input)).Op(":=").Add(slice("input")).Index(idx))
	}
	return out
}

// paramLoads reads the group-wide parameters that are used into locals.
func (g *generator) paramLoads(uses map[string]bool) []jen.Code {
	var out []jen.Code
	for _, p := range g.m.Params {
		if !p.PerNeuron && uses[p.Local] {
			out = append(out, jen.Id(g.id(p.Local)).Op(":=").Id("g").Dot("Params").Dot(g.names.paramField(p)))
		}
	}
	return out
}

// usesOf collects the symbols used by statements and expressions.
func usesOf(stmts []*ir.Stmt, exprs ...*symbolic.Expr) map[string]bool {
	uses := map[string]bool{}
	for _, st := range stmts {
		for _, v := range symbolic.Vars(st.Expr) {
			uses[v] = true
		}
	}
	for _, e := range exprs {
		for _, v := range symbolic.Vars(e) {
			uses[v] = true
		}
	}
	return uses
}

func (g *generator) reset() {
	reset := "Reset puts every neuron in its initial state: V = V_init, each concentration at its initial value, each gate at its steady state for that V (or its `init`), no spikes. Parameters and input are left as they are."
	equil := "Equilibrate puts every gate at its steady state (or its `init`) for the neuron's present V and concentrations, which it leaves as they are: set V (and concentrations) per neuron, then Equilibrate, for heterogeneous initial states."
	if len(g.m.Receptors) > 0 {
		reset += " Every receptor state starts at 0, as before any event."
		equil += " It leaves the receptor states as they are."
	}
	g.initial("Reset", true, wrapText(reset, docWidth))
	g.initial("Equilibrate", false, wrapText(equil, docWidth))
}

// initial writes Reset (all states from the spec's initial values) or Equilibrate (the gates
// only, for the present V and concentrations).
func (g *generator) initial(name string, all bool, doc string) {
	m := g.m
	V := m.States[0]
	var set []*ir.State // the states the method sets, in order
	for _, st := range m.States[1:] {
		if all || st.Kind == ir.Gate {
			set = append(set, st)
		}
	}
	var inits []*symbolic.Expr
	for _, st := range set {
		inits = append(inits, st.Init)
	}
	pre, body := m.ExprClosure(inits...)
	// With the rates method (rateFunc), the rate functions come from one call, and the loop
	// computes only what the initial values need beyond them.
	rates, given := g.initialRates(inits)
	if rates != nil {
		pre, body = filterStmts(pre, given), filterStmts(body, given)
	}
	uses := usesOf(append(append([]*ir.Stmt{}, pre...), body...), inits...)
	if rates != nil {
		uses[V.Local] = true
	}
	setting := map[string]bool{}
	for _, st := range set {
		setting[st.Local] = true
	}
	if all {
		setting[V.Local] = true
	}
	var out []jen.Code
	if uses[m.Time] {
		// Rates of the time: a steady state at the time of the state, 0 after Reset.
		if all {
			out = append(out, jen.Id(m.Time).Op(":=").Lit(0.0).Comment("the time of the state after Reset"))
		} else {
			out = append(out, jen.Id(m.Time).Op(":=").Id("g").Dot("now").Comment("the time of the state"))
		}
	}
	out = append(out, g.paramLoads(uses)...)
	if all && m.VInit.Uniform {
		out = append(out, jen.Id("rng").Op(":=").Qual("math/rand/v2", "New").Call(
			jen.Qual("math/rand/v2", "NewPCG").Call(jen.Id("g").Dot("seed"), jen.Lit(0x6e6575726f67656e))))
	}
	out = append(out, g.stmts(pre, nil)...)
	var loop []jen.Code
	if all {
		if m.VInit.Uniform {
			loop = append(loop, jen.Comment(fmt.Sprintf("// V_init = %s", oneLine(m.VInit.Text))),
				jen.Id(g.id(V.Local)).Op(":=").Add(lit(m.VInit.Lo)).Op("+").Add(lit(m.VInit.Hi-m.VInit.Lo)).Op("*").Id("rng").Dot("Float64").Call())
		} else {
			loop = append(loop, jen.Comment(fmt.Sprintf("// V_init = %s", oneLine(m.VInit.Text))),
				jen.Id(g.id(V.Local)).Op(":=").Add(lit(m.VInit.Value)))
		}
		loop = append(loop, jen.Id("g").Dot(g.names.stateField(V)).Index(jen.Id("i")).Op("=").Add(g.writeState(jen.Id(g.id(V.Local)))))
		if g.opts.Float32 {
			loop = append(loop, jen.Id(g.id(V.Local)).Op("=").Add(g.readState(jen.Id("g").Dot(g.names.stateField(V)).Index(jen.Id("i")))).Comment("as stored"))
		}
	}
	loop = append(loop, g.loads(uses, jen.Id("i"), func(f string) jen.Code { return jen.Id("g").Dot(f) }, setting)...)
	if rates != nil {
		loop = append(loop, jen.List(rates...).Op(":=").Id("g").Dot("rates").Call(jen.Id("i"), jen.Id(g.id(V.Local))))
	}
	// The states in order (concentrations, then gates, each of which may use the ones before
	// it), each after the statements its initial value needs.
	done := map[string]bool{}
	for _, st := range set {
		_, need := m.ExprClosure(st.Init)
		var now []*ir.Stmt
		for _, s := range need {
			if !done[s.Local] && (rates == nil || given[s]) {
				done[s.Local] = true
				now = append(now, s)
			}
		}
		loop = append(loop, g.stmts(now, nil)...)
		what := "starts at its steady state for V"
		switch {
		case st.Kind == ir.Concentration:
			what = "starts at its initial concentration"
		case st.Kind == ir.Receptor:
			what = "starts at 0, before any event"
		case st.Gate != nil && st.Gate.Form == ir.Kinetic:
			what = "starts at its `init`"
		}
		loop = append(loop, jen.Comment(fmt.Sprintf("// %s %s", st.Name, what)),
			jen.Id(g.id(st.Local)).Op(":=").Add(expr(st.Init, g.id)),
			jen.Id("g").Dot(g.names.stateField(st)).Index(jen.Id("i")).Op("=").Add(g.writeState(jen.Id(g.id(st.Local)))))
		if g.opts.Float32 && st.Kind == ir.Concentration { // gates may depend on it
			loop = append(loop, jen.Id(g.id(st.Local)).Op("=").Add(g.readState(jen.Id("g").Dot(g.names.stateField(st)).Index(jen.Id("i")))).Comment("as stored"))
		}
	}
	if all {
		loop = append(loop,
			jen.Id("g").Dot("spiked").Index(jen.Id("i")).Op("=").False(),
			jen.Id("g").Dot("spikeTime").Index(jen.Id("i")).Op("=").Qual(mathPkg, "Inf").Call(jen.Lit(-1)))
	}
	if len(loop) == 0 {
		loop = append(loop, jen.Id("_").Op("=").Id("i"))
	}
	out = append(out, jen.For(jen.Id("i").Op(":=").Range().Id("g").Dot(g.names.stateField(V))).Block(loop...))
	if all {
		out = append(out, jen.Id("g").Dot("now").Op("=").Lit(0.0))
	}
	g.method(name, nil, nil, doc, out...)
}

// initialRates returns, when Reset and Equilibrate take the rate functions from the rates
// method (rateFunc), the names that its call assigns ("_" for a rate that the initial values do
// not use) and the other statements that the initial values inits need, which the loop computes
// itself; rates is nil when they do not call it: when no initial value uses a rate, or one
// needs a statement that computes part of a rate.
func (g *generator) initialRates(inits []*symbolic.Expr) (rates []jen.Code, given map[*ir.Stmt]bool) {
	if !g.rateFunc() {
		return nil, nil
	}
	m := g.m
	roots := g.rateRoots()
	isRate := map[string]bool{}
	for _, r := range roots {
		isRate[r.Local] = true
	}
	ratePre, rateBody := m.Closure(roots...)
	inRates := map[*ir.Stmt]bool{}
	for _, st := range append(slices.Clone(ratePre), rateBody...) {
		inRates[st] = true
	}
	byLocal := map[string]*ir.Stmt{}
	for _, st := range append(slices.Clone(m.Pre), m.Body...) {
		byLocal[st.Local] = st
	}
	used := map[string]bool{}
	given = map[*ir.Stmt]bool{}
	ok := true
	var visit func(e *symbolic.Expr)
	visit = func(e *symbolic.Expr) {
		for _, v := range symbolic.Vars(e) {
			st := byLocal[v]
			switch {
			case st == nil:
			case isRate[v]:
				used[v] = true
			case inRates[st]:
				ok = false
			case !given[st]:
				given[st] = true
				visit(st.Expr)
			}
		}
	}
	for _, e := range inits {
		visit(e)
	}
	if !ok || len(used) == 0 {
		return nil, nil
	}
	for _, r := range roots {
		if used[r.Local] {
			rates = append(rates, jen.Id(g.id(r.Local)))
		} else {
			rates = append(rates, jen.Id("_"))
		}
	}
	return rates, given
}

// filterStmts returns the statements of list that keep holds, in order.
func filterStmts(list []*ir.Stmt, keep map[*ir.Stmt]bool) []*ir.Stmt {
	var out []*ir.Stmt
	for _, st := range list {
		if keep[st] {
			out = append(out, st)
		}
	}
	return out
}

func (g *generator) step() {
	g.method("Step", []jen.Code{jen.List(jen.Id("t"), jen.Id("dt")).Float64()}, nil,
		fmt.Sprintf("Step advances every neuron from time t to t+dt (ms) with the %s method. It allocates nothing.", g.m.Method),
		jen.Id("g").Dot("StepRange").Call(jen.Lit(0), jen.Len(jen.Id("g").Dot("V")), jen.Id("t"), jen.Id("dt")),
		jen.Id("g").Dot("now").Op("=").Id("t").Op("+").Id("dt"))
}

// stepClosure returns the statements a step needs: those that compute the states' derivatives
// (and linear coefficients), not those only Rates or Currents report.
func (g *generator) stepClosure() (pre, body []*ir.Stmt) {
	return g.m.StepClosure()
}

// refractoryStart is the statement before the loop that sets p.tRef, for a model with a
// refractory period: a neuron may spike in the step from t when its last spike was stamped
// (with its step's start) before t − (R − 1/2)·dt, R being the refractory period in whole
// steps as Brian2 counts them (timestep: ⌊refractory/dt + 10⁻³⌋), so at least R steps ago;
// the half step absorbs the rounding of times that are whole numbers of steps. A neuron
// that never spiked (−Inf) may always spike.
func (g *generator) refractoryStart(p *stepPlan) jen.Code {
	return jen.Comment(fmt.Sprintf("// refractory %g ms: a neuron may spike in this step if its last spike is before tRef", p.refractory)).Line().
		Id(p.tRef).Op(":=").Id("t").Op("-").Parens(jen.Qual(mathPkg, "Floor").Call(jen.Add(lit(p.refractory)).Op("/").Id("dt").Op("+").Lit(1e-3)).Op("-").Lit(0.5)).Op("*").Id("dt")
}

// stepRange writes StepRange: the scalar emitter of the step plan p.
func (g *generator) stepRange(p *stepPlan) {
	m := g.m
	V := p.V
	// One check per call, not per neuron: a range outside the group panics with a message that
	// names the method and the range, not a bare index error from deep in the loop.
	out := []jen.Code{
		jen.If(jen.Id("lo").Op("<").Lit(0).Op("||").Id("hi").Op("<").Id("lo").Op("||").Id("hi").Op(">").Len(jen.Id("g").Dot(g.names.stateField(V)))).Block(
			jen.Panic(jen.Qual("fmt", "Sprintf").Call(jen.Lit(m.Package+".Group.StepRange: neurons [%d, %d) are not a range of the group's %d (want 0 <= lo <= hi <= Len)"),
				jen.Id("lo"), jen.Id("hi"), jen.Len(jen.Id("g").Dot(g.names.stateField(V)))))),
	}
	if g.opts.SIMD {
		out = append(out,
			jen.Comment("// Built with GOEXPERIMENT=simd, stepX8 steps neurons eight at a time on a CPU with AVX-512,"),
			jen.Comment("// then stepX4 four at a time on one with AVX2, with the same results bit for bit; the loop"),
			jen.Comment("// below steps the rest."),
			jen.Id("lo").Op("=").Id("g").Dot("stepX8").Call(jen.Id("lo"), jen.Id("hi"), jen.Id("t"), jen.Id("dt")),
			jen.Id("lo").Op("=").Id("g").Dot("stepX4").Call(jen.Id("lo"), jen.Id("hi"), jen.Id("t"), jen.Id("dt")))
	}
	out = append(out, g.paramLoads(p.uses)...)
	out = append(out, g.stmts(p.pre, nil)...)
	for _, op := range p.hoisted {
		out = append(out, g.stepOp(p, op)...)
	}
	// Slices of the range, resliced to one length so the compiler drops bounds checks.
	first := p.slices[0].local
	out = append(out, jen.Id(first).Op(":=").Id("g").Dot(g.names.stateField(V)).Index(jen.Id("lo").Op(":").Id("hi")))
	for _, s := range p.slices[1:] {
		out = append(out, jen.Id(s.local).Op(":=").Id("g").Dot(s.field).Index(jen.Id("lo").Op(":").Id("hi")).Index(jen.Op(":").Len(jen.Id(first))))
	}
	idx := jen.Id("i")
	out = append(out, jen.Id("clamp").Op(":=").Id("g").Dot("clamp").Comment("voltage clamp: dV/dt = 0"))
	if p.tab != "" {
		out = append(out, jen.Id(p.tab).Op(":=").Id("g").Dot("table").Call(jen.Id("dt")))
	}

	var loop []jen.Code
	for _, s := range p.slices {
		switch {
		case s.value == "":
		case s.state != nil:
			loop = append(loop, jen.Id(s.value).Op(":=").Add(g.readState(jen.Id(s.local).Index(idx))))
		default:
			loop = append(loop, jen.Id(s.value).Op(":=").Id(s.local).Index(idx))
		}
	}
	for _, op := range p.ops {
		loop = append(loop, g.stepOp(p, op)...)
	}
	next, spiked, Vth := p.next, p.slice("spiked"), p.Vth
	if p.refractory > 0 {
		out = append(out, g.refractoryStart(p))
		loop = append(loop,
			jen.Comment("// a spike where V > V_th after the step and the neuron is not refractory (Brian2's threshold"),
			jen.Comment("// with its refractory period), stamped with the step's start t as Brian2 stamps it"),
			jen.Id(spiked).Index(idx).Op("=").Id(next[V]).Op(">").Id(g.id(Vth.Local)).Op("&&").Id(p.slice("spikeTime")).Index(idx).Op("<").Id(p.tRef),
			jen.If(jen.Id(spiked).Index(idx)).Block(
				jen.Id(p.slice("spikeTime")).Index(idx).Op("=").Id("t")),
		)
	} else {
		loop = append(loop,
			jen.Comment("// a spike is an upward crossing of V_th, timed by linear interpolation"),
			jen.Id(spiked).Index(idx).Op("=").Id(g.id(V.Local)).Op("<").Id(g.id(Vth.Local)).Op("&&").Id(next[V]).Op(">=").Id(g.id(Vth.Local)),
			jen.If(jen.Id(spiked).Index(idx)).Block(
				jen.Id(p.slice("spikeTime")).Index(idx).Op("=").Id("t").Op("+").Id("dt").Op("*").
					Parens(jen.Id(g.id(Vth.Local)).Op("-").Id(g.id(V.Local))).Op("/").Parens(jen.Id(next[V]).Op("-").Id(g.id(V.Local)))),
		)
	}
	for _, st := range p.floors {
		loop = append(loop, jen.Comment(fmt.Sprintf("// %s stays positive (at least %g)", st.Name, st.Floor)),
			jen.Id(next[st]).Op("=").Id("max").Call(jen.Id(next[st]), lit(st.Floor)))
	}
	for _, st := range p.states {
		loop = append(loop, jen.Id(p.slice(g.names.stateField(st))).Index(idx).Op("=").Add(g.writeState(jen.Id(next[st]))))
	}
	out = append(out, jen.For(jen.Id("i").Op(":=").Range().Id(first)).Block(loop...))
	g.method("StepRange", []jen.Code{jen.List(jen.Id("lo"), jen.Id("hi")).Int(), jen.List(jen.Id("t"), jen.Id("dt")).Float64()}, nil,
		"StepRange advances neurons lo <= i < hi from time t to t+dt (ms); disjoint ranges may run concurrently.\n"+
			"It panics, naming the range, unless 0 <= lo <= hi <= Len.", out...)
}

// stepOp renders one operation of the step plan p in the scalar loop.
func (g *generator) stepOp(p *stepPlan, op stepOp) []jen.Code {
	dt := jen.Id("dt")
	switch op := op.(type) {
	case opComment:
		return []jen.Code{jen.Comment("// " + op.text)}
	case opCompute:
		return g.stmts(op.stmts, g.renamer(op.rename))
	case opClamp:
		return []jen.Code{clampV(op.dV)}
	case opTime:
		if op.c == 1 {
			return []jen.Code{jen.Id(op.local).Op(":=").Id("t").Op("+").Add(dt)}
		}
		return []jen.Code{jen.Id(op.local).Op(":=").Id("t").Op("+").Add(lit(op.c)).Op("*").Add(dt)}
	case opUpdate:
		return []jen.Code{jen.Id(op.dst).Op(":=").Add(scalarUpdate(op))}
	case opTable:
		return g.tableStep(p, op)
	case opExprel:
		if op.ly == "" {
			return []jen.Code{jen.Id(op.local).Op(":=").Qual(runtimePkg, "Exprel").Call(jen.Id("dt").Op("*").Id(op.l))}
		}
		return []jen.Code{jen.Id(op.local).Op(":=").Qual(runtimePkg, "Exprel2").Call(jen.Id("dt").Op("*").Id(op.l), jen.Id("dt").Op("*").Id(op.ly))}
	}
	panic(fmt.Sprintf("codegen: no scalar code for %T", op))
}

// scalarExprel is Exprel(dt*l) of an exponential update, or the local computed before the loop
// that holds it.
func scalarExprel(op opUpdate) jen.Code {
	if op.exprel != "" {
		return jen.Id(op.exprel)
	}
	return jen.Qual(runtimePkg, "Exprel").Call(jen.Id("dt").Op("*").Id(op.l))
}

// scalarUpdate is the new value of an update.
func scalarUpdate(op opUpdate) jen.Code {
	x, d, l, dt := jen.Id(op.x), jen.Id(op.d), jen.Id(op.l), jen.Id("dt")
	switch op.rule {
	case ruleEuler:
		return jen.Add(x).Op("+").Add(dt).Op("*").Add(d)
	case ruleExp:
		return jen.Add(x).Op("+").Add(dt).Op("*").Add(d).Op("*").Add(scalarExprel(op))
	case ruleExpCoupled:
		// (x + dt*d*Exprel(dt*l)) + dt*dt*k*dy*Exprel2(dt*l, dt*ly) + …, one term per drive
		c := jen.Add(x).Op("+").Add(dt).Op("*").Add(d).Op("*").Add(scalarExprel(op))
		for _, dr := range op.drives {
			e := jen.Id(dr.exprel2)
			if dr.exprel2 == "" {
				e = jen.Qual(runtimePkg, "Exprel2").Call(jen.Id("dt").Op("*").Add(l), jen.Id("dt").Op("*").Id(dr.ly))
			}
			c.Op("+").Id("dt").Op("*").Id("dt").Op("*").Id(dr.k).Op("*").Id(dr.dy).Op("*").Add(e)
		}
		return c
	case ruleCrankNicolson:
		return jen.Add(x).Op("+").Add(dt).Op("*").Add(d).Op("/").Parens(jen.Lit(1.0).Op("-").Lit(0.5).Op("*").Id("dt").Op("*").Add(l))
	case ruleStage:
		return jen.Add(x).Op("+").Add(lit(op.c)).Op("*").Add(dt).Op("*").Add(d)
	case ruleSum:
		sum := jen.Null()
		for k, t := range op.weights {
			if k > 0 {
				sum.Op("+")
			}
			if t.w != 1 {
				sum.Add(lit(t.w)).Op("*")
			}
			sum.Id(t.d)
		}
		rhs := jen.Add(x).Op("+").Id("dt").Op("*")
		if op.total != 1 {
			return rhs.Parens(sum).Op("/").Add(lit(op.total))
		}
		return rhs.Add(sum)
	}
	panic(fmt.Sprintf("codegen: no scalar code for update rule %d", op.rule))
}

// clampV zeroes dV/dt under a voltage clamp.
func clampV(dV string) jen.Code {
	return jen.If(jen.Id("clamp")).Block(jen.Id(dV).Op("=").Lit(0.0))
}

func (g *generator) rates() {
	m := g.m
	V := m.States[0]
	var roots []*ir.Stmt
	var notes []string
	for _, r := range m.Rates {
		roots = append(roots, r.Stmt)
		notes = append(notes, r.Name+" ("+r.Unit+")")
	}
	params := []jen.Code{jen.Id("i").Int(), jen.Id(g.id(V.Local)).Float64(), jen.Id("dst").Index().Float64()}
	doc := "Rates evaluates every gate's rate functions (Model().Rates, in that order) for neuron i at membrane potential V (mV) into dst."
	if !g.rateFunc() {
		g.evaluate("Rates", params, doc, roots, notes, map[string]bool{V.Local: true})
		return
	}
	var names []jen.Code
	body := []jen.Code{}
	for _, r := range roots {
		names = append(names, jen.Id(g.id(r.Local)))
	}
	body = append(body, jen.List(names...).Op(":=").Id("g").Dot("rates").Call(jen.Id("i"), jen.Id(g.id(V.Local))))
	for k, r := range roots {
		body = append(body, jen.Id("dst").Index(jen.Lit(k)).Op("=").Id(r.Local).Comment(notes[k]))
	}
	g.method("Rates", params, nil, doc, body...)
	g.rateMethod()
}

// rateFunc reports whether the rate functions are written once, in an unexported method rates
// that Rates, Reset and Equilibrate call (StepRange, the hot loop, computes them inline with the
// rest of the step): when they depend on V, the parameters and each other alone, not on the
// time, the input or another state, whose values those methods take from different places.
func (g *generator) rateFunc() bool {
	m := g.m
	if len(m.Rates) == 0 {
		return false
	}
	pre, body := m.Closure(g.rateRoots()...)
	uses := usesOf(append(slices.Clone(pre), body...))
	if uses[m.Time] || uses[m.Input] {
		return false
	}
	for _, st := range m.States[1:] {
		if uses[st.Local] {
			return false
		}
	}
	return true
}

// rateRoots are the statements of the rate functions, in the order of Model().Rates.
func (g *generator) rateRoots() []*ir.Stmt {
	var roots []*ir.Stmt
	for _, r := range g.m.Rates {
		roots = append(roots, r.Stmt)
	}
	return roots
}

// rateMethod writes rates (see rateFunc).
func (g *generator) rateMethod() {
	m := g.m
	V := m.States[0]
	roots := g.rateRoots()
	pre, body := m.Closure(roots...)
	uses := usesOf(append(slices.Clone(pre), body...))
	var out []jen.Code
	out = append(out, g.paramLoads(uses)...)
	out = append(out, g.stmts(pre, nil)...)
	out = append(out, g.loads(uses, jen.Id("i"), func(f string) jen.Code { return jen.Id("g").Dot(f) }, map[string]bool{V.Local: true})...)
	out = append(out, g.stmts(body, nil)...)
	var results, names []jen.Code
	var list []string
	for _, r := range m.Rates {
		results = append(results, jen.Float64())
		names = append(names, jen.Id(g.id(r.Stmt.Local)))
		list = append(list, r.Name)
	}
	out = append(out, jen.Return(names...))
	g.method("rates", []jen.Code{jen.Id("i").Int(), jen.Id(g.id(V.Local)).Float64()}, results,
		wrapText("rates returns the gates' rate functions for neuron i at membrane potential V (mV), in the order of Model().Rates: "+
			strings.Join(list, ", ")+". Rates, Reset and Equilibrate call it; StepRange computes them inline.", docWidth), out...)
}

func (g *generator) currents() {
	var roots []*ir.Stmt
	var notes []string
	for _, ch := range g.m.Channels {
		roots = append(roots, ch.Current)
		notes = append(notes, ch.Name+" (uA/cm2)")
	}
	doc := "Currents evaluates each channel's current density (Model().Currents, in that order; uA/cm2, inward positive) for neuron i in its present state into dst."
	if len(g.m.Receptors) > 0 {
		for _, r := range g.m.Receptors {
			roots = append(roots, r.Current)
			notes = append(notes, "receptor "+r.Name+" (uA/cm2)")
		}
		doc = "Currents evaluates each channel's current density, then each receptor's (Model().Currents, in that order; uA/cm2, inward positive) for neuron i in its present state into dst."
	}
	g.evaluate("Currents", []jen.Code{jen.Id("i").Int(), jen.Id("dst").Index().Float64()}, wrapText(doc, docWidth), roots, notes, nil)
}

// evaluate writes a method that computes the statements roots for neuron i and stores them in
// dst, in order; the locals in given are the method's parameters rather than neuron i's.
func (g *generator) evaluate(name string, params []jen.Code, doc string, roots []*ir.Stmt, notes []string, given map[string]bool) {
	m := g.m
	pre, body := m.Closure(roots...)
	uses := usesOf(append(append([]*ir.Stmt{}, pre...), body...))
	for _, r := range roots {
		uses[r.Local] = true
	}
	var out []jen.Code
	if uses[m.Time] {
		out = append(out, jen.Id(g.id(m.Time)).Op(":=").Id("g").Dot("now").Comment("the time of the state"))
	}
	out = append(out, g.paramLoads(uses)...)
	out = append(out, g.stmts(pre, nil)...)
	out = append(out, g.loads(uses, jen.Id("i"), func(f string) jen.Code { return jen.Id("g").Dot(f) }, given)...)
	out = append(out, g.stmts(body, nil)...)
	for k, r := range roots {
		out = append(out, jen.Id("dst").Index(jen.Lit(k)).Op("=").Id(g.id(r.Local)).Comment(notes[k]))
	}
	if len(roots) == 0 {
		out = append(out, jen.Id("_").Op("=").Id("dst"))
	}
	g.method(name, params, nil, doc, out...)
}

func (g *generator) access() {
	m := g.m
	var cases []jen.Code
	if g.opts.Float32 {
		var cases32 []jen.Code
		for _, st := range m.States {
			cases32 = append(cases32, jen.Case(jen.Lit(st.Name)).Block(jen.Return(jen.Id("g").Dot(g.names.stateField(st)))))
		}
		g.method("Var32", []jen.Code{jen.Id("name").String()}, []jen.Code{jen.Index().Float32()},
			"Var32 returns the slice of a state variable, stored in single precision, by its spec name, or nil (runtime.Float32Vars).",
			jen.Switch(jen.Id("name")).Block(cases32...), jen.Return(jen.Nil()))
	} else {
		for _, st := range m.States {
			cases = append(cases, jen.Case(jen.Lit(st.Name)).Block(jen.Return(jen.Id("g").Dot(g.names.stateField(st)))))
		}
	}
	for _, p := range m.Params {
		if p.PerNeuron {
			cases = append(cases, jen.Case(jen.Lit(p.Name)).Block(jen.Return(jen.Id("g").Dot(g.names.paramField(p)))))
		}
	}
	g.method("Var", []jen.Code{jen.Id("name").String()}, []jen.Code{jen.Index().Float64()},
		"Var returns the slice of a state variable or per-neuron parameter by its spec name, or nil.",
		jen.Switch(jen.Id("name")).Block(cases...), jen.Return(jen.Nil()))

	cases = nil
	for _, p := range m.Params {
		if !p.PerNeuron {
			cases = append(cases, jen.Case(jen.Lit(p.Name)).Block(jen.Return(jen.Id("g").Dot("Params").Dot(g.names.paramField(p)), jen.True())))
		}
	}
	g.method("Param", []jen.Code{jen.Id("name").String()}, []jen.Code{jen.Float64(), jen.Bool()},
		"Param returns a group-wide parameter by its spec name.",
		jen.Switch(jen.Id("name")).Block(cases...), jen.Return(jen.Lit(0), jen.False()))

	cases = nil
	for _, p := range m.Params {
		var body []jen.Code
		if p.Positive {
			body = append(body, jen.If(jen.Op("!").Parens(jen.Id("v").Op(">").Lit(0))).Block(
				jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(m.Package+": parameter %s must be positive, got %v"), jen.Id("name"), jen.Id("v")))))
		}
		if p.Folded != "" {
			body = append(body, jen.If(jen.Id("v").Op("!=").Add(lit(p.Default))).Block(
				jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(m.Package+": parameter %s is folded into kinetic receptor "+p.Folded+"'s per-synapse kinetics when the code is generated: give it %v in the spec and generate again"), jen.Id("name"), jen.Id("v")))))
		}
		if p.PerNeuron {
			body = append(body, jen.For(jen.Id("i").Op(":=").Range().Id("g").Dot(g.names.paramField(p))).Block(jen.Id("g").Dot(g.names.paramField(p)).Index(jen.Id("i")).Op("=").Id("v")))
		} else {
			body = append(body, jen.Id("g").Dot("Params").Dot(g.names.paramField(p)).Op("=").Id("v"))
		}
		cases = append(cases, jen.Case(jen.Lit(p.Name)).Block(body...))
	}
	cases = append(cases, jen.Default().Block(jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(m.Package+": no parameter %q"), jen.Id("name")))))
	g.method("SetParam", []jen.Code{jen.Id("name").String(), jen.Id("v").Float64()}, []jen.Code{jen.Error()},
		setParamDoc(m.Params),
		jen.If(jen.Qual(mathPkg, "IsNaN").Call(jen.Id("v")).Op("||").Qual(mathPkg, "IsInf").Call(jen.Id("v"), jen.Lit(0))).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(m.Package+": parameter %s: %v is not a finite number"), jen.Id("name"), jen.Id("v")))),
		jen.Switch(jen.Id("name")).Block(cases...), jen.Return(jen.Nil()))
}
