#!/usr/bin/python3.11
"""Show and Tell (Vinyals et al.) captioner, exported for the caption plugin.

Builds the model exactly as yunjey/pytorch-tutorial
tutorials/03-advanced/image_captioning/model.py does:
  EncoderCNN  = torchvision ResNet minus its fc, Linear(features, 256), BatchNorm1d(256)
  DecoderRNN  = Embedding(vocab, 256), LSTM(256, 512, 1 layer, batch_first), Linear(512, vocab)
The image feature is the LSTM's first input, then the embedding of each word.

Real weights: the pretrained zip of that tutorial (encoder-5-3000.pkl,
decoder-5-3000.pkl; assets/models.yaml entry show-and-tell, `upstream`) were
trained with ResNet-152, so they need --encoder resnet152 (~230 MB, slow);
vocab.pkl (the tutorial's pickled Vocabulary) is converted to the plain-text
vocabulary the plugin reads (one word per line, line number = token id):
  tools/export/caption.py --out DIR --encoder resnet152 \
      --encoder-weights encoder-5-3000.pkl --decoder-weights decoder-5-3000.pkl --vocab-pkl vocab.pkl
  tools/export/caption.py --convert-vocab vocab.pkl --out DIR      # only the vocabulary
As the store's recipe (`neuropipe models fetch show-and-tell`: the store downloads
both zips, takes the three members out and passes them; assets/models.yaml
`upstream`, `export_args: [--encoder, resnet152]`, `export_outputs`):
  tools/export/caption.py --model show-and-tell --encoder resnet152 --encoder-weights E.pkl \
      --decoder-weights D.pkl --vocab-pkl V.pkl --onnx ENC.onnx --output decoder=DEC.onnx --output vocab=V.txt
Without weights (CI): ResNet-18 by default, weights seeded deterministically, a
deterministic vocabulary (<pad> <start> <end> <unk>, common caption words, the
words of the ImageNet class names). Random weights only: the word logits are
spread (OUTPUT_SCALE) and <end> is raised (END_BIAS) so seeded captions are
many distinct words and the beam-search one ends (see docs/plugins/caption.md), and the
encoder's BatchNorm1d statistics come from the photo so the feature has unit scale.

Outputs in --out (names as in the manifest):
  show-and-tell-encoder.onnx  image [N,3,224,224] -> feature [N,256]
  show-and-tell-decoder.onnx  one LSTM step: token [B] (int64; -1 = feed `feature` instead
                              of a word embedding), feature [B,256], h, c [1,B,512]
                              -> log_probs [B,vocab], h_out, c_out
  show-and-tell-vocab.txt     the vocabulary
  caption_input.png           the real photo resized to 224x224 (PIL LANCZOS, as the tutorial's sample.py)
  caption_reference.json      PyTorch's feature, greedy and beam-search (width 3) tokens and scores

Decoding, implemented here and in plugins/caption/beam_search.cpp alike:
  greedy: argmax (lowest id on ties) until <end> or max_length tokens.
  beam:   every step expands each live hypothesis by every word; the beam_width
          best by summed log-probability (ties: earlier hypothesis, then lower id)
          survive; those ending in <end> are finished, the rest stay live (the beam
          shrinks); at max_length the live ones are finished as they are. The
          answer is the finished hypothesis with the best
          score = sum(log p) / len ** length_penalty (len counts <end>).
"""
import argparse
import copyreg
import json
import os
import pathlib
import pickle
import re

import numpy as np
import torch
import torchvision
from PIL import Image
from torch import nn

SHARED = pathlib.Path(os.environ.get("NEUROPIPE_SHARED_DIR", pathlib.Path(__file__).resolve().parents[3] / "shared"))
PHOTO = "media/image/opencv_messi5.jpg"
EMBED, HIDDEN = 256, 512
SPECIALS = ["<pad>", "<start>", "<end>", "<unk>"]
# Random weights only. OUTPUT_SCALE spreads the word logits (PyTorch's default
# Linear init leaves them almost flat: top words tied to 1e-3, a coin toss for
# any two implementations); END_BIAS raises the <end> logit, which random
# weights would pick about once in 2000 steps. With the seeded ResNet-18 model
# the beam-search caption (width 3) then ends after 10 words while greedy runs
# to max_length: both ways a caption stops are exercised, neither is trivial.
OUTPUT_SCALE, END_BIAS = 20.0, 2.5
MAX_LENGTH, BEAM_WIDTH, LENGTH_PENALTY = 20, 3, 0.7
CAPTION_WORDS = """a an the of on in with and at to from by near next behind under over top front two three
man woman person people men women boy girl child children player players group crowd
sitting standing walking running riding playing holding eating looking flying lying jumping
is are street road table field grass water beach snow building room kitchen city park
dog cat horse bird train bus car truck plane boat bicycle motorcycle ball frisbee kite pizza
red white black blue green yellow large small big little tall old young""".split()


