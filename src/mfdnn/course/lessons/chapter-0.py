# Chapter 0 lesson (prologue): the source of chapter-0.ipynb.
# Cell markers and the source/run/show directives: mfdnn/course/lessons/__init__.py.
# Lint: names come from the setup cell (F821), cells import where they teach (E402).
# ruff: noqa: E402, F821

# %% [markdown]
# ## What this course is about
#
# A deep neural network is a function $f_\theta$ with many parameters $\theta$, built from
# simple layers. Deep learning chooses $\theta$ so that $f_\theta$ fits data
# $(X_1, Y_1), \dots, (X_N, Y_N)$, by minimising a loss
#
# $$\min_\theta\ \frac1N\sum_{i=1}^N \ell\big(f_\theta(X_i), Y_i\big)$$
#
# with (stochastic) gradient descent, $\theta^{k+1} = \theta^k - \alpha\nabla_\theta
# \mathcal L(\theta^k)$. The same recipe, at scale, produces the text-to-image samples of a
# latent diffusion model (Rombach et al. 2022) shown in the prologue's slides. This course
# is about the mathematics of each piece:
#
# * **Chapter 1**: optimisation, gradient descent and SGD, and why the step size matters;
# * **Chapter 2**: shallow networks (logistic regression, SVMs, softmax) and MLPs;
# * **Chapter 3**: convolutional networks, and how to train them (initialisation, backprop,
#   Adam, batch norm, regularisation) up to ResNets;
# * **Chapter 4**: CNNs for denoising, super-resolution and segmentation;
# * **Chapter 5**: unsupervised learning: autoencoders, flows, VAEs and GANs;
# * **Appendix A**: Monte Carlo, which the generative models need.
#
# Each chapter's notebook puts the equations, the code that computes them (the package's own
# code, the code `mfdnn run` executes) and its output side by side, and ends each topic with
# a *try this* cell to change.

# %% [markdown]
# ## A first model, trained on the page
#
# Twenty noisy points of a curve, and a model $f_\theta(x) = \theta_0 + \theta_1x +
# \theta_2x^2 + \theta_3x^3$ fitted by gradient descent on the mean squared error
#
# $$\mathcal L(\theta) = \frac1N\sum_{i=1}^N\big(f_\theta(X_i) - Y_i\big)^2 .$$
#
# PyTorch computes $\nabla_\theta\mathcal L$ for us (`loss.backward()`, Chapter 3 explains how);
# the update is one line.

# %%
torch.manual_seed(0)
X = torch.linspace(-1, 1, 20)
Y = torch.sin(3 * X) + 0.1 * torch.randn(20)
features = torch.stack([X**0, X, X**2, X**3], dim=1)  # N x 4: (1, x, x^2, x^3)

theta = torch.zeros(4, requires_grad=True)
alpha = 0.5
losses = []
for _ in range(500):
    loss = ((features @ theta - Y) ** 2).mean()  # L(theta)
    loss.backward()  # theta.grad = grad L(theta)
    with torch.no_grad():
        theta -= alpha * theta.grad  # theta^{k+1} = theta^k - alpha grad L(theta^k)
        theta.grad.zero_()
    losses.append(loss.item())
print(f"loss {losses[0]:.4f} -> {losses[-1]:.4f}; theta = {theta.detach().numpy().round(3)}")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5))
grid = torch.linspace(-1, 1, 200)
ax1.plot(X, Y, "o", label="data")
ax1.plot(grid, (torch.stack([grid**0, grid, grid**2, grid**3], 1) @ theta).detach(),
         label="f_theta after 500 steps")
ax1.legend()
ax2.semilogy(losses)
ax2.set_xlabel("iteration k")
ax2.set_ylabel("loss")
plt.show()

# %% [markdown]
# **Try this.** The step size decides everything. Run the loop again with `alpha = 0.05`
# (slow), `0.8`, `0.9` and `1.5`: above a threshold the loss blows up. Chapter 1
# proves where it is ($2/L$, with $L$ the largest eigenvalue of the Hessian $\frac2N
# \Phi^\top\Phi$ here, $\Phi$ the feature matrix) and the cell checks it.

# %%
L = torch.linalg.eigvalsh(2 / 20 * features.T @ features)[-1].item()
print(f"L = {L:.4f}, so GD converges for alpha < 2/L = {2 / L:.4f}")
for alpha in (0.05, 0.8, 0.9, 1.5):
    theta = torch.zeros(4)
    for _ in range(500):
        theta = theta - alpha * 2 / 20 * features.T @ (features @ theta - Y)  # the same gradient
    print(f"alpha = {alpha}: loss after 500 steps = {((features @ theta - Y) ** 2).mean():.4g}")

# %% [markdown]
# ## The package beside the course
#
# Every demo and homework of the course is an experiment of `mfdnn`: `mfdnn list` shows them,
# `mfdnn run NAME --profile quick` runs one in seconds (`laptop` reproduces the course's
# result on a 2-core CPU; `full` uses the course's exact settings), and each chapter's notebook
# runs its cheap ones in place with `show_run`.

# %%
from mfdnn.experiments.core.registry import all_experiments

experiments = all_experiments()
print(len(experiments), "experiments, e.g.:")
for name in ("ch1-sgd-variants", "ch3-train", "ch5-vae-mnist", "chA-monte-carlo"):
    print(f"  {name:18s} {experiments[name].title}")
