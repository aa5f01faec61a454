# Appendix A lesson (basics of Monte Carlo): the source of chapter-A.ipynb.
# Cell markers and the source/run/show directives: mfdnn/course/lessons/__init__.py.
# Lint: names come from the setup cell and from expanded `source` cells (F821), cells import
# where they teach (E402), some only for an expanded `source` cell below (F401), a one-line
# lambda reads as the formula (E731).
# ruff: noqa: E402, E731, F401, F821

# %% [markdown]
# ## 1. The Monte Carlo estimator
#
# To estimate $I = \mathbb E\,\varphi(X)$, draw $X_1, \dots, X_N$ i.i.d. and average:
#
# $$\hat I_N = \frac1N\sum_{i=1}^N \varphi(X_i), \qquad \mathbb E\hat I_N = I, \qquad
#   \operatorname{Var}\hat I_N = \frac{\operatorname{Var}\varphi(X)}{N}.$$
#
# The estimator is unbiased and consistent, and its standard error
# $\operatorname{std}(\varphi(X))/\sqrt N$ shrinks like $1/\sqrt N$, whatever the dimension.
# The course's first example: $\pi = \mathbb E\,[4\cdot 1\{x^2 + y^2 < 1\}]$ for $(x, y)$
# uniform in $[0, 1]^2$.

# %%
from dataclasses import dataclass  # Estimate, below, is a dataclass

# %% source mfdnn.montecarlo.estimate:Estimate

# %% source mfdnn.montecarlo.estimate:mc_estimate

# %%
rng = np.random.RandomState(0)
points = rng.rand(2**20, 2)
print("pi ~", mc_estimate(4 * ((points**2).sum(axis=1) < 1)), "(the course: 3.1450 +- 0.0016)")

sizes = 2 ** np.arange(6, 15)
pi_hat = lambda n: mc_estimate(4 * ((rng.rand(n, 2) ** 2).sum(axis=1) < 1)).value
rmse = [np.sqrt(np.mean([(pi_hat(n) - np.pi) ** 2 for _ in range(30)])) for n in sizes]
slope = np.polyfit(np.log(sizes), np.log(rmse), 1)[0]
plt.figure(figsize=(5, 3))
plt.loglog(sizes, rmse, "o-", label=f"RMSE of the pi estimate (slope {slope:.2f})")
plt.loglog(sizes, 1.6 / np.sqrt(sizes), "k--", label=r"$\propto 1/\sqrt{N}$")
plt.xlabel("N")
plt.legend()
plt.show()

# %% [markdown]
# ## 2. Importance sampling
#
# A rare event has few samples: $P(X > 3) = 0.00135$ for $X \sim \mathcal N(0, 1)$, and with
# $N = 2^{10}$ plain Monte Carlo usually sees none. Drawing from another density $g$ and
# reweighting keeps the estimate unbiased,
#
# $$I = \mathbb E_f\,\varphi(X) = \mathbb E_g\left[\varphi(X)\frac{f(X)}{g(X)}\right]
#   \approx \frac1N\sum_i \varphi(X_i)\frac{f(X_i)}{g(X_i)}, \quad X_i \sim g,$$
#
# and reduces the variance iff $\operatorname{Var}_g(\varphi f/g) < \operatorname{Var}_f
# \varphi$. Here $g = \mathcal N(3, 1)$, with $\log f/g = ((x - 3)^2 - x^2)/2$:

# %% source mfdnn.montecarlo.importance:gaussian_log_ratio

# %% source mfdnn.montecarlo.importance:importance_estimate

# %%
rng = np.random.RandomState(0)
x = rng.randn(2**10)
print("plain Monte Carlo:  ", mc_estimate(x > 3))
y = 3 + rng.randn(2**10)
print("importance sampling:", importance_estimate(y > 3, gaussian_log_ratio(y, 0.0, 3.0)))
print("exact:               ", 0.5 * math.erfc(3 / math.sqrt(2)))

# %% [markdown]
# **Try this.** A bad proposal *increases* the variance: move $g$ to $\mathcal N(6, 1)$
# (past the region that matters) or back to $\mathcal N(1, 1)$, and compare the standard
# errors.

# %%
for mean_g in (3.0, 6.0, 1.0):
    y = mean_g + np.random.RandomState(1).randn(2**10)
    print(f"g = N({mean_g}, 1):", importance_estimate(y > 3, gaussian_log_ratio(y, 0.0, mean_g)))

# %% [markdown]
# HW10 P5 estimates the probability that a gambler doubles 100 dollars in 600 games at
# roulette odds ($p = 18/37$) the same way, simulating with a favourable $q$ and weighting
# each run by its likelihood ratio up to the game it stopped:

# %% run hw10-gamblers-ruin

# %% [markdown]
# ## 3. Gradients of an expectation: log-derivative and reparameterisation
#
# To minimise $\mathbb E_{X\sim f_\theta}\varphi(X)$ by SGD we need its gradient, and
# $\nabla_\theta$ cannot simply go inside: the density depends on $\theta$. Two unbiased
# estimators:
#
# $$\text{log-derivative (REINFORCE):}\quad
#   \nabla_\theta\mathbb E_{f_\theta}\varphi = \mathbb E\left[\varphi(X)\nabla_\theta\log
#   f_\theta(X)\right],$$
#
# $$\text{reparameterisation:}\quad \mathbb E_{\mathcal N(\mu, \sigma^2)}\varphi(X) =
#   \mathbb E_{Y\sim\mathcal N(0,1)}\varphi(\mu + \sigma Y), \quad
#   \nabla_{\mu} = \mathbb E\left[\varphi'(\mu + \sigma Y)\right].$$
#
# The second needs $\varphi'$ and a reparameterisable family, and usually has a much lower
# variance.

# %% source mfdnn.montecarlo.gradients:log_derivative_gradient

# %% source mfdnn.montecarlo.gradients:reparameterization_gradient

# %%
c, mu, sigma = np.array([5.0, 5.0]), np.zeros(2), 1.0
rng = np.random.RandomState(0)
eps = rng.randn(100000, 2)
x = mu + sigma * eps
ld, _ = log_derivative_gradient(((x - c) ** 2).sum(1), x, mu, sigma)
rt, _ = reparameterization_gradient(2 * (x - c), eps, sigma)
print("exact gradient of E||X - c||^2 in mu: 2 (mu - c) =", 2 * (mu - c))
print("log-derivative: mean", ld.mean(0).round(3), " variance", ld.var(0).round(1))
print("reparameterisation: mean", rt.mean(0).round(3), " variance", rt.var(0).round(1))

# %% [markdown]
# The course's demo runs SGD on $\mu$ with both estimators (batch 16, 50 steps): the
# log-derivative path zig-zags, the reparameterised one goes nearly straight to $(5, 5)$.
# The experiment also runs the $\pi$, rare-event and $1/\sqrt N$ demos above at the course's
# sizes:

# %% run chA-monte-carlo

# %% [markdown]
# HW10 P6 compares the two estimators' variances while training by SGD:

# %% run hw10-gradient-estimators
