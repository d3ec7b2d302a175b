: Units not closed, a stray character in units, and empty units.
PARAMETER {
	g = 1 (mS/cm2
	e = -70 (mV}
	c = 1 ()
	ok = 2 (mV)
}
