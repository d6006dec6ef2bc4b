package dev.portcullis.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {

  @Test
  void parsesLabelsAndNamesWhatIsWrongWithBadOnes() {
    assertThat(NodeSettings.parseLabels("env=dev, team=web")).isEqualTo(Map.of("env", "dev", "team", "web"));
    assertThat(NodeSettings.parseLabels("")).isEmpty();
    assertThatThrownBy(() -> NodeSettings.parseLabels("env"))
        .hasMessageContaining("labels: 'env' (expected: key=value pairs");
    assertThatThrownBy(() -> NodeSettings.parseLabels("env=dev,env=prod")).hasMessageContaining("given twice");
    assertThatThrownBy(() -> NodeSettings.parseLabels("env=dev;rm -rf")).hasMessageContaining("value of env");
    assertThatThrownBy(() -> NodeSettings.parseLabels("-x=1")).hasMessageContaining("key '-x'");
  }

  @Test
  void acceptsHttpsAndPlainHttpOnlyToLoopback() {
    assertThat(NodeSettings.proxy(URI.create("https://portcullis.example.com/")))
        .isEqualTo(URI.create("https://portcullis.example.com"));
    assertThat(NodeSettings.proxy(URI.create("http://127.0.0.1:8080"))).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThatThrownBy(() -> NodeSettings.proxy(URI.create("http://portcullis.example.com")))
        .hasMessageContaining("plain http to a host that is not loopback");
    assertThatThrownBy(() -> NodeSettings.proxy(URI.create("http://localhost:8080")))
        .hasMessageContaining("not loopback");
    assertThatThrownBy(() -> NodeSettings.proxy(URI.create("https://user:pw@portcullis.example.com")))
        .hasMessageContaining("user info");
    assertThatThrownBy(() -> NodeSettings.proxy(URI.create("https://portcullis.example.com/app")))
        .hasMessageContaining("has a path");
    assertThatThrownBy(() -> NodeSettings.proxy(URI.create("ftp://portcullis.example.com")))
        .hasMessageContaining("is not https");
  }

  @Test
  void checksNodeNamesAndAddressesAsTheServerDoes() {
    assertThat(NodeSettings.nodeName("Web-1.Example.com")).isEqualTo("web-1.example.com");
    assertThatThrownBy(() -> NodeSettings.nodeName("web_1")).hasMessageContaining("name: 'web_1'");
    assertThatThrownBy(() -> NodeSettings.nodeName("-web")).hasMessageContaining("name: '-web'");
    assertThat(NodeSettings.address("10.0.0.5:22")).isEqualTo("10.0.0.5:22");
    assertThat(NodeSettings.address("[fd00::5]:2222")).isEqualTo("[fd00::5]:2222");
    assertThat(NodeSettings.host("[fd00::5]:2222")).isEqualTo("fd00::5");
    assertThatThrownBy(() -> NodeSettings.address("10.0.0.5")).hasMessageContaining("bad no port");
    assertThatThrownBy(() -> NodeSettings.address("10.0.0.5:70000")).hasMessageContaining("bad port '70000'");
    assertThatThrownBy(() -> NodeSettings.address("bad host:22")).hasMessageContaining("bad host 'bad host'");
  }
}
