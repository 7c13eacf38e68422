#!/usr/bin/python3.11
"""Export the mission's real architectures to ONNX with deterministic random
weights, plus PyTorch reference outputs, for parity tests and benchmarks.

The real pretrained weights cannot be downloaded here; with --weights PATH (or
online, --pretrained) the same recipe exports the real model instead.

    tools/export/export_models.py --set ci        # small CI tier
    tools/export/export_models.py --set all       # every architecture (slow)
    tools/export/export_models.py resnet50 googlenet

Writes into $NEUROPIPE_CACHE_DIR/exports (default ~/.cache/neuropipe/exports):
    NAME.onnx, NAME.input_0.pb (the exact input tensor), NAME.output_K.pb
    (PyTorch's outputs, as onnx TensorProto) and NAME.json (what was done).
Needs Debian's python3-torch/python3-torchvision/python3-onnx (/usr/bin/python3.11).
"""
import argparse
import json
import os
import pathlib
import sys
import time

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torchvision

SHARED = pathlib.Path(os.environ.get("NEUROPIPE_SHARED_DIR",
                                     pathlib.Path(__file__).resolve().parents[3] / "shared"))
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]

# name -> (constructor, input size, opset). The 14 ImageNet classifiers of the course.
CLASSIFIERS = {
    "alexnet": (lambda: torchvision.models.alexnet(), 224, 13),
    "vgg16": (lambda: torchvision.models.vgg16(), 224, 13),
    "resnet18": (lambda: torchvision.models.resnet18(), 224, 13),
    "resnet50": (lambda: torchvision.models.resnet50(), 224, 13),
    "squeezenet1_0": (lambda: torchvision.models.squeezenet1_0(), 224, 13),
    "squeezenet1_1": (lambda: torchvision.models.squeezenet1_1(), 224, 13),
    "densenet121": (lambda: torchvision.models.densenet121(), 224, 13),
    "inception_v3": (lambda: torchvision.models.inception_v3(init_weights=True, aux_logits=True), 299, 13),
    "googlenet": (lambda: torchvision.models.googlenet(init_weights=True, aux_logits=True), 224, 13),
    "shufflenet_v2_x1_0": (lambda: torchvision.models.shufflenet_v2_x1_0(), 224, 13),
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(), 224, 13),
    "mobilenet_v3_large": (lambda: torchvision.models.mobilenet_v3_large(), 224, 13),
    "resnext50_32x4d": (lambda: torchvision.models.resnext50_32x4d(), 224, 13),
    "wide_resnet50_2": (lambda: torchvision.models.wide_resnet50_2(), 224, 13),
    "mnasnet1_0": (lambda: torchvision.models.mnasnet1_0(), 224, 13),
}
DETECTORS = {
    "fasterrcnn_mobilenet_v3_large_320_fpn": (
        lambda: torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(
            weights=None, weights_backbone=None, box_score_thresh=0.0), 11),
    "fasterrcnn_resnet50_fpn": (
        lambda: torchvision.models.detection.fasterrcnn_resnet50_fpn(
            weights=None, weights_backbone=None, box_score_thresh=0.0), 11),
}
SETS = {
    "ci": ["mobilenet_v2", "resnet18", "squeezenet1_1"],
    "bench": ["mobilenet_v2", "resnet50", "googlenet", "fasterrcnn_mobilenet_v3_large_320_fpn"],
    "all": list(CLASSIFIERS) + list(DETECTORS),
}


def seed_everything(model, seed=0):
    """Deterministic random weights; BatchNorm statistics randomised too so
    folding them is actually exercised by the parity tests."""
    torch.manual_seed(seed)
    for m in model.modules():
        if isinstance(m, (torch.nn.BatchNorm2d, torchvision.ops.misc.FrozenBatchNorm2d)):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
            if getattr(m, "weight", None) is not None:
                m.weight.data.uniform_(0.5, 1.5)
                m.bias.data.uniform_(-0.1, 0.1)
    return model.eval()


def load_photo(size, name="opencv_messi5.jpg"):
    """A real photo from ../shared/media, RGB float in [0,1], CHW."""
    path = SHARED / "media" / "image" / name
    if not path.exists():
        sys.exit(f"missing test photo {path} (set NEUROPIPE_SHARED_DIR)")
    img = torchvision.io.read_image(str(path), torchvision.io.ImageReadMode.RGB).float() / 255.0
    if size is not None:
        img = torch.nn.functional.interpolate(img[None], size=(size, size), mode="bilinear",
                                              align_corners=False)[0]
    return img


