package dev.portcullis.server.cli;

import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.server.StorageAccess;
import dev.portcullis.store.jdbc.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** The {@code --config} option of admin commands that work on the server's store and data directory. */
final class AdminStorage {
  @Option(names = {"-c", "--config"}, defaultValue = "${PORTCULLIS_CONFIG:-./data/portcullis-demo.yaml}",
      description = "The server's YAML configuration (default: ${DEFAULT-VALUE}).")
  Path config;

  PortcullisConfig load() {
    if (!Files.isRegularFile(config)) {
      throw new CliException("--config: " + config + " does not exist (expected: the server's configuration file)");
    }
    try {
      return ConfigLoader.load(config);
    } catch (ConfigException e) {
      throw new CliException(e.getMessage());
    }
  }

  Storage open(PortcullisConfig loaded) {
    return StorageAccess.open(loaded, Clock.systemUTC());
  }
}
