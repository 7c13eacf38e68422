#!/usr/bin/python3.11
"""Export the mission's real architectures to ONNX with deterministic random
weights, plus PyTorch reference outputs, for parity tests and benchmarks.

The real pretrained weights cannot be downloaded here; with --weights PATH (or
online, --pretrained) the same recipe exports the real model instead.

    tools/export/export_models.py --set ci        # small CI tier
    tools/export/export_models.py --set all       # every architecture (slow)
    tools/export/export_models.py resnet50 googlenet
    tools/export/export_models.py resnet18 --save-weights w.pth   # the seeded state_dict only

Writes into $NEUROPIPE_CACHE_DIR/exports (default ~/.cache/neuropipe/exports):
    NAME.onnx, NAME.input_0.pb (the exact input tensor), NAME.output_K.pb
    (PyTorch's outputs, as onnx TensorProto) and NAME.json (what was done).
    Classifiers also get the classify plugin's reference: NAME.plugin_input.png
    (a centre crop of the photo at the model's size, so the plugin does not
    resize) and NAME.plugin_logits.pb (PyTorch's logits for it).
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


def build_classifier(name, weights=None):
    """The architecture with the deterministic seeded weights, or a real state_dict."""
    ctor, _, _ = CLASSIFIERS[name]
    torch.manual_seed(0)
    model = seed_everything(ctor())
    if weights:
        model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
        if name in ("inception_v3", "googlenet"):
            # torchvision's Google-trained weights expect their own input
            # normalisation; it converts from ImageNet mean/std inside when
            # loading them (transform_input=True), and so must the export.
            model.transform_input = True
    return model.eval()


def write_classifier_onnx(name, model, onnx_path):
    _, size, opset = CLASSIFIERS[name]
    torch.onnx.export(model, torch.zeros(1, 3, size, size), str(onnx_path), input_names=["input"],
                      output_names=["logits"], opset_version=opset,
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})


def classifier_logits(model, rgb01):
    mean = torch.tensor(IMAGENET_MEAN)[:, None, None]
    std = torch.tensor(IMAGENET_STD)[:, None, None]
    x = ((rgb01 - mean) / std)[None].contiguous()
    with torch.no_grad():
        y = model(x)
        if isinstance(y, tuple):  # inception/googlenet aux outputs in train mode only
            y = y[0]
    return x, y


def write_plugin_reference(name, model, out_dir):
    """The classify plugin's path on a centre crop at the model's own size: the
    8-bit pixels /255, ImageNet mean/std, logits (the plugin ranks softmax)."""
    from PIL import Image
    _, size, _ = CLASSIFIERS[name]
    photo = Image.open(SHARED / "media" / "image" / "opencv_messi5.jpg").convert("RGB")
    left, top = (photo.width - size) // 2, (photo.height - size) // 2
    crop = photo.crop((left, top, left + size, top + size))
    crop.save(out_dir / f"{name}.plugin_input.png")
    rgb01 = torch.from_numpy(np.asarray(crop, dtype=np.float32) / 255.0).permute(2, 0, 1)
    _, y = classifier_logits(model, rgb01)
    save_tensor(out_dir / f"{name}.plugin_logits.pb", y.numpy(), "logits")


def export_classifier(name, out_dir, weights):
    _, size, opset = CLASSIFIERS[name]
    model = build_classifier(name, weights)
    x, y = classifier_logits(model, load_photo(size))
    write_classifier_onnx(name, model, out_dir / f"{name}.onnx")
    save_tensor(out_dir / f"{name}.input_0.pb", x.numpy(), "input")
    save_tensor(out_dir / f"{name}.output_0.pb", y.numpy(), "logits")
    write_plugin_reference(name, model, out_dir)
    return {"kind": "classifier", "input": [1, 3, size, size], "opset": opset,
            "photo": "media/image/opencv_messi5.jpg", "normalise": "imagenet mean/std"}


def save_seeded_weights(name, path):
    """The deterministic seeded state_dict, as a real-weights .pth would be."""
    if name in CLASSIFIERS:
        model = build_classifier(name)
    else:
        model = build_detector(name)
    torch.save(model.state_dict(), path)


# How much spread_random_scores scales the seeded classification heads. The
# MobileNet heads score everything ~1/91 and need sharpening; the seeded
# ResNet-50 FPN features are so large that its heads saturate (100 scores of
# exactly 1.0 even unscaled) and need damping: at 0.1 the messi5.jpg scores
# spread over 0.26..0.90 with no ties.
SCORE_SPREAD = {"fasterrcnn_mobilenet_v3_large_320_fpn": 100.0, "fasterrcnn_resnet50_fpn": 0.1}


def spread_random_scores(name, model):
    """Random heads give near-equal (or saturated) scores, so proposal and
    detection order would be decided by float noise. Rescaled classification
    layers give distinct scores and a well-defined order that a parity test
    can hold two engines to."""
    with torch.no_grad():
        model.rpn.head.cls_logits.weight.mul_(SCORE_SPREAD[name])
        model.roi_heads.box_predictor.cls_score.weight.mul_(SCORE_SPREAD[name])


def build_detector(name, weights=None):
    """The detector with the deterministic seeded weights (sharpened heads), or a real state_dict."""
    ctor, _ = DETECTORS[name]
    torch.manual_seed(0)
    model = seed_everything(ctor())
    if weights:
        model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    else:
        spread_random_scores(name, model)
    return model.eval()


def write_detector_onnx(name, model, image, onnx_path):
    """One image [3,H,W] RGB 0..1 of any size in (the model resizes inside); boxes, labels, scores out."""
    _, opset = DETECTORS[name]
    torch.onnx.export(model, ([image],), str(onnx_path), input_names=["image"],
                      output_names=["boxes", "labels", "scores"], opset_version=opset,
                      dynamic_axes={"image": {1: "height", 2: "width"}})


def export_detector(name, out_dir, weights):
    _, opset = DETECTORS[name]
    model = build_detector(name, weights)
    x = load_photo(None)  # any size: the model resizes inside
    with torch.no_grad():
        out = model([x])[0]
    write_detector_onnx(name, model, x, out_dir / f"{name}.onnx")
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
    parser.add_argument("--save-weights", type=pathlib.Path,
                        help="write the seeded state_dict of the one named model here and stop (a stand-in for "
                             "the real weights in offline tests of `neuropipe models fetch`)")
    args = parser.parse_args()
    names = list(args.names) + (SETS[args.set] if args.set else [])
    if not names:
        parser.error("name a model or a --set")
    if args.save_weights:
        if len(names) != 1 or names[0] not in SETS["all"]:
            parser.error("--save-weights takes exactly one known architecture")
        save_seeded_weights(names[0], args.save_weights)
        print(f"{names[0]}: seeded state_dict -> {args.save_weights}")
        return
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
            if name in CLASSIFIERS and not (out_dir / f"{name}.plugin_logits.pb").exists():
                # Exported before the plugin reference existed: add just that.
                write_plugin_reference(name, build_classifier(name, args.weights), out_dir)
                print(f"{name}: present, plugin reference added")
            else:
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
