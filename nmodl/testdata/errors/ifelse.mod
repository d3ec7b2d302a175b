: Conditions and loops without their parentheses or braces.
PROCEDURE p() {
	if x < 1 { y = 1 }
	else { y = 2 }
	while (x < 1) y = y + 1
	FROM i = 0 TO { }
	if (x < 1) {
		y = 1
	} else if { y = 2 }
	TABLE y DEPEND x FROM 0 WITH 10
}
