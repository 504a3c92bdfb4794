// RFC 7643 §4 and §8.7.1: the User, Group and Enterprise User schemas, and the common
// attributes of §3.1.
#include <utility>

#include "scim/schema.h"
#include "scim/schema_urns.h"

namespace provisio::scim {

namespace {

// A small fluent builder so each definition reads like the RFC's table.
class Def {
 public:
  Def(std::string name, AttributeType type, std::string description) {
    a_.name = std::move(name);
    a_.type = type;
    a_.description = std::move(description);
    if (type == AttributeType::kReference || type == AttributeType::kBinary) a_.case_exact = true;
  }
  Def& Multi() {
    a_.multi_valued = true;
    return *this;
  }
  Def& Required() {
    a_.required = true;
    return *this;
  }
  Def& CaseExact(bool v = true) {
    a_.case_exact = v;
    return *this;
  }
  Def& ReadOnly() {
    a_.mutability = Mutability::kReadOnly;
    return *this;
  }
  Def& Immutable() {
    a_.mutability = Mutability::kImmutable;
    return *this;
  }
  Def& WriteOnly() {
    a_.mutability = Mutability::kWriteOnly;
    return *this;
  }
  Def& Returns(Returned r) {
    a_.returned = r;
    return *this;
  }
  Def& Unique(Uniqueness u) {
    a_.uniqueness = u;
    return *this;
  }
  Def& Canonical(std::vector<std::string> v) {
    a_.canonical_values = std::move(v);
    return *this;
  }
  Def& Refs(std::vector<std::string> v) {
    a_.reference_types = std::move(v);
    return *this;
  }
  Def& Subs(std::vector<Attribute> v) {
    a_.sub_attributes = std::move(v);
    return *this;
  }
  operator Attribute() const { return a_; }  // NOLINT: builder converts implicitly

