// The built admin console (web/dist) served at "/": files by safe path resolution, the
// index page for client-side routes, long-lived caching only for content-hashed assets.
#pragma once

#include <filesystem>
#include <string_view>

#include "http/response.h"
#include "http/router.h"

namespace provisio::app {

// The response for a GET of `path` (percent-decoded, starting with '/') under `root`.
// Paths under /api/ and /scim/ answer the JSON 404 of the API; a path with "..", a hidden
// segment, a backslash or a NUL is refused with 404; a missing file whose last segment has no
// extension answers index.html (a client-side route); anything else missing is 404.
http::Response ServeStatic(const std::filesystem::path& root, std::string_view path);

// A handler for `GET /{path*}` serving `root`.
http::Handler StaticFilesHandler(std::filesystem::path root);

// Where the console lives: $PROVISIO_WEB_DIR, else web/dist beside the source tree the
// binary was built in (<bin>/../../web/dist), else ./web/dist.
std::filesystem::path FindWebRoot();

}  // namespace provisio::app
