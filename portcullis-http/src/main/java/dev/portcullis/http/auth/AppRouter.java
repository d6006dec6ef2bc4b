package dev.portcullis.http.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds the app for a request by host and the longest matching path prefix, segment by segment. */
final class AppRouter {
  private final Map<String, List<AppRoute>> byHost;

  AppRouter(List<AppRoute> routes) {
    Map<String, List<AppRoute>> grouped = new HashMap<>();
    for (AppRoute route : routes) {
      grouped.computeIfAbsent(route.config().host(), host -> new ArrayList<>()).add(route);
    }
    grouped.replaceAll((host, list) -> list.stream()
        .sorted(Comparator.comparingInt((AppRoute r) -> r.config().pathPrefix().length()).reversed())
        .toList());
    this.byHost = Map.copyOf(grouped);
  }

  Optional<AppRoute> find(String host, String path) {
    for (AppRoute route : byHost.getOrDefault(host, List.of())) {
      if (underPrefix(path, route.config().pathPrefix())) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }

  boolean servesHost(String host) {
    return byHost.containsKey(host);
  }

  List<AppRoute> all() {
    return byHost.values().stream().flatMap(List::stream).sorted(Comparator.comparing(AppRoute::name)).toList();
  }

  /** {@code /app} covers {@code /app} and {@code /app/x} but not {@code /apple}. */
  static boolean underPrefix(String path, String prefix) {
    if (prefix.equals("/") || path.equals(prefix)) {
      return true;
    }
    String withSlash = prefix.endsWith("/") ? prefix : prefix + "/";
    return path.startsWith(withSlash);
  }
}
