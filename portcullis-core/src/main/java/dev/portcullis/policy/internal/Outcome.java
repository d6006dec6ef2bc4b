package dev.portcullis.policy.internal;

/** What one criterion or rule said about a request: it matched, it did not, or it could not tell. */
public sealed interface Outcome permits Outcome.Match, Outcome.NoMatch, Outcome.Failed {
  Outcome MATCH = new Match();
  Outcome NO_MATCH = new NoMatch();

  /** The criterion holds. */
  record Match() implements Outcome {}

  /** The criterion does not hold. */
  record NoMatch() implements Outcome {}

  /**
   * The criterion could not be evaluated (a CEL runtime error). Allow rules count it as no match and
   * deny rules as a match, so an error never opens access.
   */
  record Failed(String error) implements Outcome {}
}
