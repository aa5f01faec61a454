"""HW5 P1: backpropagation by hand through a 6-layer sigmoid MLP.

    y_0 = X,  y_l = sigma(A_l y_{l-1} + b_l) (l = 1..5),  y_6 = A_6 y_5 + b_6,
    loss = (y_6 - Y)^2 / 2

Draws (torch, seed 0): X = rand(4, 1), Y = rand(1, 1), then A_l = rand(4, 4), b_l = rand(4, 1)
alternately for l = 1..5, then A_6 = rand(1, 4), b_6 = rand(1, 1).
Backward, row-vector convention: g = dloss/dy_l as a 1 x n row, starting at g = y_6 - Y; for
l = L..1 with D = sigma'(A_l y_{l-1} + b_l) (ones for the last layer):
dloss/db_l = g * D^T,  dloss/dA_l = (dloss/db_l)^T y_{l-1}^T,  g <- (dloss/db_l) A_l.

Implement ``backprop``. Self-check: ``mfdnn check hw5 mlp_backprop.py``.
"""

import torch


def sigma(z):
    return 1 / (1 + torch.exp(-z))


def sigma_prime(z):
    return sigma(z) * (1 - sigma(z))


def forward(X, As, bs):
    """All layer outputs [y_0, ..., y_L]; the last layer has no activation."""
    ys = [X]
    for ell, (A, b) in enumerate(zip(As, bs, strict=True)):
        z = A @ ys[-1] + b
        ys.append(z if ell == len(As) - 1 else sigma(z))
    return ys


def backprop(X, Y, As, bs):
    """The gradients of (y_L - Y)^2 / 2: two lists [dloss/dA_1, ...], [dloss/db_1, ...] with
    the shapes of As and bs (b_l is a column)."""
    # BEGIN SOLUTION: the backward recursion of the docstring, from the last layer down
    ys = forward(X, As, bs)
    g = (ys[-1] - Y).T  # 1 x 1 row
    dAs, dbs = [None] * len(As), [None] * len(As)
    for ell in reversed(range(len(As))):
        z = As[ell] @ ys[ell] + bs[ell]
        D = torch.ones_like(z) if ell == len(As) - 1 else sigma_prime(z)
        db = g * D.T  # 1 x n row
        dAs[ell] = db.T @ ys[ell].T
        dbs[ell] = db.T
        g = db @ As[ell]
    return dAs, dbs
    # END SOLUTION


if __name__ == "__main__":
    torch.manual_seed(0)
    L = 6
    X = torch.rand(4, 1)
    Y = torch.rand(1, 1)
    As, bs = [], []
    for _ in range(L - 1):
        As.append(torch.rand(4, 4))
        bs.append(torch.rand(4, 1))
    As.append(torch.rand(1, 4))
    bs.append(torch.rand(1, 1))

    dAs, dbs = backprop(X, Y, As, bs)
    print("dloss/dA_1 =", dAs[0])
    print("dloss/db_1 =", dbs[0].T)

    # Option 1: autograd on the same tensors
    params = [t.clone().requires_grad_() for t in As + bs]
    loss = (forward(X, params[:L], params[L:])[-1] - Y).pow(2).sum() / 2
    loss.backward()
    print("autograd agrees:", all(torch.allclose(a, p.grad, rtol=1e-4, atol=1e-10)
                                  for a, p in zip(dAs + dbs, params, strict=True)))
