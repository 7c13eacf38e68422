#include "interrupt.hpp"

#include <atomic>
#include <csignal>

namespace neuropipe::cli {

namespace {
std::atomic<int> interrupts{0};
struct sigaction previous_action;

extern "C" void count_interrupt(int) { interrupts.fetch_add(1); }
}  // namespace

InterruptCounter::InterruptCounter() {
  interrupts = 0;
  struct sigaction action {};
  action.sa_handler = count_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_action);
}

InterruptCounter::~InterruptCounter() { sigaction(SIGINT, &previous_action, nullptr); }

int InterruptCounter::count() const { return interrupts.load(); }

}  // namespace neuropipe::cli
