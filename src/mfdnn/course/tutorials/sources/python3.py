# Python Tutorial 3 (NumPy, Matplotlib, PyTorch): the source of python3.ipynb and its solutions.
# Cell markers are described in mfdnn/course/tutorials/__init__.py.
# Lint: cells import where they teach (E402), exercises redefine their starter (F811), `check`
# comes from the included _check.py (F821); plain zip() and lambdas are what a beginner should
# read (B905, E731).
# ruff: noqa: E402, E731, F811, F821, B905

# %% [markdown]
# # Python Tutorial 3: NumPy, Matplotlib and PyTorch
#
# *Mathematical Foundations of Deep Neural Networks*, the Python tutorial, part 3 of 3
# (about two hours).
#
# The course computes with three libraries. **NumPy** holds numbers in arrays and computes on
# whole arrays at once; **Matplotlib** draws them; **PyTorch** is NumPy with two additions that
# deep learning needs: automatic gradients and the GPU. This part builds from arrays to a complete
# training loop: the least-squares problem of Chapter 1 solved three ways, the softmax of
# Chapter 2, and a small neural network trained with `nn.Module`, an optimiser and a
# `DataLoader`: the pieces of every homework program.
#
# The exercises work as in parts 1 and 2; the checking helper also compares arrays and tensors
# (shape, dtype, then the values).

# %% include _check.py

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

print("numpy", np.__version__, "| torch", torch.__version__)

# %% [markdown]
# ## NumPy arrays
#
# An **array** is a grid of numbers of one type (its `dtype`, by default `float64` for decimals
# and `int64` for whole numbers) with a `shape`: `(n,)` for a vector, `(m, n)` for a matrix,
# `(N, H, W)` for a stack of images. Make one from a list (`np.array`), or with `np.zeros`,
# `np.ones`, `np.eye`, `np.arange` (like `range`), `np.linspace` (`n` points from `a` to `b`).
# `reshape` gives the same numbers another shape (`-1` means "whatever fits"), `.T` transposes,
# `np.stack` and `np.concatenate` join arrays.

# %%
x = np.array([1.0, 2.0, 3.0])
A = np.arange(6).reshape(2, 3)
print(x, x.shape, x.dtype, "|", A.shape, A.dtype, A.ndim, A.size)
print(A)
print(A.T, A.reshape(3, -1).shape, A.reshape(-1))
print(np.zeros((2, 2)), np.eye(2), np.linspace(0, 1, 5), sep="\n")
print(np.stack([x, 2 * x]).shape, np.concatenate([x, x]).shape, A.astype(np.float32).dtype)

# %% [markdown]
# ### Exercise: the Vandermonde matrix
# Fitting a polynomial $\theta_0 + \theta_1 x + \dots + \theta_d x^d$ by least squares uses the
# matrix whose row $i$ is $(1, x_i, x_i^2, \dots, x_i^d)$. Write `vandermonde(x, degree)` that
# returns it, of shape `(len(x), degree + 1)`, for a float array `x`, without a Python loop over
# the points (`x[:, None] ** np.arange(degree + 1)` is one way; the next sections explain why it
# works).

# %% exercise vandermonde
def vandermonde(x, degree):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution vandermonde
def vandermonde(x, degree):
    return x[:, None] ** np.arange(degree + 1)      # (n, 1) ** (d + 1,) -> (n, d + 1)

# %% check vandermonde
check(vandermonde, [((np.array([1.0, 2.0, 3.0]), 2),
                     np.array([[1.0, 1, 1], [1, 2, 4], [1, 3, 9]])),
                    ((np.array([2.0, -1.0]), 3), np.array([[1.0, 2, 4, 8], [1, -1, 1, -1]])),
                    ((np.array([5.0]), 0), np.array([[1.0]])),
                    ((np.array([0.5, 0.0, 4.0]), 1), np.array([[1.0, 0.5], [1, 0], [1, 4]]))])

# %% [markdown]
# ## Indexing, slicing and masks
#
# `A[i, j]` is one entry, `A[i]` or `A[i, :]` row `i`, `A[:, j]` column `j`, `A[1:3, ::2]` a
# sub-block. A slice is a **view**: it shares memory with `A`, so writing into it writes into
# `A` (use `.copy()` for an independent array). A **boolean mask** `A[A > 2]` selects the entries
# where the condition holds, and an array of indices `A[[2, 0]]` picks rows in that order
# ("fancy indexing", which copies).

# %%
A = np.arange(12).reshape(3, 4)
print(A, A[1, 2], A[1], A[:, 0], A[1:, ::2], sep="\n")
view = A[0]
view[:] = -1                       # writes into A
print(A[0], A[A > 8], A[[2, 0]], sep="\n")
labels = np.array([2, 0, 1, 2])
print(np.eye(3)[labels])            # row labels[i] of the identity, for each i

# %% [markdown]
# ### Exercise: one-hot encoding
# Softmax regression (Chapter 2) compares its outputs with **one-hot** labels: label $k$ of $C$
# classes is the vector with a 1 in position $k$ and 0 elsewhere. Write `one_hot(labels,
# num_classes)` that returns the float array of shape `(len(labels), num_classes)` whose row `i`
# is the one-hot vector of `labels[i]`, with fancy indexing and no loop.

# %% exercise one_hot
def one_hot(labels, num_classes):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution one_hot
def one_hot(labels, num_classes):
    return np.eye(num_classes)[labels]

# %% check one_hot
check(one_hot, [((np.array([2, 0, 1]), 3), np.array([[0.0, 0, 1], [1, 0, 0], [0, 1, 0]])),
                ((np.array([1, 1]), 4), np.array([[0.0, 1, 0, 0], [0, 1, 0, 0]])),
                ((np.array([0]), 1), np.array([[1.0]])),
                ((np.array([], dtype=int), 2), np.zeros((0, 2)))])

# %% [markdown]
# ## Elementwise operations
#
# `+ - * / **` and comparisons act **entry by entry** on arrays of the same shape, and with a
# number they act on every entry. NumPy's **universal functions** (`np.exp`, `np.log`,
# `np.sqrt`, `np.abs`, `np.maximum`, `np.where`, ...) do the same. `*` is the entrywise product,
# not the matrix product (that is `@`, below). Floating-point trouble (overflow, `log(0)`)
# gives `inf` or `nan` and a warning; `np.errstate` turns the warning into an error.

