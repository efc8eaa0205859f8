#include "cli/qr_text.hpp"

#include <memory>

#include <qrencode.h>

namespace acfts {

void print_qr(const std::string& text, std::ostream& out) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code{
    QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free};
  if (!code) {
    out << "(no QR code: the text does not fit one)" << std::endl;
    return;
  }
  const int quiet = 2;
  const int n = code->width;
  auto dark = [&](int x, int y) {
    if (x < 0 || y < 0 || x >= n || y >= n)
      return false;
    return (code->data[y * n + x] & 1) != 0;
  };
  // Light modules are drawn as blocks, dark ones as blanks: readable on a dark terminal.
  for (int y = -quiet; y < n + quiet; y += 2) {
    for (int x = -quiet; x < n + quiet; ++x) {
      bool top = !dark(x, y), bottom = !dark(x, y + 1);
      out << (top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ");
    }
    out << "\n";
  }
  out << std::flush;
}

} // namespace acfts
