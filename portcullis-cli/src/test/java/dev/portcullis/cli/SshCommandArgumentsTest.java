package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code portcullis ssh} hands every argument to ssh unchanged and in order, whatever it looks like. */
class SshCommandArgumentsTest {

  @Test
  void passesOptionsDestinationAndRemoteCommandThroughVerbatim() {
    List<String> arguments = List.of("-oBatchMode=yes", "-p", "2222", "-L", "8080:localhost:80", "-vvv", "-t",
        "root@web-1", "ls", "-la", "--color=auto", "-h", "--help", "-V");
    SshCommand command = new SshCommand(CliContext.builder().build());

    new CommandLine(command).parseArgs(arguments.toArray(String[]::new));

    assertThat(command.arguments).isEqualTo(arguments);
  }
}
