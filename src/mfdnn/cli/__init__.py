"""The ``mfdnn`` command: thin verbs over the library. Each module here adds verbs."""
