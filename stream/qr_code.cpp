// QR encoding through libqrencode; its QRcode is owned for exactly the copy into QrCode.
#include "stream/qr_code.hpp"

#include <qrencode.h>

#include <string>

#include "base/c_handle.hpp"

namespace boai::stream {

std::expected<QrCode, Error> encode_qr(std::string_view text) {
  if (text.empty()) {
    return std::unexpected(make_error("qr_invalid", "The QR text is empty."));
  }
  std::string owned(text);
  CHandle<QRcode, QRcode_free> code(QRcode_encodeString8bit(owned.c_str(), 0, QR_ECLEVEL_M));
  if (!code) {
    return std::unexpected(make_error("qr_invalid", "The QR text is too long to encode."));
  }
  QrCode out;
  out.size = code->width;
  out.dark.resize(static_cast<size_t>(out.size * out.size));
  for (size_t i = 0; i < out.dark.size(); ++i) {
    out.dark[i] = (code->data[i] & 1) != 0;
  }
  return out;
}

}  // namespace boai::stream
