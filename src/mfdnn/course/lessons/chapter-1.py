# Chapter 1 lesson (optimisation and SGD): the source of chapter-1.ipynb.
# Cell markers and the source/run/show directives: mfdnn/course/lessons/__init__.py.
# Lint: names come from the setup cell and from expanded `source` cells (F821), cells import
# where they teach (E402), a one-line lambda reads as the formula (E731).
# ruff: noqa: E402, E731, F821

# %% [markdown]
# ## 1. Optimisation problems and least squares
#
# An optimisation problem asks for a variable $\theta \in \mathbb{R}^p$ that minimises an
# objective $f(\theta)$, possibly under constraints. Its optimal value is
# $p^\star = \inf_\theta f(\theta)$ (which may be $\pm\infty$), and a solution $\theta^\star$,
# if one exists, attains it.
#
# **Least squares** fits a linear model $f_\theta(x) = x^\top\theta$ to data
# $Y_i = f^\star(X_i) + \text{noise}$:
#
# $$\min_{\theta}\ \tfrac12\|X\theta - Y\|^2, \qquad
#   \nabla_\theta \tfrac12\|X\theta - Y\|^2 = X^\top(X\theta - Y), \qquad
#   \theta^\star = (X^\top X)^{-1}X^\top Y .$$
#
# Every plot of this chapter uses the course's least-squares testbed: $X$ is $300\times 30$
# with singular values drawn in $[0.2, 1.2]$ except one equal to $5$ (an ill-conditioned
# problem), and $Y$ is Gaussian noise. Here is the package's code that draws it:

# %% source mfdnn.data.synthetic.least_squares:least_squares_testbed

# %% source mfdnn.models.shallow:least_squares_gradient

# %% source mfdnn.models.shallow:least_squares_loss

# %% [markdown]
# Draw the testbed, solve the normal equations, and check that the gradient vanishes at the
# solution and matches a finite difference elsewhere:

# %%
X, Y = least_squares_testbed(np.random.RandomState(0))
N, p = X.shape
theta_star = np.linalg.solve(X.T @ X, X.T @ Y)  # (X^T X)^{-1} X^T Y
print("X:", X.shape, " singular values in", np.linalg.svd(X, compute_uv=False)[[-1, 0]])
print("||grad at theta*|| =", np.linalg.norm(least_squares_gradient(theta_star, X, Y)))

theta, e, h = np.random.RandomState(1).randn(p), np.eye(p)[0], 1e-6
finite_difference = (least_squares_loss(theta + h * e, X, Y)
                     - least_squares_loss(theta - h * e, X, Y)) / (2 * h) / 2  # of (1/2)||.||^2
print("d/dtheta_0: formula", least_squares_gradient(theta, X, Y)[0], " finite difference",
      finite_difference)
optimal_loss = least_squares_loss(theta_star, X, Y)
print("optimal ||X theta* - Y||^2 =", optimal_loss)

# %% [markdown]
# ## 2. Gradient descent
#
# Gradient descent steps against the gradient:
#
# $$\theta^{k+1} = \theta^k - \alpha \nabla f(\theta^k).$$
#
# By Taylor, $f(\theta - \alpha\nabla f(\theta)) = f(\theta) - \alpha\|\nabla f(\theta)\|^2
# + O(\alpha^2)$: a small enough step decreases $f$. This is the whole algorithm, as the
# package writes it:

# %% source mfdnn.optim.gd:gradient_descent

# %% [markdown]
# On least squares, with the averaged gradient $\frac1N X^\top(X\theta - Y)$ and the
# chapter's step $\alpha = 10$, 100 iterations reach the optimum (the red line):

# %%
path = gradient_descent(lambda t: least_squares_gradient(t, X, Y) / N, np.zeros(p), 10.0, 100)
losses = [least_squares_loss(t, X, Y) for t in path]
plt.figure(figsize=(6, 3))
plt.plot(losses, label="GD, alpha = 10")
plt.axhline(optimal_loss, color="r", lw=1, label="optimum")
plt.xlabel("iteration k")
plt.ylabel(r"$\|X\theta^k - Y\|^2$")
plt.legend()
plt.show()
print(f"after 100 iterations: {losses[-1]:.4f} (optimum {optimal_loss:.4f})")

