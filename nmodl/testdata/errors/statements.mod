: One bad statement a line: the parser reports each and goes on.
BREAKPOINT {
	a + b = 3
	a + b
	x = (1 + 2
	y = 3 *
	if (x < 1) y = 2
	else { y = 1 }
	z = 1
	rates(v
}
