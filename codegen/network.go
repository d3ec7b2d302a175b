package codegen

import (
	"bytes"
	"fmt"
	"go/format"
	"go/token"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"

	"github.com/neurogen/neurogen/ir"
)

// NetworkOptions adjust GenerateNetwork.
type NetworkOptions struct {
	// SpecName is how the header names the network spec file; default: the network's SpecFile
	// with forward slashes.
	SpecName string
	// Package is the network package's name; default: the network's name, lower case, as a
	// group's package is named after its model.
	Package string
	// ImportPath is the import path of the network package (required): each group model's
	// package is generated into a directory beside its file, and imported as ImportPath/PKG.
	ImportPath string
	// DataDir is the directory that the generated package reads the spec's data files from
	// (initial values, waveforms) at run time, its SpecDir; default: the network spec's directory
	// as SpecName gives it. A program built from the spec to run elsewhere (neurogen run) gives
	// the spec's absolute directory.
	DataDir string
	// Group adjusts the generation of each model's package (its SpecName is ignored: each names
	// its own spec file). With Float32 every group stores its states in float32: the initial
	// values are drawn (or read) in float64 as without it, then rounded, and the runtime
	// delivers events into the receptors' float32 states.
	Group Options
}

// GenerateNetwork returns the files of a network's package and of the package of each of its
// models, by path relative to the network package's directory, with forward slashes: the
// network's file (cobahh.go), and one directory per model named after the model's package
// (cobahhneuron/cobahhneuron.go), imported by the network's file as ImportPath/cobahhneuron.
// Groups of one model (exc and inh of COBAHH) share its package.
//
// The network's package declares a Network of a runtime.Sim, the seed of its draws and one field
// per group, and NewSeed(seed) (New is NewSeed of the spec's seed, the package's Seed), which
// builds it as the spec says, with seed for every draw that gives no seed of its own: NewGroups (the groups at their sizes, in a Sim of the spec's
// dt), Init (the spec's initial values, drawn from the network's seed and each state's stream),
// Connect (each projection built by the runtime's builders with its seed and stream, then handed
// to its ConnectNAME, which sets its weights and delay and connects it into its receptor, with its
// short-term plasticity if the spec gives one) and
// AddInputs (Poisson trains). The steps are exported so that a caller can replace one, such as
// connectivity of one's own handed to ConnectNAME. Data files (initial values, connections,
// waveforms) are read from the paths the spec gives joined to the Network's Dir (SpecDir, or
// NewWith's Options.Dir): the package has no variables. Delays drawn
// from a distribution, which generated networks cannot build yet, are refused, naming them.
func GenerateNetwork(n *ir.Network, opts NetworkOptions) (map[string][]byte, error) {
	if opts.ImportPath == "" {
		return nil, fmt.Errorf("codegen: network %s: no import path for its package (NetworkOptions.ImportPath)", n.Name)
	}
	if opts.Group.Float32 {
		// A kinetic receptor's sums move w·r between them at pulse ends: float64 only.
		for _, p := range n.Projections {
			if p.Target != nil && p.Target.Kinetic != nil {
				return nil, fmt.Errorf("codegen: network %s: projection %s is into kinetic receptor %s of group %s, whose states must be float64: -float32 is not supported for it", n.Name, p.Name, p.Receptor, p.Post.Name)
			}
		}
		for _, in := range n.Inputs {
			if in.Target != nil && in.Target.Kinetic != nil {
				return nil, fmt.Errorf("codegen: network %s: input %s is into kinetic receptor %s of group %s, whose states must be float64: -float32 is not supported for it", n.Name, in.Name, in.Receptor, in.Group.Name)
			}
		}
	}
	pkg := opts.Package
	if pkg == "" {
		pkg = netPackageName(n.Name)
	}
	if !token.IsIdentifier(pkg) || token.IsKeyword(pkg) || pkg == "_" || pkg == "main" {
		return nil, fmt.Errorf("codegen: network %s: %q is not a valid name for an importable package", n.Name, pkg)
	}
	if err := netSupported(n); err != nil {
		return nil, err
	}
	specName := opts.SpecName
	if specName == "" {
		specName = filepath.ToSlash(n.SpecFile)
	}
	files := map[string][]byte{}
	// One package per model, in the order the groups name them; two models of one package name
	// (two files of one model name) get distinct directories.
	dirs := map[*ir.Model]string{}
	taken := map[string]bool{}
	for _, g := range n.Groups {
		m := g.Model
		if _, ok := dirs[m]; ok {
			continue
		}
		dir := m.Package
		for taken[dir] {
			dir += "_"
		}
		taken[dir] = true
		dirs[m] = dir
		o := opts.Group
		o.SpecName = modelSpecName(m.SpecFile, n.SpecFile, specName)
		gf, err := Generate(m, o)
		if err != nil {
			return nil, err
		}
		for name, src := range gf {
			files[dir+"/"+name] = src
		}
	}
	dataDir := opts.DataDir
	if dataDir == "" {
		dataDir = path.Dir(specName)
	}
	ng := &netGen{n: n, pkg: pkg, dirs: dirs, importPath: opts.ImportPath, specName: specName, dataDir: dataDir, f32: opts.Group.Float32}
	src, err := ng.file()
	if err != nil {
		return nil, err
	}
	files[fileName(pkg, src)] = src
	return files, nil
}

// modelSpecName is how a model package's header names its spec: the model's file as the
// checker read it (the network's directory joined to the path the network gives), expressed
// from where the network's header names the network, so that both are relative to one place.
func modelSpecName(modelFile, netFile, netName string) string {
	rel, err := filepath.Rel(filepath.Dir(netFile), modelFile)
	if err != nil || modelFile == "" {
		return filepath.ToSlash(filepath.Clean(modelFile))
	}
	return path.Clean(path.Join(path.Dir(netName), filepath.ToSlash(rel)))
}

// netPackageName derives the network package's name from the network's name, as a group's
// is derived from its model's.
func netPackageName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			b.WriteRune(r)
		}
	}
	p := b.String()
	if strings.Trim(p, "_") == "" || unicode.IsDigit(rune(p[0])) {
		p = "network" + p
	}
	if token.IsKeyword(p) || p == "main" || p == "runtime" || p == "rand" || p == "fmt" {
		p += "net"
	}
	return p
}

// netSupported refuses what the generated network cannot build yet, naming it.
func netSupported(n *ir.Network) error {
	for _, p := range n.Projections {
		if p.Delay.Kind != ir.Constant && p.Plasticity != nil {
			return fmt.Errorf("codegen: network %s: projection %s: short-term plasticity with delays drawn from a distribution (%s) is not supported by generated networks yet", n.Name, p.Name, p.Delay.Text)
		}
	}
	for _, in := range n.Inputs {
		switch in.Kind {
		case ir.Poisson, ir.Step, ir.Ramp, ir.Piecewise, ir.CurrentFile, ir.OU:
		default:
			return fmt.Errorf("codegen: network %s: input %s: unknown input kind %s", n.Name, in.Name, in.Kind)
		}
	}
	return nil
}

// goName turns a spec name (exc_all/exc) into an exported Go identifier (ExcAllExc).
func goName(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r >= 128 || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	id := b.String()
	if id == "" || unicode.IsDigit(rune(id[0])) {
		id = "X" + id
	}
	return id
}

