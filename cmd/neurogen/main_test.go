package main

import (
	"bytes"
	"flag"
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

// TestManual checks that the usage of every command and the package doc mention each flag.
func TestManual(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands {
		if !strings.Contains(string(doc), "neurogen "+c.name) {
			t.Errorf("doc.go does not mention command %s", c.name)
		}
		fs := newFlagSet(c.name)
		c.new(fs)
		usage := c.usage()
		fs.VisitAll(func(f *flag.Flag) {
			mention := regexp.MustCompile(`(^|[\s\[])-` + regexp.QuoteMeta(f.Name) + `\b`)
			if !mention.MatchString(usage) {
				t.Errorf("the usage of %s does not document -%s", c.name, f.Name)
			}
			if !mention.Match(doc) {
				t.Errorf("doc.go does not document -%s of %s", f.Name, c.name)
			}
		})
	}
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
