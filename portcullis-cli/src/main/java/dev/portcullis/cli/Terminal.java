package dev.portcullis.cli;

/** The user's terminal, for the questions the CLI asks when it runs interactively. */
public interface Terminal {

  /** Whether a person is there to answer: stdin and stdout are a terminal. */
  boolean interactive();

  /** Asks for a secret without echoing it; null when the input ended. */
  char[] readSecret(String prompt);

  /** Asks for a line of text; null when the input ended. */
  String readLine(String prompt);
}
