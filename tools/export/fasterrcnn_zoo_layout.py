#!/usr/bin/python3.11
"""A Faster R-CNN with the ONNX model zoo FasterRCNN-10 I/O contract, built
from the real torchvision architecture, to prove the detect plugin's zoo path
offline (the zoo file itself cannot be downloaded here).

The zoo model (maskrcnn-benchmark R-50-FPN) takes one image [3,H,W]: BGR
0..255 minus the mean (102.9801, 115.9465, 122.7717), no batch dimension, any
size with sides a multiple of 32 (callers resize the shorter side to 800 and
zero-pad after subtracting the mean); it returns boxes [N,4] (x1,y1,x2,y2 in
the input's pixels), labels [N] int64 (COCO's 80 classes numbered 1..80, 0 =
background) and scores [N], as outputs "6379", "6381", "6383".

This wraps torchvision's fasterrcnn_mobilenet_v3_large_320_fpn with 81 classes
(background + 80, the zoo's numbering) and deterministic random weights (as
export_models.py seeds them, with the sharper heads) so that it takes exactly
that input and returns exactly those outputs. It also writes PyTorch's
reference of the detect plugin's whole zoo path for messi5.jpg: the photo at
its own size (shorter side 342 = the plugin's input_size, so no resampling),
BGR minus mean, zero-padded to 352x576, the model, boxes mapped back onto the
548x342 photo (scale 1) and clipped to it.

    tools/export/fasterrcnn_zoo_layout.py [--out DIR] [--force]   (default: $NEUROPIPE_CACHE_DIR/exports)
Writes fasterrcnn_zoo_layout.onnx, .input_0.pb (the padded tensor), .output_K.pb
(raw outputs) and, last, .plugin_boxes.pb (the boxes on the photo): when that
one exists the export is complete and is kept unless --force.
"""
import argparse
import math
import os
import pathlib

import numpy as np
import onnx
import torch
import torchvision
from PIL import Image

import export_models

ZOO_MEAN_BGR = [102.9801, 115.9465, 122.7717]
SIZE_MULTIPLE = 32
OUTPUT_NAMES = ["6379", "6381", "6383"]
PHOTO = "opencv_messi5.jpg"


class ZooLayout(torch.nn.Module):
    """[3,H,W] BGR minus the zoo mean -> the torchvision detector -> boxes, labels, scores."""

    def __init__(self, detector):
        super().__init__()
        self.detector = detector
        self.register_buffer("mean_bgr", torch.tensor(ZOO_MEAN_BGR)[:, None, None])
        self.register_buffer("bgr_to_rgb", torch.tensor([2, 1, 0]))

    def forward(self, image):
        rgb01 = torch.index_select(image + self.mean_bgr, 0, self.bgr_to_rgb) / 255.0
        out = self.detector([rgb01])[0]  # resizes inside; boxes come back in `image` pixels
        return out["boxes"], out["labels"], out["scores"]


def build():
    torch.manual_seed(0)
    detector = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(
        weights=None, weights_backbone=None, num_classes=81, box_score_thresh=0.0)
    detector = export_models.seed_everything(detector)
    export_models.spread_random_scores("fasterrcnn_mobilenet_v3_large_320_fpn", detector)
    return ZooLayout(detector).eval()


def zoo_input(bgr):
    """The zoo's pre-processing after the resize: float BGR minus mean, CHW,
    zero-padded (after the subtraction) to sides that are multiples of 32."""
    chw = torch.from_numpy(np.ascontiguousarray(bgr.transpose(2, 0, 1))).float()
    chw = chw - torch.tensor(ZOO_MEAN_BGR)[:, None, None]
    h, w = chw.shape[1:]
    padded = torch.zeros(3, math.ceil(h / SIZE_MULTIPLE) * SIZE_MULTIPLE, math.ceil(w / SIZE_MULTIPLE) * SIZE_MULTIPLE)
    padded[:, :h, :w] = chw
    return padded


def rename_outputs(onnx_path, names):
    """torch.onnx names outputs only with identifiers; the zoo's are numbers."""
    model = onnx.load(str(onnx_path))
    for output, name in zip(model.graph.output, names):
        old = output.name
        for node in model.graph.node:
            node.output[:] = [name if o == old else o for o in node.output]
            node.input[:] = [name if i == old else i for i in node.input]
        output.name = name
    onnx.checker.check_model(model)
    onnx.save(model, str(onnx_path))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cache = pathlib.Path(os.environ.get("NEUROPIPE_CACHE_DIR", pathlib.Path(
        os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache")) / "neuropipe"))
    parser.add_argument("--out", type=pathlib.Path, default=cache / "exports")
    parser.add_argument("--force", action="store_true", help="re-export even if present")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if (args.out / "fasterrcnn_zoo_layout.plugin_boxes.pb").exists() and not args.force:
        print("fasterrcnn_zoo_layout: present")
        return

    photo_path = export_models.SHARED / "media" / "image" / PHOTO
    if not photo_path.exists():
        raise SystemExit(f"missing test photo {photo_path} (set NEUROPIPE_SHARED_DIR)")
    rgb = np.asarray(Image.open(photo_path).convert("RGB"))
    bgr = rgb[:, :, ::-1]
    x = zoo_input(bgr)
    model = build()
    with torch.no_grad():
        boxes, labels, scores = model(x)
    onnx_path = args.out / "fasterrcnn_zoo_layout.onnx"
    torch.onnx.export(model, (x,), str(onnx_path), input_names=["image"],
                      output_names=["boxes", "labels", "scores"], opset_version=11,
                      dynamic_axes={"image": {1: "height", 2: "width"}})
    rename_outputs(onnx_path, OUTPUT_NAMES)
    h, w = bgr.shape[:2]
    on_photo = boxes.clone()  # scale 1: mapping back is only the clip to the photo
    on_photo[:, 0::2] = on_photo[:, 0::2].clamp(0, w)
    on_photo[:, 1::2] = on_photo[:, 1::2].clamp(0, h)
    save = export_models.save_tensor
    save(args.out / "fasterrcnn_zoo_layout.input_0.pb", x.numpy(), "image")
    for k, (name, t) in enumerate(zip(OUTPUT_NAMES, (boxes, labels, scores))):
        save(args.out / f"fasterrcnn_zoo_layout.output_{k}.pb", t.numpy(), name)
    save(args.out / "fasterrcnn_zoo_layout.plugin_boxes.pb", on_photo.numpy(), "boxes_on_photo")
    print(f"fasterrcnn_zoo_layout: {int(boxes.shape[0])} detections on {PHOTO} (input {list(x.shape)}) "
          f"-> {args.out / 'fasterrcnn_zoo_layout.onnx'}")


if __name__ == "__main__":
    main()