# %%
x = np.array([-2.0, 0.0, 3.0])
print(x * x, x + 1, x > 0, np.exp(x), np.maximum(x, 0), np.where(x > 0, x, 0.1 * x), sep="\n")
with np.errstate(over="ignore"):
    print(np.exp(np.array([1000.0])))        # inf: exp overflows past about 709
relu = lambda z: np.maximum(z, 0)
print(relu(np.linspace(-1, 1, 5)))

# %% [markdown]
# ### Exercise: a sigmoid for arrays
# Write `sigmoid(z)` for a float array `z`, entrywise $\sigma(z) = 1/(1 + e^{-z})$, that never
# overflows: as in part 1, use $1/(1+e^{-z})$ where $z \ge 0$ and $e^{z}/(1+e^{z})$ where
# $z < 0$, which is the same as computing with $e^{-|z|}$ only: with $t = e^{-|z|}$,
# $\sigma(z) = 1/(1+t)$ for $z \ge 0$ and $t/(1+t)$ for $z < 0$ (`np.where` picks). The check
# runs it with overflow turned into an error.

# %% exercise sigmoid
def sigmoid(z):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution sigmoid
def sigmoid(z):
    t = np.exp(-np.abs(z))                      # never overflows: the exponent is <= 0
    return np.where(z >= 0, 1 / (1 + t), t / (1 + t))

# %% check sigmoid
def strict_sigmoid(z):               # overflow raises FloatingPointError here
    with np.errstate(over="raise"):
        return sigmoid(z)


check(strict_sigmoid, [((np.array([0.0, 2.0, -2.0]),),
                        np.array([0.5, 0.8807970779778823, 0.11920292202211755])),
                       ((np.array([-1000.0, 1000.0]),), np.array([0.0, 1.0])),
                       ((np.array([[-30.0], [30.0]]),),
                        np.array([[9.357622968839299e-14], [1 - 9.357622968839299e-14]])),
                       ((np.zeros(0),), np.zeros(0))])

# %% [markdown]
# ## Reductions along an axis
#
# `sum`, `mean`, `std`, `max`, `min`, `argmax` reduce an array to a number, or, with `axis=`,
# along one axis only: for a matrix of shape `(n, C)`, `axis=0` reduces **over the rows** (one
# result per column, shape `(C,)`) and `axis=1` over the columns (one per row, shape `(n,)`).
# `keepdims=True` keeps the reduced axis with length 1, which is what broadcasting (next) needs.

# %%
scores = np.array([[1.0, 3.0, 0.5],
                   [2.0, 0.1, 0.2],
                   [0.3, 0.2, 0.9],
                   [0.0, 4.0, 1.0]])     # 4 examples, 3 classes
print(scores.sum(), scores.sum(axis=0), scores.sum(axis=1), sep="\n")
print(scores.max(axis=1), scores.argmax(axis=1), scores.mean(axis=0).shape,
      scores.sum(axis=1, keepdims=True).shape)

# %% [markdown]
# ### Exercise: accuracy
# Write `accuracy(scores, labels)`: the fraction of the `n` examples (rows of `scores`, one
# column per class) whose highest-scoring class is the label, as a Python `float`.

# %% exercise accuracy
def accuracy(scores, labels):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution accuracy
def accuracy(scores, labels):
    return float((scores.argmax(axis=1) == labels).mean())

# %% check accuracy
check(accuracy, [((scores, np.array([1, 0, 2, 1])), 1.0), ((scores, np.array([1, 0, 0, 0])), 0.5),
                 ((scores[:3].T, np.array([0, 1, 0])), 0.0),
                 ((np.array([[0.0, 1.0], [2.0, 1.0], [1.0, 5.0]]), np.array([1, 1, 1])),
                  2 / 3)])

# %% [markdown]
# ## Broadcasting
#
# Arithmetic on arrays of different shapes **broadcasts**: NumPy lines the shapes up from the
# right, and an axis of length 1 (or a missing one) is stretched to match the other array, without
# copying. `(4, 3) - (3,)` subtracts a row from every row; `(4, 3) / (4, 1)` divides each row by
# its own number; `(n, 1) - (1, m)` gives all the differences, shape `(n, m)`. `x[:, None]` (or
# `x[:, np.newaxis]`) adds an axis of length 1.

# %%
centered = scores - scores.mean(axis=0)                    # (4, 3) - (3,): columns centred
print(centered[0], np.allclose(centered.mean(axis=0), 0))
row_normalised = scores / scores.sum(axis=1, keepdims=True)   # (4, 3) / (4, 1)
print(row_normalised.sum(axis=1))
a, b = np.arange(3), np.arange(4)
print(a[:, None] - b[None, :])                             # (3, 1) - (1, 4) -> (3, 4)
try:
    scores - np.ones(4)
except ValueError as error:
    print("ValueError:", error)

# %% [markdown]
# ### Exercise: the softmax
# The softmax of a score vector $z \in \mathbb{R}^C$ is
# $\mathrm{softmax}(z)_k = e^{z_k} / \sum_j e^{z_j}$. Write `softmax(Z)` for a matrix `Z` of
# shape `(n, C)`, one row per example, that applies it to **each row**. Subtract each row's
# maximum first (it does not change the result and keeps `exp` from overflowing), with
# `keepdims=True` so that the shapes broadcast.

# %% exercise softmax
def softmax(Z):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution softmax
def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))    # (n, C) - (n, 1)
    return E / E.sum(axis=1, keepdims=True)

# %% check softmax
def strict_softmax(Z):
    with np.errstate(over="raise"):
        return softmax(Z)


check(strict_softmax, [((np.array([[0.0, 0.0]]),), np.array([[0.5, 0.5]])),
                       ((np.array([[1000.0, 1000.0, 1000.0]]),), np.full((1, 3), 1 / 3)),
                       ((np.array([[0.0, np.log(3.0)], [np.log(4.0), 0.0]]),),
                        np.array([[0.25, 0.75], [0.8, 0.2]])),
                       ((np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]),),
                        np.array([[0.09003057317038046, 0.24472847105479764, 0.6652409557748219],
                                  [1 / 3, 1 / 3, 1 / 3]]))])

# %% [markdown]
# ## Vectorisation: whole arrays instead of loops
#
# A Python loop over the entries of an array runs the interpreter once per entry; a whole-array
# operation runs one compiled loop. The difference is a factor of 10 to 100, and it is the first
# thing to fix when code is slow. Write the formula for whole vectors and matrices: the mean
# squared error $\frac{1}{n}\|X\theta - Y\|^2$ is `np.mean((X @ theta - Y) ** 2)`.

