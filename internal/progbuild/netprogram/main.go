// Command netprogram is the network program that neurogen run and neurogen build compile for a
// network spec: it builds the network from its generated package, runs it as its command line
// asks (-h lists the flags: the duration, the workers, the outputs) and prints each group's
// summary. It is modelrun.NetworkProgram's Main.
//
// This file is the program's main.go as it is: package progbuild writes it into the program's
// module with the network's import path, neurogenrun/model, for the one below (the stock COBAHH
// network's package, so that the file compiles, is vetted and tested where it stands), and
// network.go, which names the network. Its source depends only on the network's spec.
package main

import (
	"os"
	"path/filepath"

	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"

	network "github.com/neurogen/neurogen/generated/cobahh"
)

var program = &modelrun.NetworkProgram{
	Name: networkName,
	DT:   network.DT,
	Seed: network.Seed,
	New: func(seed uint64) (*runtime.Sim, error) {
		n, err := network.NewSeed(seed)
		if err != nil {
			return nil, err
		}
		return n.Sim, nil
	},
}

func main() {
	os.Exit(program.Main(filepath.Base(os.Args[0]), os.Args[1:], os.Stdout, os.Stderr))
}
