# Python Tutorial 1 (the core language): the source of python1.ipynb and its solutions.
# Cell markers are described in mfdnn/course/tutorials/__init__.py.
# Lint: cells import where they teach (E402), exercises redefine their starter (F811), `check`
# comes from the included _check.py (F821), and some cells show a trap on purpose (B006, B033,
# UP003, UP034); plain zip() and lambdas are what a beginner should read (B905, E731).
# ruff: noqa: E402, E731, F811, F821, B006, B033, B905, UP003, UP034

# %% [markdown]
# # Python Tutorial 1: the core language
#
# *Mathematical Foundations of Deep Neural Networks*, the Python tutorial, part 1 of 3
# (about an hour and a half).
#
# This part covers the language itself: values and variables, numbers, strings, lists and
# tuples, dictionaries and sets, `if`, loops, comprehensions, functions, scope and modules.
# Part 2 covers objects (classes, inheritance, exceptions, iterators, decorators); part 3
# covers NumPy, Matplotlib and PyTorch. The examples come from the course: step sizes, losses,
# gradient descent on a quadratic.

# %% [markdown]
# ## How to use this notebook
#
# Run a cell with **Shift+Enter**; the cells build on each other, so run them from the top.
# Change the examples and run them again: that is the fastest way to learn.
#
# Each section ends with **exercises**. An exercise is two cells:
#
# 1. a cell for you to fill in: replace the lines below `# YOUR CODE HERE`, including the
#    `raise NotImplementedError()`, with your code, and run the cell;
# 2. a **checking cell**: run it; it prints `correct` or says exactly which case failed and what
#    came out instead. Until you fill in the exercise it says `not done yet`.
#
# A separate solution notebook holds the answers; try each exercise before you look.
#
# The cell below defines `check`, the helper the checking cells use. You need not read it now;
# by the end of part 2 you will understand every line. `check(f, cases)` takes a function and a
# list of `(arguments, expected)` pairs, where the arguments are a tuple: `((3,), 9)` means
# "`f(3)` should return `9`" (the comma makes `(3,)` a tuple of one element).

# %% include _check.py

# %% [markdown]
# Try it on a function that is right and on one that is wrong:

# %%
def square(x):
    return x * x


def bad_square(x):
    return x + x    # right for 0 and 2 only


check(square, [((0,), 0), ((2,), 4), ((-3,), 9)])
bad_square.__name__ = "square"
check(bad_square, [((0,), 0), ((2,), 4), ((-3,), 9)])

# %% [markdown]
# ## Variables and values
#
# A **variable** is a name for a value; `=` binds the name to the value. Every value has a
# **type**, which `type()` shows. Python works the type out itself, and a name can later be bound
# to a value of another type. `None` is the value that means "nothing here".
#
# `print` shows values; an **f-string** `f"...{expression}..."` puts values into text.

# %%
alpha = 0.1                 # a float: a step size
num_epochs = 10             # an int
name = "gradient descent"   # a str
converged = False           # a bool
best = None                 # nothing yet
print(type(alpha), type(num_epochs), type(name), type(converged), type(best))
print(f"{name}: {num_epochs} epochs with step {alpha}")

alpha = alpha / 2           # rebinding: the right side is computed first
print("halved:", alpha)

a, b = 1, 2                 # two names at once
a, b = b, a                 # and swapped
print(a, b)

# %% [markdown]
# ## Numbers and arithmetic
#
# `+ - * /` as usual; `/` always gives a float. `//` is integer (floor) division, `%` the
# remainder, `**` the power. Python's integers have no size limit; floats are 64-bit and
# **rounded**, so compare floats with a tolerance (`math.isclose`), never with `==`.
# `int()`, `float()`, `round()` and `abs()` convert and round.

# %%
import math

