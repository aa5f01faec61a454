"""Network architectures of the course, one module per family."""
