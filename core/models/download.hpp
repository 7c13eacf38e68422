#pragma once
// Downloading one URL to one file with libcurl (https://, and file:// for local mirrors).
#include <filesystem>
#include <string>

namespace neuropipe::models {

// Writes the body of `url` to `destination`; Error with curl's reason (HTTP
// status, DNS, TLS, ...) on failure. The caller owns cleaning up `destination`.
void download(const std::string& url, const std::filesystem::path& destination);

}  // namespace neuropipe::models
