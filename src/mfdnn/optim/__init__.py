"""The optimisers of the course written out as small update rules.

* ``torch.optim.Optimizer`` subclasses (drop-in for ``torch.optim``, tested step by step
  against it; :class:`~mfdnn.optim.base.UpdateRule` holds their shared ``step`` and each
  writes only its update of one tensor): :class:`SGD` (weight decay), :class:`Momentum`
  (velocity form, Nesterov), :class:`HeavyBall` (the two-iterate form), :class:`RMSProp`,
  :class:`Adam` (bias correction; epsilon inside or outside the square root; l2 or
  decoupled weight decay).
* NumPy drivers for the course's small problems: :mod:`~mfdnn.optim.gd` (GD, backtracking,
  divergence thresholds) and :mod:`~mfdnn.optim.finite_sum` (SGD with and without
  replacement, cyclic, random reshuffling, minibatches).
* :mod:`~mfdnn.optim.schedules`: exponential, diminishing and cosine learning rates.
"""

from mfdnn.optim.adam import Adam
from mfdnn.optim.momentum import HeavyBall, Momentum
from mfdnn.optim.rmsprop import RMSProp
from mfdnn.optim.sgd import SGD

__all__ = ["SGD", "Adam", "HeavyBall", "Momentum", "RMSProp"]
