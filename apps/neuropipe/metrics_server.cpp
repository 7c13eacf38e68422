#include "metrics_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <istream>
#include <memory>

#include "neuropipe/error.hpp"

namespace neuropipe::cli {

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr size_t kMaxRequestBytes = 8192;  // a scraper's GET is a few hundred bytes

std::string response(int status, const char* reason, const std::string& content_type,
                     const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// One request, one answer, then the connection closes (Prometheus and curl
// both cope; keep-alive is not worth its state here).
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(tcp::socket socket, const std::function<std::string()>& body)
      : socket_(std::move(socket)), request_(kMaxRequestBytes), body_(body) {}

  void start() {
    asio::async_read_until(socket_, request_, "\r\n\r\n",
                           [self = shared_from_this()](boost::system::error_code ec, size_t) {
                             if (!ec) self->answer();
                           });
  }

 private:
  void answer() {
    std::istream in(&request_);
    std::string method, target;
    in >> method >> target;
    if (method != "GET")
      reply_ = response(405, "Method Not Allowed", "text/plain", "only GET\n");
    else if (target == "/metrics" || target == "/")
      reply_ = metrics();
    else
      reply_ = response(404, "Not Found", "text/plain", "metrics are at /metrics\n");
    asio::async_write(socket_, asio::buffer(reply_),
                      [self = shared_from_this()](boost::system::error_code, size_t) {
                        boost::system::error_code ignored;
                        self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
                      });
  }

  std::string metrics() const {
    try {
      return response(200, "OK", "text/plain; version=0.0.4; charset=utf-8", body_());
    } catch (const std::exception& e) {
      return response(500, "Internal Server Error", "text/plain", std::string(e.what()) + "\n");
    }
  }

  tcp::socket socket_;
  asio::streambuf request_;
  const std::function<std::string()>& body_;
  std::string reply_;
};

}  // namespace

MetricsServer::MetricsServer(int port, std::function<std::string()> body)
    : body_(std::move(body)), acceptor_(io_) {
  if (port < 0 || port > 65535) throw Error("--metrics: port must be 0..65535, got " + std::to_string(port));
  const tcp::endpoint endpoint(asio::ip::address_v4::loopback(), static_cast<unsigned short>(port));
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw Error("--metrics: cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + ec.message());
  port_ = acceptor_.local_endpoint().port();
  accept_next();
  thread_ = std::thread([this] { io_.run(); });
}

MetricsServer::~MetricsServer() {
  io_.stop();
  thread_.join();
}

void MetricsServer::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;  // shutting down
    if (ec)
      spdlog::warn("metrics server: {}", ec.message());
    else
      std::make_shared<Exchange>(std::move(socket), body_)->start();
    accept_next();
  });
}

}  // namespace neuropipe::cli