print(7 / 2, 7 // 2, 7 % 2, 2 ** 10, -7 // 2)
print(2 ** 100)                       # exact
print(0.1 + 0.2, 0.1 + 0.2 == 0.3, math.isclose(0.1 + 0.2, 0.3))
print(int(3.9), round(3.14159, 2), abs(-2.5), float("1e-3"))
print(math.sqrt(2), math.exp(1), math.log(math.e), math.pi)

# %% [markdown]
# ### Exercise: the sum of the digits
# Write `digit_sum(n)`, the sum of the decimal digits of a whole number `n >= 0`
# (`digit_sum(2022)` is 6). Use `%` and `//`, not strings: `n % 10` is the last digit and
# `n // 10` drops it. A `while` loop (`while n > 0:`) repeats a block while its condition
# holds; you will meet it properly below.

# %% exercise digit_sum
def digit_sum(n):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution digit_sum
def digit_sum(n):
    total = 0
    while n > 0:
        total += n % 10
        n //= 10
    return total

# %% check digit_sum
check(digit_sum, [((2022,), 6), ((0,), 0), ((7,), 7), ((10,), 1), ((99999,), 45),
                  ((2 ** 100,), 115)])

# %% [markdown]
# ## Strings
#
# A string is a sequence of characters. Index it with `s[i]` (from 0; `s[-1]` is the last),
# slice it with `s[i:j]` (characters `i` to `j - 1`). Strings cannot be changed; methods such as
# `upper`, `replace`, `split` and `join` return new ones. In an f-string, a format after a colon
# sets the layout: `{x:.3f}` three decimals, `{x:.2e}` scientific, `{n:4d}` an int padded to 4
# characters, `{x:>8}` right-aligned in 8.

# %%
s = "Mathematical Foundations"
print(s[0], s[-1], s[0:4], s[13:], len(s))
print(s.upper(), s.lower().count("a"), s.replace("Foundations", "Methods"))
words = "conv1d lenet nice vae gan".split()
print(words, " | ".join(words))
loss = 0.012345678
print(f"loss {loss:.3f} | {loss:.2e} | epoch {7:4d} | {'right':>8}|")
print("deep" + " " + "learning", "ab" * 3, "net" in "network")

# %% [markdown]
# ### Exercise: a log line
# Write `format_loss(epoch, loss)` that returns the line a training loop prints, for example
# `format_loss(3, 0.123456)` returns `"epoch   3: loss 0.1235"`: the epoch padded to 3 characters,
# the loss with 4 decimals.

# %% exercise format_loss
def format_loss(epoch, loss):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution format_loss
def format_loss(epoch, loss):
    return f"epoch {epoch:3d}: loss {loss:.4f}"

# %% check format_loss
check(format_loss, [((3, 0.123456), "epoch   3: loss 0.1235"),
                    ((10, 2.0), "epoch  10: loss 2.0000"),
                    ((250, 0.00004), "epoch 250: loss 0.0000"),
                    ((1000, 13.5), "epoch 1000: loss 13.5000")])

# %% [markdown]
# ## Booleans, comparisons and `if`
#
# Comparisons (`<`, `<=`, `==`, `!=`, ...) give `True` or `False`; `and`, `or`, `not` combine
# them, and `0 < x < 1` chains. `if` / `elif` / `else` runs the first block whose condition is
# true; the **indentation** (four spaces) marks the block. `x if condition else y` is an
# expression.
#
# The example is Chapter 1's rule for gradient descent on an $L$-smooth convex function: the step
# size $\alpha$ must satisfy $0 < \alpha < 2/L$.

# %%
L = 4.0
for alpha in [0.1, 0.5, 0.6]:
    if alpha <= 0:
        verdict = "not a step size"
    elif alpha < 2 / L:
        verdict = "converges"
    else:
        verdict = "may diverge"
    print(alpha, verdict, "small" if alpha < 0.2 else "large")

print(0 < 0.3 < 1, not (1 > 2), 1 == 1.0, "a" < "b")
print(bool(0), bool(""), bool([]), bool(None), bool(3), bool("x"))   # "truthiness"

# %% [markdown]
# ### Exercise: the three regimes of gradient descent
# Gradient descent on $f(\theta) = \frac{L}{2}\theta^2$ is $\theta_{k+1} = (1 - \alpha L)\theta_k$.
# Write `gd_regime(alpha, L)` that returns `"converges"` when $|1 - \alpha L| < 1$,
# `"oscillates"` when $|1 - \alpha L| = 1$ (the iterates jump between $\pm\theta_0$),
# and `"diverges"` when $|1 - \alpha L| > 1$. Compare exactly: the checks use values such as
# $\alpha = 0.5$, $L = 4$ where the products are exact.

# %% exercise gd_regime
def gd_regime(alpha, L):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution gd_regime
def gd_regime(alpha, L):
    rate = abs(1 - alpha * L)
    if rate < 1:
        return "converges"
    if rate == 1:
        return "oscillates"
    return "diverges"

# %% check gd_regime
check(gd_regime, [((0.1, 4.0), "converges"), ((0.5, 4.0), "oscillates"),
                  ((0.75, 4.0), "diverges"), ((1.0, 2.0), "oscillates"),
                  ((-0.25, 4.0), "diverges"), ((0.25, 4.0), "converges")])

# %% [markdown]
# ## Lists
#
# A **list** `[a, b, c]` is an ordered, changeable sequence. It indexes and slices like a string
# (`xs[1:3]`, `xs[::-1]` reversed, `xs[::2]` every other one) and can be changed: `xs[i] = v`,
# `append`, `extend`, `insert`, `pop`, `remove`, `sort`. `len`, `sum`, `min`, `max`, `sorted`
# and `in` work on any list.

# %%
losses = [2.3, 1.1, 0.7]
losses.append(0.4)
losses.extend([0.3, 0.25])
print(losses, len(losses), losses[0], losses[-1], losses[1:3], losses[::-1])
losses[0] = 2.0
last = losses.pop()               # removes and returns the last element
print(last, losses, min(losses), sum(losses) / len(losses))
print(sorted([3, 1, 2]), [1, 2] + [3], [0] * 4, 0.7 in losses)
grid = [[1, 2, 3], [4, 5, 6]]     # a list of lists: a 2 x 3 "matrix"
print(grid[1][2], len(grid), len(grid[0]))

# %% [markdown]
# ### Exercise: rotate a list
# Write `rotate(xs, k)` that returns a new list with the elements of `xs` moved `k` places to the
# right, wrapping around: `rotate([1, 2, 3, 4], 1)` is `[4, 1, 2, 3]`. `k` may be larger than the
# length or negative (`k = -1` moves left), and `xs` may be empty. Slices and `%` do it in two
# lines.

# %% exercise rotate
def rotate(xs, k):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution rotate
def rotate(xs, k):
    if not xs:
        return []
    k = k % len(xs)
    return xs[-k:] + xs[:-k] if k else xs[:]

# %% check rotate
check(rotate, [(([1, 2, 3, 4], 1), [4, 1, 2, 3]), (([1, 2, 3, 4], 0), [1, 2, 3, 4]),
               (([1, 2, 3, 4], 6), [3, 4, 1, 2]), (([1, 2, 3, 4], -1), [2, 3, 4, 1]),
               (([], 3), []), ((["a"], 5), ["a"])])

# %% [markdown]
# ## Names, aliasing and copies
#
# `ys = xs` does **not** copy the list: both names refer to the same object, so a change made
# through one is seen through the other (`is` tells whether two names are the same object). A
# function that receives a list receives that same object. `xs[:]`, `list(xs)` or `xs.copy()` make
# a (shallow) copy. Numbers, strings and tuples cannot be changed, so for them aliasing never
# surprises.

# %%
xs = [1, 2, 3]
ys = xs              # the same list under two names
zs = xs[:]           # a new list with the same elements
ys.append(4)
print(xs, ys, zs, ys is xs, zs is xs, zs == [1, 2, 3])


def add_one_in_place(values):
    values.append(1)


add_one_in_place(zs)
print(zs)            # changed by the function

# %% [markdown]
# ### Exercise: append without changing the argument
# Write `appended(xs, x)` that returns a **new** list: `xs` followed by `x`, leaving `xs` as it
# was. The check also looks at `xs` after the call.

# %% exercise appended
def appended(xs, x):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution appended
def appended(xs, x):
    return xs + [x]

# %% check appended
def after_appended(xs, x):      # returns (the result, xs after the call)
    return appended(xs, x), xs


check(after_appended, [(([1, 2], 3), ([1, 2, 3], [1, 2])), (([], 0), ([0], [])),
                       (([[1]], [2]), ([[1], [2]], [[1]]))])

# %% [markdown]
# ## Tuples
#
# A **tuple** `(a, b)` is an ordered sequence that cannot be changed. Use it for a fixed group of
# values: a shape `(28, 28)`, a point, a pair `(input, label)`. **Unpacking** `h, w = shape` names
# the parts; a function returns several values as a tuple. Because they cannot change, tuples can
# be dictionary keys and set elements, and lists cannot.

# %%
shape = (28, 28)
height, width = shape
print(height * width, shape[0], len(shape), shape + (1,))
try:
    shape[0] = 32
except TypeError as error:        # exceptions are part 2; this one shows the immutability
    print("a tuple cannot be changed:", error)

first, *rest = (1, 2, 3, 4)       # a starred name takes the rest, as a list
print(first, rest)
point = 3.0, 4.0                  # the parentheses are optional
print(point, type(point), (5,), type((5,)), type((5)))

# %% [markdown]
# ### Exercise: the smallest and the largest in one pass
# Write `min_max(xs)` that returns the tuple `(smallest, largest)` of a non-empty list, walking
# the list once and **without** the built-ins `min`, `max` and `sorted`. For an empty list return
# `None`.

# %% exercise min_max
def min_max(xs):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution min_max
def min_max(xs):
    if not xs:
        return None
    lo = hi = xs[0]
    for x in xs[1:]:
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    return lo, hi

# %% check min_max
check(min_max, [(([3, 1, 2],), (1, 3)), (([5],), (5, 5)), (([],), None),
                (([-1.5, -7.0, 2.5, 2.5],), (-7.0, 2.5)), (([4, 3, 2, 1],), (1, 4))])

# %% [markdown]
# ## Dictionaries
#
# A **dict** `{key: value}` maps keys (strings, numbers, tuples: anything that cannot change) to
# values. `d[key]` looks up (and raises `KeyError` when the key is missing), `d.get(key, default)`
# looks up with a fallback, `d[key] = value` adds or replaces, `in` tests a key. Loop over
# `d.items()` for the pairs. A dict remembers the order in which keys were added. A config of
# hyperparameters or a training history are dicts.

# %%
config = {"lr": 0.1, "batch_size": 100, "num_epochs": 10}
config["lr"] = 0.05
config["momentum"] = 0.9
print(config, config["batch_size"], config.get("weight_decay", 0.0), "lr" in config)
for key, value in config.items():
    print(f"{key:>12} = {value}")
history = {}
for loss in [0.9, 0.5, 0.3]:
    history.setdefault("loss", []).append(loss)   # a new list the first time
print(history, list(config.keys()), len(config))

# %% [markdown]
# ### Exercise: count the words
# Write `word_counts(text)` that returns a dict from each word of `text` (split on whitespace,
# lower-cased) to the number of times it occurs, with the words in the order they first appear.

# %% exercise word_counts
def word_counts(text):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution word_counts
def word_counts(text):
    counts = {}
    for word in text.lower().split():
        counts[word] = counts.get(word, 0) + 1
    return counts

# %% check word_counts
check(word_counts, [(("the net and the data",), {"the": 2, "net": 1, "and": 1, "data": 1}),
                    (("",), {}), (("SGD sgd Sgd",), {"sgd": 3}),
                    (("  a\tb\na  ",), {"a": 2, "b": 1})])

# %% [markdown]
# ## Sets
#
# A **set** `{a, b}` holds distinct elements in no particular order; `in` is fast. `|` is the
# union, `&` the intersection, `-` the difference. `set(xs)` removes duplicates. Write the empty
# set as `set()`, because `{}` is an empty dict.

# %%
seen = {3, 1, 3, 2, 1}
print(seen, len(seen), 2 in seen)
train_ids = set(range(0, 8))
test_ids = {6, 7, 8, 9}
print(train_ids & test_ids, train_ids | test_ids, test_ids - train_ids)
print(sorted(set("mississippi")), set(), type({}))

# %% [markdown]
# ### Exercise: Jaccard similarity
# Write `jaccard(a, b)`, the Jaccard similarity $|A \cap B| / |A \cup B|$ of the sets of elements
# of the lists `a` and `b` (duplicates do not count twice). Two empty lists are identical:
# return `1.0`.

# %% exercise jaccard
def jaccard(a, b):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution jaccard
def jaccard(a, b):
    A, B = set(a), set(b)
    if not A | B:
        return 1.0
    return len(A & B) / len(A | B)

# %% check jaccard
check(jaccard, [(([1, 2, 3], [2, 3, 4]), 0.5), (([1, 1, 2], [2, 2]), 0.5), (([], []), 1.0),
                (([1], []), 0.0), (("abc", "abc"), 1.0), (([1, 2], [3, 4]), 0.0)])

# %% [markdown]
# ## `for` loops
#
# `for x in sequence:` runs its block once for each element of a list, tuple, string, dict
# (its keys), set or `range`. `range(n)` is $0, 1, \dots, n-1$; `range(a, b, step)` counts from
# `a` up to (not including) `b`. `enumerate(xs)` gives `(index, element)` pairs and `zip(xs, ys)`
# walks two sequences together. `break` leaves the loop, `continue` skips to the next element.

# %%
for k in range(3):
    print("step", k)
for i, loss in enumerate([0.9, 0.5, 0.3]):
    print(f"epoch {i}: {loss}")
for x, y in zip([1, 2, 3], ["a", "b", "c"]):
    print(x, y)
for n in range(2, 30):
    if n % 7 == 0:
        print("first multiple of 7:", n)
        break

total = 0
for x in [3, -1, 4, -1, 5]:
    if x < 0:
        continue
    total += x                    # total = total + x
print("sum of the positive ones:", total)

# %% [markdown]
# ### Exercise: argmax
# Write `argmax(xs)`: the index of the largest element of a non-empty list, the **first** one if
# the largest occurs several times (as `numpy.argmax` and `torch.argmax` do). Use `enumerate`.

# %% exercise argmax
def argmax(xs):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution argmax
def argmax(xs):
    best = 0
    for i, x in enumerate(xs):
        if x > xs[best]:
            best = i
    return best

# %% check argmax
check(argmax, [(([0.1, 0.7, 0.2],), 1), (([5],), 0), (([3, 9, 9, 1],), 1),
               (([-2, -1, -3],), 1), (([1, 2, 3],), 2), (([4, 4, 4],), 0)])

# %% [markdown]
# ## `while` loops
#
# `while condition:` repeats its block as long as the condition holds: right when you do not
# know in advance how many steps it takes, for example iterating until convergence. Make sure
# something in the block moves towards ending the loop.
#
# Newton's method for $\sqrt{a}$ iterates $x_{k+1} = \frac{1}{2}(x_k + a / x_k)$:

# %%
a = 2.0
x = a
steps = 0
while abs(x * x - a) > 1e-12:
    x = 0.5 * (x + a / x)
    steps += 1
print(f"sqrt({a}) = {x} after {steps} steps; math.sqrt says {math.sqrt(a)}")

# %% [markdown]
# ### Exercise: steps until convergence
# Gradient descent on $f(\theta) = \theta^2 / 2$ (gradient $\theta$) with step $\alpha$ is
# $\theta_{k+1} = \theta_k - \alpha \theta_k$. Write `steps_to_tol(theta0, alpha, tol)` that
# returns the number of steps it takes until $|\theta_k| < $ `tol` (0 if $|\theta_0|$ is already
# below it). Assume $0 < \alpha < 2$, so that it converges.

# %% exercise steps_to_tol
def steps_to_tol(theta0, alpha, tol):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution steps_to_tol
def steps_to_tol(theta0, alpha, tol):
    theta, steps = theta0, 0
    while abs(theta) >= tol:
        theta = theta - alpha * theta
        steps += 1
    return steps

# %% check steps_to_tol
check(steps_to_tol, [((1.0, 0.5, 0.1), 4), ((1.0, 1.0, 1e-9), 1), ((0.01, 0.5, 0.1), 0),
                     ((-8.0, 0.5, 1.0), 4), ((1.0, 1.5, 0.2), 3), ((1.0, 0.1, 1e-3), 66)])

# %% [markdown]
# ## Comprehensions
#
# A **list comprehension** `[expression for x in sequence if condition]` builds a list in one
# line; it reads like the set notation $\{x^2 : x \in S,\ x \text{ odd}\}$. The same works for
# dicts `{k: v for ...}` and sets `{x for ...}`, and comprehensions nest.

# %%
squares = [i * i for i in range(6)]
odd_squares = [i * i for i in range(10) if i % 2 == 1]
lengths = {word: len(word) for word in ["lenet", "vgg", "resnet"]}
remainders = {n % 3 for n in range(10)}
pairs = [(i, j) for i in range(3) for j in range(i)]
print(squares, odd_squares, lengths, remainders, pairs, sep="\n")
identity = [[1 if i == j else 0 for j in range(3)] for i in range(3)]
print(identity)

# %% [markdown]
# ### Exercise: transpose a matrix
# A matrix is a list of rows. Write `transpose(A)` that returns its transpose as a list of lists
# (row `j` of the result is column `j` of `A`), with a nested comprehension. The empty matrix
# `[]` stays `[]`.

# %% exercise transpose
def transpose(A):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution transpose
def transpose(A):
    if not A:
        return []
    return [[row[j] for row in A] for j in range(len(A[0]))]

# %% check transpose
check(transpose, [(([[1, 2, 3], [4, 5, 6]],), [[1, 4], [2, 5], [3, 6]]),
                  (([[1, 2], [3, 4]],), [[1, 3], [2, 4]]), (([[7]],), [[7]]),
                  (([[1, 2, 3]],), [[1], [2], [3]]), (([],), [])])

# %% [markdown]
# ## Functions
#
# `def name(parameters):` defines a function; `return` gives back a value (a function without
# `return` returns `None`). The string right under `def` is the **docstring**: `help(name)` shows
# it. A function should do one thing and have a name that says what.
#
# The logistic function $\sigma(x) = \dfrac{1}{1 + e^{-x}}$ of Chapter 2 as a function:

# %%
def sigmoid_naive(x):
    """The logistic function 1 / (1 + exp(-x))."""
    return 1 / (1 + math.exp(-x))


print(sigmoid_naive(0.0), sigmoid_naive(2.0), sigmoid_naive(-2.0))
help(sigmoid_naive)
try:
    sigmoid_naive(-1000.0)
except OverflowError as error:
    print("sigmoid_naive(-1000.0) fails:", error)

# %% [markdown]
# ### Exercise: a sigmoid that never overflows
# $e^{-x}$ overflows for $x < -709$. Write `sigmoid(x)` that computes $\sigma(x)$ for every
# float: for $x \ge 0$ use $1/(1 + e^{-x})$, for $x < 0$ the equal $e^{x}/(1 + e^{x})$, so that
# `exp` only ever sees a number $\le 0$.

# %% exercise sigmoid
def sigmoid(x):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution sigmoid
def sigmoid(x):
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)
    return z / (1 + z)

