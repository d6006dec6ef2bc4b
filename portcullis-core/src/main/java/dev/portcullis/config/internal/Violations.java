package dev.portcullis.config.internal;

import java.util.ArrayList;
import java.util.List;

/** Collects several violations so that one pass over the configuration can report them all. */
public final class Violations {
  private final List<ConfigViolation> found = new ArrayList<>();

  public void add(List<Object> path, String message) {
    found.add(new ConfigViolation(path, message));
  }

  /** Adds a violation about the key itself (an unknown key), located at the key rather than its value. */
  public void addAtKey(List<Object> path, String message) {
    found.add(new ConfigViolation(path, message, true, 0, 0));
  }

  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw new InvalidConfigException(found);
    }
  }
}