# %%
import time

rng = np.random.default_rng(0)
X, Y, theta = rng.standard_normal((20_000, 5)), rng.standard_normal(20_000), np.ones(5)


def mse_loop(X, Y, theta):
    total = 0.0
    for i in range(len(Y)):
        prediction = sum(X[i, j] * theta[j] for j in range(len(theta)))
        total += (prediction - Y[i]) ** 2
    return total / len(Y)


start = time.perf_counter()
slow = mse_loop(X, Y, theta)
middle = time.perf_counter()
fast = np.mean((X @ theta - Y) ** 2)
end = time.perf_counter()
print(f"loop {slow:.6f} in {middle - start:.3f} s; vectorised {fast:.6f} in {end - middle:.5f} s")

# %% [markdown]
# ### Exercise: all pairwise squared distances
# Write `pairwise_sq_dists(X, Y)` for `X` of shape `(n, d)` and `Y` of shape `(m, d)`: the
# `(n, m)` matrix whose entry $(i, j)$ is $\|x_i - y_j\|^2$, without loops. Broadcasting
# `X[:, None, :] - Y[None, :, :]` gives all differences, shape `(n, m, d)`; or expand
# $\|x\|^2 - 2x^\top y + \|y\|^2$.

# %% exercise pairwise_sq_dists
def pairwise_sq_dists(X, Y):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution pairwise_sq_dists
def pairwise_sq_dists(X, Y):
    diff = X[:, None, :] - Y[None, :, :]            # (n, m, d)
    return (diff ** 2).sum(axis=2)

# %% check pairwise_sq_dists
check(pairwise_sq_dists, [((np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[1.0, 0.0]])),
                           np.array([[1.0], [1.0]])),
                          ((np.array([[0.0, 0.0, 0.0]]), np.array([[1.0, 2, 2], [0, 0, 3]])),
                           np.array([[9.0, 9.0]])),
                          ((np.array([[1.0], [2.0], [4.0]]), np.array([[1.0], [3.0]])),
                           np.array([[0.0, 4.0], [1.0, 1.0], [9.0, 1.0]])),
                          ((np.zeros((0, 2)), np.ones((2, 2))), np.zeros((0, 2)))])

# %% [markdown]
# ## Linear algebra
#
# `A @ B` is the matrix product, `A @ x` a matrix times a vector, `x @ y` the inner product.
# `np.linalg` has the rest: `solve(A, b)` solves $Ax = b$ (better than computing `inv(A) @ b`),
# `norm`, `eigvalsh` (the eigenvalues of a symmetric matrix), `lstsq` (least squares), `svd`.
#
# Least squares, $\min_\theta \frac{1}{2}\|X\theta - Y\|^2$, is Chapter 1's first example: its
# gradient is $X^\top(X\theta - Y)$, and setting it to zero gives the **normal equations**
# $X^\top X \theta = X^\top Y$.

# %%
A = np.array([[2.0, 1.0], [1.0, 3.0]])
b = np.array([1.0, 2.0])
x = np.linalg.solve(A, b)
print(x, A @ x, np.allclose(A @ x, b), x @ b)
print(np.linalg.norm(b), np.linalg.eigvalsh(A), np.linalg.inv(A) @ b)

rng = np.random.default_rng(1)
X = rng.standard_normal((50, 3))
theta_true = np.array([1.0, -2.0, 0.5])
Y = X @ theta_true + 0.01 * rng.standard_normal(50)
theta_hat, *_ = np.linalg.lstsq(X, Y, rcond=None)
print(theta_hat, np.abs(X.T @ (X @ theta_hat - Y)).max())   # the gradient is ~0

# %% [markdown]
# ### Exercise: least squares by the normal equations
# Write `least_squares(X, Y)` that returns the minimiser $\theta$ of $\|X\theta - Y\|^2$ by
# solving the normal equations $X^\top X\theta = X^\top Y$ with `np.linalg.solve` (assume $X$
# has full column rank).

# %% exercise least_squares
def least_squares(X, Y):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution least_squares
def least_squares(X, Y):
    return np.linalg.solve(X.T @ X, X.T @ Y)       # X^T X theta = X^T Y

# %% check least_squares
check(least_squares, [((np.eye(2), np.array([3.0, -1.0])), np.array([3.0, -1.0])),
                      ((np.ones((3, 1)), np.array([1.0, 2.0, 6.0])), np.array([3.0])),
                      ((np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]), np.array([1.0, 3.0, 5.0])),
                       np.array([1.0, 2.0])),
                      ((X, X @ theta_true), theta_true),
                      ((np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([1.0, 1.0, 0.0])),
                       np.array([1 / 3, 1 / 3]))])

# %% [markdown]
# ## Random numbers with seeds
#
# Experiments are **seeded**, so that a run can be repeated exactly. `rng =
# np.random.default_rng(seed)` is a generator with its own state: `rng.standard_normal(shape)`,
# `rng.uniform`, `rng.integers`, `rng.permutation(n)` (a shuffled `0, ..., n-1`),
# `rng.choice`. The course's programs use the older global functions (`np.random.seed(0)`, then
# `np.random.randn`, `np.random.randint`), which `np.random.RandomState(seed)` reproduces as an
# object. Either way, the same seed and the **same order of draws** give the same numbers.
#
# **Random reshuffling**, Chapter 1's variant of SGD, takes a new permutation of the data each
# epoch and cuts it into minibatches.

# %%
rng = np.random.default_rng(42)
print(rng.standard_normal(3), rng.integers(0, 10, size=5), rng.permutation(6))
print(np.random.default_rng(42).standard_normal(3))          # the same first draw
np.random.seed(0)
legacy = np.random.randn(2, 2)
print(np.allclose(legacy, np.random.RandomState(0).randn(2, 2)))
samples = np.random.default_rng(0).standard_normal(100_000)
print(f"mean {samples.mean():.4f}, variance {samples.var():.4f}")   # about 0 and 1

# %% [markdown]
# ### Exercise: the minibatches of an epoch
# Write `epoch_batches(n, batch_size, seed)` that returns the list of index arrays of one epoch
# of random reshuffling: the permutation `np.random.default_rng(seed).permutation(n)` cut into
# consecutive pieces of `batch_size` (the last one shorter when `batch_size` does not divide
# `n`). The check tests what must hold: every index exactly once, the batch sizes, the same
# batches for the same seed, other batches for another seed.

