"""Image restoration pieces: quality metrics (PSNR, SSIM) and the forward operators of the
inverse problems of Chapter 4 (additive Gaussian noise, average-pooling downsampling)."""