def save_tensor(path, array, name):
    t = onnx.numpy_helper.from_array(np.ascontiguousarray(array), name)
    path.write_bytes(t.SerializeToString())


def export_classifier(name, out_dir, weights):
    ctor, size, opset = CLASSIFIERS[name]
    torch.manual_seed(0)
    model = seed_everything(ctor())
    if weights:
        model.load_state_dict(torch.load(weights, map_location="cpu"))
    mean = torch.tensor(IMAGENET_MEAN)[:, None, None]
    std = torch.tensor(IMAGENET_STD)[:, None, None]
    x = ((load_photo(size) - mean) / std)[None].contiguous()
    with torch.no_grad():
        y = model(x)
        if isinstance(y, tuple):  # inception/googlenet aux outputs in train mode only
            y = y[0]
    onnx_path = out_dir / f"{name}.onnx"
    torch.onnx.export(model, x, str(onnx_path), input_names=["input"], output_names=["logits"],
                      opset_version=opset, dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    save_tensor(out_dir / f"{name}.input_0.pb", x.numpy(), "input")
    save_tensor(out_dir / f"{name}.output_0.pb", y.numpy(), "logits")
    return {"kind": "classifier", "input": [1, 3, size, size], "opset": opset,
            "photo": "media/image/opencv_messi5.jpg", "normalise": "imagenet mean/std"}


def spread_random_scores(model):
    """Random heads score every anchor and class almost alike (~1/91), so
    proposal and detection order would be decided by float noise. Sharper
    classification layers give distinct scores and a well-defined order that
    a parity test can hold two engines to."""
    with torch.no_grad():
        model.rpn.head.cls_logits.weight.mul_(100.0)
        model.roi_heads.box_predictor.cls_score.weight.mul_(100.0)


def export_detector(name, out_dir, weights):
    ctor, opset = DETECTORS[name]
    torch.manual_seed(0)
    model = seed_everything(ctor())
    if weights:
        model.load_state_dict(torch.load(weights, map_location="cpu"))
    else:
        spread_random_scores(model)
    x = load_photo(None)  # any size: the model resizes inside
    with torch.no_grad():
        out = model([x])[0]
    onnx_path = out_dir / f"{name}.onnx"
    torch.onnx.export(model, ([x],), str(onnx_path), input_names=["image"],
                      output_names=["boxes", "labels", "scores"], opset_version=opset,
                      dynamic_axes={"image": {1: "height", 2: "width"}})
    save_tensor(out_dir / f"{name}.input_0.pb", x.numpy(), "image")
    for k, key in enumerate(["boxes", "labels", "scores"]):
        save_tensor(out_dir / f"{name}.output_{k}.pb", out[key].numpy(), key)
    return {"kind": "detector", "input": list(x.shape), "opset": opset,
            "photo": "media/image/opencv_messi5.jpg", "detections": int(out["boxes"].shape[0])}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*")
    parser.add_argument("--set", choices=sorted(SETS))
    parser.add_argument("--weights", help="state_dict .pth of the real weights (single model)")
    parser.add_argument("--force", action="store_true", help="re-export even if present")
    args = parser.parse_args()
    names = list(args.names) + (SETS[args.set] if args.set else [])
    if not names:
        parser.error("name a model or a --set")
    cache = pathlib.Path(os.environ.get("NEUROPIPE_CACHE_DIR",
                                        pathlib.Path(os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache"))
                                        / "neuropipe"))
    out_dir = cache / "exports"
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    for name in names:
        if name not in CLASSIFIERS and name not in DETECTORS:
            sys.exit(f"unknown architecture '{name}'; known: {', '.join(SETS['all'])}")
        meta_path = out_dir / f"{name}.json"
        if meta_path.exists() and not args.force:
            print(f"{name}: present")
            continue
        t0 = time.time()
        exporter = export_classifier if name in CLASSIFIERS else export_detector
        meta = exporter(name, out_dir, args.weights)
        meta.update({"name": name, "seed": 0, "torch": torch.__version__, "torchvision": torchvision.__version__})
        # The sidecar is written last: its presence marks a complete export.
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
        print(f"{name}: exported in {time.time() - t0:.1f}s -> {out_dir / (name + '.onnx')}")


if __name__ == "__main__":
    main()