# %% exercise epoch_batches
def epoch_batches(n, batch_size, seed):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution epoch_batches
def epoch_batches(n, batch_size, seed):
    order = np.random.default_rng(seed).permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]

# %% check epoch_batches
def batch_facts(n, batch_size):     # (sizes, a partition?, same for seed 0 again, for seed 1)
    batches = epoch_batches(n, batch_size, 0)
    seen = np.sort(np.concatenate(batches)) if batches else np.zeros(0, dtype=int)
    again, other = epoch_batches(n, batch_size, 0), epoch_batches(n, batch_size, 1)
    same = lambda p, q: len(p) == len(q) and all(np.array_equal(a, b) for a, b in zip(p, q))
    return ([len(b) for b in batches], bool(np.array_equal(seen, np.arange(n))),
            same(batches, again), same(batches, other))


check(batch_facts, [((10, 4), ([4, 4, 2], True, True, False)),
                    ((6, 3), ([3, 3], True, True, False)),
                    ((5, 8), ([5], True, True, False)), ((0, 2), ([], True, True, True))])

# %% [markdown]
# ## Gradient descent in NumPy
#
# Gradient descent on $f(\theta) = \frac{1}{2}\|X\theta - Y\|^2$ is
# $\theta_{k+1} = \theta_k - \alpha X^\top (X\theta_k - Y)$. Here $f$ is $L$-smooth with $L$ the
# largest eigenvalue of $X^\top X$, and Chapter 1 shows that the iterates converge for
# $0 < \alpha < 2/L$; $\alpha = 1/L$ is the usual choice. Above $2/L$ they diverge.

# %%
L = np.linalg.eigvalsh(X.T @ X).max()
for alpha in [1 / L, 1.9 / L, 2.1 / L]:
    theta = np.zeros(3)
    for _ in range(100):
        theta = theta - alpha * X.T @ (X @ theta - Y)     # theta - alpha grad f(theta)
    print(f"alpha = {alpha * L:.1f}/L: distance to lstsq {np.linalg.norm(theta - theta_hat):.3g}")

# %% [markdown]
# ### Exercise: gradient descent for least squares
# Write `gd_least_squares(X, Y, alpha, steps)` that starts from $\theta_0 = 0$ and returns
# $\theta$ after `steps` steps of the iteration above.

# %% exercise gd_least_squares
def gd_least_squares(X, Y, alpha, steps):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution gd_least_squares
def gd_least_squares(X, Y, alpha, steps):
    theta = np.zeros(X.shape[1])
    for _ in range(steps):
        theta = theta - alpha * X.T @ (X @ theta - Y)     # grad = X^T (X theta - Y)
    return theta

# %% check gd_least_squares
check(gd_least_squares, [((np.eye(2), np.array([1.0, 2.0]), 0.5, 1), np.array([0.5, 1.0])),
                         ((np.eye(2), np.array([1.0, 2.0]), 0.5, 2), np.array([0.75, 1.5])),
                         ((np.ones((2, 1)), np.array([1.0, 3.0]), 0.25, 1), np.array([1.0])),
                         ((np.ones((2, 1)), np.array([1.0, 3.0]), 0.25, 0), np.array([0.0])),
                         ((X, Y, 1 / L, 2000), theta_hat)])

# %% [markdown]
# ## Matplotlib: line plots
#
# `fig, ax = plt.subplots()` makes a figure with one set of axes; `ax.plot(x, y, label=...)`
# draws a line, `ax.set_xlabel`, `ax.set_ylabel`, `ax.set_title` and `ax.legend()` label it,
# `ax.set_yscale("log")` suits losses that fall over orders of magnitude. `fig.savefig("f.png")`
# writes a file, and `plt.show()` shows the figure in the notebook. Draw on `ax` (the
# "object-oriented" style) rather than with the global `plt.plot`: it scales to several plots.

# %%
t = np.linspace(-3, 3, 200)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(t, 1 / (1 + np.exp(-t)), label=r"sigmoid $\sigma(t)$")
ax.plot(t, np.maximum(t, 0), "--", label="ReLU")
ax.plot(t, np.tanh(t), color="C3", linewidth=2, label="tanh")
ax.set_xlabel("t")
ax.set_ylabel("activation")
ax.set_title("Three activation functions")
ax.grid(alpha=0.3)
ax.legend()
plt.show()

# %% [markdown]
# ### Exercise: plot training curves
# Write `plot_losses(ax, histories)` for a dict `histories` from a run's name to its list of
# losses (one per epoch): draw one line per run on `ax`, epochs $1, 2, \dots$ on the x-axis,
# labelled with the run's name; label the axes `"epoch"` and `"loss"`, use a logarithmic y-axis,
# and add a legend. The check draws on an axes of its own and reads the lines back.

# %% exercise plot_losses
def plot_losses(ax, histories):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution plot_losses
def plot_losses(ax, histories):
    for name, losses in histories.items():
        ax.plot(np.arange(1, len(losses) + 1), losses, label=name)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_yscale("log")
    ax.legend()

# %% check plot_losses
def drawn(histories):               # (labels, x and y of each line, axis labels, scale, legend?)
    fig, ax = plt.subplots()
    plot_losses(ax, histories)
    plt.close(fig)
    lines = [(ln.get_label(), list(map(float, ln.get_xdata())), list(map(float, ln.get_ydata())))
             for ln in ax.get_lines()]
    return lines, ax.get_xlabel(), ax.get_ylabel(), ax.get_yscale(), ax.get_legend() is not None


check(drawn, [(({"sgd": [1.0, 0.5, 0.25]},),
               ([("sgd", [1.0, 2.0, 3.0], [1.0, 0.5, 0.25])], "epoch", "loss", "log", True)),
              (({"a": [2.0], "b": [3.0, 1.0]},),
               ([("a", [1.0], [2.0]), ("b", [1.0, 2.0], [3.0, 1.0])], "epoch", "loss", "log",
                True))])

