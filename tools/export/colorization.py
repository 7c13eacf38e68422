#!/usr/bin/python3.11
"""Zhang et al. colorizers (ECCV 2016 and SIGGRAPH 2017), exported for the colorize plugin.

Builds the two generators exactly as richzhang/colorization colorizers/eccv16.py
and colorizers/siggraph17.py do (same layers, same state_dict keys, the
L/ab normalisation of base_color.py), loads the released weights when given
(--weights: colorization_release_v2-9b330a0b.pth or siggraph17-df00044c.pth, the
upstream_url of the manifest entries colorization-eccv16 / colorization-siggraph17)
or seeds deterministic random weights, and exports ONNX opset 13 at 256x256:

  ECCV16     input_l [1,1,256,256] (Lab L, 0..100) -> logits_313 [1,313,64,64]
             the class logits (conv8_313) BEFORE the softmax, so the plugin can
             do the paper's annealed mean (softmax(z/T) . ab bins, T = 0.38);
             upstream's own forward is the T = 1 mean of the same logits.
  SIGGRAPH17 input_l [1,1,256,256] -> ab [1,2,256,256] (ab units, no user hints)

The 313 ab bin centres ("pts_in_hull") are AB_BIN_COLUMNS below: the released
resources/pts_in_hull.npy of richzhang/colorization, sorted by a then b, written
as the b range of each a column of the 10-unit grid. With --bins-out the recipe
writes them as the text file the plugin reads (assets/colorize/ab_bins_313.txt);
with real ECCV16 weights it checks them against model_out (whose 1x1 weights
are the bins / 110 in the released file).

Two ways to run it:
  colorization.py --out DIR [--bins-out FILE]
      both generators with seeded weights + the PyTorch reference of the plugin's
      whole image path for a real photo (what the parity test reads):
      colorization-eccv16.onnx, colorization-siggraph17.onnx, colorize_input.png,
      {eccv16,siggraph17}_reference.png (8-bit result), {eccv16,siggraph17}_ab256.f32
      (the ab planes at 256x256 before the final resize, float32 [2,256,256]).
  colorization.py --model colorization-eccv16 --weights FILE.pth --onnx OUT.onnx
      the store's recipe interface (`neuropipe models fetch colorization-eccv16`).

Seeded weights: PyTorch's default initialisation under torch.manual_seed, then the
BatchNorm running statistics from one pass over the test photo's L (as if trained
on it, so activations keep their scale through the blocks), then the output layer
scaled so the ECCV16 logits have a standard deviation of 2 (a peaked, non-uniform
distribution over the bins) and the SIGGRAPH17 pre-tanh output one of 0.5. The
colours they produce are arbitrary; only the real weights colourise sensibly.
"""
import argparse
import os
import pathlib

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

SHARED = pathlib.Path(os.environ.get("NEUROPIPE_SHARED_DIR", pathlib.Path(__file__).resolve().parents[3] / "shared"))
PHOTO = "media/image/skimage_chelsea.png"  # 451x300 colour photo: both resizes are exercised
SIZE = 256
TEMPERATURE = 0.38

# pts_in_hull.npy as {a: (lowest b, highest b)}: every b from lowest to highest
# in steps of 10 is a bin. 313 bins in all (checked in ab_bins()).
AB_BIN_COLUMNS = {
    -90: (50, 90), -80: (20, 90), -70: (0, 90), -60: (-20, 90), -50: (-30, 100),
    -40: (-40, 100), -30: (-50, 100), -20: (-50, 100), -10: (-60, 100), 0: (-70, 100),
    10: (-80, 90), 20: (-80, 90), 30: (-90, 90), 40: (-100, 90), 50: (-100, 80),
    60: (-110, 80), 70: (-110, 80), 80: (-110, 70), 90: (-110, 70), 100: (-90, 0),
}


