"""The three Python tutorials of the course, as notebook cells ``(kind, source)``.

1. variables, lists and tuples, loops, functions;
2. classes and inheritance, exceptions, decorators, iterators;
3. NumPy and Matplotlib.
"""

from __future__ import annotations

PYTHON1 = [
    ("markdown", """
# Python 1: variables, lists and tuples, loops, functions

Run each cell with Shift+Enter. Change the code and run it again: that is the fastest way
to learn."""),
    ("markdown", """
## Variables
A name refers to a value; the value has a type. Python figures the type out itself."""),
    ("code", """
alpha = 0.01          # a float: a step size
iterations = 1000     # an int
name = "gradient descent"
print(type(alpha), type(iterations), type(name))
print(f"{name}: {iterations} steps of size {alpha}")"""),
    ("markdown", """
## Lists and tuples
A list is a mutable sequence; a tuple cannot be changed after it is made. Indexing starts at
0, and slices `a[i:j]` take the elements i, ..., j-1."""),
    ("code", """
losses = [2.3, 1.1, 0.7]
losses.append(0.4)
print(losses, len(losses), losses[0], losses[-1], losses[1:3])
shape = (28, 28)       # a tuple: image height and width
height, width = shape  # unpacking
print(height * width)
try:
    shape[0] = 32
except TypeError as error:
    print("tuples are immutable:", error)"""),
    ("markdown", """
## Loops
`for` walks over any sequence; `range(n)` gives 0, ..., n-1; `enumerate` adds the index and
`zip` walks two sequences together. A list comprehension builds a list in one line."""),
    ("code", """
theta = 5.0
for k in range(5):
    theta = theta - 0.5 * theta   # gradient descent on theta^2 / 2 with step 0.5
    print(k, theta)

squares = [i * i for i in range(6)]
for i, (a, b) in enumerate(zip(squares, squares[1:])):
    print(i, b - a)

n = 0
while 2 ** n < 1000:
    n += 1
print("smallest n with 2^n >= 1000:", n)"""),
    ("markdown", """
## Functions
`def` makes a function; arguments may have defaults, and a function may return several
values as a tuple."""),
    ("code", """
def gradient_descent(grad, theta0, alpha=0.1, iterations=100):
    \"\"\"Minimise a function whose gradient is `grad`, starting from `theta0`.\"\"\"
    theta = theta0
    for _ in range(iterations):
        theta = theta - alpha * grad(theta)
    return theta, iterations


theta, steps = gradient_descent(lambda t: 2 * (t - 3), theta0=0.0)
print(f"minimum of (t - 3)^2 found at {theta:.6f} after {steps} steps")"""),
]

