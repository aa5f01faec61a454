"""GANs and minimax optimisation (Chapter 5.4): losses, training schemes, DCGAN,
f-divergences and the optimal discriminator, and HW12 P1's SGDA."""

from mfdnn.gan.dcgan import DCGANDiscriminator, DCGANGenerator
from mfdnn.gan.losses import (
    critic_loss,
    discriminator_loss,
    generator_loss,
    gradient_penalty,
    wasserstein_generator_loss,
)
from mfdnn.gan.training import GAN, AlternatingStep, SimultaneousStep

__all__ = [
    "GAN", "AlternatingStep", "DCGANDiscriminator", "DCGANGenerator", "SimultaneousStep",
    "critic_loss", "discriminator_loss", "generator_loss", "gradient_penalty",
    "wasserstein_generator_loss",
]
