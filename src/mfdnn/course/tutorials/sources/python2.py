# Python Tutorial 2 (objects): the source of python2.ipynb and its solutions.
# Cell markers are described in mfdnn/course/tutorials/__init__.py.
# Lint: cells import where they teach (E402), exercises redefine their starter (F811), `check`
# comes from the included _check.py (F821); plain zip() and lambdas are what a beginner should
# read (B905, E731).
# ruff: noqa: E402, E731, F811, F821, B905

# %% [markdown]
# # Python Tutorial 2: objects
#
# *Mathematical Foundations of Deep Neural Networks*, the Python tutorial, part 2 of 3
# (about an hour and a half).
#
# Part 1 covered the language: values, lists and tuples, loops, functions. This part covers the
# ideas that frameworks such as PyTorch are built from: **objects** and **classes**, special
# methods, **inheritance** (a PyTorch model is a subclass of `nn.Module`), **exceptions**,
# **iterators** and generators (a `DataLoader` is an iterator), **decorators**
# (`@torch.no_grad()`) and **context managers** (`with torch.no_grad():`). It ends with a tiny
# automatic differentiation in 40 lines: the idea behind `loss.backward()`.
#
# The exercises work as in part 1: fill in the cell under `# YOUR CODE HERE`, then run the
# checking cell below it, which prints `correct` or the first case that fails.

# %% include _check.py

# %% [markdown]
# ## Objects: everything is one
#
# Every value in Python is an **object**: it has a type (`type(x)`), an identity (`id(x)`, the
# object itself) and **attributes**, reached with a dot. Attributes that are functions are
# **methods**: `"abc".upper()` calls the method `upper` of a string object. `dir(x)` lists the
# attributes. `a == b` asks whether two objects are equal; `a is b` whether they are the same
# object. Some objects can be changed (lists, dicts, sets), others cannot (numbers, strings,
# tuples).

# %%
x = [3, 1, 2]
print(type(x), type(len), type(print), type(x).__name__)
x.sort()                          # a method that changes the object
print(x, x.__len__(), len(x))     # len(x) calls x.__len__()
y = [1, 2, 3]
print(x == y, x is y, x is x)
print([name for name in dir(x) if not name.startswith("_")])
print((0.5).as_integer_ratio(), (255).bit_length(), "a,b".split(","))

# %% [markdown]
# ## Classes and objects
#
# A **class** is a type you define: it says which attributes its objects (its **instances**)
# have and which methods act on them. Calling the class makes an instance and runs `__init__`
# on it; `self` is the instance a method was called on, so `q.value(2)` runs
# `Quadratic.value(q, 2)`.
#
# The example: the one-dimensional quadratic $f(\theta) = \frac{a}{2}\theta^2 + b\theta$ of
# Chapter 1, with $f'(\theta) = a\theta + b$, minimised at $\theta^\star = -b/a$ when $a > 0$.

# %%
class Quadratic:
    """f(theta) = a/2 theta^2 + b theta."""

    def __init__(self, a, b):
        self.a = a                # attributes of this instance
        self.b = b

    def value(self, theta):
        return self.a / 2 * theta ** 2 + self.b * theta

    def grad(self, theta):
        return self.a * theta + self.b        # f'(theta) = a theta + b

    def minimizer(self):
        return -self.b / self.a


q = Quadratic(a=2.0, b=-4.0)
print(q.a, q.value(0.0), q.grad(0.0), q.minimizer(), q.value(q.minimizer()))
theta = 0.0
for _ in range(50):
    theta -= 0.1 * q.grad(theta)              # gradient descent on the object's gradient
print(theta, isinstance(q, Quadratic), type(q).__name__)
q2 = Quadratic(1.0, 1.0)                      # a second, independent instance
print(q2.minimizer(), q.minimizer())

# %% [markdown]
# ### Exercise: a running mean
# A training loop averages the loss over the minibatches of an epoch. Write a class
# `RunningMean` whose instances start with `count == 0` and `mean == 0.0`; `update(x)` adds one
# number and updates both attributes, with the incremental formula
# $m_n = m_{n-1} + (x_n - m_{n-1}) / n$ (no list of all the values).

