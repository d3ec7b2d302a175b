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
// path for HH52's, and nothing else changed; it parses and is gofmt-clean.
func TestProgramMain(t *testing.T) {
	main, err := programMain()
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
	if !slices.Contains(imports, "neurogenrun/model") || slices.Contains(imports, mainModel) {
		t.Errorf("main.go imports %q, want neurogenrun/model for %s", imports, mainModel)
	}
	disk := mustRead(t, filepath.Join("program", "main.go"))
	if want := bytes.Replace(disk, []byte(strconv.Quote(mainModel)), []byte(`"neurogenrun/model"`), 1); !bytes.Equal(main, want) {
		t.Errorf("main.go differs from program/main.go by more than the import of the model:\n%s", main)
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
		"neurogen/modelrun/simulate.go"} {
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
