#pragma once
// One exception type for every user-facing failure. The message always names
// the thing at fault (file, node, op, field, model) so a user can act on it.
#include <stdexcept>
#include <string>

namespace neuropipe {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace neuropipe
