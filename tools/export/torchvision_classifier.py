#!/usr/bin/python3.11
"""Store recipe for the torchvision ImageNet classifiers (`export_recipe:
torchvision_classifier` in assets/models.yaml): builds the architecture of the
manifest entry, loads its upstream state_dict and writes the ONNX the classify
plugin runs (input `input` [N,3,S,S] ImageNet-normalised RGB, output `logits`).

    torchvision_classifier.py --model tv-resnet18 --weights resnet18-f37072fd.pth --onnx OUT.onnx

`neuropipe models fetch tv-resnet18` runs it after downloading the weights
(the interface every store recipe shares: --model NAME --weights FILE --onnx OUT).
"""
import argparse
import pathlib
import sys

import export_models


def architecture_of(entry):
    """Manifest names are the torchvision names with '-' for '_' behind 'tv-'
    (tv-shufflenet-v2-x1-0 -> shufflenet_v2_x1_0)."""
    arch = entry.removeprefix("tv-").replace("-", "_")
    if arch not in export_models.CLASSIFIERS:
        sys.exit(f"torchvision_classifier: '{entry}' names no known architecture "
                 f"(known: {', '.join('tv-' + n.replace('_', '-') for n in export_models.CLASSIFIERS)})")
    return arch


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="manifest entry, e.g. tv-resnet50")
    parser.add_argument("--weights", required=True, type=pathlib.Path, help="upstream state_dict (.pth)")
    parser.add_argument("--onnx", required=True, type=pathlib.Path, help="where to write the ONNX")
    args = parser.parse_args()
    arch = architecture_of(args.model)
    model = export_models.build_classifier(arch, args.weights)
    export_models.write_classifier_onnx(arch, model, args.onnx)
    print(f"{args.model}: {arch} with {args.weights.name} -> {args.onnx}")


if __name__ == "__main__":
    main()
