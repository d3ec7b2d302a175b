package runtime

import (
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
)

// expTol is the error bound of Exp in its fast path, in ulp of the correctly rounded result,
// as its doc comment states.
const expTol = 0.52

// bigPrec is the precision, in bits, of the math/big references below.
const bigPrec = 200

// bigLn2 returns ln 2 to bigPrec bits from the series ln 2 = Σ 1/(k·2^k), k ≥ 1.
func bigLn2() *big.Float {
	sum := new(big.Float).SetPrec(bigPrec + 16)
	for k := 1; k < bigPrec+32; k++ {
		term := new(big.Float).SetPrec(bigPrec + 16).SetInt64(int64(k))
		term.SetMantExp(term, k) // k·2^k
		sum.Add(sum, term.Quo(big.NewFloat(1), term))
	}
	return sum
}

// expRef returns e^x to about bigPrec bits: the Taylor series at r = x/2^s with |r| < 2^−12,
// squared s times, in enough extra precision to cover the squarings. It shares nothing with Exp
// (no table, no ln 2).
func expRef(x float64) *big.Float {
	bx := new(big.Float).SetFloat64(x)
	s := 0
	if x != 0 {
		s = max(0, bx.MantExp(nil)+12)
	}
	prec := uint(bigPrec + s + 16)
	r := new(big.Float).SetPrec(prec).SetMantExp(bx, -s)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := int64(1); ; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetInt64(n))
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-int(prec)-2 {
			break
		}
		sum.Add(sum, term)
	}
	for range s {
		sum.Mul(sum, sum)
	}
	return sum
}

// ulps returns |got − want| in units of the last place of want rounded to float64.
func ulps(got float64, want *big.Float) float64 {
	w, _ := want.Float64()
	ulp := math.Nextafter(math.Abs(w), math.Inf(1)) - math.Abs(w)
	d := new(big.Float).SetPrec(bigPrec).SetFloat64(got)
	d.Sub(d, want).Abs(d)
	e, _ := d.Float64()
	return e / ulp
}

// steps returns how many float64 values apart a and b are, for a, b ≥ 0 (+Inf included).
func steps(a, b float64) uint64 {
	ia, ib := math.Float64bits(a), math.Float64bits(b)
	if ia > ib {
		return ia - ib
	}
	return ib - ia
}

// TestExpRef checks the reference itself against closed forms and math.Exp.
func TestExpRef(t *testing.T) {
	// e^(ln 2) = 2 and e^(10 ln 2) = 1024, with ln 2 from its own series.
	for _, n := range []int64{1, 10, -3} {
		ln2n := new(big.Float).SetPrec(bigPrec).Mul(bigLn2(), big.NewFloat(float64(n)))
		x, _ := ln2n.Float64()
		// e^x = 2^n·e^(x − n·ln 2), and x − n·ln 2 is tiny: e^d ≈ 1 + d.
		d := new(big.Float).SetPrec(bigPrec).Sub(new(big.Float).SetFloat64(x), ln2n)
		d.Add(d, big.NewFloat(1))
		want := new(big.Float).SetPrec(bigPrec).SetMantExp(d, int(n))
		got := expRef(x)
		diff := new(big.Float).Sub(got, want)
		if diff.Sign() != 0 && diff.MantExp(nil)-want.MantExp(nil) > -100 {
			t.Errorf("expRef(%d·ln2) = %s, want %s", n, got.Text('g', 40), want.Text('g', 40))
		}
	}
	// e = 2.71828182845904523536028747135266249775724709369995 (OEIS A001113).
	e, _, _ := big.ParseFloat("2.71828182845904523536028747135266249775724709369995", 10, bigPrec, big.ToNearestEven)
	if diff := new(big.Float).Sub(expRef(1), e); diff.Sign() != 0 && diff.MantExp(nil) > -160 {
		t.Errorf("expRef(1) = %s, want %s", expRef(1).Text('g', 50), e.Text('g', 50))
	}
	// ln 2 against its digits (OEIS A002162).
	ln2, _, _ := big.ParseFloat("0.69314718055994530941723212145817656807550013436025", 10, bigPrec, big.ToNearestEven)
	if diff := new(big.Float).Sub(bigLn2(), ln2); diff.Sign() != 0 && diff.MantExp(nil) > -160 {
		t.Errorf("bigLn2() = %s, want %s", bigLn2().Text('g', 50), ln2.Text('g', 50))
	}
	for _, x := range []float64{-700, -30, -1e-3, 0.5, 3, 700} {
		if e := ulps(math.Exp(x), expRef(x)); e > 1 {
			t.Errorf("math.Exp(%g) is %.3g ulp from expRef", x, e)
		}
	}
}

