package spec

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// codeConsts returns the value of every constant of type Code declared in codes.go, in order.
func codeConsts(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Code" {
				t.Errorf("constant %s is not of type Code", v.Names[0].Name)
				continue
			}
			lit, ok := v.Values[0].(*ast.BasicLit)
			if !ok {
				t.Errorf("constant %s is not a string literal", v.Names[0].Name)
				continue
			}
			c, _ := strconv.Unquote(lit.Value)
			codes = append(codes, c)
		}
	}
	return codes
}

// TestCodesDocumented checks that docs/errors.md lists every code, in the order of codes.go,
// and no other, before its sections on NMODL files and state files; and that codes are distinct, lower-case words joined by hyphens.
func TestCodesDocumented(t *testing.T) {
	codes := codeConsts(t)
	if len(codes) < 20 {
		t.Fatalf("found %d codes in codes.go: %v", len(codes), codes)
	}
	word := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, c := range codes {
		if !word.MatchString(c) {
			t.Errorf("code %q is not lower-case words joined by hyphens", c)
		}
		if seen[c] {
			t.Errorf("code %q declared twice", c)
		}
		seen[c] = true
	}
	doc, err := os.ReadFile("../docs/errors.md")
	if err != nil {
		t.Fatal(err)
	}
	// The spec's codes come before the NMODL files' (## NMODL files, whose codes are package
	// nmodl's and its importer's) and the runtime's (## State files).
	specPart, _, _ := strings.Cut(string(doc), "\n## State files")
	specPart, _, _ = strings.Cut(specPart, "\n## NMODL files")
	var listed []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\| .+ \\|$").FindAllStringSubmatch(specPart, -1) {
		listed = append(listed, m[1])
	}
	if !slices.Equal(listed, codes) {
		t.Errorf("docs/errors.md lists the codes\n%v\nwant those of spec/codes.go, in order:\n%v", listed, codes)
	}
}
