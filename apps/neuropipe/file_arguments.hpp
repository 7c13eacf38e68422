#pragma once
// Parsing for commands that take one pipeline FILE plus options (`run`,
// `graph`): usage errors print the options and give exit code 2.
#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

namespace neuropipe::cli {

// Fills `vm` (the file lands in vm["file"]). Returns an exit code when the
// command should stop here: 0 after --help, 2 on a usage error.
std::optional<int> parse_file_arguments(const std::string& command,
                                        const boost::program_options::options_description& options,
                                        const std::vector<std::string>& args,
                                        boost::program_options::variables_map& vm);

}  // namespace neuropipe::cli