# %% check sigmoid
check(sigmoid, [((0.0,), 0.5), ((2.0,), 0.8807970779778823), ((-2.0,), 0.11920292202211755),
                ((-1000.0,), 0.0), ((1000.0,), 1.0), ((-30.0,), 9.357622968839299e-14)])

# %% [markdown]
# ## Arguments: defaults, keywords, `*args` and `**kwargs`
#
# A parameter can have a **default** (`alpha=0.1`); a call can name its arguments
# (`f(x, alpha=0.5)`), in any order after the positional ones. `*args` collects any number of
# extra positional arguments into a tuple, `**kwargs` any extra keyword arguments into a dict;
# in a call, `*xs` and `**d` unpack a list and a dict into arguments.
#
# Never use a list or dict as a default: the default is made once, when `def` runs, and shared by
# every call. Use `None` and make a new one inside.

# %%
def gd_step(theta, grad, alpha=0.1):
    return theta - alpha * grad


print(gd_step(1.0, 2.0), gd_step(1.0, 2.0, 0.5), gd_step(grad=2.0, theta=1.0, alpha=0.25))


def describe(*args, **kwargs):
    print("args =", args, " kwargs =", kwargs)


describe(1, 2, lr=0.1, momentum=0.9)
options = {"alpha": 0.5}
print(gd_step(*[1.0, 2.0], **options))