def ab_bins():
    """The 313 bin centres [313, 2] (a, b), in pts_in_hull.npy order."""
    bins = np.array([(a, b) for a, (lo, hi) in sorted(AB_BIN_COLUMNS.items()) for b in range(lo, hi + 1, 10)],
                    dtype=np.float64)
    assert bins.shape == (313, 2), bins.shape
    return bins


def write_bins(path):
    lines = ["# The 313 quantised ab bins of Zhang et al. (ECCV 2016), in-gamut points of the",
             "# 10-unit ab grid: richzhang/colorization resources/pts_in_hull.npy, same order.",
             "# Written by tools/export/colorization.py --bins-out (table AB_BIN_COLUMNS).",
             "# One bin per line: a b"]
    lines += [f"{int(a)} {int(b)}" for a, b in ab_bins()]
    pathlib.Path(path).write_text("\n".join(lines) + "\n")


class BaseColor(nn.Module):
    """colorizers/base_color.py: L centred at 50 and divided by 100, ab divided by 110."""

    def __init__(self):
        super().__init__()
        self.l_cent, self.l_norm, self.ab_norm = 50.0, 100.0, 110.0

    def normalize_l(self, in_l):
        return (in_l - self.l_cent) / self.l_norm

    def normalize_ab(self, in_ab):
        return in_ab / self.ab_norm

    def unnormalize_ab(self, in_ab):
        return in_ab * self.ab_norm


def conv_block(channels, stride_last=1, dilation=1, norm=True, leading_relu=False):
    """Conv-ReLU pairs (3x3, padding = dilation), the last conv with stride_last,
    then BatchNorm: the layer lists of eccv16.py/siggraph17.py, same indices."""
    layers = [nn.ReLU(True)] if leading_relu else []
    for i, (cin, cout) in enumerate(zip(channels[:-1], channels[1:])):
        stride = stride_last if i == len(channels) - 2 else 1
        layers += [nn.Conv2d(cin, cout, 3, stride=stride, padding=dilation, dilation=dilation, bias=True),
                   nn.ReLU(True)]
    if norm:
        layers.append(nn.BatchNorm2d(channels[-1]))
    return nn.Sequential(*layers)


class ECCVGenerator(BaseColor):
    def __init__(self):
        super().__init__()
        self.model1 = conv_block([1, 64, 64], stride_last=2)
        self.model2 = conv_block([64, 128, 128], stride_last=2)
        self.model3 = conv_block([128, 256, 256, 256], stride_last=2)
        self.model4 = conv_block([256, 512, 512, 512])
        self.model5 = conv_block([512, 512, 512, 512], dilation=2)
        self.model6 = conv_block([512, 512, 512, 512], dilation=2)
        self.model7 = conv_block([512, 512, 512, 512])
        self.model8 = nn.Sequential(
            nn.ConvTranspose2d(512, 256, kernel_size=4, stride=2, padding=1, bias=True), nn.ReLU(True),
            nn.Conv2d(256, 256, 3, padding=1, bias=True), nn.ReLU(True),
            nn.Conv2d(256, 256, 3, padding=1, bias=True), nn.ReLU(True),
            nn.Conv2d(256, 313, kernel_size=1, bias=True))
        self.softmax = nn.Softmax(dim=1)
        self.model_out = nn.Conv2d(313, 2, kernel_size=1, bias=False)
        self.upsample4 = nn.Upsample(scale_factor=4, mode="bilinear")

    def logits(self, input_l):
        x = self.model1(self.normalize_l(input_l))
        for block in (self.model2, self.model3, self.model4, self.model5, self.model6, self.model7, self.model8):
            x = block(x)
        return x

    def forward(self, input_l):  # upstream's output: the T = 1 mean, upsampled x4
        return self.unnormalize_ab(self.upsample4(self.model_out(self.softmax(self.logits(input_l)))))


