// A QR code drawn in a terminal with Unicode half blocks (libqrencode from Debian makes the code).
#pragma once

#include <ostream>
#include <string>

namespace acfts {

/// Draws `text` as a QR code (error correction level M, a 2-module quiet zone), two rows of
/// modules per line of output.
void print_qr(const std::string& text, std::ostream& out);

} // namespace acfts
