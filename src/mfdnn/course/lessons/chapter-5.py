# Chapter 5 lesson (unsupervised learning): the source of chapter-5.ipynb.
# Cell markers and the source/run/show directives: mfdnn/course/lessons/__init__.py.
# Lint: names come from the setup cell and from expanded `source` cells (F821), cells import
# where they teach (E402), some only for an expanded `source` cell below (F401), a one-line
# lambda reads as the formula (E731).
# ruff: noqa: E402, E731, F401, F821

# %% [markdown]
# ## 1. Autoencoders and anomaly detection
#
# An autoencoder is an encoder $E$ to a low-dimensional code and a decoder $D$ back, trained
# to reconstruct: $\min \frac1N\sum_i\|X_i - D(E(X_i))\|^2$. What it has not seen, it
# reconstructs badly, so the score $s(X) = \|X - D(E(X))\|^2$ detects anomalies: flag $X$ when
# $s(X)$ exceeds the validation scores' mean by $k$ standard deviations (HW9 P1).

# %% source mfdnn.models.autoencoder:MLPAutoencoder.forward

# %% source mfdnn.models.autoencoder:reconstruction_loss

# %%
from mfdnn.models.autoencoder import MLPAutoencoder

torch.manual_seed(0)
basis = torch.randn(3, 20)
normal = torch.randn(500, 3) @ basis  # normal data: on a 3-dimensional subspace of R^20
anomalies = torch.randn(50, 20) * normal.std()  # anomalies: anywhere
ae = MLPAutoencoder(in_dim=20, hidden=(32,), code_dim=3, image_shape=(20,))
ae.decoder[-1] = nn.Identity()  # real-valued data: no sigmoid at the output
optimizer = torch.optim.Adam(ae.parameters(), lr=3e-3)
for _ in range(500):
    optimizer.zero_grad()
    reconstruction_loss(ae, normal).backward()
    optimizer.step()
with torch.no_grad():
    score = lambda x: ((ae(x) - x) ** 2).sum(1)
    validation = score(torch.randn(200, 3) @ basis)
    threshold = validation.mean() + 3 * validation.std()
    print(f"flagged: {(score(anomalies) > threshold).float().mean():.0%} of the anomalies, "
          f"{(score(torch.randn(200, 3) @ basis) > threshold).float().mean():.0%} of new "
          "normal points")

# %% show hw9-anomaly-detection

# %% [markdown]
# ## 2. Normalizing flows
#
# A flow is an invertible map $z = f(x)$ onto a simple base density $p_Z$; the change of
# variables gives the exact likelihood
#
# $$\log p_X(x) = \log p_Z(f(x)) + \log\left|\det \frac{\partial f}{\partial x}(x)\right|,$$
#
# trained by maximum likelihood. In 1-D (HW9 P2), $f$ can be a mixture of Gaussian CDFs,
# increasing and onto $(0, 1)$, with a uniform base:

# %% run hw9-flow-1d

# %% [markdown]
# **NICE** (Dinh et al. 2014) makes the determinant trivial. An *additive coupling* splits
# $x$ into two halves and shifts one by a network $m$ of the other:
#
# $$z_{on} = x_{on} + m(x_{off}), \quad z_{off} = x_{off}, \qquad
#   x_{on} = z_{on} - m(z_{off}),$$
#
# a block-triangular Jacobian with identity blocks: $\log|\det| = 0$. A final diagonal
# scaling $z = x \odot e^{s}$ adds $\sum_i s_i$, and the base is the standard logistic.

# %% source mfdnn.flows.nice:Coupling._couple

# %% source mfdnn.flows.nice:Coupling.forward_and_log_det

# %% source mfdnn.flows.nice:Scaling.forward_and_log_det

# %% source mfdnn.flows.nice:NICE.forward_and_log_det

# %% source mfdnn.flows.base:Flow.log_prob

# %% [markdown]
# Check the three claims on a small NICE: it inverts exactly, its log-determinant is
# $\sum_i s_i$, and that equals $\log|\det|$ of the autograd Jacobian.

