package units

import "testing"

func BenchmarkDimString(b *testing.B) {
	d := ConductanceDensity.Div(Time)
	for b.Loop() {
		_ = d.String()
	}
}

func BenchmarkLookup(b *testing.B) {
	for b.Loop() {
		Lookup("mS")
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		Parse("mS/cm2")
	}
}

func BenchmarkParseQuantity(b *testing.B) {
	for b.Loop() {
		ParseQuantity("-65 mV")
	}
}

func BenchmarkScale(b *testing.B) {
	for b.Loop() {
		ConductanceDensity.Scale()
	}
}