# %% exercise RunningMean
class RunningMean:
    def __init__(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def update(self, x):
        # YOUR CODE HERE
        raise NotImplementedError()

# %% solution RunningMean
class RunningMean:
    def __init__(self):
        self.count = 0
        self.mean = 0.0

    def update(self, x):
        self.count += 1
        self.mean += (x - self.mean) / self.count     # m_n = m_{n-1} + (x_n - m_{n-1}) / n

# %% check RunningMean
def running(xs):                  # (count, mean) after each update; two means do not mix
    a, b = RunningMean(), RunningMean()
    b.update(100.0)
    out = [(a.count, a.mean)]
    for x in xs:
        a.update(x)
        out.append((a.count, a.mean))
    return out, (b.count, b.mean)


check(running, [(([2.0, 4.0, 9.0],), ([(0, 0.0), (1, 2.0), (2, 3.0), (3, 5.0)], (1, 100.0))),
                (([],), ([(0, 0.0)], (1, 100.0))),
                (([-1.0, 1.0],), ([(0, 0.0), (1, -1.0), (2, 0.0)], (1, 100.0)))])

# %% [markdown]
# ## Class attributes, properties, class methods
#
# An attribute assigned in the class body belongs to the **class** and is shared by all its
# instances (a constant, a default). A **property** (`@property` above a method) is computed
# when it is read, and looks like a plain attribute: `interval.length`, no parentheses. A
# **class method** (`@classmethod`) receives the class instead of an instance, and is the usual
# way to write a second constructor; a **static method** (`@staticmethod`) receives neither.
# The `@` lines are decorators, explained below.

# %%
class Grid:
    """n equally spaced points of [lo, hi]."""

    default_points = 5                        # a class attribute

    def __init__(self, lo, hi, n=None):
        self.lo, self.hi = lo, hi
        self.n = n if n is not None else Grid.default_points

    @property
    def spacing(self):
        return (self.hi - self.lo) / (self.n - 1)

    def points(self):
        return [self.lo + i * self.spacing for i in range(self.n)]

    @classmethod
    def unit(cls, n):
        return cls(0.0, 1.0, n)

    @staticmethod
    def midpoint(a, b):
        return (a + b) / 2


g = Grid(-1.0, 1.0)
print(g.n, g.spacing, g.points())
print(Grid.unit(3).points(), Grid.midpoint(2, 6), Grid.default_points)

# %% [markdown]
# ### Exercise: an interval
# Write a class `Interval` for the closed interval $[lo, hi]$: `Interval(lo, hi)` stores
# `lo` and `hi`; the property `length` is `hi - lo`; the method `contains(x)` says whether
# $lo \le x \le hi$; and the class method `Interval.around(center, radius)` makes
# $[center - radius, center + radius]$.

# %% exercise Interval
class Interval:
    def __init__(self, lo, hi):
        # YOUR CODE HERE
        raise NotImplementedError()

    @property
    def length(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def contains(self, x):
        # YOUR CODE HERE
        raise NotImplementedError()

    @classmethod
    def around(cls, center, radius):
        # YOUR CODE HERE
        raise NotImplementedError()

# %% solution Interval
class Interval:
    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi

    @property
    def length(self):
        return self.hi - self.lo

    def contains(self, x):
        return self.lo <= x <= self.hi

    @classmethod
    def around(cls, center, radius):
        return cls(center - radius, center + radius)

# %% check Interval
def interval_facts(lo, hi, x):    # (length, contains(x), contains(lo), (lo, hi) of around(x, 1))
    i, j = Interval(lo, hi), Interval.around(x, 1.0)
    return i.length, i.contains(x), i.contains(lo), (j.lo, j.hi), isinstance(j, Interval)


check(interval_facts, [((0.0, 2.0, 1.0), (2.0, True, True, (0.0, 2.0), True)),
                       ((0.0, 2.0, 2.0), (2.0, True, True, (1.0, 3.0), True)),
                       ((0.0, 2.0, 2.5), (2.0, False, True, (1.5, 3.5), True)),
                       ((-3.0, -1.0, -5.0), (2.0, False, True, (-6.0, -4.0), True))])

# %% [markdown]
# ## Special methods: operators and printing
#
# Methods whose names start and end with two underscores (**dunder** methods) are called by
# Python itself: `a + b` calls `a.__add__(b)`, `a * b` calls `a.__mul__(b)` (and, if that is not
# defined for the operands, `b.__rmul__(a)`), `a @ b` calls `a.__matmul__(b)`, `a == b` calls
# `a.__eq__(b)`, and `print(a)` and the notebook use `a.__repr__()`. This is how NumPy arrays
# and PyTorch tensors support `+`, `*` and `@`.

# %%
class Vector:
    """A vector of R^n with +, scalar *, and @ for the inner product."""

    def __init__(self, *entries):
        self.entries = list(entries)

    def __repr__(self):
        return f"Vector({', '.join(map(str, self.entries))})"

    def __add__(self, other):
        return Vector(*[a + b for a, b in zip(self.entries, other.entries)])

    def __mul__(self, c):                      # v * c
        return Vector(*[c * a for a in self.entries])

    __rmul__ = __mul__                         # c * v

    def __matmul__(self, other):               # v @ w = sum_i v_i w_i
        return sum(a * b for a, b in zip(self.entries, other.entries))

    def __eq__(self, other):
        return isinstance(other, Vector) and self.entries == other.entries

    def __len__(self):
        return len(self.entries)


v, w = Vector(1, 2, 3), Vector(4, 5, 6)
print(v + w, 2 * v, v * 0.5, v @ w, len(v), v == Vector(1, 2, 3), v == w)

# %% [markdown]
# ### Exercise: polynomials
# Write a class `Polynomial`: `Polynomial([c0, c1, c2])` is $c_0 + c_1 x + c_2 x^2$ (store the
# list as `coeffs`). Give it
# - `__call__(x)`, so that `p(x)` evaluates it (the next section says more about `__call__`);
# - `__add__(other)`, the sum, also when the degrees differ;
# - `derivative()`, a new `Polynomial` ($c_1 + 2c_2 x + \dots$; the derivative of a constant
#   is `Polynomial([0])`);
# - `__eq__(other)`, true when the coefficient lists are equal.

# %% exercise Polynomial
class Polynomial:
    def __init__(self, coeffs):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __call__(self, x):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __add__(self, other):
        # YOUR CODE HERE
        raise NotImplementedError()

    def derivative(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __eq__(self, other):
        # YOUR CODE HERE
        raise NotImplementedError()

# %% solution Polynomial
class Polynomial:
    def __init__(self, coeffs):
        self.coeffs = list(coeffs)

    def __call__(self, x):
        value = 0
        for c in reversed(self.coeffs):
            value = value * x + c
        return value

    def __add__(self, other):
        n = max(len(self.coeffs), len(other.coeffs))
        a = self.coeffs + [0] * (n - len(self.coeffs))
        b = other.coeffs + [0] * (n - len(other.coeffs))
        return Polynomial([x + y for x, y in zip(a, b)])

    def derivative(self):
        return Polynomial([k * c for k, c in enumerate(self.coeffs)][1:] or [0])

    def __eq__(self, other):
        return isinstance(other, Polynomial) and self.coeffs == other.coeffs

    def __repr__(self):
        return f"Polynomial({self.coeffs})"

# %% check Polynomial
def poly_facts(c, d, x):          # (p(x), (p + q).coeffs, p'.coeffs, p == Polynomial(c), p == q)
    p, q = Polynomial(c), Polynomial(d)
    return p(x), (p + q).coeffs, p.derivative().coeffs, p == Polynomial(c), p == q


check(poly_facts, [(([1, 2, 3], [1], 2), (17, [2, 2, 3], [2, 6], True, False)),
                   (([5], [0, 0, 1], 3), (5, [5, 0, 1], [0], True, False)),
                   (([0, 1], [0, 1], -4), (-4, [0, 2], [1], True, True)),
                   (([1, 0, 0, 2], [1, 1], 1), (3, [2, 1, 0, 2], [0, 0, 6], True, False))])

# %% [markdown]
# ## Callables and containers: `__call__`, `__len__`, `__getitem__`
#
# An object with `__call__` can be called like a function: a PyTorch layer is one, and
# `model(x)` calls it. An object with `__len__` and `__getitem__` behaves like a sequence:
# `len(ds)`, `ds[i]`, and even `for item in ds` (Python calls `ds[0]`, `ds[1]`, ... until
# `__getitem__` raises `IndexError`). A PyTorch `Dataset` is exactly this: a class with
# `__len__` and `__getitem__` returning one example.

# %%
class Affine:
    """The map x -> w x + b, callable like a function."""

    def __init__(self, w, b):
        self.w, self.b = w, b

    def __call__(self, x):
        return self.w * x + self.b


class PointDataset:
    """Pairs (x_i, y_i) with y_i = f(x_i), indexed like a list."""

    def __init__(self, xs, f):
        self.xs, self.f = list(xs), f

    def __len__(self):
        return len(self.xs)

    def __getitem__(self, i):
        x = self.xs[i]                   # raises IndexError past the end
        return x, self.f(x)


f = Affine(2.0, 1.0)
ds = PointDataset([0.0, 1.0, 2.0], f)
print(f(3.0), callable(f), len(ds), ds[1], ds[-1])
for x, y in ds:
    print("example", x, y)

# %% [markdown]
# ### Exercise: a dataset of windows
# For a time series `xs`, a forecasting model learns to predict the next value from the `k`
# before it. Write a class `Windows(xs, k)` with `__len__` (the number of windows,
# `len(xs) - k`, never below 0) and `__getitem__(i)` returning the pair
# `(xs[i:i + k], xs[i + k])`, a list and a number, for `0 <= i < len`; any other `i` raises
# `IndexError` (`raise IndexError(i)`), so that `list(Windows(...))` stops at the end.

# %% exercise Windows
class Windows:
    def __init__(self, xs, k):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __len__(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __getitem__(self, i):
        # YOUR CODE HERE
        raise NotImplementedError()

# %% solution Windows
class Windows:
    def __init__(self, xs, k):
        self.xs, self.k = list(xs), k

    def __len__(self):
        return max(len(self.xs) - self.k, 0)

    def __getitem__(self, i):
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.xs[i:i + self.k], self.xs[i + self.k]

# %% check Windows
def windows(xs, k):               # (len, every window as a list)
    ds = Windows(xs, k)
    return len(ds), list(ds)


check(windows, [(([1, 2, 3, 4], 2), (2, [([1, 2], 3), ([2, 3], 4)])),
                (([1, 2, 3], 3), (0, [])), (([1], 3), (0, [])),
                (([5, 6, 7], 1), (2, [([5], 6), ([6], 7)])),
                (([0, 1, 2, 3, 4], 0), (5, [([], 0), ([], 1), ([], 2), ([], 3), ([], 4)]))])

# %% [markdown]
# ## Inheritance
#
# `class Child(Parent):` makes a **subclass**: it has everything the parent has, and it can add
# attributes and methods or **override** them (define a method of the same name).
# `super().method(...)` calls the parent's version, most often in `__init__`. An instance of the
# child is also an instance of the parent (`isinstance`).
#
# This is how PyTorch is used: every model is `class Net(nn.Module)`, whose `__init__` calls
# `super().__init__()` and which overrides `forward`; `nn.Module` provides the rest
# (`parameters()`, `to(device)`, `train()`, `__call__` that runs `forward`). Below, a small
# version of that design.

# %%
class Layer:
    """A base class: a layer maps a list of numbers to a list of numbers."""

    def __init__(self, name):
        self.name = name

    def forward(self, x):
        raise NotImplementedError("a subclass must define forward")

    def __call__(self, x):                     # as in nn.Module: calling runs forward
        return self.forward(x)

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"


class ReLU(Layer):
    def __init__(self):
        super().__init__("relu")

    def forward(self, x):                      # overrides Layer.forward
        return [max(0.0, xi) for xi in x]


class Scale(Layer):
    def __init__(self, c):
        super().__init__(f"scale by {c}")
        self.c = c

    def forward(self, x):
        return [self.c * xi for xi in x]


relu, double = ReLU(), Scale(2.0)
print(relu([-1.0, 0.5, 2.0]), double([1.0, -1.0]), relu, double)
print(isinstance(relu, Layer), issubclass(Scale, Layer), isinstance(relu, Scale))
print(Scale.__mro__)                           # where Python looks a method up, in order

# %% [markdown]
# ### Exercise: a learning-rate schedule
# The class `Schedule` below is a constant learning rate. Write its subclass
# `StepDecay(lr, factor, every)`: the rate starts at `lr` and is multiplied by `factor` every
# `every` epochs, $\text{lr}_e = \text{lr} \cdot \text{factor}^{\lfloor e / \text{every}\rfloor}$.
# Call `super().__init__(lr)` (so that `self.lr` is set) and override only `lr_at`; the inherited
# `__call__` and `rates` then work for it too.

# %%
class Schedule:
    """A constant learning rate."""

    def __init__(self, lr):
        self.lr = lr

    def lr_at(self, epoch):
        return self.lr

    def __call__(self, epoch):
        return self.lr_at(epoch)

    def rates(self, num_epochs):
        return [self(e) for e in range(num_epochs)]


print(Schedule(0.1).rates(3))

# %% exercise StepDecay
class StepDecay(Schedule):
    def __init__(self, lr, factor, every):
        # YOUR CODE HERE
        raise NotImplementedError()

    def lr_at(self, epoch):
        # YOUR CODE HERE
        raise NotImplementedError()

# %% solution StepDecay
class StepDecay(Schedule):
    def __init__(self, lr, factor, every):
        super().__init__(lr)
        self.factor, self.every = factor, every

    def lr_at(self, epoch):
        return self.lr * self.factor ** (epoch // self.every)

# %% check StepDecay
def step_decay(lr, factor, every, n):     # (rates, its lr attribute, a Schedule?, s(n))
    s = StepDecay(lr, factor, every)
    return s.rates(n), s.lr, isinstance(s, Schedule), s(n)


check(step_decay, [((1.0, 0.5, 2, 5), ([1.0, 1.0, 0.5, 0.5, 0.25], 1.0, True, 0.25)),
                   ((0.1, 0.1, 1, 3), ([0.1, 0.01, 0.001], 0.1, True, 0.0001)),
                   ((2.0, 0.5, 10, 2), ([2.0, 2.0], 2.0, True, 2.0)),
                   ((1.0, 0.5, 3, 0), ([], 1.0, True, 1.0))])

# %% [markdown]
# ## Abstract classes and polymorphism
#
# `Layer.forward` above raises `NotImplementedError`: `Layer` is meant to be subclassed, not used
# itself. The `abc` module says so explicitly: a class that inherits from `ABC` and marks a method
# `@abstractmethod` cannot be instantiated until a subclass defines that method.
#
# Code written against the parent works with every child: a function that calls `layer(x)` does
# not care which layer it gets. That is **polymorphism**, and it is why `nn.Sequential` can chain
# any modules.

# %%
from abc import ABC, abstractmethod


class Loss(ABC):
    @abstractmethod
    def value(self, prediction, target):
        ...

    def mean(self, predictions, targets):       # written once, for every subclass
        return sum(map(self.value, predictions, targets)) / len(targets)


class SquaredError(Loss):
    def value(self, prediction, target):
        return (prediction - target) ** 2


class AbsoluteError(Loss):
    def value(self, prediction, target):
        return abs(prediction - target)


for loss in [SquaredError(), AbsoluteError()]:
    print(type(loss).__name__, loss.mean([1.0, 2.0, 4.0], [1.0, 3.0, 2.0]))
try:
    Loss()
except TypeError as error:
    print("TypeError:", error)

# %% [markdown]
# ### Exercise: a sequential container
# Write `Sequential(*layers)`, a subclass of `Layer` (above) named `"sequential"`, whose
# `forward(x)` passes `x` through the layers in order (the first layer first) and returns the
# result; with no layers it returns `x` unchanged. Give it `__len__` (the number of layers) as
# well. This is `torch.nn.Sequential` in miniature.

# %% exercise Sequential
class Sequential(Layer):
    def __init__(self, *layers):
        # YOUR CODE HERE
        raise NotImplementedError()

    def forward(self, x):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __len__(self):
        # YOUR CODE HERE
        raise NotImplementedError()

# %% solution Sequential
class Sequential(Layer):
    def __init__(self, *layers):
        super().__init__("sequential")
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def __len__(self):
        return len(self.layers)

# %% check Sequential
def sequential(layers, x):         # (output, len, name, a Layer?)
    net = Sequential(*layers)
    return net(x), len(net), net.name, isinstance(net, Layer)


check(sequential, [(([Scale(2.0), ReLU()], [-1.0, 3.0]), ([0.0, 6.0], 2, "sequential", True)),
                   (([ReLU(), Scale(-1.0)], [-1.0, 3.0]), ([-0.0, -3.0], 2, "sequential", True)),
                   (([], [1.0]), ([1.0], 0, "sequential", True)),
                   (([Scale(3.0)] * 3, [1.0]), ([27.0], 3, "sequential", True))])

# %% [markdown]
# ## Exceptions
#
# An error **raises** an exception: a `ZeroDivisionError`, a `KeyError` for a missing dict key,
# a `ValueError` for a value of the right type but wrong content (`float("abc")`), a `TypeError`
# for the wrong type. Uncaught, it stops the program with a **traceback** (read it from the
# bottom: the last line says what went wrong, the lines above say where).
#
# `try:` ... `except SomeError as error:` catches one kind; `else:` runs when nothing was raised;
# `finally:` runs always, for clean-up. `raise ValueError("message")` signals your own error:
# check inputs early and say what is wrong and what would be right. Catch only the exceptions you
# can handle, never all of them blindly.

# %%
def safe_ratio(a, b):
    try:
        r = a / b
    except ZeroDivisionError:
        print(f"  {a} / {b}: division by zero, returning inf")
        return float("inf")
    else:
        print(f"  {a} / {b} = {r}")
        return r
    finally:
        print("  (finally always runs)")


safe_ratio(1, 4)
safe_ratio(1, 0)

config = {"lr": 0.1}
try:
    config["momentum"]
except KeyError as error:
    print("missing key:", error)

for text in ["0.5", "abc"]:
    try:
        print(float(text))
    except ValueError as error:
        print("ValueError:", error)

# %% [markdown]
# ### Exercise: read a learning rate
# Write `parse_lr(text)` that returns the learning rate written in the string `text` as a float
# (`"0.01"` and `" 1e-3 "` are fine). It raises `ValueError` with a clear message when `text` is
# not a number, and when the number is not positive or not finite (`"-1"`, `"0"`, `"inf"`,
# `"nan"`; `math.isfinite` helps).

# %% exercise parse_lr
def parse_lr(text):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution parse_lr
def parse_lr(text):
    try:
        lr = float(text)
    except ValueError:
        raise ValueError(f"the learning rate must be a number, got {text!r}") from None
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"the learning rate must be positive and finite, got {lr}")
    return lr

# %% check parse_lr
check(parse_lr, [(("0.01",), 0.01), ((" 1e-3 ",), 0.001), (("2",), 2.0), (("abc",), ValueError),
                 (("-1",), ValueError), (("0",), ValueError), (("inf",), ValueError),
                 (("nan",), ValueError), (("",), ValueError)])

# %% [markdown]
# ## Your own exceptions
#
# An exception is an object, and its class is a subclass of `Exception`: you make your own by
# inheritance, and can give it attributes that say more. The code that detects a problem
# **raises**; the code that knows what to do about it **catches**, often several calls up. A
# training loop that finds the loss is `nan` raises, and the script that called it reports the
# step. `raise NewError(...) from error` keeps the original cause in the traceback.

# %%
class ConfigError(Exception):
    """A bad configuration value; `key` says which."""

    def __init__(self, key, message):
        super().__init__(f"{key}: {message}")
        self.key = key


def validate(config):
    if config.get("batch_size", 1) < 1:
        raise ConfigError("batch_size", "must be at least 1")
    return config


try:
    validate({"batch_size": 0})
except ConfigError as error:
    print("caught", type(error).__name__, "for key", error.key, "->", error)
print(issubclass(ConfigError, Exception), ZeroDivisionError.__mro__)

# %% [markdown]
# ### Exercise: stop when gradient descent diverges
# Write an exception class `Diverged`, a subclass of `ArithmeticError`, whose `__init__(step)`
# stores the step as the attribute `step` (and passes a message such as
# `"diverged at step 3"` to `super().__init__`). Then write `run_gd(grad, theta0, alpha, steps)`
# that runs `steps` steps of gradient descent and returns the last iterate, but raises
# `Diverged(k)` as soon as the iterate $\theta_k$ after step `k` (counting from 1) has
# $|\theta_k| > 10^6$.

# %% exercise Diverged
class Diverged(ArithmeticError):
    def __init__(self, step):
        # YOUR CODE HERE
        raise NotImplementedError()


def run_gd(grad, theta0, alpha, steps):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution Diverged
class Diverged(ArithmeticError):
    def __init__(self, step):
        super().__init__(f"diverged at step {step}")
        self.step = step


def run_gd(grad, theta0, alpha, steps):
    theta = theta0
    for k in range(1, steps + 1):
        theta = theta - alpha * grad(theta)
        if abs(theta) > 1e6:
            raise Diverged(k)
    return theta

# %% check Diverged
def outcome(alpha, steps):         # on f = theta^2 / 2 from 1.0: ("ok", theta) or ("diverged", k)
    try:
        return "ok", run_gd(lambda t: t, 1.0, alpha, steps)
    except Diverged as error:
        return "diverged", error.step, str(error), isinstance(error, ArithmeticError)


check(outcome, [((0.5, 3), ("ok", 0.125)), ((0.5, 0), ("ok", 1.0)),
                ((3.0, 100), ("diverged", 20, "diverged at step 20", True)),
                ((-9.0, 100), ("diverged", 7, "diverged at step 7", True)),
                ((3.0, 19), ("ok", -524288.0))])

# %% [markdown]
# ## Iterators
#
# A `for` loop works on any **iterable**: it calls `iter(obj)` to get an **iterator**, then
# `next(iterator)` for each element until the iterator raises `StopIteration`. A list is
# iterable; `iter(list)` is an iterator over it, used up after one pass. Your own class is
# iterable when `__iter__` returns an iterator; an iterator is an object with `__next__` (and an
# `__iter__` that returns itself).
#
# A PyTorch `DataLoader` is an iterable of minibatches: `for X, y in loader:` is this protocol, and
# `next(iter(loader))` takes one batch to look at.

# %%
it = iter([10, 20, 30])
print(next(it), next(it), next(it))
try:
    next(it)
except StopIteration:
    print("StopIteration: the iterator is used up")

# what `for x in [10, 20]: print(x)` does:
iterator = iter([10, 20])
while True:
    try:
        x = next(iterator)
    except StopIteration:
        break
    print(x)


class Countdown:
    """Iterates n, n - 1, ..., 1."""

    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1


print(list(Countdown(3)), sum(Countdown(4)), [x for x in Countdown(0)])

# %% [markdown]
# ### Exercise: minibatches
# Write an iterable class `Minibatches(data, batch_size, drop_last=False)` for a list `data`: each
# pass of a `for` loop over it yields consecutive slices of `batch_size` elements, the last one
# shorter unless `drop_last=True`, in which case an incomplete last batch is left out. It must
# work for several passes (so `__iter__` starts a new pass: keep the position in an attribute and
# reset it there, or return a new iterator object). Give it `__len__`, the number of batches in a
# pass.

# %% exercise Minibatches
class Minibatches:
    def __init__(self, data, batch_size, drop_last=False):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __len__(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __iter__(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    # and __next__(self), if __iter__ returns self

# %% solution Minibatches
class Minibatches:
    def __init__(self, data, batch_size, drop_last=False):
        self.data, self.batch_size, self.drop_last = data, batch_size, drop_last

    def __len__(self):
        full, rest = divmod(len(self.data), self.batch_size)
        return full + (1 if rest and not self.drop_last else 0)

    def __iter__(self):
        self.start = 0
        return self

    def __next__(self):
        if self.start >= len(self) * self.batch_size:
            raise StopIteration
        batch = self.data[self.start:self.start + self.batch_size]
        self.start += self.batch_size
        return batch

# %% check Minibatches
def passes(data, batch_size, drop_last):     # (len, first pass, second pass)
    batches = Minibatches(data, batch_size, drop_last)
    return len(batches), list(batches), [b for b in batches]


check(passes, [((list(range(5)), 2, False), (3, [[0, 1], [2, 3], [4]], [[0, 1], [2, 3], [4]])),
               ((list(range(5)), 2, True), (2, [[0, 1], [2, 3]], [[0, 1], [2, 3]])),
               ((list(range(4)), 2, True), (2, [[0, 1], [2, 3]], [[0, 1], [2, 3]])),
               (([], 3, False), (0, [], [])), (([1, 2], 5, True), (0, [], [])),
               (([1, 2], 5, False), (1, [[1, 2]], [[1, 2]]))])

# %% [markdown]
# ## Generators
#
# A function with `yield` is a **generator function**: calling it returns an iterator without
# running the body; each `next` runs the body up to the next `yield`, and returning ends the
# iteration. Values are made lazily, one at a time, so a generator can even be infinite: take what
# you need with `itertools.islice` or `break`. A **generator expression** `(x * x for x in xs)`
# is a lazy list comprehension. `yield from other` yields everything `other` yields.

# %%
import itertools


def minibatches(data, batch_size):
    for start in range(0, len(data), batch_size):
        print(f"  (making the batch at {start})")
        yield data[start:start + batch_size]


def naturals():
    k = 0
    while True:                                   # infinite, but lazy
        yield k
        k += 1


gen = minibatches(list(range(10)), 4)
print(gen)                                        # nothing computed yet
print(next(gen))
print(list(gen))                                  # the rest
print(list(itertools.islice(naturals(), 5)))
print(sum(x * x for x in range(4)), list(itertools.chain([1, 2], [3])))
print(list(itertools.product([0.1, 0.01], [32, 64])))      # a grid search over two settings

# %% [markdown]
# ### Exercise: the iterates of gradient descent, lazily
# Write a generator function `gd_iterates(grad, theta0, alpha)` that yields $\theta_0$, then
# $\theta_1 = \theta_0 - \alpha\,\mathrm{grad}(\theta_0)$, $\theta_2$, ..., forever. The check
# takes the first few with `islice` and also checks that it is a generator (it uses `yield`).

# %% exercise gd_iterates
def gd_iterates(grad, theta0, alpha):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution gd_iterates
def gd_iterates(grad, theta0, alpha):
    theta = theta0
    while True:
        yield theta
        theta = theta - alpha * grad(theta)

# %% check gd_iterates
import inspect


def first_iterates(theta0, alpha, n):         # the first n iterates on f = (theta - 3)^2
    gen = gd_iterates(lambda t: 2 * (t - 3), theta0, alpha)
    return inspect.isgenerator(gen), list(itertools.islice(gen, n))


check(first_iterates, [((0.0, 0.25, 4), (True, [0.0, 1.5, 2.25, 2.625])),
                       ((3.0, 0.1, 3), (True, [3.0, 3.0, 3.0])),
                       ((1.0, 1.0, 3), (True, [1.0, 5.0, 1.0])), ((0.0, 0.5, 0), (True, []))])

# %% [markdown]
# ## Decorators
#
# Functions are objects: they can be passed to a function and returned from one. A
# **decorator** is a function that takes a function and returns a new one, usually a *wrapper*
# that does something before or after calling the original. Writing `@decorator` above a `def`
# means `f = decorator(f)`. `functools.wraps` copies the original's name and docstring onto the
# wrapper. `*args, **kwargs` let the wrapper pass on any arguments.

# %%
import functools
import time


def timed(fn):
    """Print how long each call of fn takes."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        print(f"{fn.__name__} took {time.perf_counter() - start:.6f} s")
        return result
    return wrapper


@timed
def sum_of_squares(n):
    """The sum 0^2 + ... + (n-1)^2."""
    return sum(i * i for i in range(n))


print(sum_of_squares(100_000), sum_of_squares.__name__, sum_of_squares.__doc__)
plain = sum_of_squares.__wrapped__          # the undecorated function, kept by wraps
print(plain(10))

# %% [markdown]
# ### Exercise: count the calls
# Write a decorator `count_calls(fn)` that returns a wrapper which calls `fn` (passing on all
# arguments, returning its result) and counts the calls in the wrapper's attribute `calls`
# (starting at 0). Keep the name of `fn` with `functools.wraps`.

# %% exercise count_calls
def count_calls(fn):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution count_calls
def count_calls(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return fn(*args, **kwargs)

    wrapper.calls = 0
    return wrapper

# %% check count_calls
def counted(n):                     # (results of n calls, .calls, __name__, a fresh count)
    @count_calls
    def add(a, b=1):
        return a + b

    other = count_calls(abs)
    results = [add(i, b=10) for i in range(n)]
    return results, add.calls, add.__name__, other.calls


check(counted, [((0,), ([], 0, "add", 0)), ((3,), ([10, 11, 12], 3, "add", 0)),
                ((1,), ([10], 1, "add", 0))])

# %% [markdown]
# ## Decorators with arguments, and caching
#
# `@repeat(3)` first calls `repeat(3)`, which returns the decorator: a decorator with arguments
# is a function that returns a decorator, so three nested `def`s. The standard library has
# useful decorators: `functools.cache` remembers the results of a function for each argument, so
# that a recursive function computed naively in exponential time becomes linear.

# %%
def repeat(n):
    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return [fn(*args, **kwargs) for _ in range(n)]
        return wrapper
    return decorator


@repeat(3)
def hello(name):
    return f"hello {name}"


print(hello("world"))


@functools.cache
def paths(m, n):
    """The number of monotone lattice paths from (0, 0) to (m, n)."""
    if m == 0 or n == 0:
        return 1
    return paths(m - 1, n) + paths(m, n - 1)


print(paths(16, 16), math.comb(32, 16), paths.cache_info())

# %% [markdown]
# ### Exercise: memoize
# Write your own decorator `memoize(fn)` for a function of hashable positional arguments: the
# wrapper keeps a dict from the argument tuple `args` to the result, calls `fn` only for
# arguments it has not seen, and returns the stored result otherwise.

# %% exercise memoize
def memoize(fn):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution memoize
def memoize(fn):
    results = {}

    @functools.wraps(fn)
    def wrapper(*args):
        if args not in results:
            results[args] = fn(*args)
        return results[args]

    return wrapper

# %% check memoize
def memoized_calls(xs):             # (results, how often the wrapped function really ran)
    ran = []

    @memoize
    def slow_square(x, y=0):
        ran.append(x)
        return x * x + y

    return [slow_square(x) for x in xs], len(ran)


def fib_check(n):                   # a memoized recursive Fibonacci: fast only if it works
    @memoize
    def fib(k):
        return k if k < 2 else fib(k - 1) + fib(k - 2)
    return fib(n)


check(memoized_calls, [(([1, 2, 1, 1, 3],), ([1, 4, 1, 1, 9], 3)), (([],), ([], 0)),
                       (([5, 5],), ([25, 25], 1)), (([-2, 2],), ([4, 4], 2))])
check(fib_check, [((10,), 55), ((90,), 2880067194370816120), ((0,), 0)])

# %% [markdown]
# ## Decorators you will meet: `@dataclass`, `@property`, `@torch.no_grad()`
#
# A decorator can also take a **class**. `@dataclass` reads the class's annotated attributes and
# writes `__init__`, `__repr__` and `__eq__` for you: the usual way to hold a configuration (this
# package's experiments use it). You have met `@property`, `@classmethod` and `@staticmethod`.
# In part 3 you will meet `@torch.no_grad()`, a decorator that turns off gradient tracking inside
# a function (and, used with `with`, inside a block: the next section).

# %%
from dataclasses import dataclass, field, replace


@dataclass
class Config:
    lr: float = 0.1
    batch_size: int = 100
    num_epochs: int = 10
    layers: list = field(default_factory=lambda: [784, 128, 10])   # a fresh list each time


cfg = Config(lr=0.05)
print(cfg, cfg.batch_size, cfg == Config(lr=0.05), replace(cfg, num_epochs=1))

# %% [markdown]
# ### Exercise: a training configuration
# Write a dataclass `TrainConfig` with the fields `lr` (default `0.1`), `batch_size` (default
# `64`) and `momentum` (default `0.0`), and a method `scaled(k)` that returns a **new**
# `TrainConfig` for a `k` times larger batch with the linear scaling rule: `batch_size * k` and
# `lr * k`, the momentum unchanged (the original stays as it was).

# %% exercise TrainConfig
@dataclass
class TrainConfig:
    # YOUR CODE HERE: the three fields, then the method
    def scaled(self, k):
        raise NotImplementedError()

# %% solution TrainConfig
@dataclass
class TrainConfig:
    lr: float = 0.1
    batch_size: int = 64
    momentum: float = 0.0

    def scaled(self, k):
        return replace(self, lr=self.lr * k, batch_size=self.batch_size * k)

# %% check TrainConfig
def configs(k):                     # (defaults, the scaled one, the original after, equality)
    as_tuple = lambda c: (c.lr, c.batch_size, c.momentum)
    defaults = as_tuple(TrainConfig().scaled(1))
    base = TrainConfig(momentum=0.9)
    big = base.scaled(k)
    return defaults, as_tuple(big), as_tuple(base), big == TrainConfig(0.1 * k, 64 * k, 0.9)


check(configs, [((2,), ((0.1, 64, 0.0), (0.2, 128, 0.9), (0.1, 64, 0.9), True)),
                ((1,), ((0.1, 64, 0.0), (0.1, 64, 0.9), (0.1, 64, 0.9), True)),
                ((8,), ((0.1, 64, 0.0), (0.8, 512, 0.9), (0.1, 64, 0.9), True))])

# %% [markdown]
# ## Context managers: `with`
#
# `with expression as name:` runs `__enter__` of the object before the block and `__exit__`
# after it, **also when the block raises**: the place for clean-up that must happen. Files are
# the classic case (`with open(path) as f:` closes the file). `contextlib.contextmanager` turns a
# generator into a context manager: the code before `yield` is the enter part, the code after it
# (in a `finally`) the exit part.
#
# `with torch.no_grad():` is a context manager: it turns gradient tracking off on enter and
# restores it on exit. The same object works as a decorator, `@torch.no_grad()`.

# %%
import contextlib
import os
import tempfile


class Stopwatch:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.seconds = time.perf_counter() - self.start
        return False                            # do not swallow an exception


with Stopwatch() as watch:
    sum(range(1_000_000))
print(f"took {watch.seconds:.4f} s")

path = os.path.join(tempfile.mkdtemp(), "losses.txt")
with open(path, "w") as f:
    f.write("0.9\n0.5\n0.3\n")
with open(path) as f:
    print([float(line) for line in f], f.closed)
print(f.closed)


@contextlib.contextmanager
def announced(name):
    print(f"enter {name}")
    try:
        yield name.upper()
    finally:
        print(f"exit {name}")


try:
    with announced("block") as value:
        print("inside, got", value)
        raise RuntimeError("something failed")
except RuntimeError as error:
    print("caught after the exit ran:", error)

# %% [markdown]
# ### Exercise: set an attribute for the duration of a block
# Write a context manager `temporarily(obj, name, value)` (with `contextlib.contextmanager` or a
# class) that sets the attribute `name` of `obj` to `value` on entering the block and puts the
# old value back on leaving it, **also when the block raises**. `getattr(obj, name)` and
# `setattr(obj, name, value)` read and write an attribute given by its name. `torch.no_grad()`
# works like this on PyTorch's "gradients enabled" flag.

# %% exercise temporarily
def temporarily(obj, name, value):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution temporarily
@contextlib.contextmanager
def temporarily(obj, name, value):
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield obj
    finally:
        setattr(obj, name, old)

# %% check temporarily
class Flags:
    grad_enabled = True


class BlockFailed(Exception):
    pass


def inside_and_after(value, fail):     # (the value inside, the value after, raised?)
    flags = Flags()
    raised = False
    try:
        with temporarily(flags, "grad_enabled", value):
            inside = flags.grad_enabled
            if fail:
                raise BlockFailed()
    except BlockFailed:
        raised = True
    return inside, flags.grad_enabled, raised


check(inside_and_after, [((False, False), (False, True, False)),
                         ((False, True), (False, True, True)),
                         (("x", True), ("x", True, True)), ((True, False), (True, True, False))])

# %% [markdown]
# ## Putting it together: automatic differentiation in 40 lines
#
# `loss.backward()` in PyTorch computes the gradient of the loss with respect to every parameter
# by the **chain rule**, applied backwards through the computation (Chapter 2's backpropagation).
# The class `Value` below does it for numbers (after Karpathy's *micrograd*). Its special methods
# `__add__` and `__mul__` make `x * y + x` build a graph of `Value` objects; each result stores a
# closure `_backward` that adds its share to its inputs' gradients:
# $\frac{\partial (a + b)}{\partial a} = 1$, $\frac{\partial (ab)}{\partial a} = b$. `backward()`
# visits the graph from the output back to the inputs.

# %%
class Value:
    """A number that records how it was computed, for reverse-mode differentiation."""

    def __init__(self, data, parents=()):
        self.data = data
        self.grad = 0.0                          # d(output) / d(this value), after backward()
        self._parents = parents
        self._backward = lambda: None

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad                # d(a + b)/da = 1
            other.grad += out.grad               # d(a + b)/db = 1
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad   # d(ab)/da = b
            other.grad += self.data * out.grad   # d(ab)/db = a
        out._backward = _backward
        return out

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self):
        """Fill in .grad of every Value this one was computed from (the chain rule)."""
        order, seen = [], set()

        def visit(v):                            # inputs before the values made from them
            if v not in seen:
                seen.add(v)
                for parent in v._parents:
                    visit(parent)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


x, y = Value(2.0), Value(3.0)
f = x * y + x                                    # df/dx = y + 1 = 4, df/dy = x = 2
f.backward()
print(f, x, y)
h = 1e-6                                         # check df/dx with a central difference
print(((2.0 + h) * 3.0 + (2.0 + h) - ((2.0 - h) * 3.0 + (2.0 - h))) / (2 * h))

# %% [markdown]
# ### Exercise: the sigmoid as a differentiable operation
# Write `sigmoid_value(v)` for a `Value` `v`: it returns a new `Value` with data
# $s = \sigma(v) = 1/(1 + e^{-v})$, parent `v`, and a `_backward` that adds
# $\sigma'(v) \cdot$ `out.grad` $= s(1 - s)\cdot$ `out.grad` to `v.grad`. Add (`+=`), do not
# assign: a value used twice receives two contributions.

# %% exercise sigmoid_value
def sigmoid_value(v):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution sigmoid_value
def sigmoid_value(v):
    s = 1 / (1 + math.exp(-v.data))
    out = Value(s, (v,))

    def _backward():
        v.grad += s * (1 - s) * out.grad         # d sigma(v)/dv = sigma(v)(1 - sigma(v))
    out._backward = _backward
    return out

# %% check sigmoid_value
def ds(t):                                       # sigma'(t), to compare with
    return math.exp(-t) / (1 + math.exp(-t)) ** 2


def sigmoid_grads(t):          # (sigma(t), d sigma/dt, d/dt of two composites)
    a, b, c = Value(t), Value(t), Value(t)
    out = sigmoid_value(a)
    out.backward()
    (3 * sigmoid_value(b * b) + sigmoid_value(b)).backward()
    (sigmoid_value(c) + sigmoid_value(c)).backward()    # c used twice: two contributions
    return out.data, a.grad, b.grad, c.grad


check(sigmoid_grads, [((0.0,), (0.5, 0.25, 0.25, 0.5)),
                      ((1.0,), (1 / (1 + math.exp(-1)), ds(1.0), 7 * ds(1.0), 2 * ds(1.0))),
                      ((-2.0,), (1 / (1 + math.exp(2)), ds(-2.0), -12 * ds(4.0) + ds(-2.0),
                                 2 * ds(-2.0)))])

# %% [markdown]
# ## What's next
#
# You have now seen every idea PyTorch's interface is made of: a model is a subclass of a
# `Module` class with a `forward` method and `__call__`; a `Dataset` is a class with `__len__`
# and `__getitem__`; a `DataLoader` is an iterable of minibatches; `torch.no_grad()` is a
# context manager and a decorator; and `backward()` is the chain rule over a recorded graph, as
# in `Value`. Part 3 introduces NumPy, Matplotlib and PyTorch itself.
