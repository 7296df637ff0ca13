package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The emulator probed as an attacker or a careless test suite on a shared CI host would: every
 * request is answered in bounded time and memory with the service's JSON error body, and nothing of
 * another server shows. One test per defect found at commit 1398040, so none comes back.
 */
@Timeout(60)
class EmulatorProbeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CREATE = "/identities?api-version=2022-10-01";
  private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

  private AcsEmulator acs;

  @BeforeEach
  void start() {
    acs = AcsEmulator.builder().tls(false).start();
  }

  @AfterEach
  void stop() {
    acs.close();
  }

  // ---- 1. the signed-header list is checked before anything that grows with it

  @Test
  void hmac_hostListedManyTimes_isDeniedAtOnce() {
    try (RawHttp c = RawHttp.connect(acs)) {
      for (int n : new int[] {20, 26, 200}) {
        String head =
            RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT)
                .replace(
                    "SignedHeaders=x-ms-date;host;x-ms-content-sha256",
                    "SignedHeaders=" + "host;".repeat(n) + "host");

        RawHttp.Answer a = c.exchange(head, EMPTY_OBJECT);

        assertDenied(a);
      }
    }
  }

  // ---- 2. nothing of WireMock

  @Test
  void wireMockAdminRoutes_are404WithAcsBody_andTheEmulatorKeepsServing() {
    try (RawHttp c = RawHttp.connect(acs)) {
      String stub = "{\"request\":{\"method\":\"ANY\"},\"response\":{\"status\":200}}";
      for (String[] r :
          new String[][] {
            {"GET", "/__admin/mappings", ""},
            {"POST", "/__admin/mappings", stub},
            {"POST", "/__admin/shutdown", ""},
            {"GET", "/__admin", ""}
          }) {
        byte[] body = r[2].getBytes(StandardCharsets.UTF_8);
        String head =
            r[0]
                + " "
                + r[1]
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                + body.length
                + "\r\n\r\n";

        RawHttp.Answer a = c.exchange(head, body);

        assertThat(a.status).as(r[1]).isEqualTo(404);
        assertThat(errorCode(a)).isEqualTo("NotFound");
      }
      assertThat(c.exchange(RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT), EMPTY_OBJECT).status)
          .isEqualTo(201);
    }
  }

  @Test
  void answers_carryOnlyTheServicesHeaders() {
    Set<String> allowed =
        Set.of(
            "content-type",
            "content-length",
            "connection",
            "ms-cv",
            "x-processing-time",
            "api-supported-versions",
            "x-ms-client-request-id",
            "retry-after");
    try (RawHttp c = RawHttp.connect(acs)) {
      RawHttp.Answer created =
          c.exchange(RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT), EMPTY_OBJECT);
      RawHttp.Answer denied =
          c.exchange("POST " + CREATE + " HTTP/1.1\r\nContent-Length: 0\r\n\r\n", new byte[0]);
      RawHttp.Answer notFound =
          c.exchange("GET /nothing HTTP/1.1\r\nContent-Length: 0\r\n\r\n", new byte[0]);

      for (RawHttp.Answer a : List.of(created, denied, notFound)) {
        assertThat(allowed).as(a.toString()).containsAll(a.headerNames());
        assertThat(a.header("Matched-Stub-Id")).isNull();
      }
      assertThat(created.status).isEqualTo(201);
    }
  }

  @Test
  void controlRoutes_needTheAdminToken_exceptTheJwks() {
    try (RawHttp c = RawHttp.connect(acs)) {
      String reset = "POST /_emulator/reset HTTP/1.1\r\nContent-Length: 0\r\n";

      RawHttp.Answer without = c.exchange(reset + "\r\n", new byte[0]);
      RawHttp.Answer wrong =
          c.exchange(reset + "X-Emulator-Admin-Token: guessed-token-guessed\r\n\r\n", new byte[0]);
      RawHttp.Answer with =
          c.exchange(
              reset + "X-Emulator-Admin-Token: " + acs.adminToken().orElseThrow() + "\r\n\r\n",
              new byte[0]);
      RawHttp.Answer jwks =
          c.exchange("GET /_emulator/jwks HTTP/1.1\r\nContent-Length: 0\r\n\r\n", new byte[0]);

      assertThat(without.status).isEqualTo(401);
      assertThat(errorCode(without)).isEqualTo("Denied");
      assertThat(wrong.status).isEqualTo(401);
      assertThat(with.status).isEqualTo(204);
      assertThat(jwks.status).isEqualTo(200);
    }
  }

  @Test
  void controlRoutes_openedByChoice_needNoToken() {
    try (AcsEmulator open = AcsEmulator.builder().tls(false).openAdminRoutes().start();
        RawHttp c = RawHttp.connect(open)) {
      RawHttp.Answer a =
          c.exchange("POST /_emulator/reset HTTP/1.1\r\nContent-Length: 0\r\n\r\n", new byte[0]);

      assertThat(open.adminToken()).isEmpty();
      assertThat(a.status).isEqualTo(204);
    }
  }

  // ---- 3. bodies bounded before they are read whole

  @Test
  void body_announcedAsHundredMebibytes_is413BeforeAnyBodyByte() {
    try (RawHttp c = RawHttp.connect(acs)) {
      c.write("POST " + CREATE + " HTTP/1.1\r\nContent-Length: 104857600\r\n\r\n");

      RawHttp.Answer a = c.read();

      assertThat(a.status).isEqualTo(413);
      assertThat(errorCode(a)).isEqualTo("RequestEntityTooLarge");
    }
  }

  @Test
  void body_chunkOfGibibytes_is413WithAcsBody() {
    try (RawHttp c = RawHttp.connect(acs)) {
      c.write(
          "POST "
              + CREATE
              + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\na0000000\r\n"
              + "x".repeat(1000));

      RawHttp.Answer a = c.read();

      assertThat(a.status).isEqualTo(413);
      assertThat(errorCode(a)).isEqualTo("RequestEntityTooLarge");
    }
  }

  @Test
  void body_chunksAddingUpBeyondTheLimit_is413AfterAtMostTheLimit() {
    try (RawHttp c = RawHttp.connect(acs)) {
      StringBuilder b =
          new StringBuilder("POST " + CREATE + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
      int chunk = 64 * 1024;
      for (int sent = 0; sent < EmulatorHandler.MAX_BODY; sent += chunk) {
        b.append(Integer.toHexString(chunk))
            .append("\r\n")
            .append("x".repeat(chunk))
            .append("\r\n");
      }
      c.write(b.append("1\r\n").toString());

      RawHttp.Answer a = c.read();

      assertThat(a.status).isEqualTo(413);
      assertThat(a.header("Content-Type")).startsWith("application/json");
    }
  }

  @Test
  void body_chunkedWithinTheLimit_isServed() {
    try (RawHttp c = RawHttp.connect(acs)) {
      String head = RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT);
      head = head.replace("Content-Length: 2\r\n", "Transfer-Encoding: chunked\r\n");

      RawHttp.Answer a = c.exchange(head, "1\r\n{\r\n1\r\n}\r\n0\r\n\r\n".getBytes());

      assertThat(a.status).isEqualTo(201);
    }
  }

  @Test
  void framing_badOrOversized_isAnsweredWithAcsJson() {
    String[] requests = {
      "GET /" + "a".repeat(Http1.MAX_REQUEST_LINE) + " HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\n" + "X-Filler: a\r\n".repeat(Http1.MAX_HEADERS + 1) + "\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
      "GET http://other.example/ HTTP/1.1\r\n\r\n",
      "BREW / HTTP/3\r\n\r\n",
      "nonsense\r\n\r\n"
    };
    for (String r : requests) {
      try (RawHttp c = RawHttp.connect(acs)) {
        RawHttp.Answer a = c.write(r).read();

        assertThat(a.status).as(r.substring(0, Math.min(40, r.length()))).isBetween(400, 505);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(a.body).path("error").path("code").isTextual()).isTrue();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  // ---- 4. the journal is bounded in bytes

  @Test
  void journal_manyLongUnauthenticatedRequests_keepsItsByteBound() {
    String longPath = "/identities/" + "x".repeat(7000) + "?api-version=2022-10-01";
    try (RawHttp c = RawHttp.connect(acs)) {
      StringBuilder batch = new StringBuilder();
      int requests = 1200;
      for (int i = 0; i < requests; i++) {
        batch.append("DELETE ").append(longPath).append(" HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
      }
      // written from another thread, since the answers come back while the requests go out
      Thread writer = new Thread(() -> c.write(batch.toString()));
      writer.start();
      for (int i = 0; i < requests; i++) {
        assertThat(c.read().status).isEqualTo(401);
      }
    }

    List<RecordedRequest> journal = acs.requests();
    assertThat(journal).hasSize(1200);
    long bytes = 0;
    for (RecordedRequest r : journal) {
      assertThat(r.pathAndQuery().length())
          .isLessThanOrEqualTo(EmulatorHandler.JOURNAL_MAX_UNAUTHENTICATED_PATH + 20);
      bytes += r.estimatedBytes();
    }
    assertThat(bytes).isLessThanOrEqualTo(EmulatorHandler.JOURNAL_MAX_BYTES);
  }

  @Test
  void journal_beyondItsByteBound_dropsTheOldest() {
    // authenticated requests keep up to 2 KiB of their path: 4 MiB holds about a thousand
    String path = "/identities/8:acs:" + "y".repeat(2000) + "?api-version=2022-10-01";
    int requests = 1200;
    try (RawHttp c = RawHttp.connect(acs)) {
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < requests; i++) {
        batch.append(RawHttp.signed(acs, "DELETE", path, new byte[0]));
      }
      Thread writer = new Thread(() -> c.write(batch.toString()));
      writer.start();
      for (int i = 0; i < requests; i++) {
        c.read();
      }
    }

    List<RecordedRequest> journal = acs.requests();
    long bytes = journal.stream().mapToLong(RecordedRequest::estimatedBytes).sum();
    assertThat(journal).hasSizeLessThan(requests);
    assertThat(bytes).isLessThanOrEqualTo(EmulatorHandler.JOURNAL_MAX_BYTES);
  }

  // ---- 5. slow connections do not starve it

  @Test
  void slowConnections_eighty_leaveNormalCallsAnswered_andAreCutAtTheirDeadline() {
    try (AcsEmulator tls = AcsEmulator.builder().requestTimeout(Duration.ofSeconds(2)).start()) {
      List<RawHttp> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 80; i++) {
          RawHttp c = RawHttp.connect(tls);
          slow.add(c);
          // a body announced as 100 bytes, of which one comes
          c.write(
              "POST " + CREATE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{");
        }

        assertThat(new RawClient(tls).send("POST", CREATE, "{}").statusCode()).isEqualTo(201);

        for (RawHttp c : slow) {
          assertThat(c.closedByServer()).isTrue();
        }
      } finally {
        slow.forEach(RawHttp::close);
      }
    }
  }

  @Test
  void latencyFaultLongerThanTheRequestTimeout_isAnsweredAfterIt() {
    try (AcsEmulator e =
            AcsEmulator.builder().tls(false).requestTimeout(Duration.ofSeconds(1)).start();
        RawHttp c = RawHttp.connect(e)) {
      e.inject(Fault.latency(Duration.ofSeconds(2)).on(Operation.CREATE_IDENTITY));

      RawHttp.Answer a = c.exchange(RawHttp.signed(e, "POST", CREATE, EMPTY_OBJECT), EMPTY_OBJECT);

      assertThat(a.status).isEqualTo(201);
      assertThat(e.requests().get(0).fault()).isPresent();
    }
  }

  @Test
  void tlsHandshakeNeverSent_connectionIsClosedAtTheDeadline() throws IOException {
    try (AcsEmulator tls = AcsEmulator.builder().requestTimeout(Duration.ofMillis(500)).start();
        Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", tls.port()), 5_000);
      s.setSoTimeout(15_000);
      s.getOutputStream().write(0x16); // the first byte of a ClientHello, then nothing

      int read;
      try {
        read = s.getInputStream().read();
      } catch (IOException reset) {
        read = -1;
      }

      assertThat(read).isEqualTo(-1);
    }
  }

  // ---- 6. as strict as the service

  @Test
  void signature_overFewerHeaders_isDenied() {
    String date = HmacVerifier.DATE_FORMAT.format(ZonedDateTime.now(ZoneOffset.UTC));
    String host = "127.0.0.1:" + acs.port();
    byte[] key = Base64.getDecoder().decode(acs.accessKey());
    String hostOnly = sig(key, "POST\n" + CREATE + "\n" + host);
    String dateAndHost = sig(key, "POST\n" + CREATE + "\n" + date + ";" + host);
    byte[] swapped = "{\"createTokenWithScopes\":[\"chat\"]}".getBytes(StandardCharsets.UTF_8);
    try (RawHttp c = RawHttp.connect(acs)) {
      for (String[] auth : new String[][] {{"host", hostOnly}, {"x-ms-date;host", dateAndHost}}) {
        String head =
            "POST "
                + CREATE
                + " HTTP/1.1\r\nHost: "
                + host
                + "\r\nx-ms-date: "
                + date
                + "\r\nx-ms-content-sha256: "
                + HmacVerifier.contentHash(swapped)
                + "\r\nAuthorization: HMAC-SHA256 SignedHeaders="
                + auth[0]
                + "&Signature="
                + auth[1]
                + "\r\nContent-Length: "
                + swapped.length
                + "\r\n\r\n";

        assertDenied(c.exchange(head, swapped));
      }
    }
  }

  @Test
  void signature_forAnotherHostSentWithThatHost_isDenied() {
    try (RawHttp c = RawHttp.connect(acs)) {
      for (String host : new String[] {"attacker.example", "127.0.0.1:1", "evil.test:443"}) {
        assertDenied(
            c.exchange(RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT, host, ""), EMPTY_OBJECT));
      }
      for (String host : new String[] {"localhost:" + acs.port(), "127.0.0.1", "localhost"}) {
        assertThat(
                c.exchange(
                        RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT, host, ""), EMPTY_OBJECT)
                    .status)
            .as(host)
            .isEqualTo(201);
      }
    }
  }

  @Test
  void authorization_twiceOrJoinedByComma_isDenied() {
    String good = RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT);
    String line = good.lines().filter(l -> l.startsWith("Authorization:")).findFirst().get();
    String value = line.substring("Authorization: ".length());
    String bogus = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=AAAA";
    try (RawHttp c = RawHttp.connect(acs)) {
      assertDenied(
          c.exchange(good.replace(line, "Authorization: " + bogus + "\r\n" + line), EMPTY_OBJECT));
      assertDenied(
          c.exchange(good.replace(line, "Authorization: " + bogus + ", " + value), EMPTY_OBJECT));
      assertDenied(
          c.exchange(good.replace(line, "Authorization: " + value + ", " + bogus), EMPTY_OBJECT));
    }
  }

  // ---- 7. the small ones

  @Test
  void adminFault_retryAfterBeyondADay_is400_andLaterCallsAreServed() throws IOException {
    RawClient raw = new RawClient(tlsEmulator());

    var a =
        raw.admin(
            "POST",
            "/_emulator/faults",
            "{\"kind\":\"STATUS\",\"status\":429,\"retryAfterSeconds\":9223372036854775807}");

    assertThat(a.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(a.body()).path("error").path("code").asText())
        .isEqualTo("ValidationError");
    assertThat(raw.send("POST", CREATE, "{}").statusCode()).isEqualTo(201);
  }

  @Test
  void path_withNulTraversalOrBadEscape_is400WithAcsJson() throws IOException {
    try (RawHttp c = RawHttp.connect(acs)) {
      for (String id : new String[] {"%00", "..%2f..%2f", "%zz", "%2e%2e%2f"}) {
        String path = "/identities/" + id + "/:issueAccessToken?api-version=2022-10-01";
        byte[] body = "{\"scopes\":[\"chat\"]}".getBytes(StandardCharsets.UTF_8);

        RawHttp.Answer a = c.exchange(RawHttp.signed(acs, "POST", path, body), body);

        assertThat(a.status).as(id).isEqualTo(400);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(a.body).path("error").path("code").asText())
            .isEqualTo("ValidationError");
      }
    }
  }

  @Test
  void journalRoute_listsWhatTheJavaJournalHolds() throws IOException {
    AcsEmulator tls = tlsEmulator();
    RawClient raw = new RawClient(tls);
    tls.inject(Fault.status(503, "ServiceUnavailable", "Try later.").on(Operation.ISSUE_TOKEN));
    String id = JSON.readTree(raw.send("POST", CREATE, "{}").body()).at("/identity/id").asText();
    raw.send(
        "POST",
        "/identities/" + id + "/:issueAccessToken?api-version=2022-10-01",
        "{\"scopes\":[\"chat\"]}");

    JsonNode last =
        JSON.readTree(raw.admin("GET", "/_emulator/requests", "").body()).get("requests").get(1);

    assertThat(last.get("identity").asText()).isEqualTo(id);
    assertThat(last.get("apiVersion").asText()).isEqualTo("2022-10-01");
    assertThat(last.get("clientRequestId").asText()).isEqualTo("raw-client-request");
    assertThat(last.get("status").asInt()).isEqualTo(503);
    assertThat(last.get("fault").asText()).contains("503");
  }

  @Test
  void journal_listsInArrivalOrder_stampedOnArrival() {
    MutableClock wall = MutableClock.systemStart();
    AtomicInteger reads = new AtomicInteger();
    Clock counting =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            reads.incrementAndGet();
            return wall.instant();
          }
        };
    try (AcsEmulator e = AcsEmulator.builder().tls(false).requestClock(counting).start();
        RawHttp first = RawHttp.connect(e);
        RawHttp second = RawHttp.connect(e)) {
      Instant arrival = wall.instant();
      String head = RawHttp.signed(e, "POST", CREATE, EMPTY_OBJECT);
      int before = reads.get();
      first.write(head).write(new byte[] {'{'}); // arrived, not complete
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > before);
      wall.advance(Duration.ofSeconds(1));

      assertThat(second.exchange(head, EMPTY_OBJECT).status).isEqualTo(201);
      assertThat(first.write(new byte[] {'}'}).read().status).isEqualTo(201);

      List<RecordedRequest> journal = e.requests();
      assertThat(journal).hasSize(2);
      assertThat(journal.get(0).receivedAt()).isEqualTo(arrival);
      assertThat(journal.get(1).receivedAt()).isEqualTo(arrival.plusSeconds(1));
    }
  }

  // ---- helpers

  private AcsEmulator tlsEmulator() {
    acs.close();
    acs = AcsEmulator.builder().start();
    return acs;
  }

  private static String sig(byte[] key, String toSign) {
    return Base64.getEncoder().encodeToString(HmacVerifier.sign(key, toSign));
  }

  private static void assertDenied(RawHttp.Answer a) {
    assertThat(a.status).as(a.toString()).isEqualTo(401);
    assertThat(errorCode(a)).isEqualTo("Denied");
  }

  private static String errorCode(RawHttp.Answer a) {
    try {
      return JSON.readTree(a.body).path("error").path("code").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
