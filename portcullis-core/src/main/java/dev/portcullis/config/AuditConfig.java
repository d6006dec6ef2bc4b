package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.nio.file.Path;

/**
 * The {@code audit} section.
 *
 * @param file the JSON-lines audit file; the loader defaults it to {@code <data_dir>/audit.jsonl}
 */
public record AuditConfig(Path file) {

  public AuditConfig {
    Check.required(file, "file", "the path of the JSON-lines audit file");
  }
}
