# Chapter 2 lesson (shallow networks to MLPs): the source of chapter-2.ipynb.
# Cell markers and the source/run/show directives: mfdnn/course/lessons/__init__.py.
# Lint: names come from the setup cell and from expanded `source` cells (F821), cells import
# where they teach (E402), a one-line lambda reads as the formula (E731).
# ruff: noqa: E402, E731, F821

# %% [markdown]
# ## 1. Supervised learning as empirical risk minimisation
#
# Given data $(X_i, Y_i)_{i=1}^N$, a model $f_\theta$ and a loss $\ell$, training solves
#
# $$\min_\theta\ \frac1N\sum_{i=1}^N \ell\big(f_\theta(X_i), Y_i\big),$$
#
# usually by SGD. For binary labels $Y_i \in \{-1, +1\}$ and a linear score
# $f(x) = x^\top\theta$, the 0-1 loss is discontinuous, so it is relaxed to a loss of the
# margin $m_i = Y_i X_i^\top\theta$:
#
# $$\text{hinge (SVM)}\quad \frac1N\sum_i \max(0, 1 - m_i) + \lambda\|\theta\|^2, \qquad
#   \text{logistic}\quad \frac1N\sum_i \log\left(1 + e^{-m_i}\right).$$
#
# Logistic regression is a maximum-likelihood model: $P(y = +1 \mid x) = \sigma(x^\top\theta)$
# with $\sigma(z) = 1/(1 + e^{-z})$. The package's NumPy versions (HW2 P1-P2):

# %% source mfdnn.models.shallow:sigmoid

# %% source mfdnn.models.shallow:logistic_loss

# %% source mfdnn.models.shallow:logistic_gradient

# %% source mfdnn.models.shallow:hinge_loss

# %% source mfdnn.models.shallow:hinge_subgradient

# %% source mfdnn.models.shallow:sign_accuracy

# %% [markdown]
# Check the logistic gradient against a finite difference, then run HW2's minibatch SGD
# ($B = 15$ indices with replacement, the mean of their gradients, $\alpha = 0.01$) on 30
# random points in $\mathbb R^{20}$ with random labels:

# %%
from mfdnn.optim.finite_sum import run_sgd, with_replacement

rng = np.random.RandomState(0)
N, p = 30, 20
X = rng.randn(N, p)
Y = 2 * rng.randint(2, size=N) - 1
theta0 = rng.randn(p)

e, h = np.eye(p)[3], 1e-6
print("d/dtheta_3: formula", logistic_gradient(theta0, X, Y)[3], " finite difference",
      (logistic_loss(theta0 + h * e, X, Y) - logistic_loss(theta0 - h * e, X, Y)) / (2 * h))

theta, history = run_sgd(lambda t, i: logistic_gradient(t, X[i], Y[i]), theta0, 0.01,
                         with_replacement(rng, N, 15), 3000, lambda t: logistic_loss(t, X, Y))
print(f"logistic loss {history[0]:.4f} -> {history[-1]:.4f}, train accuracy "
      f"{sign_accuracy(theta, X, Y):.2f}, ||theta|| = {np.linalg.norm(theta):.2f}")

# %% [markdown]
# With $p = 20 > N/2$ random labels are almost surely linearly separable, so the logistic loss
# keeps falling toward 0 while $\|\theta\|$ grows: expected, not a bug. The two experiments
# run exactly the homework's draws:

# %% run hw2-logistic-sgd

# %% run hw2-svm-sgd

# %% [markdown]
# **Try this.** The hinge loss is not differentiable at $m_i = 1$. Count how often SGD lands
# exactly on a kink (`hinge_subgradient` returns that count): in floating point, never.

# %%
theta, hits = theta0.copy(), 0
draws = with_replacement(np.random.RandomState(1), N, 15)
for _ in range(3000):
    i = next(draws)
    g, kinks = hinge_subgradient(theta, X[i], Y[i], 0.1)
    theta, hits = theta - 0.01 * g, hits + kinks
print(f"hinge loss {hinge_loss(theta, X, Y, 0.1):.4f}; kinks hit: {hits} of {3000 * 15}")

# %% [markdown]
# ## 2. The kernel trick (HW2 P3)
#
# Points inside and outside a circle are not linearly separable in $(u, v)$, but they are
# after the feature map $\varphi(u, v) = (1, u, u^2, v, v^2)$: the boundary
# $w_0 + w_1u + w_2u^2 + w_3v + w_4v^2 = 0$ is a conic.

