// A throwaway PostgreSQL server for tests: initdb in a temporary folder (as the `postgres`
// user when the test runs as root, as PostgreSQL requires), started with pg_ctl on
// 127.0.0.1 and a free port, stopped and removed when destroyed.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace provisio::testing {

class PostgresServer {
 public:
  // Starts a server; nullptr (with the reason in `why`) when PostgreSQL is not installed.
  static std::unique_ptr<PostgresServer> Start(std::string* why);
  // A server someone else runs, as postgresql://USER@HOST:PORT (no database).
  static std::unique_ptr<PostgresServer> Existing(std::string base_url);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;

  // Creates a fresh, empty database and returns its postgresql:// URL.
  std::string CreateDatabase();
  // The URL of an existing database on this server.
  std::string Url(const std::string& database) const;

 private:
  PostgresServer(std::filesystem::path bin, std::filesystem::path dir, std::string base_url)
      : bin_(std::move(bin)), dir_(std::move(dir)), base_url_(std::move(base_url)) {}
  std::filesystem::path bin_;  // empty for a server we did not start
  std::filesystem::path dir_;
  std::string base_url_;
};

// The server for every test in this process: $PROVISIO_TEST_POSTGRES when set, else the
// one the CTest fixture "postgres" started (tests/postgres_fixture.sh), else one started
// here on first use. nullptr when PostgreSQL is not installed (`why` says so).
PostgresServer* SharedPostgres(std::string* why);

}  // namespace provisio::testing
