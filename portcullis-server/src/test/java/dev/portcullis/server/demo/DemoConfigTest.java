package dev.portcullis.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.BastionConfig;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.ListenAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's configuration file as {@code portcullis demo} writes it. */
class DemoConfigTest {

  @Test
  void theSshBastionListensOnLoopbackAndIsDialledThereNotAtPortcullisLocalhost(@TempDir Path dir) throws Exception {
    Path file = DemoConfig.write(dir, 8443, DemoConfig.BASTION_PORT, 1001, 1002, new SecureRandom());

    BastionConfig bastion = ConfigLoader.load(file).ssh().bastion().orElseThrow();

    assertThat(bastion.listen()).isEqualTo(new ListenAddress("127.0.0.1", 3022));
    assertThat(bastion.publicAddress("portcullis.localhost")).isEqualTo("127.0.0.1:3022");
  }
}
