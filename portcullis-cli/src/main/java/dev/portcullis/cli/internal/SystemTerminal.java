package dev.portcullis.cli.internal;

import dev.portcullis.cli.Terminal;
import java.io.Console;

/** The terminal through {@link System#console()}; not interactive when stdin or stdout is redirected. */
public final class SystemTerminal implements Terminal {

  @Override
  public boolean interactive() {
    Console console = System.console();
    // Since JDK 22 console() may exist without a terminal behind it; only a real one can hide a password.
    return console != null && console.isTerminal();
  }

  @Override
  public char[] readSecret(String prompt) {
    return requireConsole().readPassword("%s", prompt);
  }

  @Override
  public String readLine(String prompt) {
    return requireConsole().readLine("%s", prompt);
  }

  private Console requireConsole() {
    if (!interactive()) {
      throw new IllegalStateException("no terminal to ask on (expected: an interactive terminal)");
    }
    return System.console();
  }
}
