# Chapter 4 lesson (CNNs for non-classification tasks): the source of chapter-4.ipynb.
# Cell markers and the source/run/show directives: mfdnn/course/lessons/__init__.py.
# Lint: names come from the setup cell and from expanded `source` cells (F821), cells import
# where they teach (E402).
# ruff: noqa: E402, F821

# %% [markdown]
# ## 1. Inverse problems and image quality
#
# Many imaging tasks are inverse problems: recover $X$ from a measurement $Y = A(X) +
# \text{noise}$ (denoising: $A = I$; super-resolution: $A$ blurs and downsamples; segmentation
# predicts a label per pixel). A CNN trained on pairs $(Y_i, X_i)$ learns the inverse map. The
# quality of an estimate is measured by the peak signal-to-noise ratio
#
# $$\operatorname{PSNR}(\hat X, X) = 10\log_{10}\frac{\text{MAX}^2}{\operatorname{MSE}(\hat X, X)}
#   \ \text{dB}.$$

# %% source mfdnn.imaging.quality:mse

# %% source mfdnn.imaging.quality:psnr

# %%
torch.manual_seed(0)
clean = torch.rand(1, 1, 64, 64).cumsum(-1).cumsum(-2)  # a smooth test image
clean = clean / clean.max()
noisy = clean + 25 / 255 * torch.randn_like(clean)  # sigma = 25 on the 0-255 scale
smoothed = F.avg_pool2d(F.pad(noisy, (1, 1, 1, 1), mode="replicate"), 3, stride=1)
print(f"noisy: {psnr(noisy, clean).item():.2f} dB; 3x3 mean filter: "
      f"{psnr(smoothed, clean).item():.2f} dB")

# %% [markdown]
# ## 2. Denoising by residual learning (DnCNN)
#
# DnCNN (Zhang et al. 2017) does not predict the clean image but the noise: a stack of
# $3\times3$ convolutions with batch norm and ReLU computes $f_\theta(Y)$, and the estimate is
#
# $$\hat X = Y - f_\theta(Y), \qquad \text{trained on}\ \ \|f_\theta(Y) - (Y - X)\|^2 .$$

# %% source mfdnn.models.dncnn:DnCNN.forward

# %%
from mfdnn.models.dncnn import DnCNN


def train_tiny_dncnn(residual: bool = True, sigma: float = 25 / 255, steps: int = 150):
    """A DnCNN of depth 5 and width 16, trained on the page on smooth random images."""
    torch.manual_seed(0)
    model = DnCNN(depth=5, channels=16)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    for _ in range(steps):
        x = torch.rand(8, 1, 32, 32).cumsum(-1).cumsum(-2)
        x = x / x.amax(dim=(-1, -2), keepdim=True)
        y = x + sigma * torch.randn_like(x)
        optimizer.zero_grad()
        if residual:
            loss = ((model.residual(y) - (y - x)) ** 2).mean()  # learn the noise Y - X
        else:
            loss = ((model.body(y) - x) ** 2).mean()  # learn X itself
        loss.backward()
        optimizer.step()
    model.eval()
    test = clean + sigma * torch.randn_like(clean)
    with torch.no_grad():
        estimate = model(test) if residual else model.body(test)
    return psnr(test, clean).item(), psnr(estimate, clean).item()


before, after = train_tiny_dncnn()
print(f"tiny DnCNN after 150 steps: {after:.2f} dB (noisy input {before:.2f} dB)")

# %% show ch4-dncnn

# %% [markdown]
# ## 3. Super-resolution: SRCNN and VDSR
#
# Both take the bicubic upsampling $\tilde Y$ of a low-resolution image. SRCNN (9-5-5) maps it
# to $\hat X = f_\theta(\tilde Y)$; VDSR is 20 layers deep and learns only the missing detail,
# $\hat X = \tilde Y + f_\theta(\tilde Y)$ (global residual learning).

