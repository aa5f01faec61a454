"""Network architectures of the course, one module per family; :mod:`mfdnn.models.zoo`
builds any of them by name."""
