"""ResNet nesting, the v1 / v1.5 / v2 blocks, ResNeXt's three equal forms, SE modules."""

import pytest
import torch
from torch import nn

from mfdnn.analysis import count_macs, count_parameters
from mfdnn.models.resnet import BasicBlock, Bottleneck, cifar_resnet, resnet
from mfdnn.models.resnext import ConcatSTM, GroupedSTM, STMConvLayer, stm_param_count
from mfdnn.models.senet import SEModule

pytestmark = pytest.mark.hw6


def zero_residual(block: nn.Module) -> None:
    """The last BN of the residual branch outputs 0, so the block is ReLU(x) = x for x >= 0."""
    last = block.bn3 if isinstance(block, Bottleneck) else block.bn2
    with torch.no_grad():
        last.weight.zero_()
        last.bias.zero_()


def test_resnet18_embeds_in_resnet34_with_zeroed_blocks():
    torch.manual_seed(0)
    small, big = resnet(18, stem="small", num_classes=10), resnet(34, stem="small", num_classes=10)
    for name in ("conv1", "bn1", "fc"):
        getattr(big, name).load_state_dict(getattr(small, name).state_dict())
    for stage in range(1, 5):
        src, dst = getattr(small, f"layer{stage}"), getattr(big, f"layer{stage}")
        for i, block in enumerate(dst):
            if i < len(src):
                block.load_state_dict(src[i].state_dict())
            else:
                zero_residual(block)
    small.eval(), big.eval()
    x = torch.randn(2, 3, 16, 16)
    torch.testing.assert_close(big(x), small(x), rtol=1e-5, atol=1e-5)


def test_a_zeroed_block_is_the_identity_on_nonnegative_inputs():
    torch.manual_seed(0)
    block = BasicBlock(8, 8).eval()
    zero_residual(block)
    x = torch.rand(2, 8, 5, 5)
    torch.testing.assert_close(block(x), x)


def test_v1_and_v1_5_differ_only_in_where_the_stride_sits():
    with torch.device("meta"):
        v1, v15 = resnet(50, version="v1"), resnet(50, version="v1.5")
    assert count_parameters(v1) == count_parameters(v15) == 25_557_032
    assert v1.layer2[0].conv1.stride == (2, 2) and v1.layer2[0].conv2.stride == (1, 1)
    assert v15.layer2[0].conv1.stride == (1, 1) and v15.layer2[0].conv2.stride == (2, 2)
    # the stride-2 1x1 of v1 skips 3/4 of its input: fewer multiply-adds
    assert count_macs(v1, (3, 224, 224)) < count_macs(v15, (3, 224, 224))


def test_v2_preactivation_network_runs_and_counts():
    torch.manual_seed(0)
    model = resnet(18, version="v2", stem="small", num_classes=10).eval()
    assert model(torch.randn(2, 3, 16, 16)).shape == (2, 10)
    assert isinstance(model.bn1, nn.Identity)  # no BN in the stem: the first block has one
    v1 = resnet(18, version="v1", stem="small", num_classes=10)
    # v2 drops the stem BN (2*64) and the projection BNs (2*(128+256+512)), adds a final BN
    # (2*512) and moves each block's first BN to its input: 2*(64+128+256) fewer in stages 2-4
    drop = 2 * 64 + 2 * (128 + 256 + 512) - 2 * 512 + 2 * (128 + 256 + 512 - 64 - 128 - 256)
    assert count_parameters(v1) - count_parameters(model) == drop


@pytest.mark.parametrize("depth, published", [(20, 272_474), (56, 855_770)])
def test_cifar_resnets_have_the_course_counts(depth, published):
    with torch.device("meta"):
        assert count_parameters(cifar_resnet(depth)) == published
    with pytest.raises(ValueError):
        cifar_resnet(21)


def test_the_three_resnext_forms_are_equal():
    torch.manual_seed(0)
    stm = STMConvLayer(16, 16, cardinality=8, width=4).double()
    x = torch.randn(2, 16, 6, 6, dtype=torch.float64)
    y = stm(x)
    assert y.shape == x.shape
    torch.testing.assert_close(ConcatSTM.from_paths(stm)(x), y, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(GroupedSTM.from_paths(stm)(x), y, rtol=1e-12, atol=1e-12)


def test_stm_counts_of_hw6():
    assert count_parameters(STMConvLayer()) == stm_param_count() == 78_592
    # the grouped form shares one final bias instead of 32
    assert count_parameters(GroupedSTM()) == 78_592 - 31 * 256


def test_se_module_rescales_channels_by_a_gate_in_0_1():
    torch.manual_seed(0)
    se = SEModule(32, reduction=16)
    x = torch.rand(3, 32, 4, 4)
    y = se(x)
    gate = y / x
    assert torch.allclose(gate, gate[:, :, :1, :1].expand_as(gate))  # one factor per channel
    assert gate.min() > 0 and gate.max() < 1
    assert count_parameters(se) == 2 * 32 * 2 + 2 + 32