# %% [markdown]
# ### The course's demo: GD with backtracking on a Rosenbrock-like function
#
# $$f(x, y) = (1-x)^2 + 5(y - x^2)^2 + 1.2(x-1)^2 + 1.2(y-1)^2,$$
#
# minimised at $(1, 1)$. The demo starts every iteration at the step $0.001$ and halves it
# until $f$ decreases:

# %% source mfdnn.experiments.ch1_gd_rosenbrock:rosenbrock

# %% source mfdnn.experiments.ch1_gd_rosenbrock:rosenbrock_gradient

# %% source mfdnn.optim.gd:backtracking_descent

# %%
path, steps = backtracking_descent(lambda t: float(rosenbrock(t)), rosenbrock_gradient,
                                   np.array([-1.0, -0.5]), 100)
print("start", path[0], "-> after 100 iterations", path[-1].round(4),
      f"f = {rosenbrock(path[-1]):.4f}; steps used: {sorted(set(steps))}")

# %% [markdown]
# The experiment `ch1-gd-rosenbrock` runs the same function and draws the contours and the
# surface with the iterates:

# %% run ch1-gd-rosenbrock

# %% [markdown]
# **Try this.** The step never exceeds $0.001$, so 100 iterations stop halfway down the
# valley. Start the backtracking at `initial_step=0.05` (or run 2,000 iterations) and see the
# iterates reach $(1, 1)$.

# %%
path, _ = backtracking_descent(lambda t: float(rosenbrock(t)), rosenbrock_gradient,
                               np.array([-1.0, -0.5]), 100, initial_step=0.05)
print("initial step 0.05:", path[-1].round(4))

# %% [markdown]
# ## 3. Step size and convergence
#
# If $\nabla f$ is $L$-Lipschitz (for a quadratic: $L$ is the largest eigenvalue of the
# Hessian), then $|f(\theta+\delta) - f(\theta) - \nabla f(\theta)^\top\delta| \le
# \frac L2\|\delta\|^2$, and for $\alpha \in (0, 2/L)$
#
# $$f(\theta^{k+1}) \le f(\theta^k) - \alpha\left(1 - \frac{\alpha L}{2}\right)
#   \|\nabla f(\theta^k)\|^2,$$
#
# so $f$ decreases and, summing, $\nabla f(\theta^k) \to 0$. On a quadratic the bound is
# sharp: on $\theta^2/2$ ($L = 1$), $\theta^{k+1} = (1-\alpha)\theta^k$ diverges iff
# $\alpha > 2$; on least squares $L = \lambda_{\max}(X^\top X)$ and the error obeys
# $e^{k+1} = (I - \alpha X^\top X)e^k$.

# %%
for alpha in (0.5, 1.9, 2.0, 2.1):
    print(f"theta^2/2, alpha = {alpha}: theta^50 =",
          gradient_descent(lambda t: t, np.array([1.0]), alpha, 50)[-1, 0])
L = np.linalg.eigvalsh(X.T @ X)[-1]
print(f"least squares: L = lambda_max(X^T X) = {L:.4f}, so 2/L = {2 / L:.5f}")

# %% [markdown]
# The experiment `ch1-step-size` finds the threshold from GD runs alone (bisection on
# $\alpha$, without knowing $L$) and compares it with $2/L$:

# %% run ch1-step-size

# %% [markdown]
# **Try this.** Set the step just above $2/L$ on the least-squares problem and watch GD
# diverge; set it just below and watch it converge (slowly: the error in the top direction
# shrinks like $|1 - \alpha L|^k$).

# %%
grad = lambda t: X.T @ (X @ t - Y)  # of (1/2)||X theta - Y||^2: L = lambda_max(X^T X)
for factor in (0.95, 1.05):
    path = gradient_descent(grad, np.zeros(p), factor * 2 / L, 200)
    print(f"alpha = {factor} x 2/L: ||theta^200 - theta*|| =",
          f"{np.linalg.norm(path[-1] - theta_star):.3g}")

# %% [markdown]
# ## 4. Stochastic gradient descent and its variants
#
# A finite sum $F(\theta) = \frac1N\sum_{i=1}^N f_i(\theta) = \mathbb{E}_I f_I(\theta)$
# with $I \sim \mathcal U\{1..N\}$ has an unbiased gradient estimate from one term:
#
# $$i(k) \sim \mathcal U\{1..N\}, \qquad \theta^{k+1} = \theta^k - \alpha\nabla f_{i(k)}(\theta^k),
#   \qquad \mathbb E[\nabla f_{i(k)}(\theta^k)\mid\theta^k] = \nabla F(\theta^k).$$
#
# Minibatch SGD uses $B$ indices, with replacement (i.i.d.) or without (the first $B$ of a
# random permutation); both are unbiased. Cyclic SGD walks $1, 2, \dots, N$ in order (not
# unbiased); random reshuffling draws a new permutation each epoch, the deep-learning default.
# One epoch is one GD step, $N$ SGD steps, or $N/B$ minibatch steps. The package writes each
# variant as a stream of indices, and one loop drives them all:

