package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS configured through Lettuce's URI and client options reaches a TLS-only Redis port. */
class RedisTlsTest {

  static final Duration LEASE = Duration.ofSeconds(20);

  final MutableClock clock = Fleet.clock();
  final TokenRequest request = TokenRequest.of(Fleet.identity(12), Scope.CHAT);

  @TempDir Path dir;

  @Test
  void claim_rediss_sharesOverTlsAndWithoutTrustFails() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    selfSignedCertificate(cert, key);
    int tlsPort = RedisServer.freePort();
    try (RedisServer redis =
            RedisServer.start(
                List.of(
                    "--tls-port",
                    Integer.toString(tlsPort),
                    "--tls-cert-file",
                    cert.toString(),
                    "--tls-key-file",
                    key.toString(),
                    "--tls-ca-cert-file",
                    cert.toString(),
                    "--tls-auth-clients",
                    "no"));
        RedisSharedTier first = tlsTier(tlsPort, cert);
        RedisSharedTier second = tlsTier(tlsPort, cert);
        RedisSharedTier untrusting = Fleet.builder("rediss://127.0.0.1:" + tlsPort).build()) {
      assertThat(redis.isRunning()).isTrue();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> first.checkRedis().join() && second.checkRedis().join());
      Instant now = clock.instant();
      AccessToken shared = Fleet.token(clock, Duration.ofHours(1));

      assertThat(first.store(request, first.claim(request, now, LEASE).join(), shared).join())
          .isTrue();
      AccessToken read = second.claim(request, now, LEASE).join().token();

      assertThat(read).isEqualTo(shared);
      assertThat(untrusting.claim(request, now, LEASE)).failsWithin(Duration.ofSeconds(10));
      assertThat(untrusting.checkRedis().join()).isFalse();
    }
  }

  private RedisSharedTier tlsTier(int port, Path cert) {
    return Fleet.builder("rediss://127.0.0.1:" + port)
        .redisUri(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(port)
                .withSsl(true)
                .withVerifyPeer(true)
                .build())
        .clientOptions(
            ClientOptions.builder()
                .sslOptions(
                    SslOptions.builder().jdkSslProvider().trustManager(cert.toFile()).build())
                .build())
        .build();
  }

  private static void selfSignedCertificate(Path cert, Path key) throws Exception {
    String openssl = onPath("openssl");
    Assumptions.assumeTrue(
        openssl != null, "openssl is not on the PATH: no certificate to test TLS");
    Process p =
        new ProcessBuilder(
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.size(cert)).isPositive();
  }

  private static String onPath(String name) {
    String path = System.getenv("PATH");
    for (String d : (path == null ? "" : path).split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
        return Path.of(d, name).toString();
      }
    }
    return null;
  }
}