type netGen struct {
	n          *ir.Network
	pkg        string
	dirs       map[*ir.Model]string
	importPath string
	specName   string
	dataDir    string // Dir's value
	f32        bool   // the groups store their states in float32 (-float32)
	f          *jen.File
	fields     map[*ir.Group]string       // each group's field of Network
	connects   map[*ir.Projection]string  // each projection's ConnectNAME
	simNames   map[any]string             // each projection's and input's name in the Sim
	plastic    map[*ir.PlasticRule]string // each plasticity rule's function (plastic.go)
}

// simName is the name in the runtime.Sim (an identifier, which state files use) of a projection
// or input of spec name name: "NAME", or "NAME_to_POST" for "NAME/POST".
func simName(name string) string { return strings.ReplaceAll(name, "/", "_to_") }

// file renders the network's Go file.
func (ng *netGen) file() ([]byte, error) {
	n := ng.n
	ng.f = jen.NewFilePathName(path.Join(ng.importPath), ng.pkg)
	f := ng.f
	f.ImportName(runtimePkg, "runtime")
	f.ImportName("math/rand/v2", "rand")
	for m, dir := range ng.dirs {
		f.ImportName(path.Join(ng.importPath, dir), m.Package)
	}
	// Names: a field per group, a method per projection, none taken twice.
	taken := map[string]bool{"Sim": true, "Seed": true, "Dir": true}
	unique := func(want string) string {
		for taken[want] {
			want += "_"
		}
		taken[want] = true
		return want
	}
	ng.fields = map[*ir.Group]string{}
	for _, g := range n.Groups {
		ng.fields[g] = unique(goName(g.Name))
	}
	ng.simNames = map[any]string{}
	simTaken := map[string]bool{}
	for _, g := range n.Groups {
		simTaken[g.Name] = true
	}
	simUnique := func(want string) string {
		for simTaken[want] {
			want += "_"
		}
		simTaken[want] = true
		return want
	}
	for _, p := range n.Projections {
		ng.simNames[p] = simUnique(simName(p.Name))
	}
	for _, in := range n.Inputs {
		ng.simNames[in] = simUnique(simName(in.Name))
	}
	methods := map[string]bool{"Init": true, "Connect": true, "AddInputs": true, "Reset": true}
	ng.connects = map[*ir.Projection]string{}
	for _, p := range n.Projections {
		want := "Connect" + goName(p.Name)
		for methods[want] {
			want += "_"
		}
		methods[want] = true
		ng.connects[p] = want
	}
	ng.plasticFuncs(map[string]bool{})

	f.HeaderComment("// Code generated by neurogen from " + ng.specName + "; DO NOT EDIT.")
	doc := []string{fmt.Sprintf("Package %s builds the network %s, generated by neurogen from %s.", ng.pkg, n.Name, ng.specName)}
	if strings.TrimSpace(n.Doc) != "" {
		doc = append(doc, "", strings.TrimSpace(n.Doc))
	}
	doc = append(doc, "", wrapText(ng.summary(), docWidth))
	for _, l := range commentLines(strings.Join(doc, "\n")) {
		f.PackageComment(l)
	}
	f.Comment("DT is the network's time step (ms).")
	f.Const().Id("DT").Op("=").Add(lit(n.DT))
	f.Line()
	f.Comment("Seed is the spec's seed: New's seed of every random draw of the spec that gives none of its own (NewSeed")
	f.Comment("and NewWith take another).")
	f.Const().Id("Seed").Op("=").Lit(n.Seed)
	f.Line()
	f.Comment("SpecDir is the directory that New reads the spec's data files (initial values, connections, waveforms) from,")
	f.Comment("as the spec names them relative to its own directory: the network spec's directory as gen was given it,")
	f.Comment("relative to the directory gen ran in. A program that runs elsewhere gives NewWith another (Options.Dir).")
	f.Const().Id("SpecDir").Op("=").Lit(ng.dataDir)
	f.Line()
	f.Comment("Options are NewWith's choices: what New takes from the spec.")
	f.Type().Id("Options").Struct(
		jen.Comment("Seed is the seed of every random draw that gives none of its own: the package's Seed for the spec's (0"),
		jen.Comment("is a seed like any other, not a default)."),
		jen.Id("Seed").Uint64(),
		jen.Comment("Dir is the directory that the spec's data files are read from; \"\" is SpecDir."),
		jen.Id("Dir").String(),
	)
	f.Line()

	var fields []jen.Code
	fields = append(fields, jen.Comment("Sim steps the groups, in the order of the spec, and delivers the projections' spikes and the inputs."))
	fields = append(fields, jen.Id("Sim").Op("*").Qual(runtimePkg, "Sim"))
	fields = append(fields, jen.Comment("Seed is the seed of every random draw that gives none of its own (initial values, connections, inputs):"))
	fields = append(fields, jen.Comment("the spec's, Seed, unless NewSeed or NewWith was given another. Init, Connect and AddInputs read it."))
	fields = append(fields, jen.Id("Seed").Uint64())
	fields = append(fields, jen.Comment("Dir is the directory that Init, Connect and AddInputs read the spec's data files from: SpecDir, unless"))
	fields = append(fields, jen.Comment("NewWith was given another."))
	fields = append(fields, jen.Id("Dir").String())
	for _, g := range n.Groups {
		fields = append(fields, jen.Comment(fmt.Sprintf("%s is the group %s: %d neurons of %s.", ng.fields[g], g.Name, g.N, g.Model.Name)))
		fields = append(fields, jen.Id(ng.fields[g]).Op("*").Qual(ng.modelPath(g.Model), "Group"))
	}
	f.Comment(fmt.Sprintf("Network is the network %s: its groups, added to a runtime.Sim under their spec names.", n.Name))
	f.Type().Id("Network").Struct(fields...)
	f.Line()

	ng.newFunc()
	ng.newGroups()
	ng.init()
	ng.connect()
	for _, p := range n.Projections {
		ng.connectOne(p)
		if p.Rule == ir.FromFile && p.Delay.Text == "" {
			ng.fileDelays(p)
		}
	}
	done := map[*ir.PlasticRule]bool{}
	for _, p := range n.Projections {
		if pl := p.Plasticity; pl != nil && pl.Rule != nil && !done[pl.Rule] {
			done[pl.Rule] = true
			base, _, _ := strings.Cut(p.Name, "/")
			ng.plasticFunc(pl.Rule, base)
		}
	}
	ng.inputs()
	ng.reset()

	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return nil, fmt.Errorf("codegen: network %s: %w", n.Name, err)
	}
	src, err := format.Source(groupImports(buf.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("codegen: network %s: generated code does not parse (a bug in neurogen): %w", n.Name, err)
	}
	return src, nil
}

// seedOf is the seed of a projection's or input's draws in a method of the Network: its own
// seed, or n.Seed, the network's, which NewSeed may set.
func seedOf(own bool, seed uint64) jen.Code {
	if own {
		return jen.Lit(seed)
	}
	return jen.Id("n").Dot("Seed")
}

// seedText is seedOf for comments.
func seedText(own bool, seed uint64) string {
	if own {
		return fmt.Sprint(seed)
	}
	return "n.Seed"
}

func (ng *netGen) modelPath(m *ir.Model) string { return path.Join(ng.importPath, ng.dirs[m]) }