 private:
  Attribute a_;
};

constexpr AttributeType kStr = AttributeType::kString;
constexpr AttributeType kBool = AttributeType::kBoolean;
constexpr AttributeType kRef = AttributeType::kReference;
constexpr AttributeType kCx = AttributeType::kComplex;

Attribute Value(std::string what) { return Def("value", kStr, "The " + std::move(what) + "."); }
Attribute Display() {
  return Def("display", kStr, "A human-readable name, primarily used for display purposes.");
}
Attribute Primary(std::string what) {
  return Def("primary", kBool,
             "A Boolean value indicating the 'primary' or preferred attribute value for this "
             "attribute, e.g., the preferred " +
                 std::move(what) + ".");
}
Attribute TypeOf(std::string what, std::vector<std::string> canonical) {
  Def d("type", kStr,
        "A label indicating the attribute's function, e.g., " + std::move(what) + ".");
  if (!canonical.empty()) d.Canonical(std::move(canonical));
  return d;
}

// value/display/type/primary, the shape of most multi-valued attributes.
Attribute MultiValued(std::string name, std::string description, Attribute value,
                      std::vector<std::string> types) {
  return Def(std::move(name), kCx, std::move(description))
      .Multi()
      .Subs({std::move(value), Display(), TypeOf("'work' or 'home'", std::move(types)),
             Primary("value")});
}

Schema UserSchema() {
  Schema s;
  s.id = std::string(kUserSchema);
  s.name = "User";
  s.description = "User Account";
  s.attributes = {
      Def("userName", kStr,
          "Unique identifier for the User, typically used by the user to directly authenticate "
          "to the service provider.")
          .Required()
          .Unique(Uniqueness::kServer),
      Def("name", kCx, "The components of the user's real name.")
          .Subs({Def("formatted", kStr,
                     "The full name, including all middle names, titles, and "
                     "suffixes as appropriate, formatted for display."),
                 Def("familyName", kStr, "The family name of the User."),
                 Def("givenName", kStr, "The given name of the User."),
                 Def("middleName", kStr, "The middle name(s) of the User."),
                 Def("honorificPrefix", kStr, "The honorific prefix(es) of the User."),
                 Def("honorificSuffix", kStr, "The honorific suffix(es) of the User.")}),
      Def("displayName", kStr, "The name of the User, suitable for display to end-users."),
      Def("nickName", kStr, "The casual way to address the user in real life."),
      Def("profileUrl", kRef,
          "A fully qualified URL pointing to a page representing the User's "
          "online profile.")
          .Refs({"external"}),
      Def("title", kStr, "The user's title, such as \"Vice President.\""),
      Def("userType", kStr,
          "Used to identify the relationship between the organization and the "
          "user."),
      Def("preferredLanguage", kStr, "Indicates the User's preferred written or spoken language."),
      Def("locale", kStr,
          "Used to indicate the User's default location for purposes of "
          "localizing items such as currency, date time format, or numerical "
          "representations."),
      Def("timezone", kStr,
          "The User's time zone in the 'Olson' time zone database format, "
          "e.g., 'America/Los_Angeles'."),
      Def("active", kBool, "A Boolean value indicating the User's administrative status."),
      Def("password", kStr, "The User's cleartext password.").WriteOnly().Returns(Returned::kNever),
      MultiValued("emails", "Email addresses for the user.",
                  Def("value", kStr, "Email addresses for the user."), {"work", "home", "other"}),
      MultiValued("phoneNumbers", "Phone numbers for the User.", Value("phone number of the User"),
                  {"work", "home", "mobile", "fax", "pager", "other"}),
      MultiValued("ims", "Instant messaging addresses for the User.",
                  Value("instant messaging address for the User"),
                  {"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"}),
      MultiValued("photos", "URLs of photos of the User.",
                  Def("value", kRef, "URL of a photo of the User.").Refs({"external"}),
                  {"photo", "thumbnail"}),
      Def("addresses", kCx, "A physical mailing address for this User.")
          .Multi()
          .Subs({Def("formatted", kStr,
                     "The full mailing address, formatted for display or use "
                     "with a mailing label."),
                 Def("streetAddress", kStr, "The full street address component."),
                 Def("locality", kStr, "The city or locality component."),
                 Def("region", kStr, "The state or region component."),
                 Def("postalCode", kStr, "The zip code or postal code component."),
                 Def("country", kStr, "The country name component."),
                 TypeOf("'work' or 'home'", {"work", "home", "other"}), Primary("address")}),
      Def("groups", kCx,
          "A list of groups to which the user belongs, either through direct "
          "membership, through nested groups, or dynamically calculated.")
          .Multi()
          .ReadOnly()
          .Subs({Def("value", kStr, "The identifier of the User's group.").ReadOnly(),
                 Def("$ref", kRef,
                     "The URI of the corresponding 'Group' resource to which the "
                     "user belongs.")
                     .Refs({"User", "Group"})
                     .ReadOnly(),
                 Def("display", kStr,
                     "A human-readable name, primarily used for display "
                     "purposes.")
                     .ReadOnly(),
                 Def("type", kStr,
                     "A label indicating the attribute's function, e.g., 'direct' "
                     "or 'indirect'.")
                     .Canonical({"direct", "indirect"})
                     .ReadOnly()}),
      MultiValued("entitlements",
                  "A list of entitlements for the User that represent a thing "
                  "the User has.",
                  Value("value of an entitlement"), {}),
      MultiValued("roles",
                  "A list of roles for the User that collectively represent who the "
                  "User is, e.g., 'Student', 'Faculty'.",
                  Value("value of a role"), {}),
      MultiValued("x509Certificates", "A list of certificates issued to the User.",
                  Def("value", AttributeType::kBinary, "The value of an X.509 certificate."), {}),
  };
  return s;
}

Schema GroupSchema() {
  Schema s;
  s.id = std::string(kGroupSchema);
  s.name = "Group";
  s.description = "Group";
  s.attributes = {
      Def("displayName", kStr, "A human-readable name for the Group.").Required(),
      Def("members", kCx, "A list of members of the Group.")
          .Multi()
          .Subs({Def("value", kStr, "Identifier of the member of this Group.").Immutable(),
                 Def("$ref", kRef,
                     "The URI corresponding to a SCIM resource that is a member "
                     "of this Group.")
                     .Refs({"User", "Group"})
                     .Immutable(),
                 Def("display", kStr,
                     "A human-readable name, primarily used for display "
                     "purposes."),
                 Def("type", kStr,
                     "A label indicating the type of resource, e.g., 'User' or "
                     "'Group'.")
                     .Canonical({"User", "Group"})
                     .Immutable()}),
  };
  return s;
}

Schema EnterpriseUserSchema() {
  Schema s;
  s.id = std::string(kEnterpriseUserSchema);
  s.name = "EnterpriseUser";
  s.description = "Enterprise User";
  s.attributes = {
      Def("employeeNumber", kStr,
          "Numeric or alphanumeric identifier assigned to a person, "
          "typically based on order of hire or association with an "
          "organization."),
      Def("costCenter", kStr, "Identifies the name of a cost center."),
      Def("organization", kStr, "Identifies the name of an organization."),
      Def("division", kStr, "Identifies the name of a division."),
      Def("department", kStr, "Identifies the name of a department."),
      Def("manager", kCx, "The User's manager.")
          .Subs({Def("value", kStr,
                     "The id of the SCIM resource representing the User's "
                     "manager."),
                 Def("$ref", kRef,
                     "The URI of the SCIM resource representing the User's "
                     "manager.")
                     .Refs({"User"}),
                 Def("displayName", kStr, "The displayName of the User's manager.").ReadOnly()}),
  };
  return s;
}

Schema MakeCommonAttributes() {
  Schema s;
  s.id = "";
  s.name = "Common";
  s.attributes = {
      Def("id", kStr,
          "A unique identifier for a SCIM resource as defined by the service "
          "provider.")
          .CaseExact()
          .ReadOnly()
          .Returns(Returned::kAlways)
          .Unique(Uniqueness::kServer),
      Def("externalId", kStr,
          "A String that is an identifier for the resource as defined by "
          "the provisioning client.")
          .CaseExact(),
      Def("meta", kCx, "A complex attribute containing resource metadata.")
          .ReadOnly()
          .Subs({Def("resourceType", kStr, "The name of the resource type of the resource.")
                     .CaseExact()
                     .ReadOnly(),
                 Def("created", AttributeType::kDateTime,
                     "The DateTime that the resource was added to the service provider.")
                     .ReadOnly(),
                 Def("lastModified", AttributeType::kDateTime,
                     "The most recent DateTime that the details of this resource were updated.")
                     .ReadOnly(),
                 Def("location", kRef, "The URI of the resource being returned.")
                     .Refs({"uri"})
                     .ReadOnly(),
                 Def("version", kStr, "The version of the resource being returned.")
                     .CaseExact()
                     .ReadOnly()}),
      Def("schemas", kRef, "The schemas the resource conforms to.")
          .Multi()
          .Required()
          .Refs({"uri"})
          .Returns(Returned::kAlways),
  };
  return s;
}

}  // namespace

const Schema& CommonAttributes() {
  static const Schema kCommon = MakeCommonAttributes();
  return kCommon;
}

SchemaRegistry SchemaRegistry::WithCoreSchemas() {
  SchemaRegistry r;
  // The calls below cannot fail on an empty registry.
  (void)r.AddSchema(UserSchema());
  (void)r.AddSchema(GroupSchema());
  (void)r.AddSchema(EnterpriseUserSchema());
  (void)r.AddResourceType("User", "/Users", "User Account", kUserSchema);
  (void)r.AddResourceType("Group", "/Groups", "Group", kGroupSchema);
  (void)r.AddExtension("User", kEnterpriseUserSchema, false);
  return r;
}

}  // namespace provisio::scim