class EncoderCNN(nn.Module):
    def __init__(self, arch, embed_size=EMBED):
        super().__init__()
        resnet = getattr(torchvision.models, arch)(weights=None)
        self.resnet = nn.Sequential(*list(resnet.children())[:-1])
        self.linear = nn.Linear(resnet.fc.in_features, embed_size)
        self.bn = nn.BatchNorm1d(embed_size, momentum=0.01)

    def forward(self, images):
        features = self.resnet(images)
        features = features.reshape(features.size(0), -1)
        return self.bn(self.linear(features))


class DecoderRNN(nn.Module):
    def __init__(self, vocab_size, embed_size=EMBED, hidden_size=HIDDEN, num_layers=1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_size)
        self.lstm = nn.LSTM(embed_size, hidden_size, num_layers, batch_first=True)
        self.linear = nn.Linear(hidden_size, vocab_size)


class DecoderStep(nn.Module):
    """One LSTM step of DecoderRNN, as the plugin runs it: the input is the
    embedding of `token`, or `feature` where token is -1 (the first step)."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, token, feature, h, c):
        word = self.decoder.embed(torch.clamp(token, min=0))
        x = torch.where((token < 0).unsqueeze(1), feature, word)
        hiddens, (h_out, c_out) = self.decoder.lstm(x.unsqueeze(1), (h, c))
        logits = self.decoder.linear(hiddens.squeeze(1))
        return torch.log_softmax(logits, dim=1), h_out, c_out


class Vocabulary:
    """Stand-in for the tutorial's build_vocab.Vocabulary when unpickling vocab.pkl."""


class VocabularyUnpickler(pickle.Unpickler):
    """Unpickles the tutorial's vocab.pkl without its code, and nothing else: a
    downloaded pickle may name any callable, so only the Vocabulary class (pickled
    from build_vocab, or from __main__ when build_vocab.py ran as a script) and
    what protocol 0/1 pickles of a plain object need are allowed."""
    ALLOWED = {("build_vocab", "Vocabulary"): Vocabulary, ("__main__", "Vocabulary"): Vocabulary,
               ("copyreg", "_reconstructor"): copyreg._reconstructor, ("builtins", "object"): object}

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"it refers to {module}.{name}, not build_vocab.Vocabulary")
        return self.ALLOWED[(module, name)]


def words_from_pickle(path):
    try:
        with open(path, "rb") as f:
            vocab = VocabularyUnpickler(f).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as e:
        raise SystemExit(f"{path}: not the tutorial's pickled Vocabulary ({e})")
    if not isinstance(vocab, Vocabulary):
        raise SystemExit(f"{path}: holds a {type(vocab).__name__}, not the tutorial's Vocabulary")
    idx2word = getattr(vocab, "idx2word", None)
    if not isinstance(idx2word, dict) or sorted(idx2word) != list(range(len(idx2word))):
        raise SystemExit(f"{path}: the Vocabulary has no idx2word dict numbering its words 0..N-1")
    words = [idx2word[i] for i in range(len(idx2word))]
    missing = [s for s in SPECIALS[1:] if s not in words]
    if missing:
        raise SystemExit(f"{path}: vocabulary lacks {missing}")
    return words


