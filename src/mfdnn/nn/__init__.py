"""Hand-written operators and differentiation: the pieces the course asks to write out."""