class SIGGRAPHGenerator(BaseColor):
    def __init__(self, classes=529):
        super().__init__()
        self.model1 = conv_block([4, 64, 64])
        self.model2 = conv_block([64, 128, 128])
        self.model3 = conv_block([128, 256, 256, 256])
        self.model4 = conv_block([256, 512, 512, 512])
        self.model5 = conv_block([512, 512, 512, 512], dilation=2)
        self.model6 = conv_block([512, 512, 512, 512], dilation=2)
        self.model7 = conv_block([512, 512, 512, 512])
        self.model8up = nn.Sequential(nn.ConvTranspose2d(512, 256, kernel_size=4, stride=2, padding=1, bias=True))
        self.model3short8 = nn.Sequential(nn.Conv2d(256, 256, 3, padding=1, bias=True))
        self.model8 = conv_block([256, 256, 256], leading_relu=True)
        self.model9up = nn.Sequential(nn.ConvTranspose2d(256, 128, kernel_size=4, stride=2, padding=1, bias=True))
        self.model2short9 = nn.Sequential(nn.Conv2d(128, 128, 3, padding=1, bias=True))
        self.model9 = conv_block([128, 128], leading_relu=True)
        self.model10up = nn.Sequential(nn.ConvTranspose2d(128, 128, kernel_size=4, stride=2, padding=1, bias=True))
        self.model1short10 = nn.Sequential(nn.Conv2d(64, 128, 3, padding=1, bias=True))
        self.model10 = nn.Sequential(nn.ReLU(True), nn.Conv2d(128, 128, 3, padding=1, bias=True),
                                     nn.LeakyReLU(negative_slope=0.2))
        self.model_class = nn.Sequential(nn.Conv2d(256, classes, kernel_size=1, bias=True))  # unused here
        self.model_out = nn.Sequential(nn.Conv2d(128, 2, kernel_size=1, bias=True), nn.Tanh())
        self.upsample4 = nn.Sequential(nn.Upsample(scale_factor=4, mode="bilinear"))
        self.softmax = nn.Sequential(nn.Softmax(dim=1))

    def forward(self, input_A, input_B=None, mask_B=None):  # noqa: N803 (upstream names)
        if input_B is None:  # no user colour hints
            input_B = torch.cat((input_A * 0, input_A * 0), dim=1)
        if mask_B is None:
            mask_B = input_A * 0
        conv1_2 = self.model1(torch.cat((self.normalize_l(input_A), self.normalize_ab(input_B), mask_B), dim=1))
        conv2_2 = self.model2(conv1_2[:, :, ::2, ::2])
        conv3_3 = self.model3(conv2_2[:, :, ::2, ::2])
        conv4_3 = self.model4(conv3_3[:, :, ::2, ::2])
        conv7_3 = self.model7(self.model6(self.model5(conv4_3)))
        conv8_3 = self.model8(self.model8up(conv7_3) + self.model3short8(conv3_3))
        conv9_3 = self.model9(self.model9up(conv8_3) + self.model2short9(conv2_2))
        conv10_2 = self.model10(self.model10up(conv9_3) + self.model1short10(conv1_2))
        return self.unnormalize_ab(self.model_out(conv10_2))


