: Characters and numbers that are not NMODL, each reported, on every line.
PROCEDURE p() {
	x = a $ b
	y = 1e+
	z = 2 @ 3
	w = "open
	v = a & b
}
