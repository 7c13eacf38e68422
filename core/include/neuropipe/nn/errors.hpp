#pragma once
// Errors the neural engine throws besides plain neuropipe::Error. Callers that
// only need a message catch neuropipe::Error; the conformance driver and the
// CLI tell "we do not support this yet" apart from "this file is broken".
#include "neuropipe/error.hpp"

namespace neuropipe::nn {

// A valid model that uses something the engine does not implement (a type
// such as sequences/strings at the boundary, a sparse initializer, ...).
class Unsupported : public Error {
 public:
  using Error::Error;
};

// No kernel for (op, domain, opset): the message lists node name, op and opset.
class UnsupportedOperator : public Unsupported {
 public:
  using Unsupported::Unsupported;
};

}  // namespace neuropipe::nn
