// The numbered schema migrations of the SQLite backend, embedded in the binary.
// Append only: a released migration is never edited, a change is a new number.
#pragma once

#include <span>

#include "store/sql/sql_store.h"

namespace provisio::store::sqlite {

using sql::Migration;

std::span<const Migration> Migrations();

}  // namespace provisio::store::sqlite
