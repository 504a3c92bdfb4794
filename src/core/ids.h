// Identifiers and random tokens.
#pragma once

#include <string>
#include <string_view>

namespace provisio {

// A random (version 4) UUID in its canonical lowercase 36-character form.
std::string NewUuid();
bool IsUuid(std::string_view s);

// `bytes` bytes from the system CSPRNG, as unpadded base64url.
std::string RandomToken(size_t bytes = 32);

}  // namespace provisio
