package units_test

import (
	"fmt"

	"github.com/neurogen/neurogen/units"
)

func ExampleParseQuantity() {
	for _, s := range []string{"-65 mV", "0.12 S/cm2", "1 uF/cm2", "500 um", "0.1/ms", "36"} {
		q, err := units.ParseQuantity(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-10s = %g %s\n", q.Text, q.Value, q.Unit.Dim)
	}
	_, err := units.ParseQuantity("-65 mv")
	fmt.Println(err)
	// Output:
	// -65 mV     = -65 mV
	// 0.12 S/cm2 = 120 mS/cm2
	// 1 uF/cm2   = 1 uF/cm2
	// 500 um     = 0.05 cm
	// 0.1/ms     = 0.1 1/ms
	// 36         = 36 1
	// unknown unit "mv" (did you mean "mV"?)
}

func ExampleParse() {
	u, err := units.Parse("nA/um^2")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Dim.Describe(), u.Scale)

	_, err = units.Parse("mS/")
	e := err.(*units.Error)
	fmt.Println(e.Offset, e)
	// Output:
	// uA/cm2 (current density) 100000
	// 3 missing unit after "/"
}

func ExampleDim() {
	// Ohm's law for a membrane patch: g·(V - E) is a current density.
	i := units.ConductanceDensity.Mul(units.Voltage)
	fmt.Println(i == units.CurrentDensity, i.Describe())
	// The membrane equation C dV/dt = -I.
	fmt.Println(units.CurrentDensity.Div(units.CapacitanceDensity))
	// Output:
	// true uA/cm2 (current density)
	// mV/ms
}

func ExampleDim_Scale() {
	// One internal unit of conductance density, mS/cm2, is 10 S/m².
	fmt.Println(units.ConductanceDensity.Scale())
	// Output: 10
}
