"""mfdnn: the runnable companion to *Mathematical Foundations of Deep Neural Networks*.

Layers, lowest first (no module imports a layer above its own):

1. ``mfdnn.data``         data sets as tensors, with checksummed, atomic caching
2. ``mfdnn.nn``, ``mfdnn.models`` ...   math and models, one module per idea
3. ``mfdnn.train``        the one minibatch training loop
4. ``mfdnn.experiments``  one module per homework program or chapter demo
5. ``mfdnn.cli``          the ``mfdnn`` command
"""

__version__ = "0.1.0"