class ECCVLogits(nn.Module):
    """What the ECCV16 ONNX holds: the network up to the 313 class logits."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, input_l):
        return self.net.logits(input_l)


MODELS = {  # manifest name -> (builder, ONNX file, graph output, export wrapper)
    "colorization-eccv16": (ECCVGenerator, "colorization-eccv16.onnx", "logits_313", ECCVLogits),
    "colorization-siggraph17": (SIGGRAPHGenerator, "colorization-siggraph17.onnx", "ab", lambda net: net),
}


# ---- colour conversion: skimage.color.rgb2lab / lab2rgb (D65, 2 degrees), float64
XYZ_FROM_RGB = torch.tensor([[0.412453, 0.357580, 0.180423],
                             [0.212671, 0.715160, 0.072169],
                             [0.019334, 0.119193, 0.950227]], dtype=torch.float64)
WHITE_D65 = torch.tensor([0.95047, 1.0, 1.08883], dtype=torch.float64)


def rgb2lab(rgb):
    """[H,W,3] float64 in [0,1] -> [H,W,3] Lab."""
    linear = torch.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = linear @ XYZ_FROM_RGB.T / WHITE_D65
    f = torch.where(xyz > 0.008856, xyz.clamp(min=0) ** (1.0 / 3.0), 7.787 * xyz + 16.0 / 116.0)
    return torch.stack([116.0 * f[..., 1] - 16.0, 500.0 * (f[..., 0] - f[..., 1]), 200.0 * (f[..., 1] - f[..., 2])],
                       dim=-1)


def lab2rgb(lab):
    """[H,W,3] Lab -> [H,W,3] float64 in [0,1] (z < 0 set to 0 and the result clipped, as skimage does)."""
    fy = (lab[..., 0] + 16.0) / 116.0
    fx = lab[..., 1] / 500.0 + fy
    fz = (fy - lab[..., 2] / 200.0).clamp(min=0)
    f = torch.stack([fx, fy, fz], dim=-1)
    xyz = torch.where(f > 0.2068966, f ** 3, (f - 16.0 / 116.0) / 7.787) * WHITE_D65
    linear = xyz @ torch.linalg.inv(XYZ_FROM_RGB).T
    srgb = torch.where(linear > 0.0031308, 1.055 * linear.clamp(min=0) ** (1 / 2.4) - 0.055, linear * 12.92)
    return srgb.clamp(0.0, 1.0)


def annealed_mean(logits, bins, temperature=TEMPERATURE):
    """[1,313,h,w] logits -> [1,2,h,w] ab: sum_q softmax(z/T)_q * bin_q."""
    p = torch.softmax(logits.double() / temperature, dim=1)
    return torch.einsum("nqhw,qc->nchw", p, torch.from_numpy(bins))


def network_l(rgb_u8):
    """The plugin's network input: L of the whole image, resized (bilinear) to 256x256."""
    lab = rgb2lab(torch.from_numpy(np.array(rgb_u8)).double() / 255.0)
    l_full = lab[..., 0].float()[None, None]
    return l_full, F.interpolate(l_full, size=(SIZE, SIZE), mode="bilinear", align_corners=False)


def ab_at_256(name, net, l_256):
    with torch.no_grad():
        if name == "colorization-eccv16":
            ab = annealed_mean(net.logits(l_256), ab_bins()).float()
            return F.interpolate(ab, scale_factor=4, mode="bilinear", align_corners=False)
        return net(l_256)


def plugin_path(name, net, rgb_u8):
    """The colorize plugin's whole image path (strength 1): returns (ab at 256, 8-bit RGB result)."""
    l_full, l_256 = network_l(rgb_u8)
    ab256 = ab_at_256(name, net, l_256)
    ab_full = F.interpolate(ab256, size=l_full.shape[2:], mode="bilinear", align_corners=False)
    lab = torch.cat([l_full, ab_full], dim=1)[0].permute(1, 2, 0).double()
    rgb = lab2rgb(lab).numpy()
    return ab256[0].numpy(), np.clip(np.rint(rgb * 255.0), 0, 255).astype(np.uint8)


def seeded(name, rgb_u8, seed=0):
    """Deterministic random weights with non-degenerate outputs (see the module doc)."""
    torch.manual_seed(seed)
    builder, _, _, _ = MODELS[name]
    net = builder()
    if name == "colorization-eccv16":  # model_out as released: the bins / ab_norm
        net.model_out.weight.data = torch.from_numpy(ab_bins().T / 110.0).float()[:, :, None, None]
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None  # cumulative average: exactly this pass's statistics
    _, l_256 = network_l(rgb_u8)
    net.train()
    with torch.no_grad():
        net(l_256)
    net.eval()
    eccv = name == "colorization-eccv16"
    last = net.model8[-1] if eccv else net.model_out[0]
    with torch.no_grad():
        out = pre_output(net, last, l_256)
        scale = (2.0 if eccv else 0.5) / out.std().item()
        centre = torch.zeros_like(last.bias) if eccv else out.mean(dim=(0, 2, 3))  # tanh: centred, unsaturated
        last.weight.mul_(scale)
        last.bias.sub_(centre).mul_(scale)
    return net