# %%
from mfdnn.flows.nice import NICE

torch.manual_seed(0)
flow = NICE(in_out_dim=6, coupling=4, mid_dim=16, hidden=2).double()
with torch.no_grad():
    flow.scaling.scale.normal_()
x = torch.randn(1, 6, dtype=torch.float64)
z, log_det = flow.forward_and_log_det(x)
jacobian = torch.autograd.functional.jacobian(lambda v: flow(v.reshape(1, 6)), x).reshape(6, 6)
print("max |inverse(forward(x)) - x| =", (flow.inverse(z) - x).abs().max().item())
print(f"log det: sum of s = {flow.scaling.scale.sum().item():.10f}, from the flow "
      f"{log_det.item():.10f}, slogdet of the Jacobian {torch.slogdet(jacobian)[1].item():.10f}")
print("log p(x) =", flow.log_prob(x).item())

# %% show hw10-nice-train

# %% show hw10-flow-inpainting

# %% show hw11-flow-anomaly

# %% show ch5-realnvp

# %% [markdown]
# ## 3. Variational autoencoders
#
# A latent-variable model $p_\theta(x) = \int p_\theta(x\mid z)p_Z(z)\,dz$ has no closed-form
# likelihood. With an encoder $q_\phi(z\mid x)$,
#
# $$\log p_\theta(x) = \underbrace{\mathbb E_{q_\phi}\left[\log p_\theta(x\mid Z)\right]
#   - D_{KL}\big(q_\phi(\cdot\mid x)\,\|\,p_Z\big)}_{\text{ELBO}}
#   + D_{KL}\big(q_\phi(\cdot\mid x)\,\|\,p_\theta(\cdot\mid x)\big) \ \ge\ \text{ELBO}.$$
#
# For $q = \mathcal N(\mu, \operatorname{diag}\sigma^2)$ and $p_Z = \mathcal N(0, I)$ the KL is
# closed-form, and the reparameterisation $Z = \mu + \sigma\odot\varepsilon$ makes the
# reconstruction term differentiable in $\phi$. The IWAE bound $\log\frac1K\sum_k w_k$,
# $w_k = p(x, z_k)/q(z_k\mid x)$, tightens the ELBO as $K$ grows.

# %% source mfdnn.vae.model:reparameterize

# %% source mfdnn.vae.kl:standard_normal_kl

# %% source mfdnn.vae.model:VAE.elbo_terms

# %% source mfdnn.vae.bounds:iwae_bound

# %% source mfdnn.vae.bounds:exact_discrete

# %% [markdown]
# With a discrete latent everything is exact: a 3-component Gaussian mixture in 1-D,
# $p(x, z) = \pi_z\,\mathcal N(x; m_z, 1)$, and any $q(z\mid x)$. The gap between
# $\log p(x)$ and the ELBO is exactly the KL to the posterior:

# %%
x0 = torch.tensor(0.3)
log_joint = torch.log(torch.tensor([0.2, 0.5, 0.3])) + torch.distributions.Normal(
    torch.tensor([-2.0, 0.0, 3.0]), 1.0).log_prob(x0)
log_q = torch.log(torch.tensor([0.1, 0.6, 0.3]))
exact = exact_discrete(log_joint, log_q)
print({k: round(v.item(), 6) for k, v in exact.items()})
print("log p(x) - ELBO - KL(q || posterior) =",
      (exact["log_px"] - exact["elbo"] - exact["kl_to_posterior"]).item())

mu, log_sigma = torch.tensor([0.5, -1.0]), torch.tensor([0.2, -0.3])
samples = reparameterize(mu.expand(200000, 2), log_sigma.expand(200000, 2))
q = torch.distributions.Normal(mu, log_sigma.exp())
monte_carlo = (q.log_prob(samples) - torch.distributions.Normal(0.0, 1.0).log_prob(samples)
               ).sum(1).mean()
print(f"KL(q || N(0, I)): closed form {standard_normal_kl(mu, log_sigma).item():.4f}, "
      f"Monte Carlo {monte_carlo.item():.4f}")

