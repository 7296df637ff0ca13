package dev.acstoken.testkit;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust in an {@link AcsEmulator} that runs in another process (the standalone jar, {@code
 * acs-token emulator}, a container), from the PEM certificate it wrote with {@code --cert-out}: an
 * {@link SSLContext} that trusts that certificate and nothing else, and an Azure {@link HttpClient}
 * on it for {@code AcsIdentityClient.builder().httpClient(..)} or the SDK's {@code
 * CommunicationIdentityClientBuilder}. No JVM-wide trust store or system property is touched.
 *
 * <pre>{@code
 * EmulatorTrust trust = EmulatorTrust.fromPemFile(Path.of("emulator.pem"));
 * AcsIdentityClient client = AcsIdentityClient.builder()
 *     .connectionString(connectionString)   // the emulator's ready line
 *     .httpClient(trust.httpClient())
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; one HTTP client per instance.
 */
public final class EmulatorTrust {

  private final SSLContext sslContext;
  private final HttpClient httpClient;

  private EmulatorTrust(SSLContext sslContext) {
    this.sslContext = sslContext;
    this.httpClient = httpClient(sslContext);
  }

  /**
   * Trusts the certificates of a PEM text (one or more {@code BEGIN CERTIFICATE} blocks).
   *
   * @param pem the PEM text, as {@link AcsEmulator#certificatePem()} or {@code --cert-out} give it
   * @return the trust
   * @throws IllegalArgumentException if it holds no certificate
   */
  public static EmulatorTrust fromPem(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException("pem must hold a certificate; it is empty");
    }
    Collection<? extends Certificate> certs;
    try {
      certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("pem does not hold a valid X.509 certificate", e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("pem must hold a certificate; it has none");
    }
    return new EmulatorTrust(sslContext(certs.toArray(new Certificate[0])));
  }

  /**
   * Trusts the certificates of a PEM file.
   *
   * @param pemFile the file the emulator wrote with {@code --cert-out}
   * @return the trust
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException if it holds no certificate
   */
  public static EmulatorTrust fromPemFile(Path pemFile) {
    if (pemFile == null) {
      throw new IllegalArgumentException("pem file must not be null");
    }
    try {
      return fromPem(Files.readString(pemFile, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the emulator's certificate " + pemFile, e);
    }
  }

  /** {@return an SSLContext that trusts the emulator's certificate and nothing else} */
  public SSLContext sslContext() {
    return sslContext;
  }

  /** {@return an Azure HTTP client (the JDK's) that trusts the emulator's certificate} */
  public HttpClient httpClient() {
    return httpClient;
  }

  static SSLContext sslContext(X509Certificate cert) {
    return sslContext(new Certificate[] {cert});
  }

  private static SSLContext sslContext(Certificate[] certs) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < certs.length; i++) {
        trust.setCertificateEntry("acs-emulator-" + i, certs[i]);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not make an SSLContext for the emulator", e);
    }
  }

  static HttpClient httpClient(SSLContext ssl) {
    return new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(ssl)).build();
  }

  @Override
  public String toString() {
    return "EmulatorTrust[" + sslContext.getProtocol() + "]";
  }
}
