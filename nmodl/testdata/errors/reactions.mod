: Malformed kinetic schemes.
KINETIC scheme {
	~ A <-> B (kf)
	~ A <-> B kf, kb
	~ A B <-> C (1, 2)
	~ 2 * A
	CONSERVE A + B
	COMPARTMENT vol A
}
