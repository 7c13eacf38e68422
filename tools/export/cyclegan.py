#!/usr/bin/python3.11
"""CycleGAN ResNet-9-block generator, exported for the translate parity test.

Builds ResnetGenerator exactly as junyanz/pytorch-CycleGAN-and-pix2pix
models/networks.py does for CycleGAN's defaults (netG resnet_9blocks, ngf 64,
norm instance: InstanceNorm2d without affine/running stats, so convolutions
carry biases; reflection padding; no dropout), loads a real state_dict when
--weights is given (e.g. horse2zebra.pth from the repo's
scripts/download_cyclegan_model.sh) or seeds normal(0, 0.02) weights as the
repo's init_weights does, and exports ONNX opset 13 with free H and W.

It also writes the PyTorch reference of the plugin's whole image path for a
real photo: a crop of media/image/skimage_chelsea.png (RGB, x/127.5-1),
reflection-padded at the bottom/right to a multiple of 4, the generator,
(y+1)*127.5 rounded and clamped, cropped back. Outputs in --out:
  cyclegan-resnet9.onnx, cyclegan_input.png (the crop), cyclegan_reference.png

  tools/export/cyclegan.py --out DIR [--weights latest_net_G_A.pth]
"""
import argparse
import os
import pathlib

import numpy as np
import torch
from PIL import Image
from torch import nn

SHARED = pathlib.Path(os.environ.get("NEUROPIPE_SHARED_DIR", pathlib.Path(__file__).resolve().parents[3] / "shared"))
CROP = (40, 60, 130, 126)  # x, y, width, height: 130 is not a multiple of 4, so padding is exercised


class ResnetBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.conv_block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, padding=0, bias=True), nn.InstanceNorm2d(dim), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, padding=0, bias=True), nn.InstanceNorm2d(dim))

    def forward(self, x):
        return x + self.conv_block(x)


class ResnetGenerator(nn.Module):
    def __init__(self, input_nc=3, output_nc=3, ngf=64, n_blocks=9):
        super().__init__()
        model = [nn.ReflectionPad2d(3), nn.Conv2d(input_nc, ngf, 7, padding=0, bias=True), nn.InstanceNorm2d(ngf),
                 nn.ReLU(True)]
        for i in range(2):  # downsampling
            mult = 2 ** i
            model += [nn.Conv2d(ngf * mult, ngf * mult * 2, 3, stride=2, padding=1, bias=True),
                      nn.InstanceNorm2d(ngf * mult * 2), nn.ReLU(True)]
        model += [ResnetBlock(ngf * 4) for _ in range(n_blocks)]
        for i in range(2):  # upsampling
            mult = 2 ** (2 - i)
            model += [nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, 3, stride=2, padding=1, output_padding=1,
                                         bias=True),
                      nn.InstanceNorm2d(ngf * mult // 2), nn.ReLU(True)]
        model += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, output_nc, 7, padding=0), nn.Tanh()]
        self.model = nn.Sequential(*model)

    def forward(self, x):
        return self.model(x)


def seeded(net, seed=0):
    torch.manual_seed(seed)
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            nn.init.zeros_(m.bias)
    return net


def plugin_path(net, rgb):
    """The translate plugin's image path (policy resize with max_size 0) in PyTorch."""
    h, w = rgb.shape[:2]
    padded = np.pad(rgb, ((0, -h % 4), (0, -w % 4), (0, 0)), mode="reflect")  # = BORDER_REFLECT_101
    x = torch.from_numpy(padded.astype(np.float32) / 127.5 - 1.0).permute(2, 0, 1)[None]
    with torch.no_grad():
        y = net(x)[0].permute(1, 2, 0).numpy()
    pixels = np.clip(np.rint((y + 1.0) * 127.5), 0, 255).astype(np.uint8)
    return pixels[:h, :w]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--weights", type=pathlib.Path, help="a real state_dict (.pth); default: seeded weights")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    net = ResnetGenerator()
    if args.weights:
        net.load_state_dict(torch.load(args.weights, map_location="cpu", weights_only=True))
    else:
        seeded(net)
    net.eval()
    torch.onnx.export(net, torch.zeros(1, 3, 64, 64), args.out / "cyclegan-resnet9.onnx", opset_version=13,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {2: "h", 3: "w"}, "output": {2: "h", 3: "w"}})

    photo_path = SHARED / "media/image/skimage_chelsea.png"
    if not photo_path.exists():
        raise SystemExit(f"missing test photo {photo_path} (set NEUROPIPE_SHARED_DIR)")
    x, y, w, h = CROP
    rgb = np.asarray(Image.open(photo_path).convert("RGB"))[y:y + h, x:x + w]
    Image.fromarray(rgb).save(args.out / "cyclegan_input.png")
    Image.fromarray(plugin_path(net, rgb)).save(args.out / "cyclegan_reference.png")
    print(f"wrote {args.out}/cyclegan-resnet9.onnx, cyclegan_input.png, cyclegan_reference.png")


if __name__ == "__main__":
    main()
