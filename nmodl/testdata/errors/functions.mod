: Malformed procedure and function headers and calls.
PROCEDURE rates v {
}
FUNCTION f(x (mV) y) {
	f = x
}
FUNCTION g(x,) {
	g = h(x,, 2)
}
NET_RECEIVE {
}