# %% source mfdnn.models.shallow:quadratic_features

# %%
Z = np.random.RandomState(0).randn(200, 2)
labels = np.sign((Z**2).sum(axis=1) - 0.7)
w, _ = run_sgd(lambda t, i: logistic_gradient(t, quadratic_features(Z[i]), labels[i]),
               np.zeros(5), 0.5, with_replacement(np.random.RandomState(1), 200, 15), 5000)
print("linear features: accuracy", sign_accuracy(
    run_sgd(lambda t, i: logistic_gradient(t, Z[i], labels[i]), np.zeros(2), 0.5,
            with_replacement(np.random.RandomState(1), 200, 15), 5000)[0], Z, labels))
print("quadratic features: accuracy", sign_accuracy(w, quadratic_features(Z), labels),
      " w =", w.round(2))

# %% run hw2-kernel-logistic

# %% [markdown]
# ## 3. Softmax, KL divergence and cross-entropy
#
# For $k$ classes the network outputs a distribution through the softmax
# $\mu_i(z) = e^{z_i}/\sum_j e^{z_j}$. The Kullback-Leibler divergence
# $D_{KL}(p\|q) = \sum_i p_i\log(p_i/q_i) = H(p, q) - H(p) \ge 0$ compares two distributions
# (it is not symmetric, and $=0$ iff $p = q$). With a one-hot target $e_y$, minimising
# $D_{KL}(e_y \| \mu(f))$ is minimising the cross-entropy
#
# $$\ell^{CE}(f, y) = -f_y + \log\sum_j e^{f_j},$$
#
# and **softmax regression** is $\mu(Ax + b)$, $A \in \mathbb R^{k\times n}$, trained by it.

# %%
softmax = lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum()  # shift: no overflow
for z in ([1, 2, 3], [999, 0, -2], [-2, -2, -99]):
    print(f"softmax{tuple(z)} = {softmax(np.array(z, dtype=float)).round(3)}")

kl = lambda p, q: float(np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1) / q), 0)))
p_, q_ = np.array([0.5, 0.4, 0.1]), np.array([0.2, 0.3, 0.5])
print(f"KL(p||q) = {kl(p_, q_):.4f}, KL(q||p) = {kl(q_, p_):.4f}, KL(p||p) = {kl(p_, p_)}")

f_, y_ = torch.tensor([[2.0, -1.0, 0.5]]), torch.tensor([0])
ce = -f_[0, y_[0]] + torch.logsumexp(f_[0], 0)
print(f"cross-entropy by the formula {ce:.6f}, by torch {F.cross_entropy(f_, y_):.6f}, "
      f"as a KL from one-hot {kl(np.eye(3)[0], softmax(f_[0].numpy())):.6f}")

# %% source mfdnn.models.shallow:SoftmaxRegression

# %% source mfdnn.train.evaluate:cross_entropy_loss

# %% [markdown]
# Softmax regression on three 2-D clusters, trained on the page by the chapter's recipe:
# zero_grad, forward, backward, step.

