// A plain HTTP/1.1 client over loopback for integration tests: one request, one response. A
// request other than GET and HEAD says Content-Type: application/json unless headers give one.
#pragma once

#include <map>
#include <string>

namespace boai::test {

struct HttpReply {
  int status = 0;                              // 0 when the connection failed
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

HttpReply http_request(int port, const std::string& method, const std::string& path,
                       const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {});
// The same from another loopback address (127.0.0.2, say): the server sees another peer.
HttpReply http_request_from(const std::string& source, int port, const std::string& method,
                            const std::string& path, const std::string& body = "",
                            const std::map<std::string, std::string>& headers = {});
inline HttpReply http_get(int port, const std::string& path) {
  return http_request(port, "GET", path);
}

}  // namespace boai::test
