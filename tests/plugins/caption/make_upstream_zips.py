#!/usr/bin/python3.11
"""Builds stand-ins for the two downloads of the manifest entry show-and-tell,
with the real files' layout, for the offline `neuropipe models fetch` test:

  pretrained_model.zip  encoder-5-3000.pkl, decoder-5-3000.pkl: state_dicts of
                        the tutorial's EncoderCNN / DecoderRNN (its key names:
                        resnet.*, linear.*, bn.*; embed.*, lstm.*, linear.*),
                        saved by torch.save in the pre-1.6 format of 2018
  vocap.zip             vocab.pkl: a pickled build_vocab.Vocabulary (word2idx,
                        idx2word, idx), as the tutorial's build_vocab.py writes it
  not-a-vocabulary.zip  vocab.pkl holding a plain dict (a bad-input case)

The weights are tools/export/caption.py's seeded ResNet-18 ones, so the model
the store exports from them must caption the parity photo exactly as that
recipe's own seeded export (<cache>/exports/caption/caption_reference.json).

  make_upstream_zips.py OUT_DIR
"""
import pathlib
import pickle
import sys
import types
import zipfile

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "tools" / "export"))
import caption  # noqa: E402  (the recipe: its model classes and seeded weights)


class Vocabulary:
    """The tutorial's build_vocab.Vocabulary."""

    def __init__(self):
        self.word2idx, self.idx2word, self.idx = {}, {}, 0

    def add_word(self, word):
        if word not in self.word2idx:
            self.word2idx[word] = self.idx
            self.idx2word[self.idx] = word
            self.idx += 1


# Pickled under the tutorial's module name, as `from build_vocab import Vocabulary` would.
build_vocab = types.ModuleType("build_vocab")
Vocabulary.__module__ = "build_vocab"
build_vocab.Vocabulary = Vocabulary
sys.modules["build_vocab"] = build_vocab


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    words = caption.seeded_words()
    _, image = caption.load_image(caption.SHARED / caption.PHOTO)
    encoder, decoder = caption.seeded_models("resnet18", len(words), image)
    for name, module in (("encoder-5-3000.pkl", encoder), ("decoder-5-3000.pkl", decoder)):
        torch.save(module.state_dict(), out / name, _use_new_zipfile_serialization=False)
    vocab = Vocabulary()
    for w in words:
        vocab.add_word(w)
    (out / "vocab.pkl").write_bytes(pickle.dumps(vocab))
    (out / "dict.pkl").write_bytes(pickle.dumps({"word2idx": vocab.word2idx, "idx2word": vocab.idx2word}))
    with zipfile.ZipFile(out / "pretrained_model.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(out / "encoder-5-3000.pkl", "encoder-5-3000.pkl")
        z.write(out / "decoder-5-3000.pkl", "decoder-5-3000.pkl")
    with zipfile.ZipFile(out / "vocap.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(out / "vocab.pkl", "vocab.pkl")
    with zipfile.ZipFile(out / "not-a-vocabulary.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(out / "dict.pkl", "vocab.pkl")
    for name in ("encoder-5-3000.pkl", "decoder-5-3000.pkl", "vocab.pkl", "dict.pkl"):
        (out / name).unlink()
    print(f"wrote {out}/pretrained_model.zip, vocap.zip, not-a-vocabulary.zip ({len(words)} words)")


if __name__ == "__main__":
    main()
