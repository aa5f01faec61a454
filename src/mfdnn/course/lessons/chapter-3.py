# Chapter 3 lesson (convolutional neural networks): the source of chapter-3.ipynb.
# Cell markers and the source/run/show directives: mfdnn/course/lessons/__init__.py.
# Lint: names come from the setup cell and from expanded `source` cells (F821), cells import
# where they teach (E402), some only for an expanded `source` cell below (F401), a one-line
# lambda reads as the formula (E731).
# ruff: noqa: E402, E731, F401, F821

# %% [markdown]
# ## 1. Convolution and pooling layers
#
# A 2-D convolution layer (a cross-correlation, in deep learning) with $C_{in}$ input and
# $C_{out}$ output channels and an $F \times F$ filter computes
#
# $$Y[k, \ell, i, j] = \sum_{\gamma=1}^{C_{in}}\sum_{\alpha,\beta=0}^{F-1}
#   w[\ell, \gamma, \alpha, \beta]\; X[k, \gamma, i + \alpha, j + \beta] + b[\ell],$$
#
# with $F^2 C_{in} C_{out} + C_{out}$ parameters whatever the image size (weight sharing), and
# an output of side $\lfloor (W_{in} - F + 2P)/S \rfloor + 1$ for padding $P$ and stride $S$.
# Pooling takes the max or mean of each window, channel by channel, with no parameters.

# %% source mfdnn.analysis.sizes:conv_output_size

# %%
X = torch.randn(2, 3, 7, 7)
w, b = torch.randn(4, 3, 5, 5), torch.randn(4)
Y = torch.zeros(2, 4, 3, 3)
for i in range(3):  # the formula, written out
    for j in range(3):
        Y[:, :, i, j] = torch.einsum("lgab,kgab->kl", w, X[:, :, i:i + 5, j:j + 5]) + b
print("max |formula - F.conv2d| =", (Y - F.conv2d(X, w, b)).abs().max().item())
for size, f, s, pad in ((7, 5, 1, 0), (7, 5, 1, 2), (7, 3, 1, 0), (7, 3, 2, 0)):
    print(f"{size}x{size} input, {f}x{f} filter, stride {s}, padding {pad}:",
          conv_output_size(size, f, s, pad), "=", F.conv2d(torch.zeros(1, 1, size, size),
                                                           torch.zeros(1, 1, f, f), stride=s,
                                                           padding=pad).shape[-1])
print("1x1 conv 192 -> 96:", sum(q.numel() for q in nn.Conv2d(192, 96, 1).parameters()),
      "parameters")

# %% [markdown]
# ## 2. LeNet-5
#
# LeNet-5 (LeCun et al. 1998): C1 $6@5\times5$ convolution, S2 $2\times2$ pooling, C3
# $16@5\times5$ (in the original, each of the 16 maps sees only some of the 6 inputs: a
# sparse connection table, HW4), S4 pooling, then fully connected layers 120, 84 and 10,
# with $\tanh$ (classic) or ReLU and max pooling (modern). Its forward pass, as the package
# writes it:

# %% source mfdnn.models.lenet:LeNet5.forward

# %%
from mfdnn.models.lenet import LeNet5, lenet5_param_count

torch.manual_seed(0)
for c3 in ("sparse", "full"):
    net = LeNet5(c3)
    print(f"C3 {c3:6s}: output {tuple(net(torch.randn(8, 1, 28, 28)).shape)}, parameters",
          sum(q.numel() for q in net.parameters()), "= formula", lenet5_param_count(c3))

# %% show hw4-lenet-original

# %% [markdown]
# ## 3. Regularisation: augmentation, dropout, weight decay, early stopping
#
# * **Weight decay**: SGD on $\frac1N\sum\ell + \frac\lambda2\|\theta\|^2$ is
#   $\theta^{k+1} = (1 - \alpha\lambda)\theta^k - \alpha g^k$ (the same for plain SGD, not for
#   other optimisers).
# * **Inverted dropout**: in training, $h'_j = 0$ with probability $p$, else $h_j/(1-p)$, so
#   $\mathbb E h'_j = h_j$; at test time the layer does nothing.
# * **Data augmentation**: label-preserving random transforms (flips, crops) in the training
#   loop; **early stopping**: keep the model with the best validation loss.
#
# The package's optimisers share one `torch.optim.Optimizer` skeleton, `UpdateRule`, and each
# writes only its formula for one tensor:

# %%
from mfdnn.optim.base import UpdateRule

# %% source mfdnn.optim.sgd:SGD

