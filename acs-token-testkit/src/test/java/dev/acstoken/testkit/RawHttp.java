package dev.acstoken.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * One raw HTTP/1.1 connection to an emulator: writes exactly the bytes a test chooses (headers no
 * client library would send, bodies that never end) and reads one answer at a time.
 */
final class RawHttp implements AutoCloseable {

  /** An answer as read off the wire. */
  static final class Answer {
    final int status;
    final List<String[]> headers;
    final String body;

    Answer(int status, List<String[]> headers, String body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }

    List<String> headerNames() {
      List<String> out = new ArrayList<>();
      for (String[] h : headers) {
        out.add(h[0].toLowerCase(Locale.ROOT));
      }
      return out;
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(15_000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to an emulator, over TLS when it serves TLS. */
  static RawHttp connect(AcsEmulator emulator) {
    try {
      Socket s;
      if (emulator.endpoint().startsWith("https")) {
        SSLContext ssl = emulator.sslContext();
        s = ssl.getSocketFactory().createSocket();
      } else {
        s = new Socket();
      }
      s.connect(new InetSocketAddress("127.0.0.1", emulator.port()), 5_000);
      return new RawHttp(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@return a request's head, HMAC-signed for this emulator, ending in the blank line} */
  static String signed(AcsEmulator emulator, String method, String target, byte[] body) {
    return signed(emulator, method, target, body, "127.0.0.1:" + emulator.port(), "");
  }

  /** {@return a signed head with a chosen Host (signed as sent) and extra header lines} */
  static String signed(
      AcsEmulator emulator,
      String method,
      String target,
      byte[] body,
      String host,
      String extraHeaders) {
    String date = HmacVerifier.DATE_FORMAT.format(ZonedDateTime.now(ZoneOffset.UTC).withNano(0));
    String hash = HmacVerifier.contentHash(body);
    String sig = HmacVerifier.signature(emulator.accessKey(), method, target, date, host, hash);
    return method
        + " "
        + target
        + " HTTP/1.1\r\nHost: "
        + host
        + "\r\nx-ms-date: "
        + date
        + "\r\nx-ms-content-sha256: "
        + hash
        + "\r\nAuthorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature="
        + sig
        + "\r\nContent-Length: "
        + body.length
        + "\r\n"
        + extraHeaders
        + "\r\n";
  }

  RawHttp write(String ascii) {
    return write(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawHttp write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a request and reads its answer. */
  Answer exchange(String head, byte[] body) {
    write(head);
    write(body);
    return read();
  }

  /** Reads one answer (status line, headers, a Content-Length body). */
  Answer read() {
    try {
      String status = line();
      List<String[]> headers = new ArrayList<>();
      int length = 0;
      for (String l = line(); !l.isEmpty(); l = line()) {
        int colon = l.indexOf(':');
        String name = l.substring(0, colon).trim();
        String value = l.substring(colon + 1).trim();
        headers.add(new String[] {name, value});
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Integer.parseInt(value);
        }
      }
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      return new Answer(Integer.parseInt(status.split(" ")[1]), headers, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@return whether the server closed the connection (end of stream or reset) before a byte} */
  boolean closedByServer() {
    try {
      return in.read() < 0;
    } catch (IOException e) {
      return !(e instanceof java.net.SocketTimeoutException);
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the server closed the connection");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
