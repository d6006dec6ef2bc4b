package dev.portcullis.config.internal;

import java.util.ArrayList;
import java.util.List;

/** Collects several violations so that one pass over the configuration can report them all. */
public final class Violations {
  private final List<ConfigViolation> found = new ArrayList<>();

  public void add(List<Object> path, String message) {
    found.add(new ConfigViolation(path, message));
  }

  /** Runs {@code check} and keeps its violations, placed under {@code prefix}, instead of throwing. */
  public void collect(List<Object> prefix, Runnable check) {
    try {
      check.run();
    } catch (InvalidConfigException e) {
      e.violations().forEach(v -> found.add(v.under(prefix)));
    }
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw new InvalidConfigException(found);
    }
  }
}