// TestExpTable recomputes expTable with math/big: 2^(1/2^i) by i repeated square roots of 2,
// multiplied together for the bits of j at 300 bits; each hi must be 2^(j/128) rounded to
// nearest and each tail (2^(j/128) − hi)/hi rounded to nearest, bit for bit.
func TestExpTable(t *testing.T) {
	const prec = 300
	var roots [expLogN + 1]*big.Float // roots[i] = 2^(1/2^i)
	roots[0] = new(big.Float).SetPrec(prec).SetInt64(2)
	for i := 1; i <= expLogN; i++ {
		roots[i] = new(big.Float).SetPrec(prec).Sqrt(roots[i-1])
	}
	// The last root raised to the power N must give 2 back.
	p := new(big.Float).SetPrec(prec).Set(roots[expLogN])
	for range expLogN {
		p.Mul(p, p)
	}
	if d := new(big.Float).Sub(p, roots[0]); d.Sign() != 0 && d.MantExp(nil) > -prec+16 {
		t.Fatalf("(2^(1/%d))^%d − 2 = %g", expN, expN, d)
	}
	for j := range expN {
		v := new(big.Float).SetPrec(prec).SetInt64(1)
		for i := 1; i <= expLogN; i++ {
			if j&(1<<(expLogN-i)) != 0 {
				v.Mul(v, roots[i])
			}
		}
		hi, _ := v.Float64()
		tail := new(big.Float).SetPrec(prec).Sub(v, new(big.Float).SetFloat64(hi))
		tail.Quo(tail, new(big.Float).SetFloat64(hi))
		wantTail, _ := tail.Float64()
		got := expTable[j]
		if got.hi != hi || got.tail != wantTail {
			t.Errorf("expTable[%d] = {%x, %x}, want {%x, %x}", j, got.hi, got.tail, hi, wantTail)
		}
		// An independent check of hi (math.Exp2 is within 1 ulp).
		if s := steps(got.hi, math.Exp2(float64(j)/expN)); s > 1 {
			t.Errorf("expTable[%d].hi = %x is %d ulp from math.Exp2(%d/128)", j, got.hi, s, j)
		}
	}
}

// TestExpConstants checks the reduction constants against ln 2 from math/big and the
// conditions the error analysis needs.
func TestExpConstants(t *testing.T) {
	ln2 := bigLn2()
	ln2N := new(big.Float).SetPrec(bigPrec).SetMantExp(ln2, -expLogN) // ln2/N
	if got := math.Float64bits(expFastMax); got != expFastMaxBits {
		t.Errorf("expFastMaxBits = %#x, want %#x", uint64(expFastMaxBits), got)
	}
	if got := math.Float64bits(exprelPolyMax); got != exprelPolyMaxBits {
		t.Errorf("exprelPolyMaxBits = %#x, want %#x", uint64(exprelPolyMaxBits), got)
	}
	if expShift != 1.5*(1<<52) {
		t.Errorf("expShift = %g, want 1.5·2^52", float64(expShift))
	}
	inv, _ := new(big.Float).SetPrec(bigPrec).Quo(big.NewFloat(expN), ln2).Float64()
	if expInvLn2N != inv {
		t.Errorf("expInvLn2N = %x, want N/ln2 = %x", float64(expInvLn2N), inv)
	}
	// k·expLn2HiN must be exact for every k the fast path meets: |k| < 2^17 and hi has at most
	// 53 − 18 = 35 significant bits.
	if kmax := math.Ceil(expFastMax*expInvLn2N) + 1; kmax >= 1<<17 {
		t.Errorf("|k| reaches %g, not below 2^17", kmax)
	}
	if mant := math.Float64bits(expLn2HiN) & (1<<52 - 1); mant&(1<<18-1) != 0 {
		t.Errorf("expLn2HiN = %x has more than 35 significant bits", float64(expLn2HiN))
	}
	hi35, _ := new(big.Float).SetPrec(35).Set(ln2N).Float64()
	if expLn2HiN != hi35 {
		t.Errorf("expLn2HiN = %x, want ln2/N rounded to 35 bits = %x", float64(expLn2HiN), hi35)
	}
	lo := new(big.Float).SetPrec(bigPrec).Sub(ln2N, big.NewFloat(expLn2HiN))
	if wantLo, _ := lo.Float64(); expLn2LoN != wantLo {
		t.Errorf("expLn2LoN = %x, want ln2/N − hi = %x", float64(expLn2LoN), wantLo)
	}
}

