// Package docs holds the pages in docs/ and the tests that keep the repository's Markdown
// pages whole: every relative link leads to a file or directory of the repository (and, into a
// Markdown page, to one of its headings), and the README stays a front door.
package docs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// root is the repository's root, the parent of this directory.
const root = ".."

// readmeLimit is the most bytes README.md may have: it says what neurogen is, the two
// commands, a spec, go generate and where to read more; the rest lives in the pages it links.
const readmeLimit = 12 << 10

func TestReadmeSize(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > readmeLimit {
		t.Errorf("README.md has %d bytes, more than %d: move reference material into docs/ and link it", len(b), readmeLimit)
	}
}

// TestLinks checks every relative link of every Markdown page of the repository.
func TestLinks(t *testing.T) {
	pages := markdownPages(t)
	if len(pages) < 3 {
		t.Fatalf("found %d Markdown pages, want README.md, docs/*.md and more: %v", len(pages), pages)
	}
	checked := 0
	for _, page := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range links(string(b)) {
			where := filepath.ToSlash(page[len(root)+1:]) + ":" + strconv.Itoa(l.line)
			if err := checkLink(page, l.target); err != "" {
				t.Errorf("%s: link %q: %s", where, l.target, err)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no links found: is the link pattern wrong?")
	}
}

// TestLinkChecker holds checkLink and links to what they must find, on pages and targets made
// up for the test, so that TestLinks cannot pass by finding nothing wrong where it should.
func TestLinkChecker(t *testing.T) {
	page := filepath.Join(root, "docs", "x.md")
	for target, bad := range map[string]bool{
		"tutorial.md":              false,
		"../README.md#quick-start": false,
		"../README.md#a-spec":      false,
		"../README.md#installing-neurogen-and-using-it-from-go-generate": false,
		"../runtime/":                  false,
		"https://example.com/nowhere":  false,
		"#anything":                    false,
		"tutorial.mdx":                 true,
		"../README.md#no-such-heading": true,
		"../../outside":                true,
		"/README.md":                   true,
		"../runtime/no-such-file.go":   true,
	} {
		if got := checkLink(page, target) != ""; got != bad {
			t.Errorf("checkLink(%q): bad %v, want %v", target, got, bad)
		}
	}
	page = "x [a](b.md) `[c](d.md)` [e](f.md \"title\")\n```\n[g](h.md)\n```\n![i](j.png)\n"
	var got []string
	for _, l := range links(page) {
		got = append(got, l.target)
	}
	if want := "b.md f.md j.png"; strings.Join(got, " ") != want {
		t.Errorf("links found %q, want %q", strings.Join(got, " "), want)
	}
}

// markdownPages returns the Markdown pages of the repository, outside hidden directories and
// the results of benchmark runs (bench/results/, apart from its committed sample).
func markdownPages(t *testing.T) []string {
	var pages []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			if filepath.Base(filepath.Dir(path)) == "results" && name != "sample" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".md") {
			pages = append(pages, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

type link struct {
	target string
	line   int
}

var (
	linkPattern = regexp.MustCompile(`\]\(([^()\s]+)(?:\s+"[^"]*")?\)`)
	codeSpan    = regexp.MustCompile("`[^`]*`")
)

// links returns the targets of the inline links and images of a Markdown page, outside code
// blocks and code spans.
func links(page string) []link {
	var out []link
	fenced := false
	for i, line := range strings.Split(page, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		line = codeSpan.ReplaceAllString(line, "")
		for _, m := range linkPattern.FindAllStringSubmatch(line, -1) {
			out = append(out, link{target: m[1], line: i + 1})
		}
	}
	return out
}

// checkLink returns what is wrong with target, a link on page, or "".
func checkLink(page, target string) string {
	if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") || strings.HasPrefix(target, "#") {
		return ""
	}
	if strings.HasPrefix(target, "/") {
		return "absolute paths do not work on every host: link relative to the page"
	}
	file, anchor, _ := strings.Cut(target, "#")
	path := filepath.Join(filepath.Dir(page), filepath.FromSlash(file))
	abs, err := filepath.Abs(path)
	if err != nil {
		return err.Error()
	}
	top, err := filepath.Abs(root)
	if err != nil {
		return err.Error()
	}
	if abs != top && !strings.HasPrefix(abs, top+string(filepath.Separator)) {
		return "outside the repository"
	}
	b, err := os.ReadFile(path)
	if info, serr := os.Stat(path); serr != nil {
		return "no such file or directory in the repository"
	} else if info.IsDir() || anchor == "" || !strings.HasSuffix(file, ".md") {
		return ""
	}
	if err != nil {
		return err.Error()
	}
	for _, h := range headings(string(b)) {
		if h == anchor {
			return ""
		}
	}
	return "no heading with anchor #" + anchor + " in " + file
}

// headings returns the anchors GitHub gives the headings of a Markdown page: the text lower
// case, punctuation dropped, spaces turned into hyphens.
func headings(page string) []string {
	var out []string
	fenced := false
	for _, line := range strings.Split(page, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if fenced || !strings.HasPrefix(line, "#") {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var slug strings.Builder
		for _, r := range strings.ToLower(text) {
			switch {
			case r == ' ':
				slug.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				slug.WriteRune(r)
			}
		}
		out = append(out, slug.String())
	}
	return out
}
