package library_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// TestPhiOverrides: the stock channels whose temperature factors BrainPy computes from T unless
// given (IKDR_Ba2002's phi, ICaT_HM1992's, ICaT_HP1992's and ICaHT_Re1993's phi_p and phi_q;
// not INa_Ba2002, ICaHT_HM1992 or ICaL_IS2008, which take no phi) compute BrainPy's default,
// phi = T_base**((T - T_ref)/10) (shared/reference/brainpy.md; at 36 degC the values of the
// reference files' `derived`), and a value given beside `use:` replaces it, as BrainPy's phi
// arguments do. The factor is read off the gate's dx/dt, which it multiplies: the ratio of dx/dt
// with the default to dx/dt with phi given as 1.
func TestPhiOverrides(t *testing.T) {
	cases := []struct {
		channel string
		gates   map[string]string // gate → its phi parameter
		tRef    float64           // degC
		base    map[string]float64
	}{
		{"IKDR_Ba2002", map[string]string{"p": "phi"}, 36, map[string]float64{"p": 3}},
		{"ICaT_HM1992", map[string]string{"p": "phi_p", "q": "phi_q"}, 24, map[string]float64{"p": 3.55, "q": 3}},
		{"ICaT_HP1992", map[string]string{"p": "phi_p", "q": "phi_q"}, 24, map[string]float64{"p": 5, "q": 3}},
		{"ICaHT_Re1993", map[string]string{"p": "phi_p", "q": "phi_q"}, 23, map[string]float64{"p": 2.3, "q": 2.3}},
	}
	for _, c := range cases {
		t.Run(c.channel, func(t *testing.T) {
			var ref struct {
				Derived map[string]struct {
					Value float64 `json:"value"`
				} `json:"derived"`
			}
			data, err := os.ReadFile(filepath.Join(gomodtest.Root(t), "testdata", "reference", "channels", c.channel+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &ref); err != nil {
				t.Fatal(err)
			}
			for _, T := range []float64{36, 26, 6.3} {
				var ones, quarter []string
				for _, p := range c.gates {
					ones = append(ones, p+": 1")
					quarter = append(quarter, p+": 0.25")
				}
				def := phiDerivs(t, c.channel, T, "")
				one := phiDerivs(t, c.channel, T, ", "+strings.Join(ones, ", "))
				q := phiDerivs(t, c.channel, T, ", "+strings.Join(quarter, ", "))
				for g, p := range c.gates {
					want := math.Pow(c.base[g], (T-c.tRef)/10)
					if got := def[g] / one[g]; math.Abs(got-want) > 1e-12*want {
						t.Errorf("T = %v degC: default %s = %v, want %v", T, p, got, want)
					}
					if d, ok := ref.Derived[p]; T == 36 && (!ok || math.Abs(d.Value-want) > 1e-12*want) {
						t.Errorf("reference file: %s = %v (present %v), want %v", p, d.Value, ok, want)
					}
					if got := q[g] / one[g]; math.Abs(got-0.25) > 1e-14 {
						t.Errorf("T = %v degC: with %s: 0.25, dx/dt is %v times that with 1", T, p, got)
					}
				}
			}
		})
	}
}

// phiDerivs checks a group of one channel X that uses the stock channel with the overrides at
// temperature T (degC) and returns each gate's dx/dt at V = -70 mV, the gates at 0.3.
func phiDerivs(t *testing.T, channel string, T float64, overrides string) map[string]float64 {
	t.Helper()
	src := fmt.Sprintf(`neurogen: 1
model: Phi
membrane: {C: 1 uF/cm2, V_init: -65 mV}
params: {T: %v degC}
ions:
  Ca: {E: 120 mV}
channels:
  X: {use: %s%s}
`, T, channel, overrides)
	m, err := checkSpec("phi.yaml", src)
	if err != nil {
		t.Fatalf("%s:\n%v", src, err)
	}
	env := map[string]float64{m.Input: 0, m.Time: 0}
	for _, p := range m.Params {
		env[p.Local] = p.Default
	}
	for _, st := range m.States {
		env[st.Local] = 0.3
	}
	env[m.States[0].Local] = -70
	var stmts []*ir.Stmt
	stmts = append(append(stmts, m.Pre...), m.Body...)
	for _, s := range stmts {
		env[s.Local] = symbolic.Eval(s.Expr, symbolic.MapEnv(env))
	}
	out := map[string]float64{}
	for _, st := range m.States[1:] {
		out[strings.TrimPrefix(st.Name, "X.")] = env[st.Deriv.Local]
	}
	return out
}
