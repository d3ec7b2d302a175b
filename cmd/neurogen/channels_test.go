package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/neurogen/neurogen/library"
)

// TestChannelsList: a header line, then one line per stock channel, in the order of Names, each
// with the name, the ion, the gates and the first line of the doc, under the header's columns.
func TestChannelsList(t *testing.T) {
	code, stdout, stderr := neurogen(t, nil, "channels")
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen channels: exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	header := lines[0]
	lines = lines[1:]
	names := library.Stock.Names()
	if len(lines) != len(names) {
		t.Fatalf("%d lines for %d stock channels:\n%s", len(lines), len(names), stdout)
	}
	col := regexp.MustCompile(`^(\S+) +(\S+) +(.+?\)|-) +(\S.*)$`)
	for i, line := range lines {
		m := col.FindStringSubmatch(line)
		if m == nil || m[1] != names[i] {
			t.Errorf("line %d is %q; want channel %s, its ion, gates and doc", i+1, line, names[i])
			continue
		}
		c, err := library.Stock.Channel(names[i])
		if err != nil {
			t.Fatal(err)
		}
		if first, _, _ := strings.Cut(strings.TrimSpace(c.Channel.Doc), "\n"); m[4] != first {
			t.Errorf("%s: the line gives %q, the first line of the doc is %q", names[i], m[4], first)
		}
	}
	// The columns line up under the header, and a few lines say exactly what they must.
	if want := "NAME          ION  GATES                 DOC"; header != want {
		t.Errorf("the header line is %q, want %q", header, want)
	}
	for _, want := range []string{
		"INa_HH1952    Na   p, q (alpha/beta)     Fast sodium current of the squid giant axon (Hodgkin and Huxley 1952).",
		"Ih_De1996     -    P1, O, O_L (kinetic)  Hyperpolarization-activated cation current up-regulated by calcium (Destexhe et al. 1996).",
		"ICaT_HM1992   Ca   p, q (inf/tau)        Low-threshold T-type calcium current of thalamic relay cells (Huguenard and McCormick 1992).",
		"IL            -    -                     Leak current.",
	} {
		if !strings.Contains(stdout, "\n"+want+"\n") {
			t.Errorf("the list lacks the line\n%s\nin\n%s", want, stdout)
		}
	}
}

// TestChannelsShow: with a name, the channel's file exactly.
func TestChannelsShow(t *testing.T) {
	for _, name := range library.Stock.Names() {
		code, stdout, stderr := neurogen(t, nil, "channels", name)
		src, _ := library.Stock.Source(name)
		if code != exitOK || stderr != "" || stdout != string(src) {
			t.Errorf("neurogen channels %s: exit %d, stderr %q, stdout %d bytes; want 0 and the file (%d bytes)", name, code, stderr, len(stdout), len(src))
		}
	}
}

// TestChannelsUnknown: an unknown name is a usage error, with the names it may stand for.
func TestChannelsUnknown(t *testing.T) {
	for _, tc := range []struct{ name, hint string }{
		{"INa_HH1925", ` (did you mean "INa_HH1952"?)`},              // a typo
		{"ina_hh1952", ` (did you mean "INa_HH1952"?)`},              // names are case-sensitive
		{"INa_HH", ` (did you mean "INa_HH1952"?)`},                  // a prefix of one
		{"ICaT", " (did you mean one of ICaT_HM1992, ICaT_HP1992?)"}, // a prefix of several
		{"INa", " (did you mean one of INa_Ba2002, INa_HH1952, INa_TM1991?)"},
		{"Kdr", " ('neurogen channels' lists them)"},
		{"I", " ('neurogen channels' lists them)"},
	} {
		code, stdout, stderr := neurogen(t, nil, "channels", tc.name)
		want := "neurogen channels: unknown stock channel \"" + tc.name + "\"" + tc.hint + "\nrun 'neurogen channels -h' for usage\n"
		if code != exitUsage || stdout != "" || stderr != want {
			t.Errorf("neurogen channels %s: exit %d, stdout %q, stderr %q\nwant exit 2, stderr %q", tc.name, code, stdout, stderr, want)
		}
	}
	code, _, stderr := neurogen(t, nil, "channels", "IL", "IKL")
	if want := "neurogen channels: unexpected argument \"IKL\" (one NAME at a time)\nrun 'neurogen channels -h' for usage\n"; code != exitUsage || stderr != want {
		t.Errorf("neurogen channels IL IKL: exit %d, stderr %q; want 2, %q", code, stderr, want)
	}
}

// TestChannelsLibrary runs the command on other libraries: gate forms, channels without an
// ion or gates, and a file that does not load (an error, exit status 1).
func TestChannelsLibrary(t *testing.T) {
	fsys := fstest.MapFS{
		"ch/A.yaml": {Data: []byte(`neurogen: 1
channel: A
doc: |

  First line.
  Second line.
ion: Na
g_max: 1 mS/cm2
E: 50 mV
current: g_max * m * h * n * O * (E - V)
gates:
  m: {alpha: 1/ms, beta: 1/ms}
  h: {inf: 0.5, tau: 1 ms}
  n: {inf: 0.5}
  O: {deriv: 0/ms, init: 0}
`)},
		"ch/B.yaml": {Data: []byte("neurogen: 1\nchannel: B\ng_max: 1 mS/cm2\ncurrent: g_max * (0*mV - V)\n")},
	}
	var out bytes.Buffer
	r := &channelsRunner{lib: library.New(fsys, "ch", "ch")}
	if err := r.run(&env{stdout: &out}, nil); err != nil {
		t.Fatal(err)
	}
	want := "NAME  ION  GATES                                              DOC\n" +
		"A     Na   m (alpha/beta), h (inf/tau), n (inf), O (kinetic)  First line.\n" +
		"B     -    -                                                  \n"
	if out.String() != want {
		t.Errorf("the list:\n%s\nwant:\n%s", out.String(), want)
	}

	fsys["ch/C.yaml"] = &fstest.MapFile{Data: []byte("neurogen: 1\nchannel: D\n")}
	r = &channelsRunner{lib: library.New(fsys, "ch", "ch")}
	out.Reset()
	err := r.run(&env{stdout: &out}, nil)
	if err == nil || !strings.Contains(err.Error(), "stock channel C: its file names it D") {
		t.Errorf("a library with a misnamed file: %v; want an error", err)
	}
}
