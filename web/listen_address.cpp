// check_listen_address: binds the address once, before the service starts, to name the problem.
#include "web/listen_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace boai::web {

std::optional<Error> check_listen_address(const std::string& host, int port) {
  if (port == 0) {
    return std::nullopt;
  }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return std::nullopt;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    close(fd);
    return std::nullopt;  // a host name: let lws resolve and report it
  }
  std::optional<Error> error;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int e = errno;
    error = e == EADDRINUSE
                ? make_error("port_in_use",
                             "port " + std::to_string(port) + " on " + host + " is already in use")
                : make_error("listen_failed", "cannot listen on " + host + ":" +
                                                  std::to_string(port) + ": " + std::strerror(e));
  }
  close(fd);
  return error;
}

}  // namespace boai::web
