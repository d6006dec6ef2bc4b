package dev.portcullis.policy.internal;

import dev.portcullis.config.AppConfig;
import dev.portcullis.config.RuleConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An app's access settings ready to run: public flag, public paths and compiled rules.
 *
 * @param name the app name
 * @param publicApp whether the app needs no sign-in at all
 * @param publicPaths the sign-in-free path prefixes, matched strictly (every reading of the path)
 * @param allow the allow rules; when any exist, one must match
 * @param deny the deny rules; none may match
 */
public record CompiledApp(
    String name,
    boolean publicApp,
    Optional<PathPrefixesCriterion> publicPaths,
    List<CompiledRule> allow,
    List<CompiledRule> deny) {

  public static CompiledApp compile(AppConfig app) {
    Optional<PathPrefixesCriterion> publicPaths = app.publicPaths().isEmpty()
        ? Optional.empty()
        : Optional.of(new PathPrefixesCriterion(app.publicPaths(), Effect.ALLOW));
    return new CompiledApp(app.name(), app.publicApp(), publicPaths,
        rules("allow", app.rules().allow(), Effect.ALLOW), rules("deny", app.rules().deny(), Effect.DENY));
  }

  private static List<CompiledRule> rules(String kind, List<RuleConfig> configs, Effect effect) {
    List<CompiledRule> compiled = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      compiled.add(CompiledRule.compile(kind + "[" + i + "]", configs.get(i), effect));
    }
    return List.copyOf(compiled);
  }
}
