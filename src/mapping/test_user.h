// A realistic portal user for the mapping tests: core attributes, several emails, the
// enterprise extension, derived groups, a custom extension and non-ASCII names.
#pragma once

#include <boost/json.hpp>

namespace provisio::mapping::testing {

inline const boost::json::object& TestUser() {
  static const boost::json::object kUser = boost::json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "externalId": "HR-000417",
    "userName": "jose.garcia@example.com",
    "name": {"givenName": "José", "familyName": "García Núñez", "middleName": null,
             "formatted": "José García Núñez"},
    "displayName": "José García",
    "nickName": "",
    "title": "Senior Engineer",
    "active": true,
    "emails": [
      {"value": "jose.garcia@example.com", "type": "work", "primary": true},
      {"value": "jgarcia@home.example", "type": "home"}
    ],
    "phoneNumbers": [{"value": "+34 600 000 000", "type": "mobile"}],
    "groups": [{"value": "g1", "display": "Engineering"}, {"value": "g2", "display": "Madrid"}],
    "meta": {"created": "2023-01-15T09:30:00Z", "lastModified": "2024-03-05T10:20:30.5+01:00"},
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
      "employeeNumber": "417",
      "department": "R&D",
      "costCenter": "4130",
      "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "Ana Ruiz"}
    },
    "urn:example:params:scim:schemas:extension:acme:1.0:User": {
      "badges": [{"kind": "door", "code": "D-1"}, {"kind": "car", "code": 7, "active": false}],
      "level": 3,
      "ratio": 0.25
    }
  })")
                                               .as_object();
  return kUser;
}

}  // namespace provisio::mapping::testing
