"""Monte Carlo (Appendix A, HW10 P5/P6): plain estimates with standard errors, importance
sampling, and the log-derivative and reparameterisation gradient estimators."""

from mfdnn.montecarlo.estimate import Estimate, mc_estimate
from mfdnn.montecarlo.gradients import log_derivative_gradient, reparameterization_gradient
from mfdnn.montecarlo.importance import gaussian_log_ratio, importance_estimate

__all__ = ["Estimate", "gaussian_log_ratio", "importance_estimate", "log_derivative_gradient",
           "mc_estimate", "reparameterization_gradient"]