def load_state(module, path, what, arch):
    """A state_dict of the tutorial's EncoderCNN / DecoderRNN; weights_only: a
    downloaded pickle gets no code run."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        module.load_state_dict(state)
    except Exception as e:  # torch raises RuntimeError, UnpicklingError, EOFError, ... for a bad file
        detail = str(e).strip().splitlines()[0][:300] if str(e).strip() else type(e).__name__
        raise SystemExit(f"{path}: not the tutorial's {what} state_dict (encoder {arch}): {detail}")


def real_models(arch, encoder_weights, decoder_weights, vocab_size):
    encoder, decoder = EncoderCNN(arch), DecoderRNN(vocab_size)
    load_state(encoder, encoder_weights, "encoder", arch)
    load_state(decoder, decoder_weights, "decoder", arch)
    return encoder.eval(), decoder.eval()


def seeded_words():
    labels = SHARED / "models/classify/imagenet_labels.txt"
    if not labels.exists():
        raise SystemExit(f"missing {labels} (set NEUROPIPE_SHARED_DIR)")
    words = list(SPECIALS)
    for w in CAPTION_WORDS + re.findall(r"[a-z]+", "\n".join(
            line.split(",", 1)[1].lower() for line in labels.read_text().splitlines() if "," in line)):
        if w not in words:
            words.append(w)
    return words


def write_vocab(words, path):
    for w in words:
        if not w or any(ch.isspace() for ch in w):
            raise SystemExit(f"vocabulary word {w!r} is empty or holds white space")
    path.write_text("".join(w + "\n" for w in words))


def seeded_models(arch, vocab_size, image):
    torch.manual_seed(0)
    encoder, decoder = EncoderCNN(arch), DecoderRNN(vocab_size)
    with torch.no_grad():
        encoder.eval()
        z = encoder.linear(encoder.resnet(image).reshape(1, -1))
        encoder.bn.running_mean.fill_(float(z.mean()))
        encoder.bn.running_var.fill_(float(z.var()))
        decoder.linear.weight *= OUTPUT_SCALE
        decoder.linear.bias *= OUTPUT_SCALE
        decoder.linear.bias[SPECIALS.index("<end>")] += END_BIAS
    return encoder, decoder


def load_image(path):
    rgb = Image.open(path).convert("RGB").resize((224, 224), Image.LANCZOS)
    x = torch.from_numpy(np.asarray(rgb).astype(np.float32) / 255.0).permute(2, 0, 1)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
    return rgb, ((x - mean) / std)[None]


class Stepper:
    """Runs DecoderStep on a batch of hypotheses, as the plugin does."""

    def __init__(self, step):
        self.step = step

    def __call__(self, tokens, feature, h, c):
        with torch.no_grad():
            lp, h, c = self.step(torch.tensor(tokens, dtype=torch.int64), feature.expand(len(tokens), -1), h, c)
        return lp.double().numpy(), h, c


def normalised(total, length, alpha):
    return total / (length ** alpha) if alpha > 0 else total


def greedy(stepper, feature, end, max_length, alpha):
    h = c = torch.zeros(1, 1, HIDDEN)
    token, tokens, total = -1, [], 0.0
    for _ in range(max_length):
        lp, h, c = stepper([token], feature, h, c)
        token = int(np.argmax(lp[0]))  # first maximum: lowest id on ties
        tokens.append(token)
        total += lp[0, token]
        if token == end:
            break
    return tokens, normalised(total, len(tokens), alpha)


def beam_search(stepper, feature, end, max_length, width, alpha):
    live = [([], 0.0)]  # (tokens, summed log-probability)
    h = c = torch.zeros(1, 1, HIDDEN)
    finished = []
    for _ in range(max_length):
        last = [t[-1] if t else -1 for t, _ in live]
        lp, h_new, c_new = stepper(last, feature, h, c)
        totals = np.array([s for _, s in live])[:, None] + lp
        order = np.argsort(-totals.reshape(-1), kind="stable")[:width]  # ties: earlier hypothesis, lower id
        keep, next_live = [], []
        for flat in order:
            b, w = divmod(int(flat), lp.shape[1])
            hyp = (live[b][0] + [w], float(totals[b, w]))
            if w == end:
                finished.append(hyp)
            else:
                next_live.append(hyp)
                keep.append(b)
        if not next_live:
            break
        live, h, c = next_live, h_new[:, keep], c_new[:, keep]
    else:
        finished.extend(live)
    best = max(finished, key=lambda hyp: normalised(hyp[1], len(hyp[0]), alpha))  # first of equals
    return best[0], normalised(best[1], len(best[0]), alpha)


def export(encoder, step, encoder_onnx, decoder_onnx):
    torch.onnx.export(encoder, torch.zeros(1, 3, 224, 224), str(encoder_onnx), opset_version=13,
                      input_names=["image"], output_names=["feature"],
                      dynamic_axes={"image": {0: "batch"}, "feature": {0: "batch"}})
    args = (torch.tensor([-1, 1]), torch.zeros(2, EMBED), torch.zeros(1, 2, HIDDEN), torch.zeros(1, 2, HIDDEN))
    torch.onnx.export(step, args, str(decoder_onnx), opset_version=13,
                      input_names=["token", "feature", "h", "c"], output_names=["log_probs", "h_out", "c_out"],
                      dynamic_axes={"token": {0: "batch"}, "feature": {0: "batch"}, "h": {1: "batch"},
                                    "c": {1: "batch"}, "log_probs": {0: "batch"}, "h_out": {1: "batch"},
                                    "c_out": {1: "batch"}})


def store_outputs(pairs):
    """--output KEY=PATH (repeated) -> {KEY: PATH}; the store's recipe needs decoder and vocab."""
    outputs = dict(pair.split("=", 1) for pair in pairs or [] if "=" in pair)
    missing = {"decoder", "vocab"} - outputs.keys()
    if missing or len(outputs) != len(pairs or []):
        raise SystemExit(f"the store's recipe needs --output decoder=PATH and --output vocab=PATH (got {pairs})")
    return {key: pathlib.Path(path) for key, path in outputs.items()}