// TestExpSpecial checks special values, the thresholds of math.Exp (overflow, underflow,
// subnormal results) and the edges of the fast path.
func TestExpSpecial(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct{ x, want float64 }{
		{0, 1},
		{math.Copysign(0, -1), 1},
		{math.SmallestNonzeroFloat64, 1},
		{-math.SmallestNonzeroFloat64, 1},
		{0x1p-54, 1},  // e^x = 1 + 2^−54 + …, below the midpoint 1 + 2^−53
		{-0x1p-54, 1}, // 1 − 2^−54 + …, above the midpoint 1 − 2^−54
		{0x1p-52, 1 + 0x1p-52},
		{-0x1p-52, 1 - 0x1p-52},
		{inf, inf},
		{-inf, 0},
		{math.MaxFloat64, inf},
		{-math.MaxFloat64, 0},
		{709.7827128933841, inf}, // just above ln MaxFloat64
		{-745.1332191019411, math.SmallestNonzeroFloat64}, // the smallest x with e^x > 0
		{-745.1332191019412, 0},
	} {
		if got := Exp(c.x); got != c.want || math.Signbit(got) {
			t.Errorf("Exp(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if got := Exp(math.NaN()); !math.IsNaN(got) {
		t.Errorf("Exp(NaN) = %v, want NaN", got)
	}
	// Past the fast path Exp is math.Exp: near overflow (where math.Exp on amd64 returns +Inf
	// from about 709.44 on, although e^x < MaxFloat64 up to 709.782712893384), subnormal results,
	// underflow.
	for _, x := range []float64{709.782712893384, 709.5, 709.4, 708.5, -708.5, -709, -709.1,
		-720, -740, -745, -745.1332191019411, math.Inf(1), math.Inf(-1)} {
		if got, want := Exp(x), math.Exp(x); got != want {
			t.Errorf("Exp(%v) = %v, math.Exp gives %v", x, got, want)
		}
	}
	// The last points of the fast path and the first ones past it.
	for _, x := range []float64{expFastMax, -expFastMax} {
		y := x
		for range 3 {
			if e := ulps(Exp(y), expRef(y)); e > expTol {
				t.Errorf("Exp(%v) is %.3g ulp from e^x", y, e)
			}
			y = math.Nextafter(y, 0)
		}
		out := math.Nextafter(x, 2*x)
		if got, want := Exp(out), math.Exp(out); got != want {
			t.Errorf("Exp(%v) = %v, math.Exp gives %v", out, got, want)
		}
	}
}

// expPoints returns n random points uniform on [lo, hi].
func expPoints(rng *rand.Rand, n int, lo, hi float64) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*rng.Float64()
	}
	return xs
}

// expLogPoints returns n random points ±2^u with u uniform on [lo, hi].
func expLogPoints(rng *rand.Rand, n int, lo, hi float64) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Exp2(lo + (hi-lo)*rng.Float64())
		if rng.IntN(2) == 0 {
			xs[i] = -xs[i]
		}
	}
	return xs
}

// expSwitchPoints returns the points where round(x·N/ln2) changes, (k + ½)·ln2/N for n random k
// with |x| ≤ bound, each with its neighbours up to 3 float64 values either side, and the
// multiples k·ln2 of ln 2 from −1022 to 1021 with their neighbours.
func expSwitchPoints(rng *rand.Rand, n int, bound float64) []float64 {
	var xs []float64
	around := func(x float64) {
		lo, hi := x, x
		xs = append(xs, x)
		for range 3 {
			lo, hi = math.Nextafter(lo, math.Inf(-1)), math.Nextafter(hi, math.Inf(1))
			xs = append(xs, lo, hi)
		}
	}
	kmax := int(bound / (math.Ln2 / expN))
	for range n {
		k := rng.IntN(2*kmax) - kmax
		around((float64(k) + 0.5) * (math.Ln2 / expN))
	}
	for k := -1022; k <= 1021; k++ {
		around(float64(k) * math.Ln2)
	}
	return xs
}

