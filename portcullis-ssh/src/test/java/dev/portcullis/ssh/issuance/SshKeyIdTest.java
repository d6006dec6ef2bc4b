package dev.portcullis.ssh.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SshKeyIdTest {

  @Test
  void plainNamesAreWrittenAsUserAtProvider() {
    assertThat(new SshKeyId("alice", "corp").encode()).isEqualTo("alice@corp");
    assertThat(new SshKeyId("a.b_c+d-e", "local").encode()).isEqualTo("a.b_c+d-e@local");
  }

  @Test
  void emailStyleUserNamesKeepTheirAtAndTheProviderFollowsTheLastOne() {
    SshKeyId id = new SshKeyId("alice@example.com", "corp");

    assertThat(id.encode()).isEqualTo("alice@example.com@corp");
    assertThat(SshKeyId.parse("alice@example.com@corp")).isEqualTo(id);
  }

  @Test
  void everythingElseIsPercentEncodedSoTheIdIsPrintableAsciiWithoutSpaces() {
    SshKeyId id = new SshKeyId("jörg m\"x\" %41\n\u0000", "we@ird");

    assertThat(id.encode()).isEqualTo("j%C3%B6rg%20m%22x%22%20%2541%0A%00@we%40ird");
    assertThat(id.encode()).matches("[\\x21-\\x7e]+");
    assertThat(SshKeyId.parse(id.encode())).isEqualTo(id);
  }

  @Test
  void parseAcceptsOnlyTheCanonicalSpelling() {
    for (String bad : List.of("alice", "alice@", "@corp", "%41lice@corp", "j%c3%b6rg@corp", "a%2@corp", "a%zz@corp",
        "a%@corp", "jörg@corp", "a b@corp", "a%FF@corp", "a@b%40c@corp", "a@co rp")) {
      assertThatThrownBy(() -> SshKeyId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageEndingWith("(expected: user@provider as Portcullis writes it, with %XX for other bytes)");
    }
  }
}
