#include "ab_bins.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <neuropipe/error.hpp>

namespace neuropipe::colorize {

std::vector<cv::Vec2f> read_ab_bins(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error("cannot read the ab bins file " + file.string());
  std::vector<cv::Vec2f> bins;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    float a = 0, b = 0;
    std::string rest;
    if (!(fields >> a)) continue;  // blank or comment
    if (!(fields >> b) || (fields >> rest))
      throw Error(file.string() + ":" + std::to_string(number) + ": expected two numbers 'a b', got '" + line + "'");
    bins.emplace_back(a, b);
  }
  if (bins.empty()) throw Error(file.string() + ": no ab bins");
  return bins;
}

}  // namespace neuropipe::colorize
