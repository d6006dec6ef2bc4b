package dev.portcullis.cli.internal;

import dev.portcullis.cli.Browser;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opens URLs the way Unix tools do: the commands in {@code $BROWSER} (colon-separated, {@code %s} marks
 * the URL), else {@code open} on macOS, else {@code xdg-open} when a graphical display is set. It never
 * starts a browser inside the terminal the CLI is using; headless users paste the printed URL.
 */
public final class SystemBrowser implements Browser {

  private final Map<String, String> environment;

  public SystemBrowser(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public void open(URI uri) throws IOException {
    IOException last = null;
    for (List<String> command : candidates(uri.toString())) {
      try {
        new ProcessBuilder(command)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        return;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last != null ? last : new IOException("no browser to open (set BROWSER, or open the URL yourself)");
  }

  List<List<String>> candidates(String url) {
    List<List<String>> commands = new ArrayList<>();
    String browsers = environment.get("BROWSER");
    if (browsers != null && !browsers.isBlank()) {
      for (String entry : browsers.split(":")) {
        if (entry.isBlank()) {
          continue;
        }
        List<String> command = new ArrayList<>();
        boolean placed = false;
        for (String word : entry.strip().split("\\s+")) {
          placed |= word.contains("%s");
          command.add(word.replace("%s", url));
        }
        if (!placed) {
          command.add(url);
        }
        commands.add(List.copyOf(command));
      }
      return commands;
    }
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac")) {
      commands.add(List.of("open", url));
    } else if (present("DISPLAY") || present("WAYLAND_DISPLAY")) {
      commands.add(List.of("xdg-open", url));
    }
    return commands;
  }

  private boolean present(String variable) {
    String value = environment.get(variable);
    return value != null && !value.isBlank();
  }
}
