// URL checks shared by the admin API and the connectors.
#pragma once

#include <string>
#include <string_view>

namespace provisio {

// The host of an absolute URL ("https://user@host:443/path" -> "host"; "http://[::1]:80/"
// -> "::1"), lower-cased; "" when `url` has no "scheme://host".
std::string UrlHost(std::string_view url);

// 127.0.0.0/8, ::1 and localhost: a connection there never leaves the machine.
bool IsLoopbackHost(std::string_view host);

// https:// to any host, http:// only to a loopback host (an emulator or a local test target):
// credentials and tokens never travel unencrypted across a network. "" when `url` is fine,
// else the reason, naming `field`.
std::string CheckHttpsOrLoopback(std::string_view field, std::string_view url);

}  // namespace provisio
