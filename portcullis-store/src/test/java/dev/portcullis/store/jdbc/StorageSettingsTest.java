package dev.portcullis.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.store.StoreException;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.EPOCH);

  @Test
  void postgresSettingsNeverShowThePasswordOrUrlParameters() {
    StorageSettings.Postgres settings =
        StorageSettings.postgres(
            "jdbc:postgresql://db:5432/portcullis?sslmode=verify-full&password=url-secret",
            "portcullis",
            "field-secret",
            CLOCK);

    assertThat(settings.toString()).doesNotContain("secret").contains("jdbc:postgresql://db:5432/portcullis");
    assertThat(settings.redactedUrl()).isEqualTo("jdbc:postgresql://db:5432/portcullis");
  }

  @Test
  void redactionDropsUserInformationBeforeTheHost() {
    StorageSettings.Postgres settings =
        StorageSettings.postgres("jdbc:postgresql://me:secret@db/portcullis", "me", "", CLOCK);

    assertThat(settings.redactedUrl()).isEqualTo("jdbc:postgresql://db/portcullis");
  }

  @Test
  void rejectsAUrlOfAnotherDatabaseWithoutEchoingIt() {
    assertThatThrownBy(() -> StorageSettings.postgres("jdbc:mysql://db/x?password=secret", "u", "p", CLOCK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jdbcUrl: ")
        .hasMessageNotContaining("secret");
  }

  @Test
  void anUnreachableDatabaseFailsWithoutRevealingThePassword() {
    // Port 1 on loopback refuses connections at once.
    StorageSettings.Postgres settings =
        StorageSettings.postgres("jdbc:postgresql://127.0.0.1:1/portcullis?connectTimeout=2", "u", "pw-secret", CLOCK);

    assertThatThrownBy(() -> Storage.open(settings))
        .isInstanceOf(StoreException.class)
        .hasMessageNotContaining("pw-secret");
  }
}
