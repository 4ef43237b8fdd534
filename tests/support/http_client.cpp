// http_request: connect, send with Connection: close, read to the end, split head from body.
#include "tests/support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

namespace boai::test {

HttpReply http_request(int port, const std::string& method, const std::string& path,
                       const std::string& body, const std::map<std::string, std::string>& headers) {
  return http_request_from("", port, method, path, body, headers);
}

HttpReply http_request_from(const std::string& source, int port, const std::string& method,
                            const std::string& path, const std::string& body,
                            const std::map<std::string, std::string>& headers) {
  HttpReply reply;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
      close(fd);
      return reply;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return reply;
  }
  std::string request = method + " " + path +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\n";
  bool typed = false;
  for (const auto& [k, v] : headers) {
    request += k + ": " + v + "\r\n";
    typed = typed || k == "Content-Type" || k == "content-type";
  }
  // The API's state-changing requests are JSON (json_required otherwise): say so unless told.
  if (!typed && method != "GET" && method != "HEAD") {
    request += "Content-Type: application/json\r\n";
  }
  if (!body.empty() || method == "POST") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) {
    close(fd);
    return reply;
  }
  std::string raw;
  char buf[8192];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      break;
    }
    raw.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    return reply;
  }
  std::istringstream head(raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (line.size() >= 12) {
    reply.status = std::stoi(line.substr(9, 3));
  }
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    auto colon = line.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    reply.headers[name] = value;
  }
  reply.body = raw.substr(head_end + 4);
  return reply;
}

}  // namespace boai::test
