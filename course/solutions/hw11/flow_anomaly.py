"""HW11 P3: anomaly detection by NICE log-likelihood.

Split the MNIST test set by random_split into 5000 test / 5000 validation images (seeded);
compute log p(x) of the validation images with the HW10 NICE model (``model(x)`` is log p);
threshold = mean - 3 std; a log-likelihood below it means "anomaly". Type I errors: MNIST
test images below the threshold; type II errors: anomaly images at or above it. KMNIST is
not available offline: Fashion-MNIST test images are the substitute anomalies.

Implement ``log_likelihoods``, ``threshold`` and ``count_errors``.
Self-check: ``mfdnn check hw11 flow_anomaly.py``. ``python flow_anomaly.py nice.pt``.
"""

import sys

import torch


def log_likelihoods(model, images, batch_size=128):
    """model(x) for every image, flattened to 784 values, in batches, without gradients."""
    # BEGIN SOLUTION: batches of flattened images through the model
    out = []
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            out.append(model(images[start:start + batch_size].reshape(-1, 784)))
    return torch.cat(out)
    # END SOLUTION


def threshold(validation_ll):
    """mean - 3 std of the validation log-likelihoods (population std)."""
    # BEGIN SOLUTION: below mean - 3 std is an anomaly
    return (validation_ll.mean() - 3 * validation_ll.std(unbiased=False)).item()
    # END SOLUTION


def count_errors(test_ll, anomaly_ll, limit):
    """(type I errors: test log-likelihoods below ``limit``, type II errors: anomaly
    log-likelihoods at or above it), as two ints."""
    # BEGIN SOLUTION: count both kinds of mistakes
    return int((test_ll < limit).sum()), int((anomaly_ll >= limit).sum())
    # END SOLUTION


if __name__ == "__main__":
    sys.path.insert(0, "../hw10")
    from flow_inpainting import NICE  # the HW10 model (the course shipped it in this file)

    from mfdnn import data

    torch.manual_seed(0)
    model = NICE()
    model.load_state_dict(torch.load(sys.argv[1], map_location="cpu"))
    model.eval()
    mnist = data.load("mnist", "test").float01()
    order = torch.randperm(len(mnist))  # random_split of 10,000 into 5000 / 5000
    test, validation = mnist[order[:5000]], mnist[order[5000:]]
    val_ll = log_likelihoods(model, validation)
    limit = threshold(val_ll)
    anomalies = data.load("fashion-mnist", "test").float01()
    type1, type2 = count_errors(log_likelihoods(model, test), log_likelihoods(model, anomalies),
                                limit)
    print(f"validation mean {val_ll.mean():.1f}, std {val_ll.std(unbiased=False):.1f}, "
          f"threshold {limit:.1f}")
    print(f"{type1} type I errors among {len(test)} data")
    print(f"{type2} type II errors among {len(anomalies)} data")
