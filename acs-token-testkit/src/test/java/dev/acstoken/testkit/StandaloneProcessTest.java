package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.communication.identity.CommunicationIdentityClientBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import dev.acstoken.testkit.standalone.EmulatorMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone launcher as a separate process: one ready line, the certificate, SIGTERM. */
class StandaloneProcessTest {

  @TempDir Path dir;

  @Test
  void main_printsOneReadyLine_servesTheSdk_andStopsOnSigterm() throws Exception {
    Path pem = dir.resolve("emulator.pem");
    String key = "c3RhbmRhbG9uZSB0ZXN0IGtleQ==";
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EmulatorMain.class.getName());
    command.addAll(List.of("--port", "0", "--access-key", key, "--cert-out", pem.toString()));
    Path stdout = dir.resolve("stdout.txt");
    Process p =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(stdout.toFile())
            .start();
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(stdout).contains("\n"));
      String line = Files.readAllLines(stdout).get(0);
      assertThat(line)
          .matches(
              "ACS emulator ready: endpoint=https://127\\.0\\.0\\.1:\\d+/;accesskey="
                  + key.replace("+", "\\+"));
      String connectionString = line.substring("ACS emulator ready: ".length());

      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(Files.newInputStream(pem));
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("emulator", cert);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      var client =
          new CommunicationIdentityClientBuilder()
              .connectionString(connectionString)
              .httpClient(
                  new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(ssl))
                      .build())
              .retryOptions(AcsEmulator.zeroDelayRetryOptions())
              .buildClient();
      assertThat(client.createUser().getId()).startsWith("8:acs:");

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isIn(0, 143); // 143: the JVM's status after SIGTERM
      assertThat(Files.readAllLines(stdout)).hasSize(1);
    } finally {
      p.destroyForcibly();
      p.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
