#!/usr/bin/python3.11
"""Store recipe for the ONNX model zoo FasterRCNN-10 (`export_recipe:
onnx_zoo_fasterrcnn` in assets/models.yaml). The upstream file already is the
ONNX, so the recipe only checks that it is a well-formed model with the I/O the
manifest entry and the detect plugin's zoo layout expect (input `image`
[3,H,W]; outputs `6379` boxes, `6381` labels, `6383` scores) and writes it out.

    onnx_zoo_fasterrcnn.py --model fasterrcnn-10-onnxzoo --weights FasterRCNN-10.onnx --onnx OUT.onnx

The interface every store recipe shares: --model NAME --weights FILE --onnx OUT.
"""
import argparse
import pathlib
import shutil
import sys

import onnx

INPUT = "image"
OUTPUTS = ["6379", "6381", "6383"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="manifest entry")
    parser.add_argument("--weights", required=True, type=pathlib.Path, help="the downloaded FasterRCNN-10.onnx")
    parser.add_argument("--onnx", required=True, type=pathlib.Path, help="where to write the ONNX")
    args = parser.parse_args()
    model = onnx.load(str(args.weights))
    onnx.checker.check_model(model)
    inputs = [i.name for i in model.graph.input if i.name not in {t.name for t in model.graph.initializer}]
    outputs = [o.name for o in model.graph.output]
    if inputs != [INPUT] or outputs[:3] != OUTPUTS:
        sys.exit(f"{args.weights}: inputs {inputs}, outputs {outputs}; expected [{INPUT}] and {OUTPUTS} "
                 f"(the zoo's FasterRCNN-10 layout that the manifest entry {args.model} describes)")
    shutil.copyfile(args.weights, args.onnx)
    print(f"{args.model}: checked {args.weights.name} -> {args.onnx}")


if __name__ == "__main__":
    main()
