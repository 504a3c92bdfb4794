// The numbered schema migrations of the SQLite backend, embedded in the binary.
// Append only: a released migration is never edited, a change is a new number.
#pragma once

#include <span>
#include <string_view>

namespace provisio::store::sqlite {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> Migrations();

}  // namespace provisio::store::sqlite
