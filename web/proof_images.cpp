// Proof images: a check of the first bytes and size, then a write to a temporary name renamed
// into place, so a half-written file is never served.
#include "web/proof_images.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "web/random_id.hpp"

namespace boai::web {

std::expected<std::string, Error> proof_extension(std::string_view bytes) {
  if (bytes.size() > kMaxProofBytes) {
    return std::unexpected(make_error("proof_too_large", "a proof image is at most 5 MiB"));
  }
  if (bytes.starts_with("\x89PNG\r\n\x1a\n")) {
    return ".png";
  }
  if (bytes.size() > 3 && bytes.starts_with("\xFF\xD8\xFF")) {
    return ".jpg";
  }
  return std::unexpected(make_error("proof_not_image", "a proof is a PNG or JPEG image"));
}

std::expected<std::string, Error> save_proof(const std::string& proofs_dir,
                                             const std::string& prefix, std::string_view bytes) {
  auto extension = proof_extension(bytes);
  if (!extension) {
    return std::unexpected(extension.error());
  }
  std::string name = prefix + "-" + random_id().substr(0, 16) + *extension;
  std::error_code ec;
  std::filesystem::create_directories(proofs_dir, ec);
  auto path = std::filesystem::path(proofs_dir) / name;
  auto partial = path;
  partial += ".part";
  {
    std::ofstream out(partial, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
      return std::unexpected(make_error("proof_not_saved", "cannot write " + partial.string()));
    }
  }
  std::filesystem::rename(partial, path, ec);
  if (ec) {
    return std::unexpected(make_error("proof_not_saved", "cannot write " + path.string()));
  }
  return name;
}

std::expected<std::string, Error> save_proof_file(const std::string& proofs_dir,
                                                  const std::string& prefix,
                                                  const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in) {
    return std::unexpected(make_error("proof_not_found", "cannot read " + file));
  }
  return save_proof(proofs_dir, prefix, bytes.str());
}

bool is_saved_proof(const std::string& proofs_dir, const std::string& name) {
  static const std::regex kShape("(wish-[0-9]{1,18}|item)-[0-9a-f]{16}\\.(png|jpg)");
  std::error_code ec;
  return std::regex_match(name, kShape) &&
         std::filesystem::is_regular_file(std::filesystem::path(proofs_dir) / name, ec);
}

}  // namespace boai::web
