package dev.portcullis.server.cli;

import dev.portcullis.localauth.PasswordHasher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code portcullis hash-password}: the Argon2id hash to put in a local user's {@code password_hash}. */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
    description = "Read a password from standard input and print its Argon2id hash for password_hash.")
final class HashPasswordCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    char[] password;
    if (System.console() != null) {
      password = System.console().readPassword("Password: ");
    } else {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      password = line == null ? new char[0] : line.toCharArray();
    }
    if (password == null || password.length < 8) {
      throw new CliException("password: too short (expected: at least 8 characters)");
    }
    spec.commandLine().getOut().println(new PasswordHasher(new SecureRandom()).hash(password));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
