#include "support/postgres_server.h"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "core/ids.h"

namespace provisio::testing {
namespace fs = std::filesystem;
namespace {

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The newest /usr/lib/postgresql/N/bin with initdb in it.
fs::path FindBin() {
  fs::path best;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    fs::path bin = e.path() / "bin";
    if (fs::exists(bin / "initdb") && (best.empty() || bin > best)) best = bin;
  }
  return best;
}

// Runs a shell command, as the postgres user when we are root.
int RunAs(const std::string& cmd) {
  std::string full = ::geteuid() == 0 ? "runuser -u postgres -- " + cmd : cmd;
  return std::system((full + " >/dev/null 2>&1").c_str());
}

}  // namespace

std::unique_ptr<PostgresServer> PostgresServer::Start(std::string* why) {
  fs::path bin = FindBin();
  if (bin.empty()) {
    *why = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)";
    return nullptr;
  }
  fs::path dir = fs::temp_directory_path() / ("provisio-pg-" + NewUuid());
  fs::create_directories(dir);
  if (::geteuid() == 0) {
    passwd* pw = ::getpwnam("postgres");
    if (!pw) {
      *why = "running as root but there is no postgres user to run the server as";
      return nullptr;
    }
    if (::chown(dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      *why = "cannot hand " + dir.string() + " to the postgres user";
      return nullptr;
    }
  }
  int port = FreePort();
  auto server = std::unique_ptr<PostgresServer>(
      new PostgresServer(bin, dir, "postgresql://postgres@127.0.0.1:" + std::to_string(port)));
  fs::path data = dir / "data";
  if (RunAs((bin / "initdb").string() + " -D " + data.string() +
            " -U postgres -A trust --no-sync -E UTF8 --locale=C") != 0) {
    *why = "initdb failed in " + dir.string();
    return nullptr;
  }
  // fsync off: a test server need not survive a power cut, and it is much faster.
  std::string opts = "-p " + std::to_string(port) + " -k " + dir.string() +
                     " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                     " -c full_page_writes=off -c max_connections=300";
  if (RunAs((bin / "pg_ctl").string() + " -D " + data.string() + " -l " +
            (dir / "server.log").string() + " -o '" + opts + "' -w start") != 0) {
    *why = "pg_ctl start failed; see " + (dir / "server.log").string();
    return nullptr;
  }
  return server;
}

std::unique_ptr<PostgresServer> PostgresServer::Existing(std::string base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  return std::unique_ptr<PostgresServer>(new PostgresServer({}, {}, std::move(base_url)));
}

PostgresServer::~PostgresServer() {
  if (bin_.empty()) return;
  RunAs((bin_ / "pg_ctl").string() + " -D " + (dir_ / "data").string() + " -m immediate stop");
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PostgresServer::Url(const std::string& database) const {
  return base_url_ + "/" + database;
}

std::string PostgresServer::CreateDatabase() {
  static std::atomic<int> counter{0};
  std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  PGconn* c = PQconnectdb(Url("postgres").c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("cannot connect to the test PostgreSQL server: " + msg);
  }
  PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string msg = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error("CREATE DATABASE failed: " + msg);
  return Url(name);
}

PostgresServer* SharedPostgres(std::string* why) {
  static std::mutex mu;
  static std::unique_ptr<PostgresServer> server;
  static std::string reason;
  std::lock_guard lock(mu);
  if (!server && reason.empty()) {
    if (const char* env = std::getenv("PROVISIO_TEST_POSTGRES"); env && *env) {
      server = PostgresServer::Existing(env);
    } else if (std::ifstream in(fs::path(PROVISIO_TEST_POSTGRES_DIR) / "url"); in) {
      std::string url;
      std::getline(in, url);
      if (!url.empty()) server = PostgresServer::Existing(url);
    }
    if (!server) server = PostgresServer::Start(&reason);
    if (!server && reason.empty()) reason = "PostgreSQL did not start";
  }
  if (!server) *why = reason;
  return server.get();
}

}  // namespace provisio::testing
