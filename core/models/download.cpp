#include "models/download.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <mutex>

#include "neuropipe/error.hpp"

namespace neuropipe::models {

namespace {

// curl_global_init is not thread-safe; run it once per process.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t write_to_file(char* data, size_t size, size_t count, void* file) {
  return std::fwrite(data, size, count, static_cast<std::FILE*>(file)) * size;
}

}  // namespace

void download(const std::string& url, const std::filesystem::path& destination) {
  init_curl_once();
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(destination.c_str(), "wb"),
                                                          &std::fclose);
  if (!file) throw Error("cannot create " + destination.string());
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw Error("libcurl cannot start a transfer");
  char reason[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, reason);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &write_to_file);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, file.get());
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_FAILONERROR, 1L);  // HTTP >= 400 is an error, not a body
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);     // safe from worker threads
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 30L);
  // Give up on a stalled transfer (< 1 KB/s for a minute) instead of hanging forever.
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME, 60L);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK)
    throw Error("download of " + url + " failed: " + (reason[0] ? reason : curl_easy_strerror(code)));
  if (std::fflush(file.get()) != 0) throw Error("cannot write " + destination.string());
}

}  // namespace neuropipe::models
