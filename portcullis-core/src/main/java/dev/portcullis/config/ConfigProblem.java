package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

/**
 * One problem in a configuration file, located for a human.
 *
 * @param source the file name as given to the loader
 * @param line 1-based line, or 0 when the problem concerns the whole file (for example it cannot be read)
 * @param column 1-based column, or 0 with {@code line}
 * @param path the key path such as {@code apps[0].upstream}; empty for the file itself
 * @param message what is wrong and what was expected
 */
public record ConfigProblem(String source, int line, int column, String path, String message) {

  public ConfigProblem {
    requireNonNull(source, "source");
    requireNonNull(path, "path");
    requireNonNull(message, "message");
  }

  /** Formats as {@code source:line:column: path: message}, the form editors and terminals link to. */
  @Override
  public String toString() {
    String place = line > 0 ? source + ":" + line + ":" + column : source;
    return place + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
