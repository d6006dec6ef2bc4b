package dev.portcullis.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RealComponentsTest {

  @Test
  void skipsLocallyWhenAComponentIsMissing() {
    assertThatThrownBy(() -> RealComponents.requireOrSkip(false, "Node.js 20+", false))
        .isInstanceOf(TestAbortedException.class).hasMessageContaining("Node.js 20+");
  }

  @Test
  void failsInCiWhenAComponentIsMissing() {
    assertThatThrownBy(() -> RealComponents.requireOrSkip(false, "Node.js 20+", true))
        .isInstanceOf(AssertionFailedError.class).hasMessageContaining("Node.js 20+");
  }

  @Test
  void passesWhenTheComponentIsPresent() {
    assertThatCode(() -> RealComponents.requireOrSkip(true, "Node.js 20+", true)).doesNotThrowAnyException();
  }
}
