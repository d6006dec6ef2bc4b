package dev.portcullis.cli;

import java.io.IOException;
import java.util.List;

/** Runs a program attached to the user's terminal (stdin, stdout, stderr), as {@code portcullis ssh} runs ssh. */
@FunctionalInterface
public interface ProcessLauncher {

  /**
   * Runs {@code command} to completion.
   *
   * @return its exit code
   * @throws IOException if it could not be started
   */
  int run(List<String> command) throws IOException, InterruptedException;
}