# %% source mfdnn.optim.finite_sum:single_sample

# %% source mfdnn.optim.finite_sum:with_replacement

# %% source mfdnn.optim.finite_sum:without_replacement

# %% source mfdnn.optim.finite_sum:cyclic

# %% source mfdnn.optim.finite_sum:random_reshuffling

# %% source mfdnn.optim.finite_sum:run_sgd

# %% [markdown]
# Check unbiasedness by averaging many minibatch gradients (the mean of $B$ sample gradients)
# at a fixed $\theta$, and compare with the full gradient $\frac1N X^\top(X\theta - Y)$:

# %%
rng = np.random.RandomState(0)
theta = rng.randn(p)
full = least_squares_gradient(theta, X, Y) / N
for label, make in (("with replacement", with_replacement),
                    ("without replacement", without_replacement)):
    draws = make(rng, N, 10)  # 10 indices per step
    mean = np.mean([least_squares_gradient(theta, X[i], Y[i]) / 10  # mean of 10 sample grads
                    for i in (next(draws) for _ in range(20000))], axis=0)
    print(f"{label}: ||mean - full|| / ||full|| = "
          f"{np.linalg.norm(mean - full) / np.linalg.norm(full):.4f}")

# %% [markdown]
# And SGD against GD per epoch, the chapter's comparison (SGD with $\alpha = 0.1$, one sample
# per step, the loss recorded once an epoch):

# %%
rng = np.random.RandomState(0)
sample = lambda t, i: least_squares_gradient(t, X[i], Y[i])
_, sgd = run_sgd(sample, np.zeros(p), 0.1, single_sample(rng, N), 30 * N,
                 lambda t: least_squares_loss(t, X, Y), every=N)
gd = [least_squares_loss(t, X, Y) for t in
      gradient_descent(lambda t: least_squares_gradient(t, X, Y) / N, np.zeros(p), 10.0, 30)]
plt.figure(figsize=(6, 3))
plt.plot(gd, label="GD")
plt.plot(sgd, label="SGD")
plt.axhline(optimal_loss, color="r", lw=1, label="optimum")
plt.xlabel("epoch")
plt.ylabel(r"$\|X\theta - Y\|^2$")
plt.legend()
plt.show()

# %% [markdown]
# The experiment `ch1-sgd-variants` runs the course's five demos (GD; SGD; GD vs SGD per
# epoch; minibatch with and without replacement; cyclic vs reshuffled) on the same stream of
# random numbers as the course's notebook. As in that notebook, its minibatch gradient is the
# *sum* of the $B$ sample gradients, so its $\alpha = 0.1$ is $\alpha B = 1$ in the averaged
# form.

# %% run ch1-sgd-variants

# %% [markdown]
# **Try this.** Give SGD a larger step. At $\alpha = 0.5$ it gets closer in 10 epochs, at
# $\alpha = 2$ the noise floor rises, and at $\alpha = 10$ single-sample SGD diverges: one
# step on sample $i$ multiplies the error along $X_i$ by $1 - \alpha\|X_i\|^2$, and the
# largest $\|X_i\|^2$ here is about $0.87$, so steps much above $2/0.87$ blow up.

# %%
print("largest ||X_i||^2 =", (X**2).sum(axis=1).max())
with np.errstate(over="ignore", invalid="ignore"):
    for alpha in (0.05, 0.5, 2.0, 10.0):
        _, history = run_sgd(sample, np.zeros(p), alpha,
                             single_sample(np.random.RandomState(0), N), 10 * N,
                             lambda t: least_squares_loss(t, X, Y), every=N)
        print(f"alpha = {alpha}: loss after 10 epochs = {history[-1]:.4g}")

