"""Looking at networks without training them: parameter and multiply-add counts, output
sizes and receptive fields, BatchNorm folding, fully connected layers as convolutions."""

from mfdnn.analysis.bn_fold import copy_folded, fold_batchnorm, folded_weight_and_bias
from mfdnn.analysis.fc_conv import copy_linear_into_conv, linear_to_conv
from mfdnn.analysis.macs import (
    LayerCost,
    conv2d_macs,
    count_activations,
    count_macs,
    layer_costs,
    linear_macs,
    macs_by_kind,
)
from mfdnn.analysis.params import (
    conv2d_params,
    count_parameters,
    effective_numel,
    linear_params,
    parameters_by_kind,
)
from mfdnn.analysis.signal import layer_stds
from mfdnn.analysis.sizes import (
    Field,
    conv_output_size,
    input_support,
    input_window,
    receptive_field,
    support_box,
)

__all__ = [
    "Field", "LayerCost", "conv2d_macs", "conv2d_params", "conv_output_size", "copy_folded",
    "copy_linear_into_conv", "count_activations", "count_macs", "count_parameters",
    "effective_numel", "fold_batchnorm", "folded_weight_and_bias", "input_support", "input_window",
    "layer_costs", "layer_stds", "linear_macs", "linear_params", "linear_to_conv",
    "macs_by_kind", "parameters_by_kind", "receptive_field", "support_box",
]
