package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

/**
 * What a whoami upstream received, read from its JSON answer: the request headers and the identity
 * assertion, whose signature is checked against the published JWKS before its claims are trusted.
 */
record UpstreamReport(String app, String uri, JsonNode headers) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fetches {@code url} as JSON through the proxy; the upstream must answer 200. */
  static UpstreamReport fetch(TestBrowser browser, URI url) {
    HttpResponse<String> response = browser.get(url, Map.of("Accept", "application/json"));
    assertThat(response.statusCode()).as("%s: %s", url, response.body()).isEqualTo(200);
    return parse(response.body());
  }

  static UpstreamReport parse(String json) {
    try {
      JsonNode report = JSON.readTree(json);
      return new UpstreamReport(report.path("app").asText(), report.path("uri").asText(), report.path("headers"));
    } catch (IOException e) {
      throw new UncheckedIOException("not a whoami report: " + json, e);
    }
  }

  /** Every value the upstream received for a header (lower-case name). */
  List<String> header(String name) {
    JsonNode values = headers.path(name);
    return values.isArray() ? JSON.convertValue(values, JSON.getTypeFactory().constructCollectionType(List.class, String.class))
        : List.of();
  }

  /** The assertion's claims after verifying its ES256 signature against {@code jwksUrl}. */
  JWTClaimsSet verifiedAssertion(TestBrowser browser, URI jwksUrl) {
    List<String> assertions = header("x-portcullis-jwt-assertion");
    assertThat(assertions).as("the upstream received exactly one assertion").hasSize(1);
    try {
      SignedJWT jwt = SignedJWT.parse(assertions.getFirst());
      JWK key = JWKSet.parse(browser.get(jwksUrl).body()).getKeyByKeyId(jwt.getHeader().getKeyID());
      assertThat(key).as("the assertion's kid is published at %s", jwksUrl).isNotNull();
      assertThat(jwt.verify(new ECDSAVerifier(key.toECKey()))).as("assertion signature").isTrue();
      return jwt.getJWTClaimsSet();
    } catch (ParseException | JOSEException e) {
      throw new AssertionError("unverifiable assertion: " + assertions.getFirst(), e);
    }
  }
}
