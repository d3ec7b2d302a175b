package progbuild

import (
	"bytes"
	"go/parser"
	"go/token"

	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestProgramMain: the main.go of a model program is program/main.go with the model's import
// path for HH52's, and nothing else changed, and that of a network program netprogram/main.go
// with the network's for COBAHH's; they parse and are gofmt-clean.
func TestProgramMain(t *testing.T) {
	for _, c := range []struct {
		network    bool
		dir, model string
	}{{false, "program", mainModel}, {true, "netprogram", netMainModel}} {
		main, err := programMain(c.network)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), "main.go", main, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		var imports []string
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			imports = append(imports, p)
		}
		if !slices.Contains(imports, "neurogenrun/model") || slices.Contains(imports, c.model) {
			t.Errorf("%s: main.go imports %q, want neurogenrun/model for %s", c.dir, imports, c.model)
		}
		disk := mustRead(t, filepath.Join(c.dir, "main.go"))
		if want := bytes.Replace(disk, []byte(strconv.Quote(c.model)), []byte(`"neurogenrun/model"`), 1); !bytes.Equal(main, want) {
			t.Errorf("main.go differs from %s/main.go by more than the import of the model:\n%s", c.dir, main)
		}
	}
}

// TestVariantSource: variant.go holds the variant and RandomInit it is given, and
// program/variant.go is what it is for HH52, a plain model with a fixed V_init.
func TestVariantSource(t *testing.T) {
	src, err := variantSource(&Program{Model: "HH52"})
	if err != nil {
		t.Fatal(err)
	}
	if disk := mustRead(t, filepath.Join("program", "variant.go")); !bytes.Equal(src, disk) {
		t.Errorf("program/variant.go is not the variant.go of a plain HH52:\n%s\nwant\n%s", disk, src)
	}
	src, err = variantSource(&Program{Model: "COBAHH", Network: true})
	if err != nil {
		t.Fatal(err)
	}
	if disk := mustRead(t, filepath.Join("netprogram", "network.go")); !bytes.Equal(src, disk) {
		t.Errorf("netprogram/network.go is not the network.go of COBAHH:\n%s\nwant\n%s", disk, src)
	}
	src, err = variantSource(&Program{Model: "X", Variant: []string{"tables", "simd"}, RandomInit: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`var variant []string = []string{"tables", "simd"}`, "const randomInit = true", "model X;"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("variant.go lacks %q:\n%s", want, src)
		}
	}
}

// TestModuleFiles: the module holds the program, the generated package under model/, and
// neurogen's runtime, units, modelrun and suggest packages under neurogen/.
func TestModuleFiles(t *testing.T) {
	files, err := ModuleFiles(&Program{Model: "HH52", Package: "hh52", Generated: map[string][]byte{"hh52.go": []byte("package hh52\n")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"go.mod", "main.go", "variant.go", "model/hh52.go", "neurogen/go.mod", "neurogen/runtime/group.go", "neurogen/units/unit.go",
		"neurogen/modelrun/simulate.go", "neurogen/internal/spikestats/spikestats.go"} {
		if _, ok := files[name]; !ok {
			t.Errorf("the module lacks %s", name)
		}
	}
	for name := range files {
		if strings.HasSuffix(name, "_test.go") {
			t.Errorf("the module holds the test file %s", name)
		}
	}
	if mod := string(files["go.mod"]); !strings.HasPrefix(mod, goModMarker) || !strings.Contains(mod, "replace github.com/neurogen/neurogen => ./neurogen") {
		t.Errorf("go.mod:\n%s", mod)
	}
	// A network's: network.go for variant.go, its groups' packages in directories under model/.
	files, err = ModuleFiles(&Program{Model: "COBAHH", Package: "cobahh", Network: true,
		Generated: map[string][]byte{"cobahh.go": []byte("package cobahh\n"), "cobahhneuron/cobahhneuron.go": []byte("package cobahhneuron\n")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"main.go", "network.go", "model/cobahh.go", "model/cobahhneuron/cobahhneuron.go"} {
		if _, ok := files[name]; !ok {
			t.Errorf("the network's module lacks %s", name)
		}
	}
	if _, ok := files["variant.go"]; ok {
		t.Error("the network's module has a variant.go")
	}
	if !bytes.Contains(files["main.go"], []byte("modelrun.NetworkProgram")) {
		t.Errorf("the network's main.go is not the network program's:\n%s", files["main.go"])
	}
}

// TestImportPathLine: the lines of go build -v that name a package, and not its errors.
func TestImportPathLine(t *testing.T) {
	for _, line := range []string{"fmt", "github.com/neurogen/neurogen/runtime", "neurogenrun", "example.com/x/y.v2"} {
		if !importPathLine.MatchString(line) {
			t.Errorf("%q is not taken for a package of go build -v", line)
		}
	}
	for _, line := range []string{"# neurogenrun/model", "model/hh52.go:12:2: undefined: x", "go: no such tool", ""} {
		if importPathLine.MatchString(line) {
			t.Errorf("%q is taken for a package of go build -v, not kept as an error", line)
		}
	}
	for pkg, std := range map[string]bool{"fmt": true, "internal/goarch": true, "neurogenrun/model": false, "neurogenrun": false, "github.com/neurogen/neurogen/runtime": false} {
		if IsStdPackage(pkg) != std {
			t.Errorf("IsStdPackage(%q) = %v, want %v", pkg, !std, std)
		}
	}
}
