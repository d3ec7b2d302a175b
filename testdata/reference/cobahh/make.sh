#!/bin/sh
# Regenerates the COBAHH reference: for each seed, the input NPZ from Go, then Brian2's run of it
# (1 s), again with every initial v 1e-3 mV higher, and NEURON's run (the first 20 ms).
# Run from the repository root: testdata/reference/cobahh/make.sh [SEEDS...]
set -eu
dir=testdata/reference/cobahh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/mkinput" ./internal/cobahhref/mkinput
for seed in ${*:-1 2 3 4 5}; do
	"$tmp/mkinput" -n 4000 -seed "$seed" -o "$tmp/cobahh_n4000_seed$seed.npz"
	/usr/bin/python3 "$dir/brian2_cobahh.py" --input "$tmp/cobahh_n4000_seed$seed.npz" \
		--out "$dir/brian2_n4000_seed$seed.json"
	/usr/bin/python3 "$dir/brian2_cobahh.py" --input "$tmp/cobahh_n4000_seed$seed.npz" \
		--perturb-mv 1e-3 --no-sample --out "$dir/brian2_n4000_seed${seed}_perturbed.json"
	/usr/bin/python3 "$dir/neuron_cobahh.py" --input "$tmp/cobahh_n4000_seed$seed.npz" \
		--out "$dir/neuron_n4000_seed$seed.json"
done
