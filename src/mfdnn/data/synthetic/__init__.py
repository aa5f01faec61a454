"""Synthetic data generators of the course, one module per family, each reproducing the
course's draws exactly (legacy NumPy ``RandomState`` streams, torch's CPU generator)."""
