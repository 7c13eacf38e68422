#pragma once
// SHA-256 of files (OpenSSL EVP), used to verify every model the store hands out.
#include <filesystem>
#include <string>

namespace neuropipe::models {

// Lower-case hex SHA-256 of a file's bytes; Error naming the file if unreadable.
std::string sha256_file(const std::filesystem::path& file);

}  // namespace neuropipe::models
