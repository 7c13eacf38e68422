#!/usr/bin/python3.11
"""pix2pix U-Net-256 generator, exported for the translate parity test.

Builds UnetGenerator exactly as junyanz/pytorch-CycleGAN-and-pix2pix
models/networks.py does for pix2pix's defaults (netG unet_256: num_downs 8,
ngf 64, BatchNorm2d so convolutions have no bias except the outermost
up-convolution, dropout in the inner blocks, off at inference: eval()), loads a
real state_dict when --weights is given (e.g. facades_label2photo.pth from the
URL in assets/models.yaml, entry pix2pix-facades-unet) or seeds weights as the
repo's init_weights does (conv normal(0, 0.02), BatchNorm weight normal(1, 0.02),
running statistics from one pass over the test photo),
and exports ONNX opset 13 at the fixed 256x256 size.

It also writes the PyTorch reference of the plugin's image path for a real
photo: a 256x256 crop of media/image/skimage_astronaut.png (RGB, x/127.5-1),
the generator, (y+1)*127.5 rounded and clamped. Outputs in --out:
  pix2pix-unet256.onnx, pix2pix_input.png (the crop), pix2pix_reference.png

  tools/export/pix2pix.py --out DIR [--weights facades_label2photo.pth]

As the store's recipe (`neuropipe models fetch pix2pix-facades-unet`, the
interface every store recipe shares) it writes only the ONNX, from real weights:
  tools/export/pix2pix.py --model pix2pix-facades-unet --weights W.pth --onnx OUT.onnx
"""
import argparse
import os
import pathlib

import numpy as np
import torch
from PIL import Image
from torch import nn

SHARED = pathlib.Path(os.environ.get("NEUROPIPE_SHARED_DIR", pathlib.Path(__file__).resolve().parents[3] / "shared"))
CROP = (120, 40, 256, 256)  # x, y, width, height


class UnetSkipConnectionBlock(nn.Module):
    def __init__(self, outer_nc, inner_nc, input_nc=None, submodule=None, outermost=False, innermost=False,
                 use_dropout=False):
        super().__init__()
        self.outermost = outermost
        input_nc = outer_nc if input_nc is None else input_nc
        downconv = nn.Conv2d(input_nc, inner_nc, kernel_size=4, stride=2, padding=1, bias=False)
        downrelu, downnorm = nn.LeakyReLU(0.2, True), nn.BatchNorm2d(inner_nc)
        uprelu, upnorm = nn.ReLU(True), nn.BatchNorm2d(outer_nc)
        if outermost:
            upconv = nn.ConvTranspose2d(inner_nc * 2, outer_nc, kernel_size=4, stride=2, padding=1)
            model = [downconv, submodule, uprelu, upconv, nn.Tanh()]
        elif innermost:
            upconv = nn.ConvTranspose2d(inner_nc, outer_nc, kernel_size=4, stride=2, padding=1, bias=False)
            model = [downrelu, downconv, uprelu, upconv, upnorm]
        else:
            upconv = nn.ConvTranspose2d(inner_nc * 2, outer_nc, kernel_size=4, stride=2, padding=1, bias=False)
            model = [downrelu, downconv, downnorm, submodule, uprelu, upconv, upnorm]
            if use_dropout:
                model += [nn.Dropout(0.5)]
        self.model = nn.Sequential(*model)

    def forward(self, x):
        return self.model(x) if self.outermost else torch.cat([x, self.model(x)], 1)


class UnetGenerator(nn.Module):
    def __init__(self, input_nc=3, output_nc=3, num_downs=8, ngf=64, use_dropout=True):
        super().__init__()
        block = UnetSkipConnectionBlock(ngf * 8, ngf * 8, innermost=True)
        for _ in range(num_downs - 5):
            block = UnetSkipConnectionBlock(ngf * 8, ngf * 8, submodule=block, use_dropout=use_dropout)
        block = UnetSkipConnectionBlock(ngf * 4, ngf * 8, submodule=block)
        block = UnetSkipConnectionBlock(ngf * 2, ngf * 4, submodule=block)
        block = UnetSkipConnectionBlock(ngf, ngf * 2, submodule=block)
        self.model = UnetSkipConnectionBlock(output_nc, ngf, input_nc=input_nc, submodule=block, outermost=True)

    def forward(self, x):
        return self.model(x)


def seeded(net, seed=0):
    torch.manual_seed(seed)
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return net


def calibrate(net, rgb):
    """Seeded weights only: BatchNorm running statistics from one pass over the
    photo (as if trained on it), so activations keep their scale through the 8
    levels and the 8-bit output spans a real range instead of a flat grey."""
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None  # cumulative average: exactly this pass's statistics
    net.train()
    with torch.no_grad():
        net(torch.from_numpy(rgb.astype(np.float32) / 127.5 - 1.0).permute(2, 0, 1)[None])


def plugin_path(net, rgb):
    """The translate plugin's image path for a fixed-size model fed its own size."""
    x = torch.from_numpy(rgb.astype(np.float32) / 127.5 - 1.0).permute(2, 0, 1)[None]
    with torch.no_grad():
        y = net(x)[0].permute(1, 2, 0).numpy()
    return np.clip(np.rint((y + 1.0) * 127.5), 0, 255).astype(np.uint8)


def load_weights(net, path):
    net.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return net


def export_onnx(net, path):
    net.eval()  # dropout off, BatchNorm from its running statistics
    torch.onnx.export(net, torch.zeros(1, 3, 256, 256), path, opset_version=13,
                      input_names=["input"], output_names=["output"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=pathlib.Path, help="folder for the ONNX and the parity reference")
    parser.add_argument("--weights", type=pathlib.Path, help="a real state_dict (.pth); default: seeded weights")
    parser.add_argument("--onnx", type=pathlib.Path, help="store recipe: write only the ONNX here (needs --weights)")
    parser.add_argument("--model", default="pix2pix", help="store recipe: the manifest entry (for messages)")
    args = parser.parse_args()
    if args.onnx:
        if not args.weights:
            parser.error("--onnx exports real weights: give --weights")
        export_onnx(load_weights(UnetGenerator(), args.weights), args.onnx)
        print(f"{args.model}: U-Net-256 with {args.weights.name} -> {args.onnx}")
        return
    if not args.out:
        parser.error("give --out DIR (or --onnx FILE --weights W as the store does)")
    args.out.mkdir(parents=True, exist_ok=True)

    photo_path = SHARED / "media/image/skimage_astronaut.png"
    if not photo_path.exists():
        raise SystemExit(f"missing test photo {photo_path} (set NEUROPIPE_SHARED_DIR)")
    x, y, w, h = CROP
    rgb = np.ascontiguousarray(np.asarray(Image.open(photo_path).convert("RGB"))[y:y + h, x:x + w])

    net = UnetGenerator()
    if args.weights:
        load_weights(net, args.weights)
    else:
        calibrate(seeded(net), rgb)
    net.eval()  # dropout off, BatchNorm from its running statistics
    export_onnx(net, args.out / "pix2pix-unet256.onnx")
    Image.fromarray(rgb).save(args.out / "pix2pix_input.png")
    Image.fromarray(plugin_path(net, rgb)).save(args.out / "pix2pix_reference.png")
    print(f"wrote {args.out}/pix2pix-unet256.onnx, pix2pix_input.png, pix2pix_reference.png")


if __name__ == "__main__":
    main()
