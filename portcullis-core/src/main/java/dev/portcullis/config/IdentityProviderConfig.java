package dev.portcullis.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.regex.Pattern;

/** One entry of {@code identity_providers}, chosen by its {@code type}: {@code oidc} or {@code local}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = OidcProviderConfig.class, name = "oidc"),
  @JsonSubTypes.Type(value = LocalProviderConfig.class, name = "local")
})
public sealed interface IdentityProviderConfig permits OidcProviderConfig, LocalProviderConfig {
  /** Provider names: lower-case letters, digits and hyphens, 1-32 characters. */
  Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");
  String NAME_EXPECTED = "1-32 characters a-z, 0-9 or -";

  /** The provider's unique name, used in URLs and in audit events. */
  String name();

  /** The name shown on the sign-in page. */
  String displayName();
}
