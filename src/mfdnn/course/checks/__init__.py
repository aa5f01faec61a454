"""One module per homework (``hw1.py`` ...), each with a list ``CHECKS``.

Checks compute their own oracles (dense matrices, ``torch.autograd``, written-out formulas,
invariants, short runs); they never read the reference solutions.
"""
