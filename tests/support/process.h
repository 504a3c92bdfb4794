// Runs a Provisio executable as a child process for integration tests: starts it, waits for
// its "listening on URL" line, and stops it with a signal.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace provisio::testing {

std::filesystem::path BinDir();
std::filesystem::path MakeTempDir(const std::string& prefix);

class ChildProcess {
 public:
  // argv[0] is a path; env entries are added to (and override) the current environment.
  ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env = {},
               std::string stdin_text = "");
  ~ChildProcess();  // SIGKILLs a child still running
  ChildProcess(const ChildProcess&) = delete;

  // Reads stdout until a line starting with `prefix`; returns the rest of that line or
  // "" when the child exits or the timeout passes first.
  std::string WaitForLine(const std::string& prefix,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Sends `sig` and waits; returns the exit status (128+signal when killed by one).
  int Stop(int sig);
  // Waits for the child to exit by itself.
  int Wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  const std::string& output() const { return output_; }
  std::string ReadStderr();
  pid_t pid() const { return pid_; }

 private:
  int Reap(std::chrono::milliseconds timeout);
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string output_;
  int status_ = -1;
};

// `provisio serve` on 127.0.0.1:0 with a fresh data dir; url() is where it listens.
class ProvisioServer {
 public:
  explicit ProvisioServer(std::map<std::string, std::string> env = {},
                          std::vector<std::string> extra_args = {});
  const std::string& url() const { return url_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  // The --database URL it runs on; "" for the default SQLite file in data_dir().
  const std::string& database() const { return database_; }
  // The flags that point another `provisio` command (scim-token create, ...) at its store.
  std::vector<std::string> StoreArgs() const;
  ChildProcess& process() { return *process_; }

 private:
  std::filesystem::path data_dir_;
  std::string database_;
  std::unique_ptr<ChildProcess> process_;
  std::string url_;
};

}  // namespace provisio::testing
