package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
)

// neurogen runs the command line in-process with stdin and returns its exit status, standard
// output and standard error.
func neurogen(t *testing.T, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	code = Run(args, stdin, &out, &errOut)
	return code, out.String(), errOut.String()
}

// hh52 returns the path of the stock HH52 spec.
func hh52(t *testing.T) string {
	return filepath.Join(gomodtest.Root(t), "specs", "hh52.yaml")
}

// run runs cmd and fails the test, with its output, if it fails.
func run(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return string(out)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}

func TestNoArguments(t *testing.T) {
	code, stdout, stderr := neurogen(t, nil)
	if code != exitUsage || stdout != "" || stderr != mainUsage() {
		t.Errorf("neurogen: exit %d, stdout %q, stderr %q; want 2, the usage on stderr", code, stdout, stderr)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"-help"}, {"--help"}} {
		code, stdout, stderr := neurogen(t, nil, args...)
		if code != exitOK || stdout != mainUsage() || stderr != "" {
			t.Errorf("neurogen %s: exit %d, stdout %q, stderr %q; want 0, the usage on stdout", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	for _, c := range commands {
		for _, args := range [][]string{{"help", c.name}, {c.name, "-h"}, {c.name, "--help"}, {c.name, "x.yaml", "-help"}} {
			code, stdout, stderr := neurogen(t, nil, args...)
			if code != exitOK || stdout != c.usage() || stderr != "" {
				t.Errorf("neurogen %s: exit %d, stdout %q, stderr %q; want 0, the usage of %s on stdout",
					strings.Join(args, " "), code, stdout, stderr, c.name)
			}
		}
	}
}

// TestUsageErrors checks the exit status and message of bad command lines; none of them reads
// a spec.
func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"chek", "x.yaml"}, "neurogen: unknown command \"chek\" (did you mean \"check\"?)\nrun 'neurogen help' for usage\n"},
		{[]string{"frobnicate"}, "neurogen: unknown command \"frobnicate\"\nrun 'neurogen help' for usage\n"},
		{[]string{"-v", "check"}, "neurogen: unknown flag -v: flags come after the command\nrun 'neurogen help' for usage\n"},
		{[]string{"help", "gne"}, "neurogen help: unknown command \"gne\" (did you mean \"gen\"?)\nrun 'neurogen help -h' for usage\n"},
		{[]string{"help", "gen", "run"}, "neurogen help: unexpected argument \"run\" (one COMMAND at a time)\nrun 'neurogen help -h' for usage\n"},
		{[]string{"check"}, "neurogen check: missing SPEC\nrun 'neurogen check -h' for usage\n"},
		{[]string{"check", "-x", "a.yaml"}, "neurogen check: flag provided but not defined: -x\nrun 'neurogen check -h' for usage\n"},
		{[]string{"gen", "-o", "out"}, "neurogen gen: missing SPEC\nrun 'neurogen gen -h' for usage\n"},
		{[]string{"gen", "a.yaml", "b.yaml", "-o", "out"}, "neurogen gen: unexpected argument \"b.yaml\" (one SPEC at a time)\nrun 'neurogen gen -h' for usage\n"},
		{[]string{"gen", "a.yaml", "-o"}, "neurogen gen: flag needs an argument: -o\nrun 'neurogen gen -h' for usage\n"},
		{[]string{"gen", "a.yaml"}, "neurogen gen: missing -o DIR: the directory to write the package into\nrun 'neurogen gen -h' for usage\n"},
		{[]string{"run", "a.yaml", "-keep"}, "neurogen run: flag needs an argument: -keep\nrun 'neurogen run -h' for usage\n"},
		{[]string{"run", "a.yaml", "--frob=1"}, "neurogen run: flag provided but not defined: -frob\nrun 'neurogen run -h' for usage\n"},
		{[]string{"version", "extra"}, "neurogen version: unexpected argument \"extra\" (version takes none)\nrun 'neurogen version -h' for usage\n"},
	} {
		code, stdout, stderr := neurogen(t, nil, tc.args...)
		if code != exitUsage || stdout != "" || stderr != tc.stderr {
			t.Errorf("neurogen %s:\nexit %d, stdout %q, stderr %q\nwant exit 2, stderr %q", strings.Join(tc.args, " "), code, stdout, stderr, tc.stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	code, stdout, stderr := neurogen(t, nil, "version")
	want := regexp.MustCompile(`^neurogen \S+\nruntime API 1\nbuilt with go\S*\n$`)
	if code != exitOK || !want.MatchString(stdout) || stderr != "" {
		t.Errorf("neurogen version: exit %d, stdout %q, stderr %q; want 0 and stdout matching %s", code, stdout, stderr, want)
	}
	if !strings.HasPrefix(stdout, "neurogen "+Version+"\n") {
		t.Logf("version from the build information: %q", stdout) // a test binary has none
	}
}

// TestManual checks that doc.go is the manual that the commands' definitions give (go generate
// writes it), that every flag of a command is documented in its usage (defined through the
// flagSet, not around it) and named in its synopsis, and that every command has a section.
func TestManual(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	want, err := manual()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, want) {
		t.Errorf("doc.go is stale: run go generate ./cmd/neurogen\n%s", lineDiff(string(doc), string(want)))
	}
	for _, c := range commands {
		if c.title == "" || c.doc == "" || !strings.HasSuffix(c.doc, "\n") {
			t.Errorf("command %s has no title or no doc ending in a newline", c.name)
		}
		if !bytes.Contains(doc, []byte("\n// # "+c.title+"\n//\n//\tneurogen "+c.name)) {
			t.Errorf("doc.go has no section %q for command %s", c.title, c.name)
		}
		fs := c.flags()
		documented := map[string]bool{}
		for _, d := range fs.docs {
			name, _, _ := strings.Cut(strings.TrimPrefix(d.name, "-"), " ")
			name, _, _ = strings.Cut(name, "=")
			documented[name] = true
		}
		fs.VisitAll(func(f *flag.Flag) {
			if !documented[f.Name] {
				t.Errorf("-%s of %s is defined without its usage", f.Name, c.name)
			}
			mention := regexp.MustCompile(`(^|[\s\[])-` + regexp.QuoteMeta(f.Name) + `\b`)
			if !mention.MatchString(c.synopsis) {
				t.Errorf("the synopsis of %s, %q, does not name -%s", c.name, c.synopsis, f.Name)
			}
		})
	}
}

// lineDiff returns the first line at which a and b differ, with its number.
func lineDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n\thave %q\n\twant %q", i+1, x, y)
		}
	}
	return ""
}