# %%
theta_a = torch.randn(5, requires_grad=True)
theta_b = theta_a.detach().clone().requires_grad_()
(theta_a**2).sum().backward()
SGD([theta_a], lr=0.1, weight_decay=0.01).step()
((theta_b**2).sum() + 0.01 / 2 * (theta_b**2).sum()).backward()  # the l2 penalty instead
torch.optim.SGD([theta_b], lr=0.1).step()
print("weight decay vs l2 penalty, max difference:", (theta_a - theta_b).abs().max().item())

h, p = torch.ones(100000), 0.3
mask = (torch.rand_like(h) >= p).float()
print(f"inverted dropout p = {p}: mean of h' = {(h * mask / (1 - p)).mean():.4f} (h = 1), "
      f"zeros: {(mask == 0).float().mean():.3f}")

# %% [markdown]
# The experiment `ch3-regularization` trains LeNet-5 five ways (baseline, augmentation,
# dropout, weight decay, both, early stopping). At `quick` (6 epochs on 2,000 images, about a
# minute) the baseline learns, but the regularisers' effects need longer training, so it is
# not run here; `PROFILE = "laptop"` shows them.

# %% show ch3-regularization

# %% [markdown]
# **Try this.** Give a network the labels at random and watch it memorise them: a wide MLP
# reaches 100% training accuracy on 200 random points with random labels, and chance on new
# ones (HW5; the package's run memorises MNIST images).

# %%
torch.manual_seed(0)
inputs, random_labels = torch.randn(200, 20), torch.randint(0, 10, (200,))
net = nn.Sequential(nn.Linear(20, 512), nn.ReLU(), nn.Linear(512, 10))
optimizer = torch.optim.Adam(net.parameters(), lr=3e-3)
for _ in range(300):
    optimizer.zero_grad()
    F.cross_entropy(net(inputs), random_labels).backward()
    optimizer.step()
train_acc = (net(inputs).argmax(1) == random_labels).float().mean()
test_acc = (net(torch.randn(2000, 20)).argmax(1) == torch.randint(0, 10, (2000,))).float().mean()
print(f"random labels: training accuracy {train_acc:.3f}, accuracy on new points {test_acc:.3f}")

# %% [markdown]
# The homework's AlexNet-style network memorises random MNIST labels over many epochs; at
# `quick` it has not started yet, so run it at `laptop`:

# %% show hw5-label-memorization

# %% [markdown]
# ## 4. Initialisation
#
# With $\tilde y = Ay + b$, $A_{ij} \sim \mathcal N(0, \sigma_A^2)$ and unit-variance
# inputs, $\operatorname{Var}\tilde y_i = n_{in}\sigma_A^2 + \sigma_b^2$. Keeping the variance
# constant layer after layer gives LeCun's $\sigma_A^2 = 1/n_{in}$ (tanh), Xavier's
# $2/(n_{in} + n_{out})$, and He's $2/n_{in}$ for ReLU (which halves the second moment).

# %% source mfdnn.nn.init:scheme_std

# %%
for scheme, std in (("too small", 0.01), ("LeCun", 1 / 16), ("He", 2**0.5 / 16)):
    y = torch.randn(1000, 256)
    for _ in range(10):
        y = torch.relu(y @ (std * torch.randn(256, 256)))
    print(f"{scheme:9s} (std {std:.4f}): activation std after 10 ReLU layers = {y.std():.3g}")

# %% run ch3-initialization

# %% [markdown]
# ## 5. Backpropagation
#
# Reverse-mode differentiation of $y_\ell = \sigma(A_\ell y_{\ell-1} + b_\ell)$ with loss
# $\frac12(y_L - Y)^2$ carries the row vector $g = \partial\,\text{loss}/\partial y_\ell$
# from the output back:
#
# $$\frac{\partial}{\partial b_\ell} = g \odot \sigma'(z_\ell)^\top, \qquad
#   \frac{\partial}{\partial A_\ell} = \Big(\frac{\partial}{\partial b_\ell}\Big)^{\!\top}
#   y_{\ell-1}^\top, \qquad g \leftarrow \frac{\partial}{\partial b_\ell} A_\ell .$$

# %%
from dataclasses import dataclass  # Forward, below, is a dataclass

# %% source mfdnn.nn.backprop:Forward

# %% source mfdnn.nn.backprop:mlp_forward

# %% source mfdnn.nn.backprop:squared_loss

# %% source mfdnn.nn.backprop:mlp_backward

# %%
torch.manual_seed(0)
widths = (4, 4, 4, 1)
As = [torch.rand(n_out, n_in, requires_grad=True)
      for n_in, n_out in zip(widths, widths[1:], strict=False)]
