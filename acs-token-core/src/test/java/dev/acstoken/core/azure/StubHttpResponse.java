package dev.acstoken.core.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A canned Azure {@link HttpResponse}: a status, headers and a body. */
final class StubHttpResponse extends HttpResponse {

  private final int status;
  private final HttpHeaders headers;
  private final byte[] body;

  StubHttpResponse(int status, HttpHeaders headers, String body) {
    super(new HttpRequest(HttpMethod.POST, "https://contoso.communication.azure.com/identities"));
    this.status = status;
    this.headers = headers;
    this.body = body.getBytes(StandardCharsets.UTF_8);
  }

  static StubHttpResponse of(int status, String... headerPairs) {
    HttpHeaders headers = new HttpHeaders();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.set(HttpHeaderName.fromString(headerPairs[i]), headerPairs[i + 1]);
    }
    return new StubHttpResponse(status, headers, "");
  }

  @Override
  public int getStatusCode() {
    return status;
  }

  @Override
  @Deprecated
  public String getHeaderValue(String name) {
    return headers.getValue(HttpHeaderName.fromString(name));
  }

  @Override
  public HttpHeaders getHeaders() {
    return headers;
  }

  @Override
  public Flux<ByteBuffer> getBody() {
    return Flux.just(ByteBuffer.wrap(body));
  }

  @Override
  public Mono<byte[]> getBodyAsByteArray() {
    return Mono.just(body);
  }

  @Override
  public Mono<String> getBodyAsString() {
    return Mono.just(new String(body, StandardCharsets.UTF_8));
  }

  @Override
  public Mono<String> getBodyAsString(Charset charset) {
    return Mono.just(new String(body, charset));
  }
}