# %% show ch5-vae-mnist

# %% show hw12-swiss-roll-vae

# %% [markdown]
# ## 4. Generative adversarial networks
#
# A generator $G$ maps noise $Z$ to samples and a discriminator $D$ tells them from data:
#
# $$\min_G\max_D\ \mathbb E_X\log D(X) + \mathbb E_Z\log\big(1 - D(G(Z))\big).$$
#
# For a fixed generator with sample density $q$ (data density $p$) the best discriminator is
# $D^\star = p/(p + q)$, and the value at $D^\star$ is $2\,D_{JS}(p, q) - \log 4$: training
# $G$ against the best $D$ minimises the Jensen-Shannon divergence. In PyTorch the losses are
# written with `logsigmoid` of the discriminator's logits:

# %% source mfdnn.gan.losses:discriminator_loss

# %% source mfdnn.gan.losses:generator_loss

# %% source mfdnn.gan.divergences:optimal_discriminator

# %% source mfdnn.gan.divergences:discriminator_value

# %% source mfdnn.gan.divergences:_xlogy

# %% source mfdnn.gan.divergences:jensen_shannon

# %%
torch.manual_seed(0)
p_data, q_model = torch.softmax(torch.randn(6), 0), torch.softmax(torch.randn(6), 0)
d_star = optimal_discriminator(p_data, q_model)
print(f"value at D*: {discriminator_value(p_data, q_model, d_star).item():.6f}; "
      f"2 JS - log 4: {(2 * jensen_shannon(p_data, q_model) - math.log(4)).item():.6f}")
other = (d_star + 0.05 * torch.randn(6)).clamp(0.01, 0.99)
print(f"any other D gives less: {discriminator_value(p_data, q_model, other).item():.6f}")

# %% run ch5-optimal-discriminator

# %% show ch5-gan-toy

# %% show ch5-gan-mnist

# %% show hw12-swiss-roll-gan

# %% [markdown]
# ## 5. Minimax optimisation
#
# A GAN is a minimax problem $\min_\theta\max_\varphi \mathcal L(\theta, \varphi)$, and
# gradient descent-ascent steps both players:
# $\varphi^{k+1} = \varphi^k + \beta\nabla_\varphi\mathcal L$,
# $\theta^{k+1} = \theta^k - \alpha\nabla_\theta\mathcal L$ (simultaneous: both at the old
# point; alternating: $\theta$ at the new $\varphi$). HW12 P1 trains robust logistic
# regression, where an adversary shifts the data by $\varphi$:
# $\mathcal L = \frac1N\sum_i\log(1 + e^{-Y_i(X_i - \varphi)^\top\theta}) -
# \frac\lambda2\|\varphi\|^2$.

# %% source mfdnn.gan.minimax:gradients

# %% source mfdnn.gan.minimax:sgda

# %% run hw12-minimax-logistic

# %% [markdown]
# **Try this.** On the bilinear game $\mathcal L(\theta, \varphi) = \theta\varphi$ (saddle
# point $(0, 0)$), simultaneous GDA spirals *out*, while alternating GDA stays on a bounded
# cycle. Change the step, or the order of the two updates:

# %%
for scheme in ("simultaneous", "alternating"):
    theta, phi = 1.0, 1.0
    for _ in range(200):
        if scheme == "simultaneous":
            theta, phi = theta - 0.1 * phi, phi + 0.1 * theta  # both at the old point
        else:
            phi = phi + 0.1 * theta
            theta = theta - 0.1 * phi  # at the new phi
    print(f"{scheme:12s}: distance from the saddle after 200 steps = "
          f"{math.hypot(theta, phi):.3f} (started at {math.hypot(1, 1):.3f})")

# %% [markdown]
# The Monte Carlo experiments of HW10 (the gambler's ruin by importance sampling, and the
# log-derivative and reparameterisation gradients) are taught in Appendix A.

# %% show hw10-gamblers-ruin

# %% show hw10-gradient-estimators
