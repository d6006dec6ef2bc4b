package dev.portcullis.http.web;

/** Escapes text for HTML bodies and attribute values; every dynamic value in a page passes through it. */
public final class Html {
  private Html() {}

  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A complete page in Portcullis's plain style. */
  public static String page(String title, String body) {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>%s · Portcullis</title>
        <style>
        body{font-family:system-ui,sans-serif;background:#f5f6f8;margin:0;display:flex;justify-content:center}
        main{background:#fff;margin-top:4rem;padding:2rem 2.5rem;border-radius:8px;box-shadow:0 1px 4px #0002;min-width:22rem;max-width:40rem}
        h1{font-size:1.3rem;margin-top:0} label{display:block;margin:.8rem 0 .2rem}
        input{width:100%%;box-sizing:border-box;padding:.5rem;font-size:1rem}
        button,.button{display:block;width:100%%;box-sizing:border-box;margin-top:1rem;padding:.6rem;font-size:1rem;
          background:#24489b;color:#fff;border:0;border-radius:4px;text-align:center;text-decoration:none;cursor:pointer}
        .error{color:#a40000} .muted{color:#666;font-size:.9rem} code{background:#eee;padding:0 .2rem}
        </style></head>
        <body><main><h1>%s</h1>
        %s
        </main></body></html>
        """.formatted(escape(title), escape(title), body);
  }
}
