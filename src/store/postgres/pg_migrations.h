// The numbered schema migrations of the PostgreSQL backend: the same numbers and the same
// tables, indexes and constraints as SQLite's (store/sqlite/migrations.cpp), in
// PostgreSQL's dialect. Append only, like SQLite's: a change is a new number in both.
#pragma once

#include <span>

#include "store/sql/sql_store.h"

namespace provisio::store::postgres {

using sql::Migration;

std::span<const Migration> Migrations();

}  // namespace provisio::store::postgres
