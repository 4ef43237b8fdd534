// For integration tests: a GET over loopback that must answer a status with a JSON body.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/http_client.hpp"

namespace boai::test {

inline nlohmann::json get_json(int port, const std::string& path, int expected_status = 200) {
  auto reply = http_get(port, path);
  INFO(path << " -> " << reply.status << " " << reply.body);
  REQUIRE(reply.status == expected_status);
  return nlohmann::json::parse(reply.body);
}

}  // namespace boai::test
