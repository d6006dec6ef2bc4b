package dev.portcullis.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Sends bytes exactly as written over TLS, for requests no well-behaved client would send: unnormalized
 * paths, smuggling attempts, forged headers.
 */
final class RawHttps {
  private RawHttps() {}

  /** Writes the request and returns everything the server sent until it closed or 5 seconds passed. */
  static String exchange(Path trustedCertificate, String host, int port, String request) {
    try (SSLSocket socket = (SSLSocket) TestTls.trusting(trustedCertificate).getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(host)));
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) != -1; ) {
          response.write(buffer, 0, n);
        }
      } catch (java.net.SocketTimeoutException e) {
        // The server kept the connection open; what arrived is the answer.
      }
      return response.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

}
