// Hand-made ZIP archives for tests of the XLSX reader: deflated entries whose directory may lie about
// their size, and padding that is streamed into the compressor (a 300 MiB entry never exists whole).
// Link ZLIB::ZLIB.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sanad::testing {

// A ZIP archive of deflated entries whose directory may lie about the uncompressed size. An entry is
// `head`, then `pad` spaces, then `tail`, deflated as a stream (a 300 MiB entry never exists whole).
struct ZipPart {
  std::string name;
  std::string head;
  std::optional<std::uint32_t> declared_size;
  std::size_t pad = 0;
  std::string tail;
};
inline std::string MakeZip(const std::vector<ZipPart>& parts) {
  auto le16 = [](std::string& s, unsigned v) { s.push_back(char(v & 0xff)), s.push_back(char(v >> 8 & 0xff)); };
  auto le32 = [&](std::string& s, std::uint32_t v) { le16(s, v & 0xffff), le16(s, v >> 16); };
  std::string zip, dir;
  for (const auto& p : parts) {
    z_stream zs{};
    deflateInit2(&zs, 6, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    std::string c;
    std::uint32_t crc = crc32(0, nullptr, 0);
    std::size_t total = 0;
    const std::string spaces(1 << 20, ' ');
    auto feed = [&](std::string_view piece, bool last) {
      crc = crc32(crc, reinterpret_cast<const Bytef*>(piece.data()), static_cast<uInt>(piece.size()));
      total += piece.size();
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
      zs.avail_in = static_cast<uInt>(piece.size());
      char out[65536];
      do {
        zs.next_out = reinterpret_cast<Bytef*>(out);
        zs.avail_out = sizeof out;
        deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
        c.append(out, sizeof out - zs.avail_out);
      } while (zs.avail_out == 0);
    };
    feed(p.head, false);
    for (std::size_t left = p.pad; left > 0;) {
      const std::size_t n = std::min(left, spaces.size());
      feed(std::string_view(spaces).substr(0, n), false);
      left -= n;
    }
    feed(p.tail, true);
    deflateEnd(&zs);
    const std::uint32_t usize = p.declared_size.value_or(static_cast<std::uint32_t>(total));
    const std::uint32_t offset = static_cast<std::uint32_t>(zip.size());
    le32(zip, 0x04034b50), le16(zip, 20), le16(zip, 0), le16(zip, 8), le16(zip, 0), le16(zip, 0);
    le32(zip, crc), le32(zip, static_cast<std::uint32_t>(c.size())), le32(zip, usize);
    le16(zip, static_cast<unsigned>(p.name.size())), le16(zip, 0);
    zip += p.name + c;
    le32(dir, 0x02014b50), le16(dir, 20), le16(dir, 20), le16(dir, 0), le16(dir, 8), le16(dir, 0), le16(dir, 0);
    le32(dir, crc), le32(dir, static_cast<std::uint32_t>(c.size())), le32(dir, usize);
    le16(dir, static_cast<unsigned>(p.name.size())), le16(dir, 0), le16(dir, 0), le16(dir, 0), le16(dir, 0);
    le32(dir, 0), le32(dir, offset);
    dir += p.name;
  }
  const std::uint32_t dir_at = static_cast<std::uint32_t>(zip.size());
  zip += dir;
  le32(zip, 0x06054b50), le16(zip, 0), le16(zip, 0), le16(zip, static_cast<unsigned>(parts.size()));
  le16(zip, static_cast<unsigned>(parts.size())), le32(zip, static_cast<std::uint32_t>(dir.size())), le32(zip, dir_at),
      le16(zip, 0);
  return zip;
}

}  // namespace sanad::testing