# %% [markdown]
# ## Subplots, scatter plots and contours
#
# `plt.subplots(1, 3)` gives a row of three axes. `ax.scatter` draws points (coloured by a
# value with `c=`), `ax.hist` a histogram, `ax.contour` the level sets of a function on a grid
# made with `np.meshgrid`. Below, gradient descent on the quadratic
# $f(\theta) = \frac{1}{2}(\theta_1^2 + 10\,\theta_2^2)$, with $L = 10$: with
# $\alpha = 0.19 < 2/L$ the iterates zig-zag down the narrow valley, the behaviour that
# Chapter 1's condition number $L/\mu = 10$ explains.

# %%
theta1, theta2 = np.meshgrid(np.linspace(-3, 3, 100), np.linspace(-1.5, 1.5, 100))
f_grid = 0.5 * (theta1 ** 2 + 10 * theta2 ** 2)
path = [np.array([-2.8, 1.0])]
for _ in range(15):
    path.append(path[-1] - 0.19 * np.array([1.0, 10.0]) * path[-1])   # grad f = (t1, 10 t2)
path = np.array(path)

fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(13, 3.6))
ax1.contour(theta1, theta2, f_grid, levels=15, cmap="viridis")
ax1.plot(path[:, 0], path[:, 1], "o-", color="C3", markersize=3)
ax1.set_title("gradient descent, alpha = 0.19")
points = np.random.default_rng(0).standard_normal((300, 2))
ax2.scatter(points[:, 0], points[:, 1], c=points[:, 0] * points[:, 1], cmap="coolwarm", s=8)
ax2.set_aspect("equal")
ax2.set_title("300 Gaussian points")
ax3.hist(np.random.default_rng(1).standard_normal(5000), bins=50, density=True, alpha=0.7)
ax3.plot(t, np.exp(-t ** 2 / 2) / np.sqrt(2 * np.pi), "k")
ax3.set_title("histogram and the N(0, 1) density")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Images
#
# A grey-scale image is a 2-D array (height × width), a colour image a 3-D one
# (height × width × 3 channels in Matplotlib; PyTorch puts the channels first). `ax.imshow(img,
# cmap="gray")` shows one; `fig.colorbar` adds the scale; `ax.axis("off")` hides the ticks.
# MNIST digits are 28 × 28 arrays like the ones drawn here.

# %%
yy, xx = np.mgrid[0:28, 0:28]
ring = np.exp(-((np.hypot(xx - 14, yy - 14) - 8) ** 2) / 4)       # a "0"
bar = np.exp(-((xx - 14) ** 2) / 4) * (np.abs(yy - 14) < 10)      # a "1"
cross = np.maximum(np.exp(-((xx - yy) ** 2) / 4), np.exp(-((xx + yy - 27) ** 2) / 4))

fig, axes = plt.subplots(1, 4, figsize=(10, 2.8))
for ax, img, title in zip(axes, [ring, bar, cross], ["ring", "bar", "cross"]):
    ax.imshow(img, cmap="gray")
    ax.set_title(f"{title} {img.shape}")
    ax.axis("off")
shown = axes[3].imshow(ring + 0.3 * np.random.default_rng(0).standard_normal((28, 28)),
                       cmap="magma")
axes[3].set_title("noisy ring")
fig.colorbar(shown, ax=axes[3])
plt.show()

# %% [markdown]
# ### Exercise: a grid of images
# To look at a batch of images at once, tile them. Write `image_grid(images, rows, cols)` for an
# array of `rows * cols` images of shape `(N, H, W)`: it returns the `(rows * H, cols * W)` array
# with image `r * cols + c` in block row `r`, block column `c`. `reshape` and `transpose` (or
# `swapaxes`) do it without loops; think about which axes go where.

# %% exercise image_grid
def image_grid(images, rows, cols):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution image_grid
def image_grid(images, rows, cols):
    N, H, W = images.shape
    grid = images.reshape(rows, cols, H, W).transpose(0, 2, 1, 3)    # (rows, H, cols, W)
    return grid.reshape(rows * H, cols * W)

# %% check image_grid
tiles = np.arange(6 * 2 * 3).reshape(6, 2, 3)       # six 2 x 3 images numbered in order
check(image_grid, [((tiles, 2, 3), np.block([[tiles[0], tiles[1], tiles[2]],
                                             [tiles[3], tiles[4], tiles[5]]])),
                   ((tiles, 3, 2), np.block([[tiles[0], tiles[1]], [tiles[2], tiles[3]],
                                             [tiles[4], tiles[5]]])),
                   ((tiles, 1, 6), np.hstack(list(tiles))),
                   ((tiles, 6, 1), np.vstack(list(tiles)))])

# %% [markdown]
# ## PyTorch tensors
#
# A `torch.Tensor` is PyTorch's array: the same shapes, indexing, broadcasting and `@`. The
# differences: decimals default to `float32` (half the memory of NumPy's `float64`, and what
# GPUs are fast at), a tensor lives on a **device** (`"cpu"`, `"cuda"`, `"mps"`; `x.to(device)`
# moves it), and tensors can record gradients (next section). Methods are named a little
# differently: `reshape` or `view`, `unsqueeze(dim)` (NumPy's `[:, None]`), `permute` (NumPy's
# `transpose`), `dim=` for NumPy's `axis=`. `torch.from_numpy(a)` shares memory with the NumPy
# array; `t.numpy()` goes back.

# %%
t = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(t, t.shape, t.dtype, t.device)
print(t.sum(dim=0), t.mean(), t @ torch.ones(3), t.T.shape, t.unsqueeze(0).shape)
print(torch.zeros(2, 3), torch.arange(4), torch.linspace(0, 1, 3), torch.randn(2, 2).shape)
a = np.arange(3.0)
shared = torch.from_numpy(a)
a[0] = 100.0                                          # shared memory: the tensor sees it
print(shared, shared.dtype, shared.float().dtype, torch.tensor(a).numpy())
device = "cuda" if torch.cuda.is_available() else "cpu"
print("device:", device, t.to(device).device)
images = torch.zeros(8, 28, 28, 3)                   # N, H, W, C as an image library gives
print(images.permute(0, 3, 1, 2).shape)              # N, C, H, W as PyTorch expects

# %% [markdown]
# ### Exercise: a batch of images for a network
# Image libraries and data files give `uint8` pixels from 0 to 255, shape `(N, H, W)`;
# convolutional networks take `float32` tensors of shape `(N, C, H, W)`, here with one channel,
# scaled to $[0, 1]$. Write `to_batch(images)` that turns the NumPy array into that tensor.

