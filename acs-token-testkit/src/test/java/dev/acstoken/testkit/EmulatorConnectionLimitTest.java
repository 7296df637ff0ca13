package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.models.CommunicationTokenScope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections beyond the server's limit wait for a place (a bounded waiting room, each for at most
 * the request deadline) instead of being closed at once; while they wait, idle keep-alive
 * connections make room. The limits are small here; the emulator's own are 256 and 1,024.
 */
@Timeout(60)
class EmulatorConnectionLimitTest {

  private static final String CREATE = "/identities?api-version=2022-10-01";
  private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

  private static AcsEmulator plain(int served, int waiting) {
    return AcsEmulator.builder().tls(false).connectionLimits(served, waiting).start();
  }

  /** Sends all of a request but its last body byte, so that its connection stays busy. */
  private static RawHttp busy(AcsEmulator acs) {
    RawHttp c = RawHttp.connect(acs);
    c.write(RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT)).write("{");
    return c;
  }

  private static void awaitWaiting(AcsEmulator acs, int n) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> acs.connectionCounts().waiting() == n);
  }

  @Test
  void connectionOverTheLimit_waitsForAPlace_insteadOfBeingClosed() {
    try (AcsEmulator acs = plain(1, 4);
        RawHttp second = RawHttp.connect(acs)) {
      RawHttp first = busy(acs);
      RawHttp.Answer a;
      try {
        second.write(RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT)).write(EMPTY_OBJECT);
        awaitWaiting(acs, 1);
        a = first.write("}").read();
      } finally {
        // the first request has ended and its client closes the connection: the place goes to
        // the second
        first.close();
      }
      RawHttp.Answer b = second.read();

      assertThat(a.status).isEqualTo(201);
      assertThat(b.status).isEqualTo(201);
      assertThat(acs.identities()).hasSize(2);
      assertThat(acs.connectionCounts().refused()).isZero();
    }
  }

  @Test
  void idleKeepAliveConnection_isClosedForAWaitingOne() {
    try (AcsEmulator acs = plain(1, 4);
        RawHttp first = RawHttp.connect(acs);
        RawHttp second = RawHttp.connect(acs)) {
      assertThat(
              first.exchange(RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT), EMPTY_OBJECT)
                  .status)
          .isEqualTo(201);

      // the first connection stays open, idle; the second waits until it is closed
      RawHttp.Answer b =
          second.exchange(RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT), EMPTY_OBJECT);

      assertThat(b.status).isEqualTo(201);
      assertThat(first.closedByServer()).isTrue();
      assertThat(acs.connectionCounts().evictedIdle()).isEqualTo(1);
    }
  }

  @Test
  void busyConnection_isNotClosedForAWaitingOne() {
    try (AcsEmulator acs = plain(1, 4);
        RawHttp first = busy(acs);
        RawHttp second = RawHttp.connect(acs)) {
      second.write(RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT)).write(EMPTY_OBJECT);
      awaitWaiting(acs, 1);

      RawHttp.Answer a = first.write("}").read();

      assertThat(a.status).isEqualTo(201);
      assertThat(acs.connectionCounts().evictedIdle()).isZero();
      // then idle, it makes room
      assertThat(second.read().status).isEqualTo(201);
      assertThat(acs.connectionCounts().evictedIdle()).isEqualTo(1);
    }
  }

  @Test
  void waitingRoomFull_nextConnectionIsClosedAtOnce() {
    try (AcsEmulator acs = plain(1, 1);
        RawHttp first = busy(acs);
        RawHttp second = RawHttp.connect(acs)) {
      second.write(RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT)).write(EMPTY_OBJECT);
      awaitWaiting(acs, 1);

      try (RawHttp third = RawHttp.connect(acs)) {
        assertThat(third.closedByServer()).isTrue();
      }
      assertThat(acs.connectionCounts().refused()).isEqualTo(1);
      assertThat(acs.connectionCounts().waiting()).isEqualTo(1);
      // the ones let in are answered
      assertThat(first.write("}").read().status).isEqualTo(201);
      assertThat(second.read().status).isEqualTo(201);
    }
  }

  @Test
  void waitingConnection_isClosedAtTheRequestDeadline() {
    try (AcsEmulator acs =
            AcsEmulator.builder()
                .tls(false)
                .connectionLimits(1, 1)
                .requestTimeout(Duration.ofMillis(500))
                .start();
        RawHttp first = RawHttp.connect(acs)) {
      // the first connection's thread is held by a slow answer, longer than the second may wait
      acs.inject(Fault.latency(Duration.ofSeconds(30)).on(Operation.CREATE_IDENTITY));
      first.write(RawHttp.signed(acs, "POST", CREATE, EMPTY_OBJECT)).write(EMPTY_OBJECT);
      Awaitility.await().until(() -> acs.requests().size() == 1);

      try (RawHttp second = RawHttp.connect(acs)) {
        assertThat(second.closedByServer()).isTrue();
      }
      assertThat(acs.connectionCounts().waiting()).isZero();
      assertThat(acs.connectionCounts().served()).isEqualTo(1);
    }
  }

  @Test
  void sdkClientsOverTheLimit_eachWithItsOwnPool_allSucceed() throws Exception {
    int clients = 16;
    // waiting connections must outlast four rounds of clients with a second of idle grace each
    try (AcsEmulator acs =
        AcsEmulator.builder()
            .connectionLimits(4, 64)
            .requestTimeout(Duration.ofSeconds(45))
            .start()) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      CountDownLatch go = new CountDownLatch(1);
      try {
        List<Future<String>> tokens = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          CommunicationIdentityClient sdk =
              acs.identityClientBuilder()
                  .httpClient(EmulatorTrust.httpClient(acs.sslContext())) // a pool of its own
                  .buildClient();
          tokens.add(
              pool.submit(
                  () -> {
                    go.await();
                    return sdk.getToken(sdk.createUser(), List.of(CommunicationTokenScope.VOIP))
                        .getToken();
                  }));
        }
        go.countDown();

        for (Future<String> t : tokens) {
          assertThat(acs.isValid(t.get(50, TimeUnit.SECONDS))).isTrue();
        }
        assertThat(acs.identities()).hasSize(clients);
        assertThat(acs.connectionCounts().refused()).isZero();
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
