: Keywords where names belong.
PARAMETER {
	RANGE = 1
	gbar = 1
}
PROCEDURE p(if) {
	LOCAL while
	x = SUFFIX + 1
}
