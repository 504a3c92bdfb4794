#include "app/static_files.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace provisio::app {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxFileBytes = 16 * 1024 * 1024;

std::string_view ContentType(std::string_view ext) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The relative path for `path`, or empty when a segment is unsafe.
std::optional<fs::path> SafeRelative(std::string_view path) {
  fs::path rel;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    std::string_view seg =
        path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (!seg.empty()) {
      if (seg.front() == '.' || seg.find('\\') != std::string_view::npos ||
          seg.find('\0') != std::string_view::npos) {
        return std::nullopt;  // "..", ".", hidden files
      }
      rel /= std::string(seg);
    }
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return rel;
}

std::optional<std::string> ReadFile(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec) || fs::file_size(p, ec) > kMaxFileBytes) return std::nullopt;
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

http::Response NotFound(std::string_view path) {
  return http::Response::FromError(Error::NotFound("no route for " + std::string(path)));
}

void SecurityHeaders(http::Response& r) {
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Referrer-Policy", "no-referrer");
}

http::Response FileResponse(const fs::path& file, std::string body, bool immutable) {
  http::Response r;
  r.status = 200;
  r.body = std::move(body);
  std::string ext = file.extension().string();
  r.SetHeader("Content-Type", std::string(ContentType(ext)));
  r.SetHeader("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  SecurityHeaders(r);
  if (ext == ".html") {
    // Everything the console loads comes from this origin; no CDN, no inline script.
    r.SetHeader("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    r.SetHeader("X-Frame-Options", "DENY");
  }
  return r;
}

}  // namespace

http::Response ServeStatic(const fs::path& root, std::string_view path) {
  if (path == "/api" || path == "/scim" || StartsWith(path, "/api/") ||
      StartsWith(path, "/scim/")) {
    return NotFound(path);
  }
  auto rel = SafeRelative(path);
  if (!rel) return NotFound(path);

  std::error_code ec;
  fs::path base = fs::weakly_canonical(root, ec);
  if (ec) return NotFound(path);
  if (!rel->empty()) {
    fs::path candidate = fs::weakly_canonical(base / *rel, ec);
    // A symlink inside the root must not lead outside it.
    auto [b, c] = std::mismatch(base.begin(), base.end(), candidate.begin(), candidate.end());
    if (!ec && b == base.end()) {
      if (auto body = ReadFile(candidate)) {
        bool hashed = StartsWith(path, "/assets/");
        return FileResponse(candidate, std::move(*body), hashed);
      }
    }
    if (rel->filename().has_extension()) return NotFound(path);
  }
  fs::path index = base / "index.html";
  auto body = ReadFile(index);
  if (!body) {
    http::Response r = http::Response::Text(
        404, "The admin console is not built (" + index.string() +
                 " is missing): run scripts/setup, or npm ci && npm run build in web/.\n");
    SecurityHeaders(r);
    return r;
  }
  return FileResponse(index, std::move(*body), false);
}

http::Handler StaticFilesHandler(fs::path root) {
  return
      [root = std::move(root)](http::Request& request) { return ServeStatic(root, request.path); };
}

fs::path FindWebRoot() {
  if (const char* env = std::getenv("PROVISIO_WEB_DIR"); env && *env) return env;
  std::vector<fs::path> candidates;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / ".." / ".." / "web" / "dist");
    candidates.push_back(exe.parent_path() / ".." / "share" / "provisio" / "web");
  }
  candidates.push_back(fs::current_path(ec) / "web" / "dist");
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c / "index.html", ec)) return fs::weakly_canonical(c, ec);
  }
  return candidates.front();
}

}  // namespace provisio::app
