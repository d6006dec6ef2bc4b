package dev.portcullis.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Fills the two defaults a record cannot fill by itself before binding: {@code audit.file}, which
 * depends on {@code server.data_dir}, and {@code fetch_userinfo}, a boolean whose default is true
 * (Jackson hands an absent primitive to a record as false).
 */
public final class DerivedDefaults {
  private DerivedDefaults() {}

  public static void apply(JsonNode root, Path defaultDataDir) {
    if (!(root instanceof ObjectNode top)) {
      return;
    }
    JsonNode server = top.get("server");
    JsonNode dataDir = server instanceof ObjectNode s ? s.get("data_dir") : null;
    JsonNode audit = top.get("audit");
    if (audit == null || audit.isNull()) {
      audit = top.putObject("audit");
    }
    if (audit instanceof ObjectNode auditObject && isAbsent(auditObject.get("file"))) {
      try {
        Path base = dataDir != null && dataDir.isTextual() ? Path.of(dataDir.textValue()) : defaultDataDir;
        auditObject.put("file", base.resolve("audit.jsonl").toString());
      } catch (InvalidPathException e) {
        // Binding reports the bad data_dir at its own line.
      }
    }
    JsonNode providers = top.get("identity_providers");
    if (providers != null && providers.isArray()) {
      for (JsonNode provider : providers) {
        if (provider instanceof ObjectNode p && p.path("type").asText("").equals("oidc")
            && isAbsent(p.get("fetch_userinfo"))) {
          p.put("fetch_userinfo", "true");
        }
      }
    }
  }

  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull();
  }
}