def remember_bad(x, seen=[]):     # the trap: one list for every call
    seen.append(x)
    return seen


print(remember_bad(1), remember_bad(2))   # [1, 2] [1, 2]: both calls got the same list

# %% [markdown]
# ### Exercise: a polynomial with any number of coefficients
# Write `poly(x, *coeffs)` that returns $c_0 + c_1 x + c_2 x^2 + \dots$ for
# `poly(x, c0, c1, c2, ...)`, with **Horner's rule** $c_0 + x(c_1 + x(c_2 + \dots))$: start from
# the last coefficient and go backwards (`reversed(coeffs)`). With no coefficients it is 0.

# %% exercise poly
def poly(x, *coeffs):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution poly
def poly(x, *coeffs):
    value = 0
    for c in reversed(coeffs):
        value = value * x + c
    return value

# %% check poly
check(poly, [((2, 1, 2, 3), 17), ((0, 5, 9, 9), 5), ((3,), 0), ((-1, 1, 1, 1, 1), 0),
             ((0.5, 0.0, 0.0, 4.0), 1.0), ((10, 7), 7)])

# %% [markdown]
# ## Functions as values: `lambda`, `sorted`, `map`
#
# A function is a value like any other: it can be stored in a variable, put in a list, passed to
# another function and returned from one. `lambda x: expression` makes a small function without a
# name. `sorted(xs, key=f)` sorts by `f(x)`; a key that returns a tuple sorts by the first part,
# then by the second. `map(f, xs)` and `filter(f, xs)` apply a function lazily.