def pre_output(net, layer, l_256):
    """What `layer` (the output convolution) produces for the photo."""
    seen = []
    hook = layer.register_forward_hook(lambda module, inputs, output: seen.append(output))
    net(l_256)
    hook.remove()
    return seen[0]


def load_real(name, weights):
    builder, _, _, _ = MODELS[name]
    net = builder()
    net.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    net.eval()
    if name == "colorization-eccv16":
        released = net.model_out.weight.detach()[:, :, 0, 0].T.double().numpy() * 110.0
        if not np.allclose(released, ab_bins(), atol=1e-3):
            raise SystemExit("the ab bins of AB_BIN_COLUMNS differ from model_out of " + str(weights))
    return net


def export(name, net, onnx_path):
    _, _, output, wrap = MODELS[name]
    torch.onnx.export(wrap(net).eval(), torch.full((1, 1, SIZE, SIZE), 50.0), onnx_path, opset_version=13,
                      input_names=["input_l"], output_names=[output])


def read_photo():
    path = SHARED / PHOTO
    if not path.exists():
        raise SystemExit(f"missing test photo {path} (set NEUROPIPE_SHARED_DIR)")
    return np.ascontiguousarray(np.asarray(Image.open(path).convert("RGB")))


def export_ci(out):
    """Both generators, seeded, with the plugin-path references for the parity test."""
    out.mkdir(parents=True, exist_ok=True)
    rgb = read_photo()
    Image.fromarray(rgb).save(out / "colorize_input.png")
    for name, (_, onnx_file, _, _) in MODELS.items():
        net = seeded(name, rgb)
        export(name, net, out / onnx_file)
        ab256, result = plugin_path(name, net, rgb)
        short = name.split("-")[1]
        ab256.astype("<f4").tofile(out / f"{short}_ab256.f32")
        Image.fromarray(result).save(out / f"{short}_reference.png")
        print(f"{name}: ab at 256 in [{ab256.min():.1f}, {ab256.max():.1f}], std {ab256.std():.1f}")
    print(f"wrote {out}: colorization-eccv16.onnx, colorization-siggraph17.onnx, colorize_input.png, "
          "{eccv16,siggraph17}_reference.png, {eccv16,siggraph17}_ab256.f32")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=pathlib.Path, help="CI mode: seeded exports + parity references here")
    parser.add_argument("--bins-out", type=pathlib.Path, help="write the 313 ab bins as text (assets file)")
    parser.add_argument("--model", choices=sorted(MODELS), help="store mode: the manifest entry to export")
    parser.add_argument("--weights", type=pathlib.Path, help="store mode: the released state_dict (.pth)")
    parser.add_argument("--onnx", type=pathlib.Path, help="store mode: where to write the ONNX")
    args = parser.parse_args()
    if args.bins_out:
        write_bins(args.bins_out)
        print(f"wrote {args.bins_out}")
    if args.out:
        export_ci(args.out)
    if args.model:
        if not args.onnx:
            parser.error("--model needs --onnx")
        net = load_real(args.model, args.weights) if args.weights else seeded(args.model, read_photo())
        export(args.model, net, args.onnx)
        print(f"wrote {args.onnx}")
    if not (args.bins_out or args.out or args.model):
        parser.error("nothing to do: give --out, --model/--onnx or --bins-out")


if __name__ == "__main__":
    main()
