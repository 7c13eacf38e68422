#pragma once
// Ctrl-C for long runs: the first SIGINT asks the pipeline to stop reading
// and finish cleanly, the second to abort. The handler only counts; a
// monitoring thread acts on the count (nothing else is async-signal-safe).
namespace neuropipe::cli {

class InterruptCounter {
 public:
  InterruptCounter();   // installs the SIGINT handler
  ~InterruptCounter();  // restores the previous one
  InterruptCounter(const InterruptCounter&) = delete;
  InterruptCounter& operator=(const InterruptCounter&) = delete;
  int count() const;
};

}  // namespace neuropipe::cli