bs = [torch.rand(n_out, 1, requires_grad=True) for n_out in widths[1:]]
x, target = torch.rand(4, 1), torch.rand(1, 1)
forward = mlp_forward(As, bs, x)
dAs, dbs = mlp_backward(As, forward, target)
squared_loss(forward, target).backward()
print("max |hand - autograd| over A:", max((d - A.grad).abs().max().item()
                                           for d, A in zip(dAs, As, strict=True)))
print("max |hand - autograd| over b:", max((d.T - b_.grad).abs().max().item()
                                           for d, b_ in zip(dbs, bs, strict=True)))

# %% run hw5-mlp-backprop

# %% [markdown]
# ## 6. Momentum, RMSProp and Adam
#
# $$\text{momentum: } v^{k+1} = g^k + \beta v^k,\ \ \theta^{k+1} = \theta^k - \alpha v^{k+1};
#   \qquad \text{Adam: } m_1 \leftarrow \beta_1 m_1 + (1-\beta_1)g,\ \
#   m_2 \leftarrow \beta_2 m_2 + (1-\beta_2)g\odot g,$$
#
# $$\hat m_i = \frac{m_i}{1 - \beta_i^{k+1}}, \qquad
#   \theta \leftarrow \theta - \alpha\,\hat m_1 \oslash \sqrt{\hat m_2 + \varepsilon}.$$
#
# (The slides put $\varepsilon$ inside the square root, PyTorch outside: `eps_inside`.)

# %% source mfdnn.optim.momentum:Momentum

# %% source mfdnn.optim.rmsprop:sqrt_denominator

# %% source mfdnn.optim.adam:Adam

# %%
torch.manual_seed(0)
start = torch.randn(10)
for mine, theirs in ((lambda q: Momentum(q, lr=0.01, beta=0.9),
                      lambda q: torch.optim.SGD(q, lr=0.01, momentum=0.9)),
                     (lambda q: Adam(q, lr=0.01, eps_inside=False),
                      lambda q: torch.optim.Adam(q, lr=0.01))):
    a, b_ = start.clone().requires_grad_(), start.clone().requires_grad_()
    opt_a, opt_b = mine([a]), theirs([b_])
    for _ in range(50):
        for theta, opt in ((a, opt_a), (b_, opt_b)):
            opt.zero_grad()
            (theta**4).sum().backward()  # a non-quadratic loss
            opt.step()
    print(f"{type(opt_a).__name__}: max |ours - torch.optim| after 50 steps = "
          f"{(a - b_).abs().max().item():.2e}")

# %% [markdown]
# ## 7. Batch normalisation and ResNets
#
# Batch norm normalises each channel over the batch, $\hat x = (x - \mu_B)/\sqrt{\sigma_B^2 +
# \varepsilon}$, then scales and shifts, $\gamma\hat x + \beta$. In eval mode it is an affine
# map with the running statistics, so it folds into the layer before it (HW7):
# $W' = W\gamma/\sqrt{\sigma^2 + \varepsilon}$, $b' = (b - \mu)\gamma/\sqrt{\sigma^2 +
# \varepsilon} + \beta$.

# %% source mfdnn.analysis.bn_fold:folded_weight_and_bias

# %%
torch.manual_seed(0)
conv, bn = nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8)
bn.running_mean.uniform_(-1, 1)
bn.running_var.uniform_(0.5, 2)
nn.init.uniform_(bn.weight)
bn.eval()
W_new, b_new = folded_weight_and_bias(conv, bn)
x = torch.randn(4, 3, 16, 16, dtype=torch.float64)
print("max |BN(conv(x)) - folded conv(x)| =",
      (bn.double()(conv.double()(x)) - F.conv2d(x, W_new, b_new)).abs().max().item())

# %% show hw7-bn-remove

# %% [markdown]
# A residual block adds its input back: $y = \operatorname{ReLU}(x + F(x))$, so a deep
# network can start near the identity. ResNet's basic block:

# %% source mfdnn.models.resnet:BasicBlock.forward

# %% [markdown]
# ## 8. More of the chapter: double descent, receptive fields, the architectures
#
# Random-feature ridge regression shows **double descent** (HW6): at a fixed small $\lambda$
# the test error peaks where the number of features $p$ equals the number of data points,
# then falls again; tuning $\lambda$ removes the peak.

# %% source mfdnn.models.random_features:relu_features

# %% source mfdnn.models.random_features:ridge

# %% run hw6-double-descent

# %% show ch3-model-zoo

# %% show ch3-train

# %% show hw4-mse-loss

# %% show hw5-inception-cost

# %% show hw5-receptive-fields

# %% show hw6-stm-conv

# %% show hw7-counting-params

# %% show hw7-lnin