# %% exercise to_batch
def to_batch(images):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution to_batch
def to_batch(images):
    return torch.from_numpy(images).float().div(255).unsqueeze(1)     # (N, 1, H, W)

# %% check to_batch
pixels = np.array([[[0, 255], [51, 102]], [[255, 255], [0, 0]]], dtype=np.uint8)
check(to_batch, [((pixels,), torch.tensor([[[[0.0, 1.0], [0.2, 0.4]]],
                                         [[[1.0, 1.0], [0.0, 0.0]]]])),
                 ((pixels[:1],), torch.tensor([[[[0.0, 1.0], [0.2, 0.4]]]])),
                 ((np.zeros((3, 4, 5), dtype=np.uint8),), torch.zeros(3, 1, 4, 5))])

# %% [markdown]
# ## Autograd: gradients for free
#
# A tensor made with `requires_grad=True` records every operation done with it. Calling
# `.backward()` on a scalar result computes its gradient with respect to each such tensor, by the
# chain rule backwards through the recorded graph (as the `Value` class of part 2 did), and
# **adds** it to that tensor's `.grad`. So gradients accumulate: set them to zero (or `None`)
# before the next backward, which is what `optimizer.zero_grad()` does.
#
# Inside `with torch.no_grad():` nothing is recorded: the place for updates of the parameters and
# for evaluation. `torch.no_grad()` is a **context manager** and, written `@torch.no_grad()` above
# a function, a **decorator** doing the same for the whole function: part 2's two ideas.
# `t.detach()` gives the same numbers without the history; `t.item()` a Python number.

# %%
theta = torch.tensor([1.0, -2.0], requires_grad=True)
f = (theta ** 2).sum() + 3 * theta[0]                 # f = t1^2 + t2^2 + 3 t1
f.backward()
print(f.item(), theta.grad, "= 2 theta + (3, 0)")
f = (theta ** 2).sum()
f.backward()
print("accumulated:", theta.grad)                     # added to the old gradient
theta.grad = None

with torch.no_grad():
    theta -= 0.1 * torch.tensor([1.0, 1.0])          # an update, not recorded
    print(theta.requires_grad, (theta * 2).requires_grad)


@torch.no_grad()
def predict(w, x):
    return x @ w


print(predict(theta, torch.ones(2)).requires_grad, (theta @ torch.ones(2)).requires_grad)

z = torch.linspace(-4, 4, 9, requires_grad=True)
torch.sigmoid(z).sum().backward()
s = torch.sigmoid(z).detach()
print(torch.allclose(z.grad, s * (1 - s)))           # sigma' = sigma (1 - sigma)

# %% [markdown]
# ### Exercise: the gradient of any function
# Write `grad_of(f, x)` that returns $\nabla f(x)$ for a function `f` from a tensor to a scalar
# tensor, with autograd: work on a copy `x.detach().clone().requires_grad_(True)` (so the
# caller's `x` is left alone), call `backward`, and return the copy's `.grad`.

# %% exercise grad_of
def grad_of(f, x):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution grad_of
def grad_of(f, x):
    x = x.detach().clone().requires_grad_(True)
    f(x).backward()
    return x.grad

# %% check grad_of
def gradient_and_input(f, x):       # (the gradient, does the caller's x now require grad?)
    return grad_of(f, x), x.requires_grad


v = torch.tensor([1.0, -2.0, 0.5])
check(gradient_and_input, [((lambda x: (x ** 2).sum(), v), (2 * v, False)),
                           ((lambda x: torch.logsumexp(x, dim=0), v),
                            (torch.softmax(v, dim=0), False)),
                           ((lambda x: torch.sigmoid(x).sum(), torch.zeros(2)),
                            (torch.full((2,), 0.25), False)),
                           ((lambda x: x[0] * x[1], torch.tensor([3.0, 4.0])),
                            (torch.tensor([4.0, 3.0]), False))])

# %% [markdown]
# ## `nn.Module`: models by inheritance
#
# A PyTorch model is a subclass of `torch.nn.Module`. Its `__init__` calls `super().__init__()`
# and assigns the layers as attributes (`nn.Linear(in_features, out_features)` is
# $x \mapsto xW^\top + b$, `nn.Conv2d`, ...): `nn.Module` notices them and registers their
# parameters, so `model.parameters()` finds every weight. `forward(x)` says how the output is
# computed; call the model, `model(x)`, which runs `forward` through `nn.Module.__call__`.
# `nn.Sequential(...)` chains modules without writing a class. `model.train()` and
# `model.eval()` switch layers such as dropout and batch normalisation between their two modes.

# %%
import torch.nn as nn
import torch.nn.functional as F


class LogisticRegression(nn.Module):
    """p(y = 1 | x) = sigmoid(w^T x + b): Chapter 2's shallow model."""

    def __init__(self, in_features):
        super().__init__()
        self.linear = nn.Linear(in_features, 1)

    def forward(self, x):                     # (B, in_features) -> (B,)
        return torch.sigmoid(self.linear(x)).squeeze(1)


torch.manual_seed(0)
model = LogisticRegression(3)
print(model)
for name, p in model.named_parameters():
    print(name, tuple(p.shape), p.requires_grad)
print(model(torch.randn(5, 3)).shape, sum(p.numel() for p in model.parameters()))
mlp = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
print(mlp, mlp(torch.randn(4, 2)).shape, isinstance(mlp, nn.Module))

# %% [markdown]
# ### Exercise: a two-layer perceptron
# Write `MLP(in_features, hidden, out_features)`, a subclass of `nn.Module` with two attributes,
# `hidden` = `nn.Linear(in_features, hidden)` and `output` = `nn.Linear(hidden, out_features)`,
# whose `forward(x)` is $\mathrm{output}(\mathrm{ReLU}(\mathrm{hidden}(x)))$. The check compares
# the output with the formula and counts the parameters:
# $(\text{in} + 1)\cdot\text{hidden} + (\text{hidden} + 1)\cdot\text{out}$.

# %% exercise MLP
class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        # YOUR CODE HERE
        raise NotImplementedError()

    def forward(self, x):
        # YOUR CODE HERE
        raise NotImplementedError()

# %% solution MLP
class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden)
        self.output = nn.Linear(hidden, out_features)

    def forward(self, x):
        return self.output(F.relu(self.hidden(x)))       # W2 relu(W1 x + b1) + b2