// summary lists the groups, projections and inputs for the package comment.
func (ng *netGen) summary() string {
	n := ng.n
	var b strings.Builder
	fmt.Fprintf(&b, "Time step %s ms, seed %d.\n\nGroups:\n", fmtFloat(n.DT), n.Seed)
	for _, g := range n.Groups {
		fmt.Fprintf(&b, "  - %s: %d neurons of %s (package %s)\n", g.Name, g.N, g.Model.Name, ng.dirs[g.Model])
	}
	if len(n.Projections) > 0 {
		b.WriteString("\nProjections:\n")
		for _, p := range n.Projections {
			stp := ""
			if pl := p.Plasticity; pl != nil {
				per := "connection"
				if pl.PerPresynaptic {
					per = "presynaptic neuron"
				}
				stp = fmt.Sprintf(", Tsodyks–Markram plasticity U %s, tau_rec %s ms, tau_facil %s ms, per %s", fmtFloat(pl.U), fmtFloat(pl.TauRec), fmtFloat(pl.TauFacil), per)
				if pl.Rule != nil {
					stp = fmt.Sprintf(", plasticity written as expressions (%s), per %s", ng.plastic[pl.Rule], per)
				}
			}
			delay := fmt.Sprintf("%d steps", p.DelaySteps)
			if p.Delay.Kind != ir.Constant {
				delay = distText(p.Delay, "ms") + " per synapse"
			}
			fmt.Fprintf(&b, "  - %s: %s → %s.%s, %s, weight %s, delay %s%s\n", p.Name, p.Pre.Name, p.Post.Name, p.Receptor, ruleText(p), distText(p.Weight, p.Target.WeightUnit), delay, stp)
		}
	}
	if len(n.Inputs) > 0 {
		b.WriteString("\nInputs:\n")
		for _, in := range n.Inputs {
			fmt.Fprintf(&b, "  - %s: %s\n", in.Name, inputText(in))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func fmtFloat(v float64) string { return fmt.Sprintf("%g", v) }

// inputText describes an input.
func inputText(in *ir.Input) string {
	switch in.Kind {
	case ir.Poisson:
		return fmt.Sprintf("Poisson trains into %s.%s at %s, weight %s %s", in.Group.Name, in.Receptor, rateText(in), fmtFloat(in.Weight), in.Target.WeightUnit)
	case ir.Step:
		return fmt.Sprintf("into %s, %g uA/cm2 from %g ms to %g ms", in.Group.Name, in.Values[0], in.Times[0], in.Times[1])
	case ir.Ramp:
		return fmt.Sprintf("into %s, from %g uA/cm2 at %g ms to %g uA/cm2 at %g ms", in.Group.Name, in.Values[0], in.Times[0], in.Values[1], in.Times[1])
	case ir.Piecewise:
		var parts []string
		for i := range in.Times {
			parts = append(parts, fmt.Sprintf("%g uA/cm2 from %g ms", in.Values[i], in.Times[i]))
		}
		return fmt.Sprintf("into %s, %s", in.Group.Name, strings.Join(parts, ", "))
	case ir.CurrentFile:
		return fmt.Sprintf("into %s, the waveform of %s, a sample every %g ms, times %g to give uA/cm2", in.Group.Name, in.File, in.FileDT, in.Scale)
	case ir.OU:
		return fmt.Sprintf("into %s, Ornstein–Uhlenbeck noise of mean %g uA/cm2, sd %g uA/cm2, tau %g ms", in.Group.Name, in.Mean, in.SD, in.Tau)
	}
	return fmt.Sprintf("%s into %s", in.Kind, in.Group.Name)
}

// rateText describes the rates of a Poisson input: a value or a distribution, or a file's.
func rateText(in *ir.Input) string {
	if in.File != "" {
		return fmt.Sprintf("the rates of %s, one per neuron, times %g to give 1/ms", in.File, in.Scale)
	}
	return distText(in.Rate, "1/ms")
}

// distText writes a value or distribution in its internal unit, with the spec's text.
func distText(d ir.Dist, unit string) string {
	if unit == "1" {
		unit = ""
	}
	var s string
	switch d.Kind {
	case ir.Constant:
		s = strings.TrimSpace(fmt.Sprintf("%g %s", d.A, unit))
	case ir.Normal:
		s = fmt.Sprintf("normal(%s, %s)", strings.TrimSpace(fmt.Sprintf("%g %s", d.A, unit)), strings.TrimSpace(fmt.Sprintf("%g %s", d.B, unit)))
	case ir.Uniform:
		s = fmt.Sprintf("uniform(%s, %s)", strings.TrimSpace(fmt.Sprintf("%g %s", d.A, unit)), strings.TrimSpace(fmt.Sprintf("%g %s", d.B, unit)))
	default:
		s = d.Kind.String()
	}
	if t := strings.TrimSpace(d.Text); t != "" && t != s {
		s += " (" + oneLine(t) + ")"
	}
	return s
}

// ruleText writes a projection's rule.
func ruleText(p *ir.Projection) string {
	var s string
	switch p.Rule {
	case ir.AllToAll:
		s = "all to all"
	case ir.FixedProbability:
		s = fmt.Sprintf("each pair with probability %g", p.P)
	case ir.FixedInDegree:
		s = fmt.Sprintf("%d inputs per neuron", p.K)
	case ir.OneToOne:
		s = "one to one"
	case ir.FromFile:
		s = "from " + p.File
	default:
		s = p.Rule.String()
	}
	if p.Pre == p.Post && !p.Self && p.Rule != ir.OneToOne {
		s += ", no self-connections"
	}
	if p.Multapses {
		s += ", multapses"
	}
	return s
}

// errCheck is `if err != nil { return nil, err }` or `{ return err }`.
func errCheck(withNil bool) jen.Code {
	if withNil {
		return jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err()))
	}
	return jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err()))
}

