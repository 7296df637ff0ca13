package dev.acstoken.core.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class JdkRestrictedHeadersPolicyTest {

  @Test
  void process_restrictedHeaders_droppedOthersKept() {
    HttpRequest sent = send(new AcsIdentityClient.JdkRestrictedHeadersPolicy(""));

    assertThat(sent.getHeaders().getValue(HttpHeaderName.HOST)).isNull();
    assertThat(sent.getHeaders().getValue(HttpHeaderName.CONTENT_LENGTH)).isNull();
    assertThat(sent.getHeaders().getValue(HttpHeaderName.AUTHORIZATION)).isEqualTo("HMAC-SHA256 x");
    assertThat(sent.getHeaders().getValue(HttpHeaderName.fromString("x-ms-date"))).isNotNull();
  }

  @Test
  void process_headerAllowedByTheJdkProperty_kept() {
    HttpRequest sent = send(new AcsIdentityClient.JdkRestrictedHeadersPolicy(" Host ,expect"));

    assertThat(sent.getHeaders().getValue(HttpHeaderName.HOST)).isEqualTo("contoso");
    assertThat(sent.getHeaders().getValue(HttpHeaderName.CONTENT_LENGTH)).isNull();
  }

  @Test
  void isJdkClient_recognisesTheAzureJdkClientOnly() {
    assertThat(
            AcsIdentityClient.JdkRestrictedHeadersPolicy.isJdkClient(
                new JdkHttpClientBuilder().build()))
        .isTrue();
    assertThat(AcsIdentityClient.JdkRestrictedHeadersPolicy.isJdkClient(request -> Mono.empty()))
        .isFalse();
  }

  private static HttpRequest send(AcsIdentityClient.JdkRestrictedHeadersPolicy policy) {
    AtomicReference<HttpRequest> seen = new AtomicReference<>();
    HttpPipeline pipeline =
        new HttpPipelineBuilder()
            .policies(policy)
            .httpClient(
                request -> {
                  seen.set(request);
                  return Mono.just(StubHttpResponse.of(204));
                })
            .build();
    HttpRequest request =
        new HttpRequest(HttpMethod.POST, "https://contoso/identities")
            .setHeader(HttpHeaderName.HOST, "contoso")
            .setHeader(HttpHeaderName.CONTENT_LENGTH, "2")
            .setHeader(HttpHeaderName.AUTHORIZATION, "HMAC-SHA256 x")
            .setHeader(HttpHeaderName.fromString("x-ms-date"), "Wed, 13 Apr 2022 18:09:12 GMT");
    pipeline.send(request).block();
    return seen.get();
  }
}
