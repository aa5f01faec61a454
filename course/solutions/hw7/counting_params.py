"""HW7 P2: are linear layers compute-heavy? Parameters and multiply-adds of AlexNet.

The torchvision-style AlexNet for a 3 x 227 x 227 input keeps most of its parameters in the
linear layers but spends most of its multiply-adds in the convolutions. Convention: one
multiply-add per weight use; a convolution costs H_out W_out C_out C_in k^2, a linear layer
in * out; biases, pooling and activations are not counted.

Implement ``count_macs``. Self-check: ``mfdnn check hw7 counting_params.py``.
"""

import torch
import torch.nn as nn


def alexnet():
    return nn.Sequential(
        nn.Conv2d(3, 64, 11, stride=4), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(),
        nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.AdaptiveAvgPool2d(6), nn.Flatten(),
        nn.Dropout(), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(),
        nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(),
        nn.Linear(4096, 1000))


def count_macs(model, input_shape):
    """Multiply-adds of every Conv2d and Linear layer of ``model`` for one input of shape
    ``input_shape`` (without the batch axis): a dict {module name: count}, where a module's
    name is its name in model.named_modules()."""
    # BEGIN SOLUTION: forward hooks that read each layer's output size
    counts, hooks = {}, []

    def hook(name):
        def record(module, inputs, output):
            if isinstance(module, nn.Conv2d):
                k = module.kernel_size[0] * module.kernel_size[1]
                counts[name] = output[0].numel() * module.in_channels * k // module.groups
            else:
                counts[name] = module.in_features * module.out_features
        return record

    for name, module in model.named_modules():
        if isinstance(module, nn.Conv2d | nn.Linear):
            hooks.append(module.register_forward_hook(hook(name)))
    with torch.no_grad():
        model(torch.zeros(1, *input_shape))
    for h in hooks:
        h.remove()
    return counts
    # END SOLUTION


if __name__ == "__main__":
    model = alexnet()
    conv = sum(p.numel() for m in model.modules() if isinstance(m, nn.Conv2d)
               for p in m.parameters())
    linear = sum(p.numel() for m in model.modules() if isinstance(m, nn.Linear)
                 for p in m.parameters())
    print(f"parameters: conv {conv:,} ({conv / (conv + linear):.1%}), "
          f"linear {linear:,} ({linear / (conv + linear):.1%})")
    macs = count_macs(model, (3, 227, 227))
    kinds = {name: type(dict(model.named_modules())[name]).__name__ for name in macs}
    for name, count in macs.items():
        print(f"{name:>3} {kinds[name]:<7} {count:>13,}")
    conv_macs = sum(c for n, c in macs.items() if kinds[n] == "Conv2d")
    linear_macs = sum(c for n, c in macs.items() if kinds[n] == "Linear")
    total = conv_macs + linear_macs
    print(f"multiply-adds: conv {conv_macs:,} ({conv_macs / total:.1%}), "
          f"linear {linear_macs:,} ({linear_macs / total:.1%})")