# %%
def derivative(f, h=1e-6):
    """The function x -> (f(x + h) - f(x - h)) / (2h), a central difference."""
    return lambda x: (f(x + h) - f(x - h)) / (2 * h)


cube = lambda x: x ** 3
print(derivative(cube)(2.0), "(3 * 2^2 = 12)")
runs = [("adam", 0.31), ("sgd", 0.42), ("rmsprop", 0.31)]
print(sorted(runs, key=lambda run: run[1]))
print(sorted(["vgg", "lenet", "nin"], key=len), max(runs, key=lambda run: run[1]))
print(list(map(abs, [-1, 2, -3])), list(filter(lambda x: x > 0, [-1, 2, -3])))

# %% [markdown]
# ### Exercise: rank the runs
# Write `rank_runs(runs)` that takes a list of `(name, loss)` pairs and returns the names sorted by
# loss, smallest first, and, for equal losses, by name in alphabetical order. Use `sorted` with a
# `key`.

# %% exercise rank_runs
def rank_runs(runs):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution rank_runs
def rank_runs(runs):
    return [name for name, loss in sorted(runs, key=lambda run: (run[1], run[0]))]

# %% check rank_runs
check(rank_runs, [(([("sgd", 0.4), ("adam", 0.3)],), ["adam", "sgd"]),
                  (([("sgd", 0.3), ("adam", 0.3), ("nag", 0.1)],), ["nag", "adam", "sgd"]),
                  (([],), []), (([("only", 1.0)],), ["only"]),
                  (([("b", 2), ("a", 2), ("c", 1)],), ["c", "a", "b"])])