# %% check MLP
def mlp_facts(d, h, k, batch):      # (output shape, parameter count, a Module?, = the formula?)
    torch.manual_seed(0)
    net, x = MLP(d, h, k), torch.randn(batch, d)
    W1, b1, W2, b2 = net.hidden.weight, net.hidden.bias, net.output.weight, net.output.bias
    formula = torch.relu(x @ W1.T + b1) @ W2.T + b2
    y = net(x)
    return (tuple(y.shape), sum(p.numel() for p in net.parameters()), isinstance(net, nn.Module),
            bool(torch.allclose(y, formula, atol=1e-6)))


check(mlp_facts, [((2, 16, 1, 5), ((5, 1), 65, True, True)),
                  ((784, 100, 10, 3), ((3, 10), 79510, True, True)),
                  ((3, 1, 2, 1), ((1, 2), 8, True, True))])

# %% [markdown]
# ## Losses and optimisers
#
# `torch.nn` has the losses: `nn.MSELoss()` (regression), `nn.CrossEntropyLoss()` (softmax
# regression; it takes the raw scores, the **logits**, and the class indices, and applies the
# log-softmax itself), `nn.BCEWithLogitsLoss()` (two classes, from logits). `torch.optim` has the
# optimisers of Chapter 1 and Week 7: `SGD` (with `momentum=`), `Adam`, `RMSprop`. One training
# step is always the same three lines:
#
# ```python
# optimizer.zero_grad()          # forget the previous gradient
# loss_fn(model(X), y).backward()  # compute the new one
# optimizer.step()               # theta <- theta - lr * gradient (for SGD)
# ```

# %%
torch.manual_seed(0)
logits = torch.randn(4, 3)
targets = torch.tensor([0, 2, 1, 2])
manual = -(torch.log_softmax(logits, dim=1)[torch.arange(4), targets]).mean()
print(nn.CrossEntropyLoss()(logits, targets).item(), manual.item())

w = torch.zeros(2, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=0.1)
target = torch.tensor([1.0, -1.0])
for step in range(3):
    optimizer.zero_grad()
    loss = ((w - target) ** 2).sum()
    loss.backward()
    optimizer.step()
    print(step, loss.item(), w.detach().numpy())

# %% [markdown]
# ### Exercise: SGD with momentum, by hand
# PyTorch's `SGD(params, lr, momentum=beta)` keeps a velocity $v$ per parameter and updates
# $v \leftarrow \beta v + g$, $\theta \leftarrow \theta - \text{lr}\cdot v$, where $g$ is the
# gradient (`p.grad`). Write `momentum_step(params, velocities, lr, beta)` that does one such
# step for each pair of a parameter and its velocity tensor: change both **in place**
# (`v.mul_(beta).add_(p.grad)`, then `p -= lr * v`), inside `torch.no_grad()` so that the update
# is not recorded. The check runs it beside `torch.optim.SGD` for several steps.

# %% exercise momentum_step
def momentum_step(params, velocities, lr, beta):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution momentum_step
def momentum_step(params, velocities, lr, beta):
    with torch.no_grad():
        for p, v in zip(params, velocities):
            v.mul_(beta).add_(p.grad)        # v <- beta v + g
            p -= lr * v                      # theta <- theta - lr v

# %% check momentum_step
def against_torch(lr, beta, steps):          # the largest difference from torch.optim.SGD
    torch.manual_seed(0)
    start = [torch.randn(3), torch.randn(2, 2)]
    mine = [p.clone().requires_grad_(True) for p in start]
    theirs = [p.clone().requires_grad_(True) for p in start]
    velocities = [torch.zeros_like(p) for p in start]
    optimizer = torch.optim.SGD(theirs, lr=lr, momentum=beta)
    loss = lambda ps: (ps[0] ** 4).sum() + (ps[1] @ ps[1]).sum()
    for _ in range(steps):
        for ps in (mine, theirs):
            for p in ps:
                p.grad = None
            loss(ps).backward()
        momentum_step(mine, velocities, lr, beta)
        optimizer.step()
    return max(float((a - b).detach().abs().max()) for a, b in zip(mine, theirs)) < 1e-6


check(against_torch, [((0.1, 0.0, 1), True), ((0.05, 0.9, 5), True), ((0.01, 0.5, 10), True)])

# %% [markdown]
# ## `Dataset` and `DataLoader`
#
# A `torch.utils.data.Dataset` is a class with `__len__` and `__getitem__(i)` returning one
# example (part 2's container protocol); `TensorDataset(X, y)` is the ready-made one for tensors.
# A `DataLoader(dataset, batch_size=..., shuffle=True)` is an **iterable**: each pass of `for
# X, y in loader:` gives the minibatches of one epoch, reshuffled each time, with the examples
# stacked into batch tensors. Give it a seeded `torch.Generator` to make the shuffling
# reproducible. `next(iter(loader))` takes one batch to look at.

# %%
from torch.utils.data import DataLoader, Dataset, TensorDataset

X_all = torch.arange(10.0).unsqueeze(1)                 # 10 examples with one feature
y_all = 2 * X_all.squeeze(1)
dataset = TensorDataset(X_all, y_all)
print(len(dataset), dataset[3])
loader = DataLoader(dataset, batch_size=4, shuffle=True,
                    generator=torch.Generator().manual_seed(0))
for epoch in range(2):
    print(f"epoch {epoch}:", [batch_y.tolist() for _, batch_y in loader])
batch_X, batch_y = next(iter(loader))
print(batch_X.shape, batch_y.shape, len(loader))