# %% source mfdnn.models.superres:SRCNN.forward

# %% source mfdnn.models.superres:VDSR.forward

# %%
from mfdnn.models.superres import SRCNN, VDSR, srcnn_param_count, vdsr_param_count

for net, count in ((SRCNN(), srcnn_param_count()), (VDSR(), vdsr_param_count())):
    print(f"{type(net).__name__}: {sum(q.numel() for q in net.parameters()):,} parameters "
          f"(formula {count:,}); output {tuple(net(torch.zeros(1, 1, 33, 33)).shape)}")

# %% show ch4-super-resolution

# %% [markdown]
# ## 4. Transposed convolution and upsampling (HW8 P1-P2)
#
# A convolution $A$ is linear, and its adjoint $A^\top$ ($\langle Ax, y\rangle = \langle x,
# A^\top y\rangle$) is the **transposed convolution**: each input value scatters a scaled copy
# of the kernel,
#
# $$X[:, :, si : si + f, sj : sj + f] \mathrel{+}= Y[:, k, i, j]\; w[k],$$
#
# so an $m\times m$ input becomes $(m - 1)s + f$ wide. It upsamples, as in U-Net's decoder.

# %% source mfdnn.nn.adjoint:transposed_conv2d

# %% source mfdnn.nn.adjoint:avgpool2_adjoint

# %%
torch.manual_seed(0)
w = torch.randn(2, 3, 3, 3)  # C_in x C_out x f x f
y = torch.randn(1, 2, 4, 4)
print("written out vs F.conv_transpose2d:",
      (transposed_conv2d(y, w, stride=2) - F.conv_transpose2d(y, w, stride=2)).abs().max().item())
x = torch.randn(1, 3, 9, 9)
lhs = (F.conv2d(x, w, stride=2) * y).sum()  # <A x, y>, A = conv2d with weight w
rhs = (x * F.conv_transpose2d(y, w, stride=2)).sum()  # <x, A^T y>
print(f"<Ax, y> = {lhs.item():.6f}, <x, A^T y> = {rhs.item():.6f}")
Y = torch.randn(1, 1, 3, 3)
X = torch.randn(1, 1, 6, 6)
print("HW8 P1: <avgpool X, Y> - <X, (1/4) upsample Y> =",
      ((F.avg_pool2d(X, 2) * Y).sum() - (X * avgpool2_adjoint(Y)).sum()).item())

# %% run ch4-transposed-conv

# %% [markdown]
# ## 5. Semantic segmentation: U-Net
#
# U-Net encodes the image through convolutions and poolings, then decodes it with transposed
# convolutions, **concatenating** at each level the encoder's features of the same size (the
# skip connections), and ends with a $1\times1$ convolution to one score per class and pixel,
# trained by the per-pixel cross-entropy.

# %% source mfdnn.models.unet:UNet.forward

# %%
from mfdnn.models.unet import UNet

net = UNet(in_channels=1, num_classes=2, widths=(8, 16, 32))
print("U-Net output:", tuple(net(torch.zeros(2, 1, 32, 32)).shape), "(a score per class and "
      "pixel);", sum(q.numel() for q in net.parameters()), "parameters")

# %% show ch4-segmentation

# %% [markdown]
# **Try this.** Train the tiny DnCNN without the residual (predict $X$ directly) and with twice
# the noise, and compare the PSNR after the same number of steps. Which wins here? (These
# smooth toy images are themselves easy to predict; the DnCNN paper's case for the residual
# is natural images, where the noise is the simpler target: see `ch4-dncnn` at `laptop`.)

# %%
print(f"residual=True  sigma=25: {before:.2f} dB -> {after:.2f} dB (above)")
for residual, sigma in ((False, 25 / 255), (True, 50 / 255)):
    before, after = train_tiny_dncnn(residual, sigma)
    print(f"residual={residual!s:5s} sigma={sigma * 255:.0f}: {before:.2f} dB -> {after:.2f} dB")
