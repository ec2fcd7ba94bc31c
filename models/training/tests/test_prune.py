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
