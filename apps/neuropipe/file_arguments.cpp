#include "file_arguments.hpp"

#include <iostream>

namespace neuropipe::cli {

namespace po = boost::program_options;

std::optional<int> parse_file_arguments(const std::string& command, const po::options_description& options,
                                        const std::vector<std::string>& args, po::variables_map& vm) {
  po::options_description all;
  all.add(options).add_options()("file", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("file", 1);
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "neuropipe " << command << ": " << e.what() << "\n" << options;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  if (!vm.count("file")) {
    std::cerr << "neuropipe " << command << ": missing the pipeline FILE\n" << options;
    return 2;
  }
  return std::nullopt;
}

}  // namespace neuropipe::cli