// TestExpAccuracy compares Exp with the math/big reference: at most expTol ulp over the fast
// path, on random points over the whole of it, over [−40, 40] where models live and over
// [−1, 1], on tiny |x|, and where the reduction changes k.
func TestExpAccuracy(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	rng := rand.New(rand.NewPCG(7, 1))
	sets := []struct {
		name string
		xs   []float64
	}{
		{"[−708, 708]", expPoints(rng, n, -expFastMax, expFastMax)},
		{"[−40, 40]", expPoints(rng, n, -40, 40)},
		{"[−1, 1]", expPoints(rng, n, -1, 1)},
		{"|x| in [2^−60, 2^−3]", expLogPoints(rng, n/3, -60, -3)},
		{"k switches", expSwitchPoints(rng, n/10, expFastMax)},
	}
	for _, s := range sets {
		worst, worstX := 0.0, 0.0
		for _, x := range s.xs {
			if math.Abs(x) > expFastMax {
				continue // math.Exp's own result; TestExpMathExp covers it
			}
			if e := ulps(Exp(x), expRef(x)); e > worst {
				worst, worstX = e, x
			}
		}
		t.Logf("%s, %d points: largest error %.4f ulp at x = %v", s.name, len(s.xs), worst, worstX)
		if worst > expTol {
			want, _ := expRef(worstX).Float64()
			t.Errorf("%s: Exp(%v) = %v, want %v: error %.4f ulp > %g", s.name, worstX,
				Exp(worstX), want, worst, expTol)
		}
	}
}

// TestExpMathExp compares Exp with math.Exp on millions of points: random ones over the whole
// range [−745.2, 709.8] and over [−40, 40], tiny and huge |x|, every point where the reduction
// changes k in [−40, 40] and random ones elsewhere. They must be within 1 ulp of each other,
// except where math.Exp itself is more than ½ ulp off: its amd64 assembly errs by up to about
// 1.6 ulp, so the two can be 2 ulp apart, and at each such point Exp must be within expTol of the
// math/big reference.
func TestExpMathExp(t *testing.T) {
	n := 2_000_000
	if testing.Short() {
		n = 100_000
	}
	rng := rand.New(rand.NewPCG(7, 2))
	var switches []float64
	kmax := int(math.Floor(40 / (math.Ln2 / expN)))
	for k := -kmax; k <= kmax; k++ {
		x := (float64(k) + 0.5) * (math.Ln2 / expN)
		switches = append(switches, math.Nextafter(x, -1000), x, math.Nextafter(x, 1000))
	}
	sets := []struct {
		name string
		xs   []float64
	}{
		{"[−745.2, 709.8]", expPoints(rng, n, -745.2, 709.8)},
		{"[−40, 40]", expPoints(rng, n, -40, 40)},
		{"|x| in [2^−80, 2^10]", expLogPoints(rng, n/4, -80, 10)},
		{"k switches in [−40, 40]", switches},
		{"k switches", expSwitchPoints(rng, n/20, 745)},
	}
	for _, s := range sets {
		one, two, worstMath := 0, 0, 0.0
		for _, x := range s.xs {
			got, want := Exp(x), math.Exp(x)
			switch d := steps(got, want); {
			case d == 0:
			case d == 1:
				one++
			case d == 2:
				two++
				ref := expRef(x)
				worstMath = max(worstMath, ulps(want, ref))
				if e := ulps(got, ref); e > expTol {
					t.Errorf("%s: Exp(%v) = %v, math.Exp gives %v, 2 ulp apart, and Exp is "+
						"%.3g ulp from e^x", s.name, x, got, want, e)
				}
			default:
				t.Errorf("%s: Exp(%v) = %v, math.Exp gives %v: %d ulp apart", s.name, x, got,
					want, d)
			}
		}
		t.Logf("%s: %d points, %d differ from math.Exp by 1 ulp, %d by 2 (where math.Exp errs by "+
			"up to %.3g ulp)", s.name, len(s.xs), one, two, worstMath)
	}
}

