package dev.portcullis.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards tests that need a real external component (Node.js, a database...). Locally a missing
 * component skips the test; in CI ({@code CI=true}) it fails it, so a broken setup cannot pass green.
 */
public final class RealComponents {

  private RealComponents() {}

  /**
   * @param present whether the component is usable
   * @param what    the component and how to get it, e.g. "Node.js 20+ (run npm ci in ...)"
   */
  public static void requireOrSkip(boolean present, String what) {
    requireOrSkip(present, what, "true".equalsIgnoreCase(System.getenv("CI")));
  }

  static void requireOrSkip(boolean present, String what, boolean ci) {
    if (present) {
      return;
    }
    String message = "Missing real component: " + what
        + ". Install it to run this test (skipped locally, a failure when CI=true).";
    if (ci) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
  }
}
