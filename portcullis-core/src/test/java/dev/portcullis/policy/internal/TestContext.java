package dev.portcullis.policy.internal;

import dev.portcullis.identity.Identity;
import dev.portcullis.policy.AppResource;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds evaluation contexts for criterion tests; every field has a plain default. */
final class TestContext {
  String username = "alice";
  String email = "alice@example.com";
  List<String> groups = List.of("dev");
  Map<String, Object> claims = Map.of();
  List<String> roles = List.of("dev");
  String method = "GET";
  String path = "/";
  String source = "192.0.2.10";
  Instant time = Instant.parse("2025-03-04T10:15:30Z");
  Map<String, String> labels = Map.of("env", "dev");

  static TestContext request() {
    return new TestContext();
  }

  TestContext user(String name) {
    username = name;
    return this;
  }

  TestContext email(String value) {
    email = value;
    return this;
  }

  TestContext groups(String... values) {
    groups = List.of(values);
    return this;
  }

  TestContext claims(Map<String, ?> values) {
    claims = new java.util.LinkedHashMap<>(values);
    return this;
  }

  TestContext method(String value) {
    method = value;
    return this;
  }

  TestContext path(String value) {
    path = value;
    return this;
  }

  TestContext source(String value) {
    source = value;
    return this;
  }

  TestContext time(String value) {
    time = Instant.parse(value);
    return this;
  }

  EvaluationContext build() {
    Identity identity = new Identity(username, email, groups, claims, "corp", "sub-" + username);
    return new EvaluationContext(identity, roles, new AppResource("whoami", "whoami.localhost", labels), method,
        RequestPath.of(path), InetAddress.ofLiteral(source), time);
  }
}
