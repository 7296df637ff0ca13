package dev.acstoken.benchmarks;

import com.azure.communication.common.CommunicationUserIdentifier;
import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.models.CommunicationTokenScope;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.testkit.AcsEmulator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Issue 7, item 6: tokens per second and latency through this library's {@code TokenProvider}
 * ({@code AcsIdentityClient}, which calls the real Azure SDK) to the in-process {@link AcsEmulator}
 * over HTTPS, against the raw SDK client on the same emulator: the facade's overhead. With the JDK
 * HTTP client and with Netty. No cache: every call goes over the network.
 */
public final class NetworkHarness {

  static final int THREADS = 4;

  private NetworkHarness() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Duration run = o.pick(Duration.ofSeconds(5), Duration.ofSeconds(20));
    Duration warm = o.pick(Duration.ofSeconds(2), Duration.ofSeconds(5));
    Options.machine();
    Table table =
        new Table(
            "Network: getToken to the emulator over HTTPS, "
                + THREADS
                + " client threads, "
                + run.toSeconds()
                + " s each (client and emulator share the CPUs)",
            "path",
            "HTTP client",
            "tokens/s",
            "p50",
            "p99",
            "max",
            "errors");
    try (AcsEmulator emulator = AcsEmulator.start()) {
      HttpClient jdk = emulator.httpClient();
      HttpClient netty = netty(emulator);
      for (String clientName : new String[] {"JDK", "Netty"}) {
        HttpClient http = clientName.equals("JDK") ? jdk : netty;
        CommunicationIdentityClient sdk =
            emulator.identityClientBuilder().httpClient(http).buildClient();
        AcsIdentityClient facade = emulator.acsIdentityClientBuilder().httpClient(http).build();
        CommunicationUserIdentifier user = sdk.createUser();
        TokenRequest request = TokenRequest.of(IdentityId.of(user.getId()), Scope.VOIP);
        List<CommunicationTokenScope> scopes = List.of(CommunicationTokenScope.VOIP);
        Callable<Object> raw = () -> sdk.getToken(user, scopes).getToken();
        Callable<Object> ours = () -> facade.getToken(request).value();
        // alternate the two so neither profits from running second
        measure(raw, warm);
        measure(ours, warm);
        Readers.Result r = measure(raw, run);
        Readers.Result f = measure(ours, run);
        row(table, "raw SDK CommunicationIdentityClient", clientName, r, run);
        row(table, "acs-token TokenProvider (AcsIdentityClient)", clientName, f, run);
      }
    } catch (RuntimeException | LinkageError e) {
      System.out.println("Network harness could not complete: " + e);
      e.printStackTrace();
    }
    table.print();
    // the anchors leave non-daemon threads (Reactor schedulers, timers) behind
    System.exit(0);
  }

  static void row(Table table, String path, String client, Readers.Result r, Duration run) {
    table.row(
        path,
        client,
        String.format(java.util.Locale.ROOT, "%.0f", r.reads / (run.toNanos() / 1e9)),
        Histogram.format(r.latency.percentile(0.5)),
        Histogram.format(r.latency.percentile(0.99)),
        Histogram.format(r.latency.max()),
        r.errors);
  }

  static HttpClient netty(AcsEmulator emulator) throws Exception {
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(
                        emulator.certificatePem().getBytes(StandardCharsets.US_ASCII)));
    SslContext ssl = SslContextBuilder.forClient().trustManager(cert).build();
    reactor.netty.http.client.HttpClient reactorClient =
        reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(ssl));
    return new NettyAsyncHttpClientBuilder(reactorClient).build();
  }

  static Readers.Result measure(Callable<Object> call, Duration d) throws InterruptedException {
    return measure(call, THREADS, d);
  }

  /** Calls the operation from the threads for the duration; times every call. */
  static Readers.Result measure(Callable<Object> call, int threadCount, Duration d)
      throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    List<Readers.Result> results = new ArrayList<>();
    long end = System.nanoTime() + d.toNanos();
    for (int i = 0; i < threadCount; i++) {
      Readers.Result r = new Readers.Result();
      results.add(r);
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() - end < 0) {
                  long t0 = System.nanoTime();
                  try {
                    call.call();
                  } catch (Exception e) {
                    r.errors++;
                  }
                  r.latency.record(System.nanoTime() - t0);
                  r.reads++;
                }
              });
      threads.add(t);
      t.start();
    }
    Readers.Result all = new Readers.Result();
    for (int i = 0; i < threads.size(); i++) {
      threads.get(i).join();
      all.latency.add(results.get(i).latency);
      all.reads += results.get(i).reads;
      all.errors += results.get(i).errors;
    }
    return all;
  }
}
