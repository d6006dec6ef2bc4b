package dev.portcullis.testing.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough HTML reading to submit the simple forms our test providers render. */
public final class HtmlForms {

  /** A form: its action, the fields a browser would send as they stand, and the names of all inputs. */
  public record Form(String action, String method, Map<String, String> fields, List<String> inputNames) {}

  private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
  private static final Pattern SUBMIT = Pattern.compile("<button\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
  private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_:][-a-zA-Z0-9_:.]*)\\s*=\\s*(\"([^\"]*)\"|'([^']*)')");

  private HtmlForms() {}

  public static List<Form> parse(String html) {
    List<Form> forms = new ArrayList<>();
    Matcher form = FORM.matcher(html);
    while (form.find()) {
      Map<String, String> formAttributes = attributes(form.group(1));
      Map<String, String> fields = new LinkedHashMap<>();
      List<String> names = new ArrayList<>();
      Matcher input = INPUT.matcher(form.group(2));
      while (input.find()) {
        Map<String, String> a = attributes(input.group(1));
        if (a.containsKey("name")) {
          names.add(a.get("name"));
          if (a.containsKey("value")) {
            fields.put(a.get("name"), a.get("value"));
          }
        }
      }
      // The first named submit button is the one a user clicks.
      Matcher button = SUBMIT.matcher(form.group(2));
      while (button.find()) {
        Map<String, String> a = attributes(button.group(1));
        if (a.containsKey("name")) {
          fields.put(a.get("name"), a.getOrDefault("value", ""));
          break;
        }
      }
      forms.add(new Form(formAttributes.getOrDefault("action", ""),
          formAttributes.getOrDefault("method", "get"), fields, names));
    }
    return forms;
  }

  private static Map<String, String> attributes(String tag) {
    Map<String, String> attributes = new LinkedHashMap<>();
    Matcher m = ATTRIBUTE.matcher(tag);
    while (m.find()) {
      attributes.put(m.group(1).toLowerCase(), unescape(m.group(3) != null ? m.group(3) : m.group(4)));
    }
    return attributes;
  }

  private static String unescape(String s) {
    Matcher m = Pattern.compile("&#(\\d+);").matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1)))));
    }
    m.appendTail(out);
    return out.toString().replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&#x27;", "'").replace("&amp;", "&");
  }
}