# %% [markdown]
# ## Scope and closures
#
# A name assigned inside a function is **local** to it; a function can read the names of the code
# around it. A function defined inside another one keeps the variables it uses from the outer one
# even after the outer one returned: that is a **closure**. To rebind an outer variable from an
# inner function, declare it `nonlocal` (or `global` for a module-level one, which is rarely a
# good idea).

# %%
scale = 10


def scaled(x):
    return scale * x            # reads the module-level `scale`


def local_demo():
    scale = 2                   # a new local name; the outer `scale` is untouched
    return scale


print(scaled(3), local_demo(), scale)


def make_step(alpha):
    def step(theta, grad):
        return theta - alpha * grad     # `alpha` comes from make_step's call
    return step


slow, fast = make_step(0.01), make_step(0.5)
print(slow(1.0, 1.0), fast(1.0, 1.0))

# %% [markdown]
# ### Exercise: a counter
# Write `make_counter(start)` that returns a function `tick()`: each call of `tick()` returns the
# next number, `start`, `start + 1`, ... . Two counters must not share their count.

# %% exercise make_counter
def make_counter(start):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution make_counter
def make_counter(start):
    count = start - 1

    def tick():
        nonlocal count
        count += 1
        return count

    return tick

# %% check make_counter
def ticks(start, n):            # n ticks of one counter, interleaved with a second counter
    a, b = make_counter(start), make_counter(100)
    return [(a(), b())[0] for _ in range(n)], b()


