# The checking helper (the same in the three tutorials). A checking cell such as
#     check(mean, [(([1, 2, 3],), 2.0), (([5],), 5.0)])
# calls mean([1, 2, 3]) and mean([5]) and compares what they return with 2.0 and 5.0.
# It prints "correct" when every case passes, else the first case that fails and how.
import math
import numbers


def check(fn, cases):
    """Call fn(*args) for each (args, expected) of cases; print "correct" or the first failure.
    An exception class as expected means fn(*args) must raise it."""
    for k, (args, expected) in enumerate(cases, 1):
        call = f"case {k} of {len(cases)}: {fn.__name__}({', '.join(map(short, args))})"
        raises = isinstance(expected, type) and issubclass(expected, Exception)
        try:
            got = fn(*args)
        except NotImplementedError:
            print(f"not done yet: {call} raised NotImplementedError; replace it with your code")
            return
        except Exception as error:
            if raises and isinstance(error, expected):
                continue
            print(f"wrong: {call} raised {type(error).__name__}: {error}")
            return
        if raises:
            print(f"wrong: {call} returned {short(got)}; it should raise {expected.__name__}")
            return
        hint = differs(got, expected)
        if hint is not None:
            print(f"wrong: {call} returned {short(got)}, expected {short(expected)}{hint}")
            return
    print(f"correct: all {len(cases)} cases pass")


def differs(got, expected):
    """None if got equals expected (numbers to 1e-6 relative), else a hint: why, or ""."""
    kind = f" (type {type(got).__name__}, not {type(expected).__name__})"
    if hasattr(expected, "shape"):  # a NumPy array or a PyTorch tensor (tutorial 3)
        if type(got) is not type(expected):
            return kind
        if tuple(got.shape) != tuple(expected.shape):
            return f" (shape {tuple(got.shape)}, not {tuple(expected.shape)})"
        if got.dtype != expected.dtype:
            return f" (dtype {got.dtype}, not {expected.dtype})"
        pairs = zip(got.flatten().tolist(), expected.flatten().tolist(), strict=True)
        for k, (g, e) in enumerate(pairs):
            if differs(g, e) is not None:
                where = []
                for n in reversed(tuple(expected.shape)):
                    k, i = divmod(k, n)
                    where.insert(0, str(i))
                return f" (first difference at [{', '.join(where)}]: {g!r} instead of {e!r})"
        return None
    if isinstance(expected, bool) or expected is None:
        return None if got is expected else ""
    if isinstance(expected, int):
        ok = isinstance(got, numbers.Integral) and not isinstance(got, bool)
        return (None if got == expected else "") if ok else kind
    if isinstance(expected, float):
        if not isinstance(got, numbers.Real) or isinstance(got, bool):
            return kind
        return None if math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-9) else ""
    if type(got) is not type(expected):
        return kind
    if isinstance(expected, (list, tuple)):
        if len(got) != len(expected):
            return f" (length {len(got)}, not {len(expected)})"
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            if differs(g, e) is not None:
                return f" (first difference at index {i})"
        return None
    if isinstance(expected, dict):
        for key in list(expected) + list(got):
            missing = key not in got or key not in expected
            if missing or differs(got[key], expected[key]) is not None:
                return f" (first difference at key {key!r})"
        return None
    return None if got == expected else ""


def short(x):
    """repr(x) on one line, at most 70 characters; a function by its name."""
    text = x.__name__ if callable(x) and hasattr(x, "__name__") else " ".join(repr(x).split())
    return text if len(text) <= 70 else text[:67] + "..."
