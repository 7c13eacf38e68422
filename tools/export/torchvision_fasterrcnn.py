#!/usr/bin/python3.11
"""Store recipe for torchvision's Faster R-CNN detectors (`export_recipe:
torchvision_fasterrcnn` in assets/models.yaml): builds the architecture of the
manifest entry, loads its upstream COCO state_dict and writes the ONNX the
detect plugin runs (input `image` [3,H,W] RGB 0..1 of any size; outputs
`boxes`, `labels`, `scores`).

    torchvision_fasterrcnn.py --model fasterrcnn-resnet50-fpn --weights fasterrcnn_resnet50_fpn_coco-258fb6c6.pth --onnx OUT.onnx

`neuropipe models fetch NAME` runs it after downloading the weights (the
interface every store recipe shares: --model NAME --weights FILE --onnx OUT).
"""
import argparse
import pathlib
import sys

import torch

import export_models


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="manifest entry, e.g. fasterrcnn-resnet50-fpn")
    parser.add_argument("--weights", required=True, type=pathlib.Path, help="upstream state_dict (.pth)")
    parser.add_argument("--onnx", required=True, type=pathlib.Path, help="where to write the ONNX")
    args = parser.parse_args()
    arch = args.model.replace("-", "_")  # fasterrcnn-mobilenet-v3-large-320-fpn -> fasterrcnn_mobilenet_...
    if arch not in export_models.DETECTORS:
        sys.exit(f"torchvision_fasterrcnn: '{args.model}' names no known detector "
                 f"(known: {', '.join(n.replace('_', '-') for n in export_models.DETECTORS)})")
    model = export_models.build_detector(arch, args.weights)
    torch.manual_seed(0)
    image = torch.rand(3, 480, 640)  # only traces the graph; any size works at run time
    export_models.write_detector_onnx(arch, model, image, args.onnx)
    print(f"{args.model}: {arch} with {args.weights.name} -> {args.onnx}")


if __name__ == "__main__":
    main()