# %% [markdown]
# ## 5. Homework 1: wide and sharp minima, and convolution as an operator
#
# **P4 (wide minima).** With $s(\theta) = 1/(1 + e^{-3(\theta-3)})$,
# $f(\theta) = (1-s)\,10\theta^2 + s\left(\frac{(\theta-10)^2}{2} + 50\right)$ has a sharp
# global minimum near $0$ (curvature about $20$: GD is stable there only for
# $\alpha < 2/20 = 0.1$) and a wide local minimum near $10$ (curvature about $1$: stable for
# $\alpha < 2$). The step size selects the minimum: GD cannot settle where $\alpha > 2/L$
# locally.

# %% source mfdnn.experiments.hw1_wide_minima:_s

# %% source mfdnn.experiments.hw1_wide_minima:f

# %% source mfdnn.experiments.hw1_wide_minima:f_prime

# %% source mfdnn.experiments.hw1_wide_minima:descend

# %%
starts = np.random.RandomState(0).uniform(-5, 20, 20)
with np.errstate(over="ignore", invalid="ignore"):
    for alpha in (0.01, 0.3, 4.0):
        ends = descend(starts, alpha, 1000)
        print(f"alpha = {alpha}: near 0: {np.sum(np.abs(ends) < 1)}, near 10: "
              f"{np.sum(np.abs(ends - 10) < 1)}, diverged: {np.sum(~np.isfinite(ends))}")

# %% run hw1-wide-minima

# %% [markdown]
# **Try this.** Find the largest step that still ends some runs in the sharp minimum: try
# $\alpha = 0.09$ and $\alpha = 0.11$ (around $2/20$).

# %%
for alpha in (0.09, 0.11):
    ends = descend(starts, alpha, 1000)
    print(f"alpha = {alpha}: {np.sum(np.abs(ends) < 1)} of 20 runs end in the sharp minimum")

# %% [markdown]
# **P5 (1-D convolution).** The valid cross-correlation with a filter $k \in \mathbb R^r$ is a
# linear map $A : \mathbb R^n \to \mathbb R^{n-r+1}$,
#
# $$(Ax)_j = \sum_{t=0}^{r-1} k_t\, x_{j+t}, \qquad
#   (A^\top v)_i = \sum_{t:\ 0 \le i-t \le n-r} k_t\, v_{i-t},$$
#
# a banded matrix that never needs to be formed. Objects with `@` and `.T` make the starter's
# gradient-descent loop on $\sum_j h((Ax - b)_j) + \frac\lambda2\|x\|^2$ (Huber $h$) run
# unchanged:

# %% source mfdnn.nn.conv1d:Convolution1d

# %% source mfdnn.nn.conv1d:TransposedConvolution1d

# %% source mfdnn.nn.conv1d:dense_convolution_matrix

# %%
rng = np.random.RandomState(0)  # the experiment's draws: the filter k first, then b
k, b = rng.randn(3), rng.randn(18)
x, v = np.random.randn(20), np.random.randn(18)
A, D = Convolution1d(k, 20), dense_convolution_matrix(k, 20)
print("max |A x - D x|     =", np.abs(A @ x - D @ x).max())
print("max |A^T v - D^T v| =", np.abs(A.T @ v - D.T @ v).max())
print("<v, A x> - <A^T v, x> =", v @ (A @ x) - (A.T @ v) @ x, "(the adjoint identity)")

# %% [markdown]
# The starter's loop, $x \leftarrow x - \alpha\,(A^\top h'(Ax - b) + \lambda x)$ with
# $h'(z) = \operatorname{clip}(z, -1, 1)$, as the experiment runs it (it uses only `A @ x` and
# `A.T @ v`, so it takes the operator or the dense matrix):

# %% source mfdnn.experiments.hw1_conv1d:huber

# %% source mfdnn.experiments.hw1_conv1d:huber_grad

# %% source mfdnn.experiments.hw1_conv1d:objective

# %% source mfdnn.experiments.hw1_conv1d:gradient_descent

# %%
from mfdnn.experiments.hw1_conv1d import Config

x_op, values_op = gradient_descent(A, b, Config())
x_dense, values_dense = gradient_descent(D, b, Config())
print(f"F(x^100): operators {values_op[-1]:.6f}, dense matrix {values_dense[-1]:.6f}")
print("(the experiment below draws the same k and b: its `objective` is this number)")

# %% run hw1-conv1d

# %% [markdown]
# **Try this.** Write the 1-D *average pooling* of width 2 as such an operator (a filter
# $k = (\frac12, \frac12)$ with stride 2), or check that `Convolution1d(k, n).T.T` is `A`
# again.
