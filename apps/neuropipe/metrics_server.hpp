#pragma once
// `neuropipe run --metrics PORT`: a small HTTP server on 127.0.0.1 that
// answers GET /metrics with what `body()` returns at that moment (the
// Prometheus text of the running pipeline). Boost.Asio on one side thread;
// loopback only, since the counters are nobody else's business.
#include <functional>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace neuropipe::cli {

class MetricsServer {
 public:
  // port 0: the kernel picks a free one (see port()). Throws Error when the
  // port cannot be bound (taken, privileged).
  MetricsServer(int port, std::function<std::string()> body);
  // Stops serving; requests in progress are dropped.
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  int port() const { return port_; }

 private:
  void accept_next();

  std::function<std::string()> body_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace neuropipe::cli
