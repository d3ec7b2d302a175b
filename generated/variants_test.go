package generated_test

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/spec"
)

// variantModule is the module path of TestVariants' temporary module: its packages are
// github.com/neurogen/neurogen/generated/variants/NAME, inside neurogen's import path so that
// its tests may import neurogen's internal packages (spikecmp, govref, gomodtest).
const variantModule = "github.com/neurogen/neurogen/generated/variants"

// variants are the packages that only tests need (other methods and options of the stock
// specs), as neurogen gen's arguments: TestVariants generates them, they are not committed.
var variants = []string{
	"../specs/hh52.yaml -o hh52tab -pkg hh52tab -tables",
	"../specs/hh52.yaml -o hh52staggeredtab -pkg hh52staggeredtab -method staggered -tables",
	"../specs/hh52.yaml -o hh52x4 -pkg hh52x4 -simd",
	"../specs/hh52.yaml -o hh52staggeredx4 -pkg hh52staggeredx4 -method staggered -simd",
	"../specs/hh52.yaml -o hh52tabx4 -pkg hh52tabx4 -tables -simd",
	"../specs/hh52.yaml -o hh52staggeredtabx4 -pkg hh52staggeredtabx4 -method staggered -tables -simd",
	"../specs/hh52.yaml -o hh52staggeredtabx4f32 -pkg hh52staggeredtabx4f32 -method staggered -tables -simd -float32",
	"../specs/cobahh_neuron.yaml -o cobahhx4 -pkg cobahhx4 -simd",
	"testdata/variants/refractory_short.yaml -o refractoryshort -pkg refractoryshort",
	"testdata/variants/refractory_short.yaml -o refractoryshortx4 -pkg refractoryshortx4 -simd",
	"../specs/wangbuzsaki.yaml -o wangbuzsakirk4 -pkg wangbuzsakirk4 -method rk4",
	"../specs/traubmiles.yaml -o traubmilestab -pkg traubmilestab -method staggered -tables",
	"../specs/wangbuzsaki.yaml -o wangbuzsakitab -pkg wangbuzsakitab -method staggered -tables",
	"../specs/morrislecar.yaml -o morrislecartab -pkg morrislecartab -method staggered -tables",
	"../specs/hh_brainpy.yaml -o hhbrainpytab -pkg hhbrainpytab -method staggered -tables",
	"../specs/thalamic_relay.yaml -o thalamicrelaytab -pkg thalamicrelaytab -method staggered -tables",
	"../specs/traubmiles_pyramidal.yaml -o traubmilespyramidaltab -pkg traubmilespyramidaltab -method staggered -tables",
	"../specs/cobahh_neuron.yaml -o cobahhstaggered -pkg cobahhstaggered -method staggered",
}

// sharedTests are the test files of this directory that TestVariants runs on the variants
// too: their tests range over models, which each side lists.
var sharedTests = []string{"common_test.go", "rates_test.go"}

// TestVariants generates the variants into one temporary module (at a path stable across
// runs, so that the go command's build cache serves them when they are unchanged), with the
// tests of testdata/variants and sharedTests, and the specs and references they read at the
// paths they have here; then runs those tests there, in one go test. They hold the variants
// to the stock packages and to the references: the four-lane code to the scalar bits,
// tables to the exact rates, float32 to float64, staggered to NEURON (HH52, and the COBAHH
// network), the tabulated stock models to Brian2.
func TestVariants(t *testing.T) {
	gomodtest.NeedGo(t)
	t.Parallel()
	root := gomodtest.Root(t)
	mod := gomodtest.TempModule(t, variantModule)
	for _, args := range variants {
		d, err := parseDirective(args)
		if err != nil {
			t.Fatalf("%s: %v", args, err)
		}
		src, err := os.ReadFile(d.spec)
		if err != nil {
			t.Fatal(err)
		}
		s, err := spec.Load(d.spec, src)
		if err != nil {
			t.Fatal(err)
		}
		m, err := check.Check(s, d.check)
		if err != nil {
			t.Fatal(err)
		}
		files, err := codegen.Generate(m, d.gen)
		if err != nil {
			t.Fatal(err)
		}
		for name, b := range files {
			gomodtest.WriteFile(t, filepath.Join(mod, d.dir, name), b)
		}
	}
	// The tests, in a directory of the module's, one level down as generated/ is, beside
	// the specs and references they read by relative paths.
	copyFile := func(from, to string) {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		gomodtest.WriteFile(t, to, b)
	}
	tests := filepath.Join(mod, "generated")
	paths, err := filepath.Glob(filepath.Join("testdata", "variants", "*.go"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata/variants/*.go: %v", err)
	}
	for _, p := range append(paths, sharedTests...) {
		copyFile(p, filepath.Join(tests, filepath.Base(p)))
	}
	gomodtest.WriteFile(t, filepath.Join(tests, "doc.go"), []byte("// Package generated holds the tests of the variants.\npackage generated\n"))
	for _, dir := range []string{"specs", filepath.Join("testdata", "reference")} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			copyFile(path, filepath.Join(mod, rel))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	cmd := gomodtest.Command(tests, nil, "test", "-count=1", "-v", ".")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test of the variants: %v\n%s", err, out)
	}
	// What ran: the top-level results, and the counts.
	var summary []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	result := regexp.MustCompile(`^--- (PASS|SKIP|FAIL): (\S+)`)
	ran := 0
	for sc.Scan() {
		if m := result.FindStringSubmatch(sc.Text()); m != nil {
			summary = append(summary, m[1]+" "+m[2])
			if m[1] == "PASS" {
				ran++
			}
		}
	}
	t.Logf("the variants' tests in %s:\n%s", tests, strings.Join(summary, "\n"))
	if ran < 10 {
		t.Errorf("only %d tests passed in the variants' module, want the tests of testdata/variants and %v:\n%s", ran, sharedTests, out)
	}
}
