// Command program is the model program that neurogen run and neurogen build compile for a
// model: with -config FILE, it makes the run that neurogen run describes in FILE and prints its
// result as JSON; else it runs as its own command line asks (-h lists the flags: the model's
// parameters, the input, the run and its outputs) and prints a summary. Both are
// modelrun.Program's Main.
//
// This file is the program's main.go as it is: package progbuild writes it into the program's
// module with the model's import path, neurogenrun/model, for the one below (HH52's stock
// package, so that the file compiles, is vetted and tested where it stands), and variant.go
// for the model. Its source depends only on the model, never on the values it is run with.
package main

import (
	"os"
	"path/filepath"

	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"

	model "github.com/neurogen/neurogen/generated/hh52"
)

var program = &modelrun.Program{
	New:        func(n int) runtime.Group { return model.New(n) },
	Variant:    variant,
	RandomInit: randomInit,
}

func main() {
	os.Exit(program.Main(filepath.Base(os.Args[0]), os.Args[1:], os.Stdout, os.Stderr))
}