func TestParseInterleaved(t *testing.T) {
	for _, tc := range []struct {
		args []string
		pos  []string
		out  string
		v    bool
	}{
		{[]string{"a", "-o", "x", "b"}, []string{"a", "b"}, "x", false},
		{[]string{"-o", "x", "a", "-v"}, []string{"a"}, "x", true},
		{[]string{"a", "--", "-v", "b"}, []string{"a", "-v", "b"}, "", false},
		{[]string{"-o", "--", "a"}, []string{"a"}, "--", false},
		{[]string{"-v", "--", "-o"}, []string{"-o"}, "", true},
		{[]string{"-", "-o=y"}, []string{"-"}, "y", false},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		out := fs.String("o", "", "")
		v := fs.Bool("v", false, "")
		pos, err := parseInterleaved(fs, tc.args)
		if err != nil || !slices.Equal(pos, tc.pos) || *out != tc.out || *v != tc.v {
			t.Errorf("parseInterleaved(%q) = %q, %v with -o %q -v %v; want %q, nil with -o %q -v %v",
				tc.args, pos, err, *out, *v, tc.pos, tc.out, tc.v)
		}
	}
}

type panicRunner struct{}

func (panicRunner) run(e *env, args []string) error { panic("boom") }

// TestPanic checks that a panic, a bug in neurogen, becomes an error message and exit status 1.
func TestPanic(t *testing.T) {
	c := &command{name: "boom", new: func(fs *flagSet) runner { return panicRunner{} }}
	var stdout, stderr bytes.Buffer
	code := c.execute(&env{stdout: &stdout, stderr: &stderr}, nil)
	want := "neurogen boom: internal error (a bug in neurogen; please report it with the input): boom\n"
	if code != exitError || stdout.Len() != 0 || !strings.HasPrefix(stderr.String(), want) {
		t.Errorf("a panicking command: exit %d, stderr %q; want 1, %q and the stack", code, stderr.String(), want)
	}
}
