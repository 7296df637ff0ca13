package dev.acstoken.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 framing for {@link EmulatorServer}: reads a request's line, headers and body within
 * their bounds, and writes an answer's head. Every refusal is a {@link ServiceError}, so that the
 * client gets the service's JSON error body. Stateless.
 */
final class Http1 {

  /** The longest request line (method, path and query, version), in bytes. */
  static final int MAX_REQUEST_LINE = 8 * 1024;

  /** The most header bytes a request may carry. */
  static final int MAX_HEADER_BYTES = 32 * 1024;

  /** The most header fields a request may carry. */
  static final int MAX_HEADERS = 100;

  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private Http1() {}

  static ServiceError badRequest(String message) {
    return new ServiceError(400, "BadRequest", message, null, null);
  }

  static List<Map.Entry<String, String>> readHeaders(InputStream in) throws IOException {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    int bytes = 0;
    while (true) {
      String line = readLine(in, -1, MAX_HEADER_BYTES - bytes, false);
      bytes += line.length() + 2;
      if (line.isEmpty()) {
        return headers;
      }
      if (headers.size() >= MAX_HEADERS) {
        throw tooManyHeaders();
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        // also obsolete line folding (a line starting with white space): RFC 9112 5.2
        throw badRequest("A request header is not valid.");
      }
      headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).trim()));
    }
  }

  static ServiceError tooManyHeaders() {
    return new ServiceError(
        431,
        "RequestHeaderFieldsTooLarge",
        "The request headers are larger than "
            + MAX_HEADER_BYTES
            + " bytes or more than "
            + MAX_HEADERS
            + " fields.",
        null,
        null);
  }

  static ServiceError tooLarge() {
    return new ServiceError(
        413,
        "RequestEntityTooLarge",
        "The request body is larger than " + EmulatorHandler.MAX_BODY + " bytes.",
        null,
        null);
  }

  /**
   * Reads a body whole, after checking its announced size.
   *
   * @param drain set to how many bytes to throw away before answering a 413
   */
  static byte[] readBody(
      InputStream in, OutputStream out, List<Map.Entry<String, String>> headers, long[] drain)
      throws IOException {
    String transferEncoding = joined(headers, "Transfer-Encoding");
    List<String> lengths = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase("Content-Length")) {
        lengths.add(h.getValue());
      }
    }
    boolean chunked = false;
    long length = 0;
    if (!transferEncoding.isEmpty()) {
      // RFC 9112 6.1: with both, a request is a smuggling attempt
      if (!lengths.isEmpty() || !transferEncoding.equalsIgnoreCase("chunked")) {
        throw badRequest("The request's Transfer-Encoding is not valid.");
      }
      chunked = true;
    } else if (!lengths.isEmpty()) {
      String first = lengths.get(0);
      for (String l : lengths) {
        if (!l.equals(first)) {
          throw badRequest("The request's Content-Length is not valid.");
        }
      }
      if (first.isEmpty() || first.length() > 18 || !first.chars().allMatch(Character::isDigit)) {
        throw badRequest("The request's Content-Length is not valid.");
      }
      length = Long.parseLong(first);
      if (length > EmulatorHandler.MAX_BODY) {
        boolean expects = joined(headers, "Expect").equalsIgnoreCase("100-continue");
        drain[0] = !expects && length <= EmulatorServer.MAX_DRAIN ? length : 0;
        throw tooLarge();
      }
    }
    if ((chunked || length > 0) && joined(headers, "Expect").equalsIgnoreCase("100-continue")) {
      out.write(CONTINUE);
      out.flush();
    }
    if (chunked) {
      return readChunked(in);
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length < length) {
      throw new java.io.EOFException("the body ended early");
    }
    return body;
  }

  static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String line = readLine(in, -1, 1024, false);
      int semi = line.indexOf(';');
      String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
      if (hex.isEmpty() || hex.length() > 15) {
        throw badRequest("A chunk size of the request body is not valid.");
      }
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw badRequest("A chunk size of the request body is not valid.");
      }
      if (size < 0 || body.size() + size > EmulatorHandler.MAX_BODY) {
        throw tooLarge();
      }
      if (size == 0) {
        // trailers, bounded as headers are, then the end
        int bytes = 0;
        while (true) {
          String trailer = readLine(in, -1, MAX_HEADER_BYTES - bytes, false);
          bytes += trailer.length() + 2;
          if (trailer.isEmpty()) {
            return body.toByteArray();
          }
        }
      }
      byte[] chunk = in.readNBytes((int) size);
      if (chunk.length < size) {
        throw new java.io.EOFException("the body ended early");
      }
      body.write(chunk);
      if (!readLine(in, -1, 2, false).isEmpty()) {
        throw badRequest("A chunk of the request body is not valid.");
      }
    }
  }

  /**
   * Reads a line ending in CRLF (or a bare LF) as ISO-8859-1, without the line end.
   *
   * @param first a byte already read, or -1
   * @param limit the most bytes the line may hold
   * @param requestLine whether it is the request line (414 when too long) or a header (431)
   */
  static String readLine(InputStream in, int first, int limit, boolean requestLine)
      throws IOException {
    StringBuilder b = new StringBuilder(64);
    int c = first >= 0 ? first : in.read();
    while (true) {
      if (c < 0) {
        throw new java.io.EOFException("the request ended early");
      }
      if (c == '\n') {
        int n = b.length();
        if (n > 0 && b.charAt(n - 1) == '\r') {
          b.setLength(n - 1);
        }
        return b.toString();
      }
      if (b.length() >= limit) {
        if (requestLine) {
          throw new ServiceError(
              414,
              "RequestUriTooLong",
              "The request line is longer than " + MAX_REQUEST_LINE + " bytes.",
              null,
              null);
        }
        throw tooManyHeaders();
      }
      if (c == 0) {
        throw badRequest("The request holds a NUL byte.");
      }
      b.append((char) c);
      c = in.read();
    }
  }

  static String joined(List<Map.Entry<String, String>> headers, String name) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        if (b.length() > 0) {
          b.append(", ");
        }
        b.append(h.getValue());
      }
    }
    return b.toString();
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static boolean isVisibleAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 201:
        return "Created";
      case 204:
        return "No Content";
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 405:
        return "Method Not Allowed";
      case 408:
        return "Request Timeout";
      case 409:
        return "Conflict";
      case 413:
        return "Payload Too Large";
      case 414:
        return "URI Too Long";
      case 429:
        return "Too Many Requests";
      case 431:
        return "Request Header Fields Too Large";
      case 500:
        return "Internal Server Error";
      case 503:
        return "Service Unavailable";
      case 505:
        return "HTTP Version Not Supported";
      default:
        return "Status";
    }
  }

  /** {@return the status line and headers of an answer, ending in the blank line} */
  static byte[] head(EmulatorHandler.Answer a, boolean bodyAllowed, boolean keepAlive) {
    StringBuilder h =
        new StringBuilder(256)
            .append("HTTP/1.1 ")
            .append(a.status)
            .append(' ')
            .append(reason(a.status))
            .append("\r\n");
    if (a.contentType != null) {
      h.append("Content-Type: ").append(a.contentType).append("\r\n");
    }
    for (Map.Entry<String, String> e : a.headers.entrySet()) {
      h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    if (bodyAllowed) {
      h.append("Content-Length: ").append(a.body.length).append("\r\n");
    }
    if (!keepAlive) {
      h.append("Connection: close\r\n");
    }
    h.append("\r\n");
    return h.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
