// UTF-8 text as the string functions see it: code points, simple case mapping and diacritic
// removal for Latin-1, Latin Extended-A, Greek and Cyrillic. Invalid bytes decode to U+FFFD.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace provisio::mapping {

// 1-based character (code point) position of byte `offset` in `text`.
size_t CharPosition(std::string_view text, size_t offset);

std::u32string DecodeUtf8(std::string_view text);
void AppendUtf8(std::string& out, char32_t cp);
std::string EncodeUtf8(std::u32string_view text);

std::string ToLowerUtf8(std::string_view text);
std::string ToUpperUtf8(std::string_view text);

// é→e, ß→ss, ø→o, Œ→OE, ...; combining marks (U+0300–U+036F) are dropped.
std::string RemoveDiacritics(std::string_view text);

}  // namespace provisio::mapping
