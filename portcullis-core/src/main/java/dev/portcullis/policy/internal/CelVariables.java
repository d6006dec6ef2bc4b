package dev.portcullis.policy.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the CEL activation for a request. CEL knows only 64-bit integers and doubles, so claim
 * numbers are widened ({@code Integer} to {@code Long}, {@code Float} to {@code Double}) on the way in.
 */
final class CelVariables {
  private CelVariables() {}

  static Map<String, Object> of(EvaluationContext context) {
    var identity = context.identity();
    Map<String, Object> user = Map.of(
        "name", identity.username(),
        "email", identity.email(),
        "groups", identity.groups(),
        "roles", context.roles(),
        "claims", convert(identity.claims()));
    Map<String, Object> request = Map.of(
        "method", context.method(),
        "host", context.app().host(),
        "path", context.path().normalized(),
        "source_ip", context.source().getHostAddress(),
        "time", context.time());
    Map<String, Object> app = Map.of(
        "name", context.app().name(),
        "labels", context.app().labels());
    return Map.of("user", user, "request", request, "app", app);
  }

  static Object convert(Object value) {
    return switch (value) {
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case Float f -> f.doubleValue();
      case BigInteger big -> big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
      case BigDecimal dec -> dec.doubleValue();
      case List<?> list -> {
        List<Object> out = new ArrayList<>(list.size());
        list.forEach(v -> out.add(convert(v)));
        yield out;
      }
      case Map<?, ?> map -> {
        Map<String, Object> out = new HashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), convert(v)));
        yield out;
      }
      default -> value;
    };
  }
}
