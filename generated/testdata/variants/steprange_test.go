package generated_test

import (
	"fmt"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hh52f32"
	"github.com/neurogen/neurogen/generated/variants/hh52staggeredtabx4"
	"github.com/neurogen/neurogen/generated/variants/hh52x4"
	"github.com/neurogen/neurogen/runtime"
)

// TestStepRangeBounds: StepRange outside the group panics with a message that names the
// package, the method and the range, in every variant; the ranges inside it step.
func TestStepRangeBounds(t *testing.T) {
	for pkg, g := range map[string]runtime.Group{
		"hh52": hh52.New(5), "hh52x4": hh52x4.New(5), "hh52f32": hh52f32.New(5), "hh52staggeredtabx4": hh52staggeredtabx4.New(5),
	} {
		for _, r := range [][2]int{{2, 10}, {3, 1}, {-1, 2}, {0, 6}} {
			want := fmt.Sprintf("%s.Group.StepRange: neurons [%d, %d) are not a range of the group's 5 (want 0 <= lo <= hi <= Len)", pkg, r[0], r[1])
			func() {
				defer func() {
					if got := recover(); got != want {
						t.Errorf("%s StepRange(%d, %d): panic %#v, want %q", pkg, r[0], r[1], got, want)
					}
				}()
				g.StepRange(r[0], r[1], 0, 0.025)
			}()
		}
		for _, r := range [][2]int{{0, 5}, {5, 5}, {0, 0}, {1, 4}} {
			g.StepRange(r[0], r[1], 0, 0.025) // no panic
		}
	}
}
