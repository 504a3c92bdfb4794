// Process-wide libsodium initialisation. Every entry point of security/ that touches
// libsodium calls InitSodium() first; it is cheap after the first call and thread-safe.
#pragma once

namespace provisio::security {

// Runs sodium_init() exactly once; aborts the process if libsodium cannot initialise,
// since no cryptographic operation would be safe afterwards.
void InitSodium();

}  // namespace provisio::security
