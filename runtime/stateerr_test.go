package runtime

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

// TestStateCodesDocumented checks that the section on state files of docs/errors.md lists every
// StateCode of stateerr.go, in order, and no other.
func TestStateCodesDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "stateerr.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	ast.Inspect(f, func(n ast.Node) bool {
		if v, ok := n.(*ast.ValueSpec); ok {
			if id, ok := v.Type.(*ast.Ident); ok && id.Name == "StateCode" {
				c, _ := strconv.Unquote(v.Values[0].(*ast.BasicLit).Value)
				codes = append(codes, c)
			}
		}
		return true
	})
	if len(codes) < 5 {
		t.Fatalf("found %d state codes: %v", len(codes), codes)
	}
	doc, err := os.ReadFile("../docs/errors.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "\n## State files")
	if !ok {
		t.Fatal("docs/errors.md has no section ## State files")
	}
	var listed []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\| .+ \\|$").FindAllStringSubmatch(section, -1) {
		listed = append(listed, m[1])
	}
	if !slices.Equal(listed, codes) {
		t.Errorf("docs/errors.md lists the state codes\n%v\nwant those of stateerr.go, in order:\n%v", listed, codes)
	}
}
