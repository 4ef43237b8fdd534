// HTTP/1.1 with "Connection: close" over an OpenSSL BIO: the answer ends when the server closes.
#include "app/url_fetch.hpp"

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include <array>
#include <cctype>
#include <optional>
#include <string_view>

#include "base/c_handle.hpp"

namespace boai::app {

namespace {

using Bio = CHandle<BIO, BIO_free_all>;
using SslContext = CHandle<SSL_CTX, SSL_CTX_free>;

struct Url {
  bool tls = false;
  std::string host;  // with ":port" when given
  std::string path;
};

std::expected<Url, Error> parse_url(const std::string& url) {
  Url out;
  std::string rest;
  if (url.starts_with("https://")) {
    out.tls = true;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return std::unexpected(Error{"url_invalid", "only http:// and https:// URLs: " + url});
  }
  auto slash = rest.find('/');
  out.host = rest.substr(0, slash);
  out.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (out.host.empty()) {
    return std::unexpected(Error{"url_invalid", "no host in " + url});
  }
  return out;
}

// A chunked body decoded; nullopt when it is not well formed.
std::optional<std::string> unchunk(std::string_view body) {
  std::string out;
  while (true) {
    auto eol = body.find("\r\n");
    if (eol == std::string_view::npos) {
      return std::nullopt;
    }
    std::size_t size = 0;
    try {
      size = std::stoul(std::string(body.substr(0, eol)), nullptr, 16);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    body.remove_prefix(eol + 2);
    if (size == 0) {
      return out;
    }
    if (body.size() < size + 2) {
      return std::nullopt;
    }
    out.append(body.substr(0, size));
    body.remove_prefix(size + 2);
  }
}

std::expected<std::string, Error> body_of(const std::string& answer, const std::string& url) {
  auto end = answer.find("\r\n\r\n");
  if (end == std::string::npos || !answer.starts_with("HTTP/1.")) {
    return std::unexpected(Error{"fetch_failed", url + " did not answer in HTTP"});
  }
  std::string status = answer.substr(9, 3);
  if (status != "200") {
    return std::unexpected(Error{"fetch_failed", url + " answered " + status});
  }
  std::string head = answer.substr(0, end);
  for (char& c : head) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::string body = answer.substr(end + 4);
  if (head.find("transfer-encoding: chunked") == std::string::npos) {
    return body;
  }
  auto plain = unchunk(body);
  if (!plain) {
    return std::unexpected(Error{"fetch_failed", url + " sent a broken chunked body"});
  }
  return *plain;
}

}  // namespace

std::expected<std::string, Error> fetch_url(const std::string& url, std::size_t max_bytes) {
  auto u = parse_url(url);
  if (!u) {
    return std::unexpected(u.error());
  }
  SslContext ctx;
  Bio bio;
  if (u->tls) {
    ctx.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX_set_default_verify_paths(ctx.get());
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    bio.reset(BIO_new_ssl_connect(ctx.get()));
    SSL* ssl = nullptr;
    BIO_get_ssl(bio.get(), &ssl);
    std::string name = u->host.substr(0, u->host.find(':'));
    SSL_set_tlsext_host_name(ssl, name.c_str());
    SSL_set1_host(ssl, name.c_str());
    BIO_set_conn_hostname(
        bio.get(), (u->host.find(':') == std::string::npos ? u->host + ":443" : u->host).c_str());
  } else {
    bio.reset(BIO_new_connect(
        (u->host.find(':') == std::string::npos ? u->host + ":80" : u->host).c_str()));
  }
  if (!bio || BIO_do_connect(bio.get()) <= 0) {
    return std::unexpected(Error{"fetch_failed", "cannot connect to " + u->host});
  }
  std::string request = "GET " + u->path + " HTTP/1.1\r\nHost: " + u->host +
                        "\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
  if (BIO_write(bio.get(), request.data(), static_cast<int>(request.size())) !=
      static_cast<int>(request.size())) {
    return std::unexpected(Error{"fetch_failed", "cannot send the request to " + u->host});
  }
  std::string answer;
  std::array<char, 16384> buffer{};
  for (int n; (n = BIO_read(bio.get(), buffer.data(), static_cast<int>(buffer.size()))) > 0;) {
    answer.append(buffer.data(), static_cast<std::size_t>(n));
    if (answer.size() > max_bytes + 16384) {
      return std::unexpected(Error{"fetch_failed", url + " sent more than the limit"});
    }
  }
  return body_of(answer, url);
}

}  // namespace boai::app
