package codegen

import "github.com/neurogen/neurogen/ir"

// DescribeDist writes a value or distribution of a network spec in its internal unit, followed
// by the spec's text where it differs: "6e-06 mS (6 nS)", "normal(-65 mV, 5 mV)". It is how the
// generated network's package comment (and neurogen show) writes weights, delays and values.
func DescribeDist(d ir.Dist, unit string) string { return distText(d, unit) }

// DescribeRule writes a projection's connection rule with its options: "each pair with
// probability 0.02, no self-connections".
func DescribeRule(p *ir.Projection) string { return ruleText(p) }

// DescribeInput writes what an input does: "Poisson trains into exc.E at 0.2 1/ms, weight
// 2e-05 mS".
func DescribeInput(in *ir.Input) string { return inputText(in) }
