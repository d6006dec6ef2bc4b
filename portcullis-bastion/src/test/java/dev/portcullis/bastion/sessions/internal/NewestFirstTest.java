package dev.portcullis.bastion.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import dev.portcullis.store.jdbc.Storage;
import dev.portcullis.store.jdbc.StorageSettings;
import dev.portcullis.testing.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With pages far smaller than the data, the walk still yields the newest keys first, none skipped. */
class NewestFirstTest {

  @Test
  void readsTheLastKeysInDescendingOrderWhenAPrefixHoldsMoreThanAPage(@TempDir Path dir) {
    try (Storage storage = Storage.open(new StorageSettings.Sqlite(dir, new TestClock(Instant.EPOCH)))) {
      Store store = storage.store();
      SplittableRandom random = new SplittableRandom(7);
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        StringBuilder id = new StringBuilder();
        int length = 1 + random.nextInt(4);
        for (int c = 0; c < length; c++) {
          id.append(NewestFirst.ALPHABET.charAt(random.nextInt(NewestFirst.ALPHABET.length())));
        }
        keys.add("p/" + id);
      }
      keys.add("p/z");
      keys.add("p/zz");
      keys.add("p/zzz");
      keys.add("p/-");
      keys.add("q/not-under-the-prefix");
      for (String key : keys) {
        store.put(key, new byte[0], Optional.empty());
      }
      List<String> expected = keys.stream().filter(key -> key.startsWith("p/")).distinct()
          .sorted(Comparator.reverseOrder()).toList();

      NewestFirst walk = new NewestFirst(store, 3);
      assertThat(walk.last("p/", 1000).stream().map(Item::key).toList()).isEqualTo(expected);
      assertThat(walk.last("p/", 5).stream().map(Item::key).toList()).isEqualTo(expected.subList(0, 5));
      assertThat(walk.last("p/", 5).stream().map(Item::key).toList()).startsWith("p/zzz", "p/zz", "p/z");
      assertThat(new NewestFirst(store, 10_000).last("p/", 1000).stream().map(Item::key).toList()).isEqualTo(expected);
    }
  }
}