check(ticks, [((0, 3), ([0, 1, 2], 103)), ((5, 1), ([5], 101)), ((-2, 4), ([-2, -1, 0, 1], 104)),
              ((7, 0), ([], 100))])

# %% [markdown]
# ## Recursion
#
# A function may call itself on a smaller problem, down to a case it answers directly (the
# **base case**). Nested structures (lists of lists, trees, a network of modules inside modules)
# are the natural use.

# %%
def depth(x):
    """How deeply lists nest in x: depth(5) = 0, depth([1, [2]]) = 2."""
    if not isinstance(x, list):
        return 0
    return 1 + max((depth(item) for item in x), default=0)


print(depth(5), depth([]), depth([1, [2, [3]]]))

# %% [markdown]
# ### Exercise: flatten
# Write `flatten(x)` that returns all the non-list values inside the nested lists `x`, in order:
# `flatten([1, [2, [3, 4]], 5])` is `[1, 2, 3, 4, 5]`. Empty lists contribute nothing.

# %% exercise flatten
def flatten(x):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution flatten
def flatten(x):
    out = []
    for item in x:
        if isinstance(item, list):
            out.extend(flatten(item))
        else:
            out.append(item)
    return out

# %% check flatten
check(flatten, [(([1, [2, [3, 4]], 5],), [1, 2, 3, 4, 5]), (([],), []), (([[], [[]]],), []),
                (([[[["deep"]]]],), ["deep"]), (([(1, 2), [3]],), [(1, 2), 3])])