class Squares(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return torch.tensor([float(i)]), torch.tensor(float(i * i))


print([y.tolist() for _, y in DataLoader(Squares(), batch_size=2)])

# %% [markdown]
# ### Exercise: a dataset of noisy points on a line
# Write a `Dataset` subclass `NoisyLine(n, seed)` with `n` examples: inputs
# $x_i$ = `torch.linspace(-1, 1, n)` and targets $y_i = 2x_i + 1 + 0.1\,\varepsilon_i$ with
# $\varepsilon$ = `torch.randn(n, generator=torch.Generator().manual_seed(seed))`, both made once
# in `__init__`. `__getitem__(i)` returns the pair `(x, y)` as tensors of shape `(1,)` each (so
# that a `DataLoader` batch has shape `(batch, 1)`), and `__len__` returns `n`.

# %% exercise NoisyLine
class NoisyLine(Dataset):
    def __init__(self, n, seed):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __len__(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __getitem__(self, i):
        # YOUR CODE HERE
        raise NotImplementedError()

# %% solution NoisyLine
class NoisyLine(Dataset):
    def __init__(self, n, seed):
        noise = torch.randn(n, generator=torch.Generator().manual_seed(seed))
        self.x = torch.linspace(-1, 1, n).unsqueeze(1)        # (n, 1)
        self.y = 2 * self.x + 1 + 0.1 * noise.unsqueeze(1)    # y = 2x + 1 + 0.1 eps

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]

# %% check NoisyLine
def line_facts(n, seed):            # (len, shapes of a batch, x, is (y - 2x - 1) / 0.1 the noise?)
    ds = NoisyLine(n, seed)
    bx, by = next(iter(DataLoader(ds, batch_size=3)))
    x = torch.stack([ds[i][0] for i in range(len(ds))]).squeeze(1)
    y = torch.stack([ds[i][1] for i in range(len(ds))]).squeeze(1)
    eps = torch.randn(n, generator=torch.Generator().manual_seed(seed))
    noise_ok = bool(torch.allclose((y - 2 * x - 1) / 0.1, eps, atol=1e-4))
    return len(ds), (tuple(bx.shape), tuple(by.shape)), x, noise_ok


check(line_facts, [((5, 0), (5, ((3, 1), (3, 1)), torch.linspace(-1, 1, 5), True)),
                   ((3, 7), (3, ((3, 1), (3, 1)), torch.tensor([-1.0, 0.0, 1.0]), True)),
                   ((8, 1), (8, ((3, 1), (3, 1)), torch.linspace(-1, 1, 8), True))])

# %% [markdown]
# ## A complete training loop
#
# Everything together: a two-class problem in the plane (points inside or outside a circle, which
# no linear classifier separates), a small MLP, `BCEWithLogitsLoss`, Adam, a `DataLoader`, and an
# evaluation function under `@torch.no_grad()`. It trains in a few seconds. Change the width,
# the learning rate or the number of epochs and run it again.

# %%
torch.manual_seed(0)
points = torch.rand(512, 2) * 4 - 2                                # uniform on [-2, 2]^2
labels = (points.norm(dim=1) < 1.2).float()                        # 1 inside the circle
train = DataLoader(TensorDataset(points[:384], labels[:384]), batch_size=64, shuffle=True,
                   generator=torch.Generator().manual_seed(0))
X_test, y_test = points[384:], labels[384:]

net = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=0.01)


@torch.no_grad()
def test_accuracy(model, X, y):
    model.eval()
    return ((model(X).squeeze(1) > 0).float() == y).float().mean().item()


history = []
for epoch in range(40):                                           # 40 epochs x 6 batches
    net.train()
    for X_batch, y_batch in train:
        optimizer.zero_grad()
        loss = loss_fn(net(X_batch).squeeze(1), y_batch)
        loss.backward()
        optimizer.step()
    history.append(loss.item())
    if epoch % 10 == 9:
        print(f"epoch {epoch + 1}: last batch loss {loss.item():.4f}, "
              f"test accuracy {test_accuracy(net, X_test, y_test):.3f}")

grid = torch.stack(torch.meshgrid(torch.linspace(-2, 2, 200), torch.linspace(-2, 2, 200),
                                  indexing="xy"), dim=-1)          # (200, 200, 2)
with torch.no_grad():
    inside = torch.sigmoid(net(grid.reshape(-1, 2))).reshape(200, 200)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
ax1.plot(np.arange(1, len(history) + 1), history)
ax1.set_xlabel("epoch")
ax1.set_ylabel("loss (last batch)")
ax1.set_yscale("log")
ax2.contourf(grid[..., 0], grid[..., 1], inside, levels=20, cmap="coolwarm", alpha=0.6)
ax2.scatter(X_test[:, 0], X_test[:, 1], c=y_test, cmap="coolwarm", edgecolors="k", s=15)
ax2.add_patch(plt.Circle((0, 0), 1.2, fill=False, linestyle="--"))
ax2.set_aspect("equal")
ax2.set_title("p(inside) learned, the true circle dashed")
fig.tight_layout()
plt.show()

# %% [markdown]
# ### Exercise: one epoch of training
# Write `train_epoch(model, loader, loss_fn, optimizer)` that runs one epoch (the inner loop above)
# and returns the **average loss per example** over the epoch, as a Python float: weight each
# batch's (mean) loss by its number of examples and divide by the total, so that a short last
# batch counts for what it holds. The check trains a linear model on `NoisyLine`'s data from known
# starting weights and compares the numbers after one and after two epochs.

# %% exercise train_epoch
def train_epoch(model, loader, loss_fn, optimizer):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution train_epoch
def train_epoch(model, loader, loss_fn, optimizer):
    model.train()
    total, count = 0.0, 0
    for X_batch, y_batch in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(X_batch), y_batch)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(X_batch)
        count += len(X_batch)
    return total / count

# %% check train_epoch
def two_epochs(lr, batch_size):     # (loss of epoch 1, loss of epoch 2, weight and bias after)
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(0.0)
        model.bias.fill_(0.0)
    x = torch.linspace(-1, 1, 10).unsqueeze(1)          # NoisyLine(10, 0)'s data
    y = 2 * x + 1 + 0.1 * torch.randn(10, generator=torch.Generator().manual_seed(0)).unsqueeze(1)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    first = train_epoch(model, loader, nn.MSELoss(), optimizer)
    second = train_epoch(model, loader, nn.MSELoss(), optimizer)
    return first, second, model.weight.item(), model.bias.item()


check(two_epochs, [((0.0, 4), (2.559717, 2.559717, 0.0, 0.0)),
                   ((0.1, 4), (2.238456, 0.8475029, 0.9824186, 0.9772918)),
                   ((0.1, 10), (2.559716, 1.968628, 0.3100020, 0.3501823)),
                   ((0.3, 3), (1.432155, 0.5603010, 1.960572, 0.9942507))])

# %% [markdown]
# ## What's next
#
# That is the whole toolkit of the course's programs: NumPy arrays and broadcasting for the
# mathematics, Matplotlib for the figures, and PyTorch's tensors, autograd, `nn.Module`,
# optimisers and `DataLoader` for training. Chapter 1's notebook starts with gradient descent and
# SGD on least squares; `mfdnn run hw1-wide-minima` runs the first homework. When a shape error
# appears, print the `.shape` of everything in the line: most bugs in deep-learning code are
# there.
