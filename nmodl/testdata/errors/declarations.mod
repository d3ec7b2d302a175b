: Declarations that do not fit their block.
STATE {
	m = 0
	h FROM 0 TO 1 <1e-3>
}
CONSTANT {
	F (coulomb)
	R = 8.314 (J/degC) <0, 1>
}
PARAMETER {
	a FROM 0 TO 1 <0, 1>
	b[] = 1
	c = x
	d = 1 (mV) <0 1>
}
ASSIGNED {
	1 (mV)
}