func (ng *netGen) newFunc() {
	ng.f.Comment("New returns the network as its spec builds it, with the spec's seed and its data files read from SpecDir:")
	ng.f.Comment("NewWith(Options{Seed: Seed}).")
	ng.f.Func().Id("New").Params().Params(jen.Op("*").Id("Network"), jen.Error()).Block(
		jen.Return(jen.Id("NewWith").Call(jen.Id("Options").Values(jen.Id("Seed").Op(":").Id("Seed")))),
	)
	ng.f.Line()
	ng.f.Comment("NewSeed returns the network as its spec builds it, with seed in place of the spec's for every random draw")
	ng.f.Comment("that gives no seed of its own (neurogen run -seed): NewWith(Options{Seed: seed}).")
	ng.f.Func().Id("NewSeed").Params(jen.Id("seed").Uint64()).Params(jen.Op("*").Id("Network"), jen.Error()).Block(
		jen.Return(jen.Id("NewWith").Call(jen.Id("Options").Values(jen.Id("Seed").Op(":").Id("seed")))),
	)
	ng.f.Line()
	ng.f.Comment("NewWith returns the network as its spec builds it, with opt's seed and data directory: NewGroups, then Init,")
	ng.f.Comment("Connect and AddInputs. Nothing of it lives outside the Network: networks made with other options may coexist.")
	ng.f.Func().Id("NewWith").Params(jen.Id("opt").Id("Options")).Params(jen.Op("*").Id("Network"), jen.Error()).Block(
		jen.List(jen.Id("n"), jen.Err()).Op(":=").Id("NewGroups").Call(),
		errCheck(true),
		jen.Id("n").Dot("Seed").Op("=").Id("opt").Dot("Seed"),
		jen.If(jen.Id("opt").Dot("Dir").Op("!=").Lit("")).Block(jen.Id("n").Dot("Dir").Op("=").Id("opt").Dot("Dir")),
		jen.If(jen.Err().Op(":=").Id("n").Dot("Init").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.If(jen.Err().Op(":=").Id("n").Dot("Connect").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.If(jen.Err().Op(":=").Id("n").Dot("AddInputs").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("n"), jen.Nil()),
	)
	ng.f.Line()
}

func (ng *netGen) newGroups() {
	n := ng.n
	body := []jen.Code{
		jen.List(jen.Id("sim"), jen.Err()).Op(":=").Qual(runtimePkg, "NewSim").Call(jen.Id("DT")),
		errCheck(true),
	}
	var keys []jen.Code
	keys = append(keys, jen.Id("Sim").Op(":").Id("sim"), jen.Id("Seed").Op(":").Id("Seed"), jen.Id("Dir").Op(":").Id("SpecDir"))
	for _, g := range n.Groups {
		keys = append(keys, jen.Id(ng.fields[g]).Op(":").Qual(ng.modelPath(g.Model), "New").Call(jen.Lit(g.N)))
	}
	body = append(body, jen.Id("n").Op(":=").Op("&").Id("Network").Values(multiline(keys)...))
	for _, g := range n.Groups {
		body = append(body, jen.If(jen.Err().Op(":=").Id("sim").Dot("Add").Call(jen.Lit(g.Name), jen.Id("n").Dot(ng.fields[g])), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())))
	}
	body = append(body, jen.Return(jen.Id("n"), jen.Nil()))
	ng.f.Comment("NewGroups returns the network's groups at their sizes, each in its model's initial state (V at V_init, gates at")
	ng.f.Comment("their steady state), added to a Sim of step DT in the spec's order, with neither the spec's initial values nor")
	ng.f.Comment("projections nor inputs: New's first step, or the start of a network of one's own connectivity or initial values.")
	ng.f.Func().Id("NewGroups").Params().Params(jen.Op("*").Id("Network"), jen.Error()).Block(body...)
	ng.f.Line()
}

// draw returns the statements that fill dst (a []float64 expression) from d: a constant, or
// draws from rand.New(rand.NewPCG(seed, stream)), normal as mean + sd·NormFloat64(), uniform as
// lo + (hi − lo)·Float64(), one per element in order.
func draw(dst jen.Code, d ir.Dist, seed, stream jen.Code) []jen.Code {
	x := jen.Id("x")
	switch d.Kind {
	case ir.Normal:
		return []jen.Code{jen.Block(
			jen.Id("r").Op(":=").Qual("math/rand/v2", "New").Call(jen.Qual("math/rand/v2", "NewPCG").Call(seed, stream)),
			jen.Id("x").Op(":=").Add(dst),
			jen.For(jen.Id("i").Op(":=").Range().Add(x)).Block(
				jen.Id("x").Index(jen.Id("i")).Op("=").Add(lit(d.A)).Op("+").Add(lit(d.B)).Op("*").Id("r").Dot("NormFloat64").Call(),
			),
		)}
	case ir.Uniform:
		return []jen.Code{jen.Block(
			jen.Id("r").Op(":=").Qual("math/rand/v2", "New").Call(jen.Qual("math/rand/v2", "NewPCG").Call(seed, stream)),
			jen.Id("x").Op(":=").Add(dst),
			jen.For(jen.Id("i").Op(":=").Range().Add(x)).Block(
				jen.Id("x").Index(jen.Id("i")).Op("=").Add(lit(d.A)).Op("+").Add(lit(d.B-d.A)).Op("*").Id("r").Dot("Float64").Call(),
			),
		)}
	case ir.Constant:
	}
	return []jen.Code{jen.Block(
		jen.Id("x").Op(":=").Add(dst),
		jen.For(jen.Id("i").Op(":=").Range().Add(x)).Block(jen.Id("x").Index(jen.Id("i")).Op("=").Add(lit(d.A))),
	)}
}

// stateUnit is the internal unit of a state, for comments.
func stateUnit(st *ir.State) string {
	if st.Unit != "" {
		return st.Unit
	}
	return "1"
}

func (ng *netGen) init() {
	n := ng.n
	var body []jen.Code
	for _, g := range n.Groups {
		if len(g.Init) == 0 {
			continue
		}
		grp := jen.Id("n").Dot(ng.fields[g])
		// V and concentrations first, then the gates not named go to their steady state for
		// them (Equilibrate), then the gates and receptor states named.
		var first, rest []*ir.StateInit
		for _, in := range g.Init {
			switch in.State.Kind {
			case ir.Voltage, ir.Concentration:
				first = append(first, in)
			case ir.Gate, ir.Receptor:
				rest = append(rest, in)
			}
		}
		emit := func(in *ir.StateInit) {
			dst := jen.Id("n").Dot(ng.fields[g]).Dot("Var").Call(jen.Lit(in.State.Name))
			// widen32 stores the float64 values src into the state of a -float32 group, rounded.
			widen32 := func(src string) []jen.Code {
				return []jen.Code{
					jen.Id("x32").Op(":=").Id("n").Dot(ng.fields[g]).Dot("Var32").Call(jen.Lit(in.State.Name)),
					jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Id(src)).Block(
						jen.Id("x32").Index(jen.Id("i")).Op("=").Float32().Call(jen.Id("v"))),
				}
			}
			if in.File != "" {
				body = append(body, jen.Comment(fmt.Sprintf("%s.%s from %s, in %s", g.Name, in.State.Name, in.File, stateUnit(in.State))))
				path := jen.Qual("path/filepath", "Join").Call(jen.Id("n").Dot("Dir"), jen.Lit(filepath.FromSlash(in.File)))
				block := []jen.Code{
					jen.Id("path").Op(":=").Add(path),
					jen.List(jen.Id("x"), jen.Err()).Op(":=").Qual(runtimePkg, "ReadValues").Call(jen.Id("path"), jen.Lit(g.N)),
					jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual("fmt", "Errorf").Call(
						jen.Lit(fmt.Sprintf("group %s: the initial values of %s: %%w", g.Name, in.State.Name)), jen.Err()))),
				}
				// The checker bounds a value written in the spec; a file's, read here, are
				// bounded the same way.
				kind := map[ir.StateKind]string{ir.Voltage: "KindVoltage", ir.Gate: "KindGate", ir.Concentration: "KindConcentration"}[in.State.Kind]
				if kind != "" {
					block = append(block, jen.If(jen.Err().Op(":=").Qual(runtimePkg, "CheckValues").Call(jen.Qual(runtimePkg, kind), jen.Id("x")), jen.Err().Op("!=").Nil()).Block(
						jen.Return(jen.Qual("fmt", "Errorf").Call(
							jen.Lit(fmt.Sprintf("group %s: the initial values of %s: %%s: %%w", g.Name, in.State.Name)), jen.Id("path"), jen.Err()))))
				}
				if ng.f32 {
					block = append(block, widen32("x")...)
				} else {
					block = append(block, jen.Copy(dst, jen.Id("x")))
				}
				body = append(body, jen.Block(block...))
				return
			}
			seed := ""
			if g.OwnSeed {
				seed = fmt.Sprintf("seed %d, ", g.Seed)
			}
			body = append(body, jen.Comment(fmt.Sprintf("%s.%s = %s, %sstream %#x", g.Name, in.State.Name, distText(in.Value, stateUnit(in.State)), seed, in.Stream)))
			if ng.f32 {
				// drawn in float64 as for a float64 group, then rounded
				block := []jen.Code{jen.Id("v64").Op(":=").Make(jen.Index().Float64(), jen.Lit(g.N))}
				block = append(block, draw(jen.Id("v64"), in.Value, seedOf(g.OwnSeed, g.Seed), jen.Lit(in.Stream))...)
				body = append(body, jen.Block(append(block, widen32("v64")...)...))
				return
			}
			body = append(body, draw(dst, in.Value, seedOf(g.OwnSeed, g.Seed), jen.Lit(in.Stream))...)
		}
		for _, in := range first {
			emit(in)
		}
		if len(first) > 0 {
			body = append(body, jen.Comment(fmt.Sprintf("the gates of %s not named start at their steady state for these values", g.Name)))
			body = append(body, grp.Clone().Dot("Equilibrate").Call())
		}
		for _, in := range rest {
			emit(in)
		}
	}
	for _, l := range commentLines(wrapText("Init sets the initial values the spec gives, each drawn from rand.NewPCG(seed, stream) with the group's seed "+
		"(its own `seed:`, else n.Seed) and the state's own stream (normal: mean+sd·NormFloat64(), uniform: "+
		"lo+(hi−lo)·Float64(), neuron by neuron): first V and concentrations, then the gates the spec does not "+
		"name are put at their steady state for them (Equilibrate), then the gates and receptor states it names. "+
		"Other states keep their values. Values from a file are read with runtime.ReadValues, from the path the spec "+
		"gives joined to n.Dir, in the state's internal unit, and held to the range of the state's kind by "+
		"runtime.CheckValues, as the checker holds the spec's values.", docWidth)) {
		ng.f.Comment(strings.TrimPrefix(l, "// "))
	}
	body = append(body, jen.Return(jen.Nil()))
	ng.f.Func().Params(jen.Id("n").Op("*").Id("Network")).Id("Init").Params().Error().Block(body...)
	ng.f.Line()
}