def export_for_store(args):
    """`neuropipe models fetch show-and-tell`: the tutorial's files in, the three store files out."""
    real = [args.encoder_weights, args.decoder_weights, args.vocab_pkl]
    if not all(real) or not args.onnx:
        raise SystemExit("the store's recipe needs --encoder-weights, --decoder-weights, --vocab-pkl and --onnx")
    outputs = store_outputs(args.output)
    words = words_from_pickle(args.vocab_pkl)
    encoder, decoder = real_models(args.encoder, args.encoder_weights, args.decoder_weights, len(words))
    export(encoder, DecoderStep(decoder).eval(), args.onnx, outputs["decoder"])
    write_vocab(words, outputs["vocab"])
    print(f"model {args.model}: wrote {args.onnx}, {outputs['decoder']}, {outputs['vocab']} ({len(words)} words)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=pathlib.Path, help="folder for the three files and the parity reference")
    parser.add_argument("--encoder", choices=["resnet18", "resnet50", "resnet152"], default="resnet18",
                        help="encoder backbone; the real weights need resnet152 (default resnet18: fast CI)")
    parser.add_argument("--encoder-weights", type=pathlib.Path, help="encoder-5-3000.pkl (state_dict)")
    parser.add_argument("--decoder-weights", type=pathlib.Path, help="decoder-5-3000.pkl (state_dict)")
    parser.add_argument("--vocab-pkl", type=pathlib.Path, help="vocab.pkl (pickled Vocabulary)")
    parser.add_argument("--convert-vocab", type=pathlib.Path, metavar="VOCAB_PKL",
                        help="only convert this vocab.pkl to --out/show-and-tell-vocab.txt")
    parser.add_argument("--model", help="store recipe mode: the manifest entry (with --onnx and --output)")
    parser.add_argument("--onnx", type=pathlib.Path, help="store recipe mode: the encoder ONNX to write")
    parser.add_argument("--output", action="append", metavar="KEY=PATH",
                        help="store recipe mode: decoder=PATH (decoder-step ONNX), vocab=PATH (vocabulary)")
    args = parser.parse_args()
    if args.model:
        export_for_store(args)
        return
    if not args.out:
        parser.error("--out is required (or --model, --onnx, --output for the store's recipe)")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.convert_vocab:
        write_vocab(words_from_pickle(args.convert_vocab), args.out / "show-and-tell-vocab.txt")
        print(f"wrote {args.out}/show-and-tell-vocab.txt")
        return
    real = [args.encoder_weights, args.decoder_weights, args.vocab_pkl]
    if any(real) and not all(real):
        raise SystemExit("real weights need all of --encoder-weights, --decoder-weights and --vocab-pkl")

    photo = SHARED / PHOTO
    if not photo.exists():
        raise SystemExit(f"missing test photo {photo} (set NEUROPIPE_SHARED_DIR)")
    rgb, image = load_image(photo)
    if all(real):
        words = words_from_pickle(args.vocab_pkl)
        encoder, decoder = real_models(args.encoder, args.encoder_weights, args.decoder_weights, len(words))
    else:
        words = seeded_words()
        encoder, decoder = seeded_models(args.encoder, len(words), image)
    encoder.eval()
    decoder.eval()
    step = DecoderStep(decoder).eval()
    export(encoder, step, args.out / "show-and-tell-encoder.onnx", args.out / "show-and-tell-decoder.onnx")
    write_vocab(words, args.out / "show-and-tell-vocab.txt")

    with torch.no_grad():
        feature = encoder(image)
    stepper, end = Stepper(step), words.index("<end>")
    greedy_tokens, greedy_score = greedy(stepper, feature, end, MAX_LENGTH, LENGTH_PENALTY)
    beam_tokens, beam_score = beam_search(stepper, feature, end, MAX_LENGTH, BEAM_WIDTH, LENGTH_PENALTY)
    Image.fromarray(np.asarray(rgb)).save(args.out / "caption_input.png")
    reference = {
        "photo": PHOTO, "encoder": args.encoder, "weights": "real" if all(real) else "seeded",
        "max_length": MAX_LENGTH, "length_penalty": LENGTH_PENALTY,
        "feature": feature[0].tolist(),
        "greedy": {"tokens": greedy_tokens, "score": greedy_score},
        "beam": {"beam_width": BEAM_WIDTH, "tokens": beam_tokens, "score": beam_score},
    }
    (args.out / "caption_reference.json").write_text(json.dumps(reference, indent=1))
    for name, tokens in (("greedy", greedy_tokens), ("beam", beam_tokens)):
        print(f"{name}: {' '.join(words[t] for t in tokens)}")
    print(f"wrote {args.out}/show-and-tell-{{encoder,decoder}}.onnx, show-and-tell-vocab.txt, caption_input.png, "
          "caption_reference.json")


if __name__ == "__main__":
    main()