PYTHON2 = [
    ("markdown", """
# Python 2: classes and inheritance, exceptions, decorators, iterators"""),
    ("markdown", """
## Classes
A class bundles data (attributes) with functions that act on it (methods). `__init__` runs
when an object is made; special methods such as `__matmul__` (the `@` operator) and
`__repr__` make objects behave like built-in ones. HW1's convolution operators work this way."""),
    ("code", """
class Scaling:
    \"\"\"The linear map x -> c x.\"\"\"

    def __init__(self, c):
        self.c = c

    def __matmul__(self, x):
        return [self.c * xi for xi in x]

    def __repr__(self):
        return f"Scaling({self.c})"


S = Scaling(3)
print(S, S @ [1, 2, 3])"""),
    ("markdown", """
## Inheritance
A subclass reuses its parent's code and changes what differs; `super()` calls the parent.
PyTorch models are subclasses of `torch.nn.Module`."""),
    ("code", """
class Layer:
    def __init__(self, name):
        self.name = name

    def forward(self, x):
        raise NotImplementedError

    def __call__(self, x):
        return self.forward(x)


class ReLU(Layer):
    def __init__(self):
        super().__init__("relu")

    def forward(self, x):
        return [max(0.0, xi) for xi in x]


layer = ReLU()
print(layer.name, layer([-1.0, 0.5, 2.0]), isinstance(layer, Layer))"""),
    ("markdown", """
## Exceptions
An error raises an exception; `try` / `except` catches it, `finally` always runs, and
`raise` signals your own errors. Catch only what you can handle."""),
    ("code", """
def safe_divide(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        print("division by zero; returning inf")
        return float("inf")
    finally:
        print("safe_divide done")


print(safe_divide(1, 4), safe_divide(1, 0))


def check_step(alpha):
    if alpha <= 0:
        raise ValueError(f"the step size must be positive, got {alpha}")
    return alpha


try:
    check_step(-1)
except ValueError as error:
    print("caught:", error)"""),
    ("markdown", """
## Decorators
A decorator is a function that takes a function and returns a new one; `@name` above a
`def` applies it. Here one counts calls and one times a function."""),
    ("code", """
import functools
import time


def counted(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return fn(*args, **kwargs)

    wrapper.calls = 0
    return wrapper


def timed(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        print(f"{fn.__name__} took {time.perf_counter() - start:.6f} s")
        return result

    return wrapper


@timed
@counted
def f(theta):
    return (theta - 1) ** 2


f(0.0)
f(2.0)
print("f was called", f.__wrapped__.calls, "times")"""),
    ("markdown", """
## Iterators and generators
Anything a `for` loop walks over is iterable; `iter` and `next` do it by hand. A generator
(a function with `yield`) produces values lazily, like a data loader producing minibatches."""),
    ("code", """
it = iter([10, 20, 30])
print(next(it), next(it), next(it))


def minibatches(data, batch_size):
    for start in range(0, len(data), batch_size):
        yield data[start:start + batch_size]


for batch in minibatches(list(range(10)), 4):
    print(batch)


class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1


print(list(Countdown(3)))"""),
]

PYTHON3 = [
    ("markdown", """
# Python 3: NumPy and Matplotlib"""),
    ("markdown", """
## NumPy arrays
An array holds numbers of one type in a grid of any shape. Arithmetic works elementwise and
**broadcasts** arrays of compatible shapes; `@` is matrix multiplication. Loops over
elements are slow in Python, whole-array operations are fast."""),
    ("code", """
import numpy as np

x = np.arange(6.0)
A = x.reshape(2, 3)
print(A, A.shape, A.dtype)
print(A * 2 + 1)             # elementwise
print(A - A.mean(axis=0))    # broadcasting: subtract each column's mean
print(A @ np.ones(3))        # matrix times vector
print(A[:, 1], A[A > 2])     # slicing and boolean masks"""),
    ("markdown", """
## Random numbers the course's way
The course seeds NumPy's *legacy* generator; `np.random.RandomState(seed)` gives the same
stream without global state. The order of the draws matters: draw in the order the
homework says."""),
    ("code", """
rng = np.random.RandomState(0)
X = rng.randn(30, 20)              # data first
Y = 2 * rng.randint(2, size=30) - 1
print(X.shape, Y[:10])

np.random.seed(0)
print(np.allclose(np.random.randn(30, 20), X))   # the same stream"""),
    ("markdown", """
## Least squares in one line
Solve min ||X theta - Y||^2 with `np.linalg.lstsq`, and check the optimality condition
X^T (X theta - Y) = 0 of Chapter 1."""),
    ("code", """
theta, *_ = np.linalg.lstsq(X, Y, rcond=None)
print(np.abs(X.T @ (X @ theta - Y)).max())"""),
    ("markdown", """
## Matplotlib
`plt.subplots` makes a figure and axes; `plot`, `scatter` and `hist` draw; label the axes
and save with `savefig`."""),
    ("code", """
import matplotlib.pyplot as plt

grid = np.linspace(-2, 2, 200)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5))
ax1.plot(grid, (grid - 2) * np.cos(4 * grid), "k-", label="(x - 2) cos(4x)")
ax1.scatter(X[:15, 0], (X[:15, 0] - 2) * np.cos(4 * X[:15, 0]), color="C1", label="samples")
ax1.set_xlabel("x")
ax1.legend()
ax2.hist(rng.randn(2000), bins=40, density=True)
ax2.set_title("2000 draws of N(0, 1)")
fig.tight_layout()
fig.savefig("python3_figure.png")
plt.show()"""),
]

TUTORIAL_CELLS = {"python1": PYTHON1, "python2": PYTHON2, "python3": PYTHON3}
