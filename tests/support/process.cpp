#include "support/process.h"

#include "support/postgres_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>

#include <cstring>
#include <stdexcept>
#include <thread>

#include "core/ids.h"

extern char** environ;

namespace provisio::testing {

namespace fs = std::filesystem;

fs::path BinDir() { return fs::path(PROVISIO_BIN_DIR); }

fs::path MakeTempDir(const std::string& prefix) {
  fs::path p = fs::temp_directory_path() / (prefix + "-" + NewUuid());
  fs::create_directories(p);
  return p;
}

ChildProcess::ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env,
                           std::string stdin_text) {
  int out[2], err[2], in[2];
  if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(in, O_CLOEXEC)) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);

  std::map<std::string, std::string> merged;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (auto& [k, v] : env) merged[k] = v;
  std::vector<std::string> env_strings;
  for (auto& [k, v] : merged) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  for (auto& s : argv) args.push_back(s.data());
  args.push_back(nullptr);

  int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  close(err[1]);
  close(in[0]);
  if (rc != 0) throw std::runtime_error("posix_spawn " + argv[0] + ": " + std::strerror(rc));
  if (!stdin_text.empty()) {
    (void)!write(in[1], stdin_text.data(), stdin_text.size());
  }
  close(in[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
}

ChildProcess::~ChildProcess() {
  if (status_ < 0 && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

std::string ChildProcess::WaitForLine(const std::string& prefix,
                                      std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t scanned = 0;
  for (;;) {
    size_t nl;
    while ((nl = output_.find('\n', scanned)) != std::string::npos) {
      std::string line = output_.substr(scanned, nl - scanned);
      scanned = nl + 1;
      if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return "";
    pollfd p{out_fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return "";
    char buf[4096];
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) return "";
    output_.append(buf, static_cast<size_t>(n));
  }
}

std::string ChildProcess::ReadStderr() {
  std::string s;
  int flags = fcntl(err_fd_, F_GETFL);
  fcntl(err_fd_, F_SETFL, flags | O_NONBLOCK);
  char buf[4096];
  ssize_t n;
  while ((n = read(err_fd_, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  return s;
}

int ChildProcess::Reap(std::chrono::milliseconds timeout) {
  if (status_ >= 0) return status_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int st = 0;
  for (;;) {
    pid_t r = waitpid(pid_, &st, WNOHANG);
    if (r == pid_) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &st, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return status_;
}

int ChildProcess::Stop(int sig) {
  if (status_ < 0) kill(pid_, sig);
  return Reap(std::chrono::seconds(30));
}

int ChildProcess::Wait(std::chrono::milliseconds timeout) { return Reap(timeout); }

ProvisioServer::ProvisioServer(std::map<std::string, std::string> env,
                               std::vector<std::string> extra_args)
    : data_dir_(MakeTempDir("provisio-it")) {
  std::vector<std::string> argv = {(BinDir() / "provisio").string(),
                                   "serve",
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--data-dir",
                                   data_dir_.string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  // PROVISIO_TEST_DATABASE=postgresql (the fixture's server) or =postgresql://USER@HOST:PORT
  // runs every server of the suite on a fresh PostgreSQL database instead of SQLite.
  const char* backend = std::getenv("PROVISIO_TEST_DATABASE");
  bool has_database = std::find(argv.begin(), argv.end(), "--database") != argv.end();
  if (backend && std::string_view(backend).starts_with("postgres") && !has_database) {
    std::string why;
    static std::unique_ptr<PostgresServer> external;
    PostgresServer* pg = nullptr;
    if (std::string_view(backend).find("://") != std::string_view::npos) {
      if (!external) external = PostgresServer::Existing(backend);
      pg = external.get();
    } else {
      pg = SharedPostgres(&why);
    }
    if (!pg) throw std::runtime_error("PROVISIO_TEST_DATABASE: " + why);
    argv.push_back("--database");
    argv.push_back(pg->CreateDatabase());
  }
  if (auto it = std::find(argv.begin(), argv.end(), "--database");
      it != argv.end() && it + 1 != argv.end()) {
    database_ = *(it + 1);
  }
  env.emplace("PROVISIO_LOG_LEVEL", "warn");
  process_ = std::make_unique<ChildProcess>(argv, env);
  url_ = process_->WaitForLine("listening on ");
  if (url_.empty()) {
    throw std::runtime_error("provisio serve did not start: " + process_->ReadStderr());
  }
}

std::vector<std::string> ProvisioServer::StoreArgs() const {
  std::vector<std::string> args{"--data-dir", data_dir_.string()};
  if (!database_.empty()) {
    args.push_back("--database");
    args.push_back(database_);
  }
  return args;
}

}  // namespace provisio::testing
