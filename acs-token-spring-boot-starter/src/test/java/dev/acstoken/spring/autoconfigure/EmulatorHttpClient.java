package dev.acstoken.spring.autoconfigure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import dev.acstoken.testkit.AcsEmulator;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * An Azure HTTP client that sends through the HTTP client of the current emulator, so that a test
 * can stop an emulator and start another on the same port (with its own certificate) under one
 * client.
 */
final class EmulatorHttpClient implements HttpClient {
  private final AtomicReference<HttpClient> current = new AtomicReference<>();

  EmulatorHttpClient(AcsEmulator emulator) {
    use(emulator);
  }

  void use(AcsEmulator emulator) {
    current.set(emulator.httpClient());
  }

  @Override
  public Mono<HttpResponse> send(HttpRequest request) {
    return current.get().send(request);
  }

  @Override
  public Mono<HttpResponse> send(HttpRequest request, Context context) {
    return current.get().send(request, context);
  }
}
