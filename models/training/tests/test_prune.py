import torch

from nodtrain.net import SlabDetector, default_widths, parameter_count
from nodtrain.prune import kept_channels, prune


def random_net(seed=0):
    torch.manual_seed(seed)
    net = SlabDetector(7, default_widths(base=(16, 32, 48, 64)))
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.1, 0.1)
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    return net.eval()


def test_channels_with_zero_gamma_and_negative_beta_are_removed_without_changing_the_output():
    net = random_net()
    kept = {}
    for name, blk in net.blocks.items():
        n = blk.bn.weight.numel()
        dead = torch.randperm(n)[: n // 2]
        blk.bn.weight.data[dead] = 0.0   # channel outputs relu(beta) = 0: contributes nothing downstream
        blk.bn.bias.data[dead] = -0.05
        kept[name] = sorted(set(range(n)) - set(dead.tolist()))
    small = prune(net, keep=0.5)
    assert {k: v.tolist() for k, v in kept_channels(net, 0.5).items()} == kept
    x = torch.rand(2, 7, 64, 48)
    with torch.no_grad():
        for a, b in zip(net(x), small(x)):
            torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_keeping_half_the_channels_removes_over_60_percent_of_parameters():
    net = random_net()
    small = prune(net, keep=0.5)
    assert parameter_count(small) < 0.4 * parameter_count(net)
    assert all(w % 8 == 0 for w in small.widths.values())


def test_named_block_widths_are_kept_and_the_rest_follow_the_share():
    net = random_net()
    small = prune(net, keep=0.5, widths={"enc3": 24, "dec0": 16})
    assert small.widths["enc3"] == 24 and small.widths["dec0"] == 16
    assert small.widths["enc1"] == 16  # half of 32
    x = torch.rand(1, 7, 64, 64)
    with torch.no_grad():
        heat, reg = small(x)
    assert heat.shape == (1, 1, 32, 32) and reg.shape == (1, 4, 32, 32)


def test_without_a_width_or_a_share_pruning_refuses():
    import pytest
    with pytest.raises(ValueError):
        prune(random_net(), keep=None, widths={"enc3": 24})


def test_the_pipeline_reads_block_widths_from_its_option():
    from nodtrain.pipeline import prune_widths
    assert prune_widths("stem=24, enc3=88,") == {"stem": 24, "enc3": 88}
    assert prune_widths("") == {}