func (ng *netGen) connect() {
	n := ng.n
	var body []jen.Code
	for _, p := range n.Projections {
		noSelf := p.Pre == p.Post && !p.Self
		opts := jen.Qual(runtimePkg, "ConnectOptions").Values(jen.Dict{
			jen.Id("Seed"):      seedOf(p.OwnSeed, p.Seed),
			jen.Id("Stream"):    jen.Lit(p.Stream),
			jen.Id("NoSelf"):    jen.Lit(noSelf),
			jen.Id("Multapses"): jen.Lit(p.Multapses),
		})
		var build jen.Code
		switch p.Rule {
		case ir.AllToAll:
			build = jen.Qual(runtimePkg, "AllToAll").Call(jen.Lit(p.Pre.N), jen.Lit(p.Post.N), opts)
		case ir.FixedProbability:
			build = jen.Qual(runtimePkg, "FixedProbability").Call(jen.Lit(p.Pre.N), jen.Lit(p.Post.N), lit(p.P), opts)
		case ir.FixedInDegree:
			build = jen.Qual(runtimePkg, "FixedInDegree").Call(jen.Lit(p.Pre.N), jen.Lit(p.Post.N), jen.Lit(p.K), opts)
		case ir.OneToOne:
			build = jen.Qual(runtimePkg, "OneToOne").Call(jen.Lit(p.Pre.N))
		case ir.FromFile:
			build = jen.Qual(runtimePkg, "FromPairs").Call(jen.Lit(p.Pre.N), jen.Lit(p.Post.N), jen.Id("c").Dot("Pre"), jen.Id("c").Dot("Post"), jen.Id("c").Dot("Weight"), opts)
		}
		fail := func(format string, args ...jen.Code) jen.Code {
			return jen.Return(jen.Qual("fmt", "Errorf").Call(append([]jen.Code{jen.Lit("projection " + p.Name + ": " + format)}, args...)...))
		}
		var stmts []jen.Code
		if p.Rule == ir.FromFile {
			stmts = append(stmts,
				jen.List(jen.Id("c"), jen.Err()).Op(":=").Qual(runtimePkg, "ReadPairs").Call(
					jen.Qual("path/filepath", "Join").Call(jen.Id("n").Dot("Dir"), jen.Lit(filepath.FromSlash(p.File)))),
				jen.If(jen.Err().Op("!=").Nil()).Block(fail("%w", jen.Err())),
			)
			if p.Weight.Text == "" {
				stmts = append(stmts, jen.If(jen.Id("c").Dot("Weight").Op("==").Nil()).Block(
					fail("%s has no weight column, and the spec gives no weight", jen.Lit(p.File))))
			}
			if p.Delay.Text != "" {
				stmts = append(stmts, jen.Comment("the spec's delay replaces the file's"), jen.Id("c").Dot("Delay").Op("=").Nil())
			} else {
			}
		}
		before := stmts
		stmts = []jen.Code{
			jen.List(jen.Id("p"), jen.Err()).Op(":=").Add(build),
			jen.If(jen.Err().Op("!=").Nil()).Block(fail("%w", jen.Err())),
		}
		if p.Rule == ir.FromFile && p.Weight.Text == "" && p.Float32 {
			stmts = append(stmts,
				jen.Comment("the file's weights, stored as float32 (weight_type: float32)"),
				jen.Id("w32").Op(":=").Make(jen.Index().Float32(), jen.Id("p").Dot("Len").Call()),
				jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("p").Dot("Weights64").Call()).Block(
					jen.Id("w32").Index(jen.Id("k")).Op("=").Float32().Call(jen.Id("v"))),
				jen.If(jen.Err().Op(":=").Id("p").Dot("SetWeights32").Call(jen.Id("w32")), jen.Err().Op("!=").Nil()).Block(fail("%w", jen.Err())),
			)
		}
		stmts = append(stmts, jen.If(jen.Err().Op(":=").Id("n").Dot(ng.connects[p]).Call(jen.Id("p")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
		if p.Rule == ir.FromFile && p.Delay.Text == "" {
			// A delay column: one projection per delay; else the pairs as one projection.
			stmts = []jen.Code{jen.If(jen.Id("c").Dot("Delay").Op("!=").Nil()).Block(
				jen.Comment("a delay per connection: one projection per delay"),
				jen.If(jen.Err().Op(":=").Id("n").Dot(ng.byDelay(p)).Call(jen.Id("c")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			).Else().Block(stmts...)}
		}
		body = append(body, jen.Comment(fmt.Sprintf("%s: %s", p.Name, ruleText(p))), jen.Block(append(before, stmts...)...))
	}
	body = append(body, jen.Return(jen.Nil()))
	ng.f.Comment("Connect builds each projection's connectivity with the runtime's builders, from its seed and stream as the")
	ng.f.Comment("spec fixes them, and connects it with its ConnectNAME.")
	ng.f.Func().Params(jen.Id("n").Op("*").Id("Network")).Id("Connect").Params().Error().Block(body...)
	ng.f.Line()
}

func (ng *netGen) connectOne(p *ir.Projection) {
	name := ng.connects[p]
	var body []jen.Code
	body = append(body,
		jen.If(jen.Id("p").Dot("NPre").Call().Op("!=").Lit(p.Pre.N).Op("||").Id("p").Dot("NPost").Call().Op("!=").Lit(p.Post.N)).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("projection %s: connectivity of %%d to %%d neurons, want %d to %d", p.Name, p.Pre.N, p.Post.N)), jen.Id("p").Dot("NPre").Call(), jen.Id("p").Dot("NPost").Call())),
		),
	)
	w := p.Weight
	switch {
	case w.Text == "" && w.Kind == ir.Constant:
		// the weights of the file's weight column, which FromPairs set
	case w.Kind == ir.Constant:
		body = append(body, jen.If(jen.Err().Op(":=").Id("p").Dot("SetWeight").Call(lit(w.A)), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
	default:
		typ, set := jen.Float64(), "SetWeights64"
		if p.Float32 {
			typ, set = jen.Float32(), "SetWeights32"
		}
		ws := jen.Make(jen.Index().Float64(), jen.Id("p").Dot("Len").Call())
		fill := draw(jen.Id("w"), w, seedOf(p.OwnSeed, p.Seed), jen.Lit(p.Stream+1))
		stmts := []jen.Code{jen.Id("w").Op(":=").Add(ws)}
		stmts = append(stmts, fill...)
		if p.Float32 {
			stmts = append(stmts,
				jen.Id("w32").Op(":=").Make(jen.Index().Add(typ), jen.Len(jen.Id("w"))),
				jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("w")).Block(jen.Id("w32").Index(jen.Id("k")).Op("=").Float32().Call(jen.Id("v"))),
				jen.If(jen.Err().Op(":=").Id("p").Dot(set).Call(jen.Id("w32")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			)
		} else {
			stmts = append(stmts, jen.If(jen.Err().Op(":=").Id("p").Dot(set).Call(jen.Id("w")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
		}
		body = append(body, jen.Comment(fmt.Sprintf("one weight per synapse, drawn from rand.NewPCG(%s, %d), the projection's stream + 1", seedText(p.OwnSeed, p.Seed), p.Stream+1)))
		body = append(body, jen.Block(stmts...))
	}
	connect := jen.Id("n").Dot("Sim").Dot("ConnectReceptor").Call(jen.Lit(ng.simNames[p]), jen.Lit(p.Pre.Name), jen.Lit(p.Post.Name), jen.Lit(p.Receptor), jen.Id("p"))
	delayText := fmt.Sprintf("%d steps", p.DelaySteps)
	if p.Delay.Kind != ir.Constant {
		delayText = fmt.Sprintf("%s drawn per synapse and rounded to whole steps, connected as one projection per delay (%s_dSTEPS in the Sim)", distText(p.Delay, "ms"), ng.simNames[p])
		body = append(body, ng.splitByDelay(p)...)
	} else {
		body = append(body, jen.If(jen.Err().Op(":=").Id("p").Dot("SetDelay").Call(jen.Lit(p.DelaySteps)), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
	}
	if p.Delay.Kind != ir.Constant {
		// connected by splitByDelay
	} else if pl := p.Plasticity; pl != nil && pl.Rule != nil {
		// Plasticity written as expressions (Sim.SetPlasticRule), once connected.
		body = append(body,
			jen.If(jen.Err().Op(":=").Add(connect), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Return(ng.setPlasticRule(p)),
		)
	} else if pl != nil {
		// Short-term plasticity (Sim.SetPlasticity), once connected.
		body = append(body,
			jen.If(jen.Err().Op(":=").Add(connect), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Return(jen.Id("n").Dot("Sim").Dot("SetPlasticity").Call(jen.Lit(ng.simNames[p]), jen.Qual(runtimePkg, "TsodyksMarkram").Values(jen.Dict{
				jen.Id("U"): jen.Lit(pl.U), jen.Id("TauRec"): jen.Lit(pl.TauRec), jen.Id("TauFacil"): jen.Lit(pl.TauFacil), jen.Id("PerPresynaptic"): jen.Lit(pl.PerPresynaptic),
			}))),
		)
	} else {
		body = append(body, jen.Return(connect))
	}
	doc := fmt.Sprintf("%s connects the projection %s (in the Sim: %s): the spikes of %s into receptor %s of %s (%s), with the connectivity p "+
		"(%d × %d neurons), whose weights it sets to %s and delay to %s.", name, p.Name, ng.simNames[p], p.Pre.Name, p.Receptor, p.Post.Name,
		oneLine(p.Target.EventText), p.Pre.N, p.Post.N, distText(w, p.Target.WeightUnit), delayText)
	for _, l := range commentLines(wrapText(doc, docWidth)) {
		ng.f.Comment(l)
	}
	ng.f.Func().Params(jen.Id("n").Op("*").Id("Network")).Id(name).Params(jen.Id("p").Op("*").Qual(runtimePkg, "Projection")).Error().Block(body...)
	ng.f.Line()
}

// splitByDelay returns the statements that draw a delay per synapse of p (ms, from
// rand.NewPCG(Seed, Stream+2), rounded to whole steps), split p into one projection per delay
// (runtime.FromPairsByDelay, weights kept) and connect each as NAME_dSTEPS.
func (ng *netGen) splitByDelay(p *ir.Projection) []jen.Code {
	fail := func(format string, args ...jen.Code) jen.Code {
		return jen.Return(jen.Qual("fmt", "Errorf").Call(append([]jen.Code{jen.Lit("projection " + p.Name + ": " + format)}, args...)...))
	}
	constant := p.Weight.Kind == ir.Constant && p.Weight.Text != ""
	stmts := []jen.Code{
		jen.Comment(fmt.Sprintf("a delay per synapse, %s, drawn from rand.NewPCG(%s, %d), the projection's stream + 2, rounded to whole steps", distText(p.Delay, "ms"), seedText(p.OwnSeed, p.Seed), p.Stream+2)),
		jen.Id("d").Op(":=").Make(jen.Index().Float64(), jen.Id("p").Dot("Len").Call()),
	}
	stmts = append(stmts, draw(jen.Id("d"), p.Delay, seedOf(p.OwnSeed, p.Seed), jen.Lit(p.Stream+2))...)
	stmts = append(stmts,
		jen.Id("delays").Op(":=").Make(jen.Index().Int32(), jen.Len(jen.Id("d"))),
		jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("d")).Block(
			jen.Id("s").Op(":=").Qual("math", "Round").Call(jen.Id("v").Op("/").Id("DT")),
			jen.If(jen.Op("!").Parens(jen.Id("s").Op(">=").Lit(0).Op("&&").Id("s").Op("<=").Qual(runtimePkg, "MaxDelaySteps"))).Block(
				fail("a delay of %g ms drawn for synapse %d: want 0 to %d steps", jen.Id("v"), jen.Id("k"), jen.Qual(runtimePkg, "MaxDelaySteps"))),
			jen.Id("delays").Index(jen.Id("k")).Op("=").Int32().Call(jen.Id("s")),
		),
		jen.Comment("the synapses as pairs, with their weights"),
		jen.Id("pre").Op(":=").Make(jen.Index().Int32(), jen.Id("p").Dot("Len").Call()),
		jen.For(jen.Id("i").Op(":=").Range().Id("p").Dot("NPre").Call()).Block(
			jen.For(jen.Id("k").Op(":=").Id("p").Dot("Start").Call().Index(jen.Id("i")), jen.Id("k").Op("<").Id("p").Dot("Start").Call().Index(jen.Id("i").Op("+").Lit(1)), jen.Id("k").Op("++")).Block(
				jen.Id("pre").Index(jen.Id("k")).Op("=").Int32().Call(jen.Id("i")))),
		jen.Id("post").Op(":=").Make(jen.Index().Int32(), jen.Lit(0), jen.Id("p").Dot("Len").Call()),
		jen.For(jen.Id("i").Op(":=").Range().Id("p").Dot("NPre").Call()).Block(
			jen.Id("post").Op("=").Id("p").Dot("AppendRow").Call(jen.Id("post"), jen.Id("i"))),
		jen.Var().Id("w").Index().Float64(),
	)
	if !constant {
		stmts = append(stmts,
			jen.Id("w").Op("=").Make(jen.Index().Float64(), jen.Id("p").Dot("Len").Call()),
			jen.For(jen.Id("k").Op(":=").Range().Id("w")).Block(jen.Id("w").Index(jen.Id("k")).Op("=").Id("p").Dot("Weight").Call(jen.Id("k"))),
		)
	}
	var each []jen.Code
	if constant {
		each = append(each, jen.If(jen.Err().Op(":=").Id("q").Dot("SetWeight").Call(lit(p.Weight.A)), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
	} else if p.Float32 {
		each = append(each,
			jen.Id("w32").Op(":=").Make(jen.Index().Float32(), jen.Id("q").Dot("Len").Call()),
			jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("q").Dot("Weights64").Call()).Block(
				jen.Id("w32").Index(jen.Id("k")).Op("=").Float32().Call(jen.Id("v"))),
			jen.If(jen.Err().Op(":=").Id("q").Dot("SetWeights32").Call(jen.Id("w32")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		)
	}
	each = append(each, jen.If(jen.Err().Op(":=").Id("n").Dot("Sim").Dot("ConnectReceptor").Call(
		jen.Qual("fmt", "Sprintf").Call(jen.Lit(ng.simNames[p]+"_d%d"), jen.Id("q").Dot("Delay").Call()),
		jen.Lit(p.Pre.Name), jen.Lit(p.Post.Name), jen.Lit(p.Receptor), jen.Id("q")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
	stmts = append(stmts,
		jen.List(jen.Id("parts"), jen.Err()).Op(":=").Qual(runtimePkg, "FromPairsByDelay").Call(
			jen.Id("p").Dot("NPre").Call(), jen.Id("p").Dot("NPost").Call(), jen.Id("pre"), jen.Id("post"), jen.Id("w"), jen.Id("delays"),
			jen.Qual(runtimePkg, "ConnectOptions").Values(jen.Dict{jen.Id("Multapses"): jen.True()})),
		jen.If(jen.Err().Op("!=").Nil()).Block(fail("%w", jen.Err())),
		jen.For(jen.List(jen.Id("_"), jen.Id("q")).Op(":=").Range().Id("parts")).Block(each...),
		jen.Return(jen.Nil()),
	)
	return stmts
}

// byDelay is the name of the method that connects a file's projection p with a delay per
// connection.
func (ng *netGen) byDelay(p *ir.Projection) string {
	return "connect" + strings.TrimPrefix(ng.connects[p], "Connect") + "ByDelay"
}

// fileDelays writes the method that connects a projection from a file with a delay column: the
// delays to whole steps (rounded with delay_rounding: nearest, else whole within 1e-9), one
// projection per delay (runtime.FromPairsByDelay), each with the spec's weight or the file's,
// connected as NAME_dSTEPS.
func (ng *netGen) fileDelays(p *ir.Projection) {
	fail := func(format string, args ...jen.Code) jen.Code {
		return jen.Return(jen.Qual("fmt", "Errorf").Call(append([]jen.Code{jen.Lit("projection " + p.Name + ": " + format)}, args...)...))
	}
	var body []jen.Code
	if p.Plasticity != nil {
		body = append(body, fail("%s has a delay column: short-term plasticity with a delay per connection is not supported by generated networks yet", jen.Lit(p.File)))
	} else {
		round := []jen.Code{jen.Id("s").Op("=").Qual("math", "Round").Call(jen.Id("s"))}
		if !p.Rounding {
			round = []jen.Code{
				jen.If(jen.Qual("math", "Abs").Call(jen.Id("s").Op("-").Qual("math", "Round").Call(jen.Id("s"))).Op(">").Lit(1e-9).Op("*").Qual("math", "Max").Call(jen.Lit(1.0), jen.Id("s"))).Block(
					fail("%s: the delay %g ms of connection %d is not a whole number of steps of %g ms (add delay_rounding: nearest)", jen.Lit(p.File), jen.Id("v"), jen.Id("k"), jen.Id("DT"))),
				jen.Id("s").Op("=").Qual("math", "Round").Call(jen.Id("s")),
			}
		}
		loop := append([]jen.Code{jen.Id("s").Op(":=").Id("v").Op("/").Id("DT")}, round...)
		loop = append(loop,
			jen.If(jen.Id("s").Op(">").Qual(runtimePkg, "MaxDelaySteps")).Block(fail("%s: the delay %g ms of connection %d is more than %d steps", jen.Lit(p.File), jen.Id("v"), jen.Id("k"), jen.Qual(runtimePkg, "MaxDelaySteps"))),
			jen.Id("steps").Index(jen.Id("k")).Op("=").Int32().Call(jen.Id("s")),
		)
		noSelf := p.Pre == p.Post && !p.Self
		weights := jen.Id("c").Dot("Weight")
		var draws []jen.Code
		if p.Weight.Text != "" && p.Weight.Kind != ir.Constant {
			// As without delays: one weight per synapse, in the synapse order of FromPairs.
			weights = jen.Id("w")
			draws = append([]jen.Code{
				jen.Comment(fmt.Sprintf("one weight per connection, drawn from rand.NewPCG(%s, %d), the projection's stream + 1, in the", seedText(p.OwnSeed, p.Seed), p.Stream+1)),
				jen.Comment("order of the synapses FromPairs makes of the file's connections (runtime.PairOrder), as without delays"),
				jen.Id("order").Op(":=").Qual(runtimePkg, "PairOrder").Call(jen.Id("c").Dot("Pre"), jen.Id("c").Dot("Post")),
				jen.Id("drawn").Op(":=").Make(jen.Index().Float64(), jen.Len(jen.Id("order"))),
			}, draw(jen.Id("drawn"), p.Weight, seedOf(p.OwnSeed, p.Seed), jen.Lit(p.Stream+1))...)
			draws = append(draws,
				jen.Id("w").Op(":=").Make(jen.Index().Float64(), jen.Len(jen.Id("order"))),
				jen.For(jen.List(jen.Id("q"), jen.Id("k")).Op(":=").Range().Id("order")).Block(jen.Id("w").Index(jen.Id("k")).Op("=").Id("drawn").Index(jen.Id("q"))),
			)
		}
		var each []jen.Code
		switch {
		case p.Weight.Text != "" && p.Weight.Kind == ir.Constant:
			each = append(each, jen.If(jen.Err().Op(":=").Id("q").Dot("SetWeight").Call(lit(p.Weight.A)), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
		case p.Float32:
			each = append(each,
				jen.Id("w32").Op(":=").Make(jen.Index().Float32(), jen.Id("q").Dot("Len").Call()),
				jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("q").Dot("Weights64").Call()).Block(
					jen.Id("w32").Index(jen.Id("k")).Op("=").Float32().Call(jen.Id("v"))),
				jen.If(jen.Err().Op(":=").Id("q").Dot("SetWeights32").Call(jen.Id("w32")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			)
		}
		each = append(each, jen.If(jen.Err().Op(":=").Id("n").Dot("Sim").Dot("ConnectReceptor").Call(
			jen.Qual("fmt", "Sprintf").Call(jen.Lit(ng.simNames[p]+"_d%d"), jen.Id("q").Dot("Delay").Call()),
			jen.Lit(p.Pre.Name), jen.Lit(p.Post.Name), jen.Lit(p.Receptor), jen.Id("q")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
		body = append(body, draws...)
		body = append(body,
			jen.Id("steps").Op(":=").Make(jen.Index().Int32(), jen.Len(jen.Id("c").Dot("Delay"))),
			jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("c").Dot("Delay")).Block(loop...),
			jen.List(jen.Id("parts"), jen.Err()).Op(":=").Qual(runtimePkg, "FromPairsByDelay").Call(
				jen.Lit(p.Pre.N), jen.Lit(p.Post.N), jen.Id("c").Dot("Pre"), jen.Id("c").Dot("Post"), weights, jen.Id("steps"),
				jen.Qual(runtimePkg, "ConnectOptions").Values(jen.Dict{jen.Id("NoSelf"): jen.Lit(noSelf), jen.Id("Multapses"): jen.Lit(p.Multapses)})),
			jen.If(jen.Err().Op("!=").Nil()).Block(fail("%w", jen.Err())),
			jen.For(jen.List(jen.Id("_"), jen.Id("q")).Op(":=").Range().Id("parts")).Block(each...),
			jen.Return(jen.Nil()),
		)
	}
	ng.f.Comment(fmt.Sprintf("%s connects the projection %s from the connections of its file with their delays: one projection per", ng.byDelay(p), p.Name))
	ng.f.Comment(fmt.Sprintf("delay in whole steps, %s_dSTEPS in the Sim, with the spec's weights or the file's.", ng.simNames[p]))
	ng.f.Func().Params(jen.Id("n").Op("*").Id("Network")).Id(ng.byDelay(p)).Params(jen.Id("c").Op("*").Qual(runtimePkg, "Pairs")).Error().Block(body...)
	ng.f.Line()
}

func (ng *netGen) inputs() {
	n := ng.n
	var body []jen.Code
	for _, in := range n.Inputs {
		if in.Kind != ir.Poisson {
			body = append(body, jen.Comment(fmt.Sprintf("%s (in the Sim: %s): %s", in.Name, ng.simNames[in], inputText(in))), jen.Block(ng.current(in)...))
			continue
		}
		var rates []jen.Code
		switch {
		case in.File != "":
			rates = []jen.Code{
				jen.List(jen.Id("rates"), jen.Err()).Op(":=").Qual(runtimePkg, "ReadValues").Call(
					jen.Qual("path/filepath", "Join").Call(jen.Id("n").Dot("Dir"), jen.Lit(filepath.FromSlash(in.File))), jen.Lit(in.Group.N)),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("input "+in.Name+": the rates: %w"), jen.Err()))),
			}
			if f := in.Scale * 1000; f != 1 {
				rates = append(rates, jen.Comment("the file's unit to Hz"),
					jen.For(jen.Id("i").Op(":=").Range().Id("rates")).Block(jen.Id("rates").Index(jen.Id("i")).Op("*=").Add(lit(f))))
			}
		case in.Rate.Kind == ir.Constant:
			rates = []jen.Code{jen.Id("rates").Op(":=").Index().Float64().Values(lit(in.Rate.A * 1000))}
		case in.Rate.Kind == ir.Normal || in.Rate.Kind == ir.Uniform:
			d := in.Rate
			d.A, d.B = d.A*1000, d.B*1000
			rates = append([]jen.Code{jen.Id("rates").Op(":=").Make(jen.Index().Float64(), jen.Lit(in.Group.N))},
				draw(jen.Id("rates"), d, seedOf(in.OwnSeed, in.Seed), jen.Lit(in.Stream+1))...)
		}
		stmts := append(rates,
			jen.If(
				jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("n").Dot("Sim").Dot("AddPoissonReceptor").Call(
					jen.Lit(ng.simNames[in]), jen.Lit(in.Group.Name), jen.Lit(in.Receptor), jen.Id("rates"), lit(in.Weight), seedOf(in.OwnSeed, in.Seed), jen.Lit(in.Stream)),
				jen.Err().Op("!=").Nil(),
			).Block(jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("input "+in.Name+": %w"), jen.Err()))),
		)
		body = append(body, jen.Comment(fmt.Sprintf("%s (in the Sim: %s): Poisson trains into %s.%s at %s, weight %g %s", in.Name, ng.simNames[in], in.Group.Name, in.Receptor, rateText(in), in.Weight, in.Target.WeightUnit)))
		body = append(body, jen.Block(stmts...))
	}
	body = append(body, jen.Return(jen.Nil()))
	ng.f.Comment("AddInputs adds the spec's inputs to the Sim: Poisson trains, each from rand.NewPCG(seed, stream) as the spec")
	ng.f.Comment("fixes them (rates drawn per neuron from the stream + 1, or read by runtime.ReadValues from the path joined")
	ng.f.Comment("to n.Dir), and the current inputs (Sim.AddStep, AddRamp,")
	ng.f.Comment("AddCurrent, AddWaveform with the samples of runtime.ReadWaveform read from the path joined to n.Dir, AddOU).")
	ng.f.Func().Params(jen.Id("n").Op("*").Id("Network")).Id("AddInputs").Params().Error().Block(body...)
	ng.f.Line()
}

// current returns the statements that add a current input to the Sim.
func (ng *netGen) current(in *ir.Input) []jen.Code {
	sim := jen.Id("n").Dot("Sim")
	name, group := jen.Lit(ng.simNames[in]), jen.Lit(in.Group.Name)
	f64 := func(xs ...float64) jen.Code {
		var vs []jen.Code
		for _, x := range xs {
			vs = append(vs, lit(x))
		}
		return jen.Index().Float64().Values(vs...)
	}
	var pre []jen.Code
	var add jen.Code
	switch in.Kind {
	case ir.Step:
		add = sim.Clone().Dot("AddStep").Call(name, group, lit(in.Times[0]), lit(in.Times[1]), f64(in.Values[0]))
	case ir.Ramp:
		add = sim.Clone().Dot("AddRamp").Call(name, group, lit(in.Times[0]), lit(in.Times[1]), f64(in.Values[0]), f64(in.Values[1]))
	case ir.Piecewise:
		add = sim.Clone().Dot("AddCurrent").Call(name, group, f64(in.Times...), f64(in.Values...), jen.False())
	case ir.CurrentFile:
		pre = []jen.Code{
			jen.List(jen.Id("v"), jen.Id("cols"), jen.Err()).Op(":=").Qual(runtimePkg, "ReadWaveform").Call(
				jen.Qual("path/filepath", "Join").Call(jen.Id("n").Dot("Dir"), jen.Lit(filepath.FromSlash(in.File))), jen.Lit(in.Group.N)),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("input "+in.Name+": %w"), jen.Err()))),
			jen.Comment("the file's unit to uA/cm2"),
			jen.For(jen.Id("i").Op(":=").Range().Id("v")).Block(jen.Id("v").Index(jen.Id("i")).Op("*=").Add(lit(in.Scale))),
		}
		add = sim.Clone().Dot("AddWaveform").Call(name, group, lit(in.FileDT), jen.Id("v"), jen.Id("cols"), jen.False())
	case ir.OU:
		add = sim.Clone().Dot("AddOU").Call(name, group, lit(in.Mean), lit(in.SD), lit(in.Tau), seedOf(in.OwnSeed, in.Seed), jen.Lit(in.Stream))
	case ir.Poisson:
		panic("codegen: current: a Poisson input")
	}
	return append(pre, jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(add), jen.Err().Op("!=").Nil()).Block(
		jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("input "+in.Name+": %w"), jen.Err()))))
}

func (ng *netGen) reset() {
	ng.f.Comment("Reset puts the network back at its start: the Sim's Reset (groups at their models' initial state, spike")
	ng.f.Comment("histories emptied, inputs' random sources back at their seeds, the clock at 0), then Init.")
	body := []jen.Code{jen.Id("n").Dot("Sim").Dot("Reset").Call(), jen.Return(jen.Id("n").Dot("Init").Call())}
	ng.f.Func().Params(jen.Id("n").Op("*").Id("Network")).Id("Reset").Params().Error().Block(body...)
}
