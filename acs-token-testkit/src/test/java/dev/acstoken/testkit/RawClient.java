package dev.acstoken.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Signs and sends raw requests to an emulator, to test what the SDKs never send. */
final class RawClient {

  private final AcsEmulator emulator;
  private final HttpClient http;

  RawClient(AcsEmulator emulator) {
    this.emulator = emulator;
    this.http = HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
  }

  /** How to sign; every field has the value an honest SDK would use. */
  static final class Signing {
    String key;
    boolean hostWithPort;
    ZonedDateTime date = ZonedDateTime.now(ZoneOffset.UTC);
    String hashOverride;
    String authorizationOverride;
    boolean omitAuthorization;

    Signing(String key) {
      this.key = key;
    }
  }

  Signing signing() {
    return new Signing(emulator.accessKey());
  }

  HttpResponse<String> send(String method, String pathAndQuery, String body) {
    return send(method, pathAndQuery, body, signing());
  }

  HttpResponse<String> send(String method, String pathAndQuery, String body, Signing s) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String date = HmacVerifier.DATE_FORMAT.format(s.date.withZoneSameInstant(ZoneOffset.UTC));
    String hash = s.hashOverride != null ? s.hashOverride : HmacVerifier.contentHash(bytes);
    String host = "127.0.0.1" + (s.hostWithPort ? ":" + emulator.port() : "");
    String signature = HmacVerifier.signature(s.key, method, pathAndQuery, date, host, hash);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + emulator.port() + pathAndQuery))
            .method(
                method,
                bytes.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(bytes))
            .header("x-ms-date", date)
            .header("x-ms-content-sha256", hash)
            .header("x-ms-client-request-id", "raw-client-request")
            .header("Content-Type", "application/json");
    if (!s.omitAuthorization) {
      b.header(
          "Authorization",
          s.authorizationOverride != null
              ? s.authorizationOverride
              : "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature="
                  + signature);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A request without HMAC, with the emulator's admin token, for the admin routes. */
  HttpResponse<String> admin(String method, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + emulator.port() + path))
            .method(
                method,
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    emulator.adminToken().ifPresent(t -> b.header(EmulatorHandler.ADMIN_TOKEN_HEADER, t));
    HttpRequest r = b.build();
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