# %% [markdown]
# ## Modules and imports
#
# A **module** is a Python file; `import math` runs it once and gives its names as `math.name`.
# `from math import exp, log` takes names directly; `import numpy as np` renames. The standard
# library has modules for nearly everything: `math`, `random`, `statistics`, `itertools`,
# `functools`, `pathlib`, `json`, `time`. Your own file `helpers.py` next to the notebook imports
# as `import helpers`. In a script, code under `if __name__ == "__main__":` runs only when the file
# is run directly, not when it is imported.

# %%
import random
import statistics
import time
from math import exp, log

print(exp(log(5.0)), statistics.mean([1, 2, 3, 4]), statistics.stdev([1, 2, 3, 4]))
random.seed(0)                   # seeded: the same "random" numbers every run
print([random.randint(1, 6) for _ in range(5)], random.random())
start = time.perf_counter()
total = sum(i * i for i in range(100_000))
print(total, f"computed in {time.perf_counter() - start:.4f} s")
print(__name__)                  # "__main__" in a notebook

# %% [markdown]
# ### Exercise: log-sum-exp
# The softmax and the cross-entropy loss of Chapter 2 need $\log \sum_i e^{x_i}$, whose terms
# overflow for large $x_i$. With $m = \max_i x_i$ it equals
# $m + \log \sum_i e^{x_i - m}$, where every exponent is $\le 0$. Write `log_sum_exp(xs)` that way
# for a non-empty list, with the `math` module.

# %% exercise log_sum_exp
def log_sum_exp(xs):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution log_sum_exp
def log_sum_exp(xs):
    m = max(xs)
    return m + math.log(sum(math.exp(x - m) for x in xs))

# %% check log_sum_exp
check(log_sum_exp, [(([0.0, 0.0],), math.log(2)), (([1000.0, 1000.0],), 1000 + math.log(2)),
                    (([-1000.0],), -1000.0), (([1.0, 2.0, 3.0],), 3.40760596444438),
                    (([5.0, -1e9],), 5.0)])

# %% [markdown]
# ## Putting it together: gradient descent on a quadratic
#
# Chapter 1 minimises a differentiable $f$ by **gradient descent**
# $$\theta_{k+1} = \theta_k - \alpha \nabla f(\theta_k).$$
# For $f(\theta) = (\theta - 3)^2$, $\nabla f(\theta) = 2(\theta - 3)$, $L = 2$, and the iterates
# converge to 3 for every step $0 < \alpha < 2/L = 1$. Below, the iterates for three steps: the
# smallest converges slowly, the middle one fast, and $\alpha = 1.05 > 1$ diverges.

# %%
def grad_f(theta):
    return 2 * (theta - 3)


for alpha in [0.1, 0.5, 1.05]:
    theta = 0.0
    path = [theta]
    for _ in range(20):
        theta = theta - alpha * grad_f(theta)
        path.append(theta)
    print(f"alpha = {alpha:4}: theta_20 = {path[-1]:10.4f}; first steps "
          + ", ".join(f"{t:.2f}" for t in path[1:5]))

# %% [markdown]
# ### Exercise: gradient descent as a function
# Write `gradient_descent(grad, theta0, alpha, steps)` that returns the list of **all** iterates
# $[\theta_0, \theta_1, \dots, \theta_{\text{steps}}]$ (so `steps + 1` numbers) of gradient
# descent with the gradient function `grad`.

# %% exercise gradient_descent
def gradient_descent(grad, theta0, alpha, steps):
    # YOUR CODE HERE
    raise NotImplementedError()

# %% solution gradient_descent
def gradient_descent(grad, theta0, alpha, steps):
    path = [theta0]
    for _ in range(steps):
        path.append(path[-1] - alpha * grad(path[-1]))
    return path

# %% check gradient_descent
check(gradient_descent, [((grad_f, 0.0, 0.5, 2), [0.0, 3.0, 3.0]),
                         ((grad_f, 0.0, 0.25, 3), [0.0, 1.5, 2.25, 2.625]),
                         ((grad_f, 5.0, 0.1, 0), [5.0]),
                         ((lambda t: t, 1.0, 2.0, 3), [1.0, -1.0, 1.0, -1.0]),
                         ((lambda t: 4 * t ** 3, 1.0, 0.125, 1), [1.0, 0.5])])

# %% [markdown]
# ## What's next
#
# You can now read and write the Python of the homework programs' main loops. Part 2 builds
# **objects**: classes and inheritance (every PyTorch model is a subclass of `nn.Module`),
# exceptions, iterators (a `DataLoader` is one), decorators (`@torch.no_grad()`) and context
# managers. If an exercise above still says `not done yet` or `wrong`, go back to it first.