// TestExpCompiled checks what the speed of Exp and Exprel rests on, from the compiler's own
// reports: expReduce and expTail are inlined, the table lookup has no bounds check, and compiled
// for GOAMD64=v3 (where Go may fuse x*y + z) neither function contains a fused multiply–add, so
// the results are the same bits on every amd64.
func TestExpCompiled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	// The builds are of the files of Exp and Exprel alone (they import only math), in a module
	// of their own at the runtime's import path: the functions compile as in the whole package,
	// and GOAMD64=v3 needs only math compiled for it, where the whole package needed the
	// standard library it imports (about 15 CPU s from an empty build cache) and listed 150,000
	// lines of assembly. The module is at the same path in every run, for the go build cache.
	dir := gomodtest.StableDir(t)
	gomodtest.WriteFile(t, filepath.Join(dir, "go.mod"), []byte("module github.com/neurogen/neurogen\n\ngo 1.26\n"))
	for _, name := range []string{"fastexp.go", "exprel.go"} {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		gomodtest.WriteFile(t, filepath.Join(dir, "runtime", name), src)
	}
	build := func(flags string, env ...string) *exec.Cmd {
		cmd := exec.Command(gobin, "build", flags, "./runtime")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), append([]string{"GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off"}, env...)...)
		return cmd
	}
	// The two builds run side by side.
	var v3out []byte
	var v3err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		v3out, v3err = build("-gcflags=-S", "GOARCH=amd64", "GOAMD64=v3").CombinedOutput()
	}()
	out, err := build("-gcflags=-m -d=ssa/check_bce/debug=1").CombinedOutput()
	<-done
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	for _, want := range []string{"can inline expReduce", "can inline expTail"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("go build -gcflags=-m does not say %q:\n%s", want, out)
		}
	}
	if m := regexp.MustCompile(`(fastexp|exprel)\.go:\d+:\d+: Found IsInBounds`).Find(out); m != nil {
		t.Errorf("bounds check in the fast path: %s", m)
	}

	if v3err != nil {
		t.Fatalf("GOAMD64=v3 go build -gcflags=-S: %v\n%s", v3err, v3out)
	}
	fn := ""
	seen := map[string]bool{}
	for line := range strings.Lines(string(v3out)) {
		if strings.Contains(line, " STEXT ") {
			fn = strings.Fields(line)[0]
			continue
		}
		if strings.HasSuffix(fn, "runtime.Exp") || strings.HasSuffix(fn, "runtime.Exprel") {
			seen[fn] = true
			if strings.Contains(line, "VFMADD") || strings.Contains(line, "VFNMADD") ||
				strings.Contains(line, "VFMSUB") || strings.Contains(line, "VFNMSUB") {
				t.Errorf("%s fuses a multiply–add under GOAMD64=v3: %s", fn, strings.TrimSpace(line))
			}
		}
	}
	if len(seen) != 2 {
		t.Errorf("found the code of %d of Exp and Exprel in the assembly listing, want 2", len(seen))
	}
}

// expBenchArgs returns 1024 arguments like those of generated rate code: exponents
// −(V − V0)/k of rate functions for V over [−90, 50] mV with k from 5 to 20 mV, and dt·L of
// exponential Euler steps over [−2, 0].
func expBenchArgs(seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	xs := make([]float64, 1024)
	for i := range xs {
		if i%3 == 2 {
			xs[i] = -2 * rng.Float64()
		} else {
			v, v0, k := -90+140*rng.Float64(), -65+40*rng.Float64(), 5+15*rng.Float64()
			xs[i] = -(v - v0) / k
		}
	}
	return xs
}

// benchOut receives benchmark results, so that the compiler keeps the calls.
var benchOut [1024]float64

// The benchmarks measure throughput: independent calls over expBenchArgs, results stored.

func BenchmarkExp(b *testing.B) {
	xs := expBenchArgs(1)
	out := benchOut[:len(xs)]
	for n := 0; n < b.N; n += len(xs) {
		for i, x := range xs {
			out[i] = Exp(x)
		}
	}
}

func BenchmarkMathExp(b *testing.B) {
	xs := expBenchArgs(1)
	out := benchOut[:len(xs)]
	for n := 0; n < b.N; n += len(xs) {
		for i, x := range xs {
			out[i] = math.Exp(x)
		}
	}
}

// BenchmarkExprel takes the same arguments, most of which go through the reduction of Exp.
func BenchmarkExprel(b *testing.B) {
	xs := expBenchArgs(1)
	out := benchOut[:len(xs)]
	for n := 0; n < b.N; n += len(xs) {
		for i, x := range xs {
			out[i] = Exprel(x)
		}
	}
}

// BenchmarkExprelSmall takes arguments with |z| < 1/32, where Exprel is a polynomial.
func BenchmarkExprelSmall(b *testing.B) {
	xs := expBenchArgs(2)
	for i := range xs {
		xs[i] /= 320
	}
	out := benchOut[:len(xs)]
	for n := 0; n < b.N; n += len(xs) {
		for i, x := range xs {
			out[i] = Exprel(x)
		}
	}
}

// BenchmarkMathExpm1 measures math.Expm1(z)/z, which is what Exprel was before it used Exp.
func BenchmarkMathExpm1(b *testing.B) {
	xs := expBenchArgs(1)
	out := benchOut[:len(xs)]
	for n := 0; n < b.N; n += len(xs) {
		for i, x := range xs {
			out[i] = math.Expm1(x) / x
		}
	}
}