# %%
torch.manual_seed(0)
centres = torch.tensor([[0.0, 2.0], [2.0, -1.0], [-2.0, -1.0]])
labels3 = torch.arange(3).repeat_interleave(100)
points = centres[labels3] + 0.8 * torch.randn(300, 2)
model = SoftmaxRegression(in_features=2, classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
for _ in range(200):
    optimizer.zero_grad()
    loss = cross_entropy_loss(model, points, labels3)
    loss.backward()
    optimizer.step()
accuracy = (model(points).argmax(1) == labels3).float().mean()
print(f"after 200 steps: cross-entropy {loss.item():.4f}, accuracy {accuracy:.3f}")
grid = torch.stack(torch.meshgrid(torch.linspace(-5, 5, 200), torch.linspace(-5, 5, 200),
                                  indexing="xy"), -1).reshape(-1, 2)
plt.figure(figsize=(4, 4))
plt.contourf(grid[:, 0].reshape(200, 200), grid[:, 1].reshape(200, 200),
             model(grid).argmax(1).reshape(200, 200).detach(), alpha=0.3, levels=2)
plt.scatter(*points.T, c=labels3, s=8)
plt.title("softmax regression: linear decision regions")
plt.show()

# %% [markdown]
# On MNIST (the course: lr $10^{-3}$, batch 64, 5 epochs, 84.71% test accuracy), and
# logistic regression on the 4s and 9s:

# %% run ch2-softmax-mnist

# %% [markdown]
# At `quick`, one epoch of 10,000 images (156 steps) with a step of $0.1$ instead of the
# course's $10^{-3}$ already reaches about the course's 84.71%: the course's small step needs its
# 4,690 steps to get there. Set `PROFILE = "laptop"` (the course's 5 epochs on all 60,000
# images at $10^{-3}$, seconds) to see the course's own run. Logistic regression on the 4s and
# 9s:

# %% run ch2-logistic-mnist

# %% [markdown]
# ## 4. Multilayer perceptrons
#
# An MLP alternates linear layers and a nonlinearity $\sigma$ (ReLU $\max(z, 0)$, sigmoid,
# $\tanh$):
#
# $$y_\ell = \sigma(A_\ell y_{\ell-1} + b_\ell),\quad \ell < L, \qquad
#   y_L = A_L y_{L-1} + b_L,$$
#
# with $\sum_\ell n_\ell(n_{\ell-1} + 1)$ parameters. Without $\sigma$ the composition is one
# linear map, so depth would add nothing.

# %% source mfdnn.models.shallow:mlp_parameter_count

# %%
for widths in ((3072, 1536, 768, 384, 1), (784, 392, 196, 98, 10)):
    layers = []
    for n_in, n_out in zip(widths[:-1], widths[1:], strict=True):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    mlp = nn.Sequential(*layers[:-1])
    print(widths, "formula", mlp_parameter_count(widths), " torch",
          sum(q.numel() for q in mlp.parameters()))

# %% [markdown]
# **Try this.** Initialise a ReLU MLP at zero: every hidden unit outputs 0, so only the output
# bias gets a gradient and the network stays constant whatever SGD does.

# %%
mlp = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
for q in mlp.parameters():
    nn.init.zeros_(q)
out = mlp(points).squeeze(1)
((out - points[:, 0]) ** 2).mean().backward()
for name, q in mlp.named_parameters():
    print(f"{name:10s} |grad| = {q.grad.abs().sum():.4f}")

# %% [markdown]
# ## 5. Homework 2 and 3: two- and three-layer networks by SGD
#
# **HW2 P6-P7.** The two-layer network with scalar input
# $f_\theta(x) = \sum_j u_j\,\sigma(a_jx + b_j)$ has the gradient
#
# $$\frac{\partial f}{\partial u_j} = \sigma(a_jx + b_j), \quad
#   \frac{\partial f}{\partial b_j} = u_j\sigma'(a_jx + b_j), \quad
#   \frac{\partial f}{\partial a_j} = u_j\sigma'(a_jx + b_j)\,x, \qquad
#   \sigma' = \sigma(1-\sigma),$$
#
# and single-sample SGD on $\frac12(f_\theta(X_i) - Y_i)^2$ fits $(x - 2)\cos(4x)$:

# %% source mfdnn.models.shallow:two_layer_f

# %% source mfdnn.models.shallow:two_layer_gradient

# %%
theta = np.random.RandomState(0).randn(3 * 8)
x0 = 0.7
auto = torch.tensor(theta, requires_grad=True)
a_, b_, u_ = auto.split(8)
(torch.sigmoid(a_ * x0 + b_) @ u_).backward()
print("max |hand gradient - autograd| =", np.abs(two_layer_gradient(theta, x0)
                                                 - auto.grad.numpy()).max())

# %% run hw2-two-layer-sgd

# %% [markdown]
# **HW3.** The same fit with a $(1, 64, 64, 1)$ sigmoid MLP in PyTorch, initialised with
# $\mathcal N(0, 1)$ weights and biases $0.03$, trained by minibatch SGD on the MSE, with clean
# and with noisy labels:

# %% source mfdnn.models.shallow:three_layer_net

# %% source mfdnn.models.shallow:course_init_

# %%
net = course_init_(three_layer_net(), generator=torch.Generator().manual_seed(0))
print(net)
print("parameters:", sum(q.numel() for q in net.parameters()),
      "= formula", mlp_parameter_count((1, 64, 64, 1)))

# %% show hw3-three-layer-sgd

# %% [markdown]
# **Try this.** Train HW2's two-layer net with the initial scale of the $a_j$ at 1 instead of
# 4 (`overrides=["a_std=1"]`): the sigmoids are then nearly linear over the data and the fit
# loses the wiggles. Compare the figures.

# %%
record = show_run("hw2-two-layer-sgd", PROFILE, overrides=["a_std=1"])
