package dev.acstoken.core.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.communication.identity.models.IdentityError;
import com.azure.communication.identity.models.IdentityErrorResponseException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.InvalidRequestException;
import dev.acstoken.core.error.NotFoundException;
import dev.acstoken.core.error.RequestTimeoutException;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.core.error.ThrottledException;
import dev.acstoken.core.error.TransportException;
import dev.acstoken.core.error.UnauthorizedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Exceptions;

class ErrorMappingTest {

  static final String ENDPOINT = "https://contoso.communication.azure.com/";
  static final String REQUEST_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  static AcsException map(Throwable t) {
    return ErrorMapping.map(t, "issueToken", REQUEST_ID, ENDPOINT, TIMEOUT);
  }

  static IdentityErrorResponseException identityError(
      StubHttpResponse response, String code, String message, String target) {
    return new IdentityErrorResponseException(
        "Status code " + response.getStatusCode(),
        response,
        new IdentityError(message, code, target, List.of()));
  }

  @Test
  void map_400ValidationError_invalidRequestWithCodeMessageTarget() {
    IdentityErrorResponseException e =
        identityError(
            StubHttpResponse.of(400),
            "ValidationError",
            "ExpiresInMinutes value 1441 is invalid. Value must be within the [60, 1440] interval.",
            "ExpiresInMinutes");

    AcsException mapped = map(e);

    assertThat(mapped).isInstanceOf(InvalidRequestException.class).hasCause(e);
    assertThat(mapped.statusCode()).isEqualTo(400);
    assertThat(mapped.errorCode()).contains("ValidationError");
    assertThat(((InvalidRequestException) mapped).target()).contains("ExpiresInMinutes");
    assertThat(mapped.requestId()).contains(REQUEST_ID);
    assertThat(mapped.isRetryable()).isFalse();
    assertThat(mapped)
        .hasMessage(
            "issueToken failed: HTTP 400 ValidationError: ExpiresInMinutes value 1441 is invalid."
                + " Value must be within the [60, 1440] interval. (target ExpiresInMinutes)");
  }

  @Test
  void map_401IdentityNotOwned_unauthorizedAndFlagged() {
    AcsException mapped =
        map(
            identityError(
                StubHttpResponse.of(401),
                "IdentityNotOwned",
                "Provided identity doesn't belong to the resource.",
                null));

    assertThat(mapped).isInstanceOf(UnauthorizedException.class);
    assertThat(((UnauthorizedException) mapped).isIdentityNotOwned()).isTrue();
    assertThat(mapped.statusCode()).isEqualTo(401);
    assertThat(mapped.isRetryable()).isFalse();
    assertThat(mapped)
        .hasMessage(
            "issueToken failed: HTTP 401 IdentityNotOwned: Provided identity doesn't belong to the"
                + " resource.");
  }

  @Test
  void map_403_unauthorizedNotOwned() {
    AcsException mapped = map(identityError(StubHttpResponse.of(403), "Forbidden", "no", null));

    assertThat(mapped).isInstanceOf(UnauthorizedException.class);
    assertThat(mapped.statusCode()).isEqualTo(403);
    assertThat(((UnauthorizedException) mapped).isIdentityNotOwned()).isFalse();
  }

  @Test
  void map_404_notFound() {
    AcsException mapped =
        map(identityError(StubHttpResponse.of(404), "IdentityNotFound", "gone", null));

    assertThat(mapped).isInstanceOf(NotFoundException.class);
    assertThat(mapped.statusCode()).isEqualTo(404);
    assertThat(mapped.isRetryable()).isFalse();
  }

  @Test
  void map_408_requestTimeoutRetryable() {
    AcsException mapped = map(new HttpResponseException("408", StubHttpResponse.of(408), null));

    assertThat(mapped).isInstanceOf(RequestTimeoutException.class);
    assertThat(mapped.statusCode()).isEqualTo(408);
    assertThat(mapped.isRetryable()).isTrue();
  }

  @Test
  void map_409_rootExceptionNotRetryable() {
    AcsException mapped = map(identityError(StubHttpResponse.of(409), "Conflict", "busy", null));

    assertThat(mapped.getClass()).isEqualTo(AcsException.class);
    assertThat(mapped.statusCode()).isEqualTo(409);
    assertThat(mapped.errorCode()).contains("Conflict");
    assertThat(mapped.isRetryable()).isFalse();
  }

  @Test
  void map_429WithRetryAfterSeconds_throttledWithWait() {
    AcsException mapped =
        map(
            identityError(
                StubHttpResponse.of(429, "Retry-After", "7"),
                "TooManyRequests",
                "slow down",
                null));

    assertThat(mapped).isInstanceOf(ThrottledException.class);
    assertThat(((ThrottledException) mapped).retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(mapped.statusCode()).isEqualTo(429);
    assertThat(mapped.isRetryable()).isTrue();
  }

  @Test
  void map_429WithoutRetryAfter_throttledWithoutWait() {
    AcsException mapped = map(new HttpResponseException("429", StubHttpResponse.of(429), null));

    assertThat(((ThrottledException) mapped).retryAfter()).isEmpty();
  }

  @Test
  void retryAfter_millisecondHeaders_preferredToSeconds() {
    assertThat(retryAfter("retry-after-ms", "1500", "Retry-After", "9"))
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(retryAfter("x-ms-retry-after-ms", "250")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void retryAfter_httpDateInThePast_zero() {
    assertThat(retryAfter("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
  }

  @Test
  void retryAfter_httpDateInTheFuture_waitUntilThen() {
    String inAnHour =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusHours(1).withNano(0));

    Duration wait = retryAfter("Retry-After", inAnHour);

    assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
  }

  @Test
  void retryAfter_negative_zero() {
    assertThat(retryAfter("Retry-After", "-5")).isEqualTo(Duration.ZERO);
    assertThat(retryAfter("retry-after-ms", "-5")).isEqualTo(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", " ", "12abc", "Someday, 99 Foo 2015 07:28:00 GMT"})
  void retryAfter_unreadable_absent(String value) {
    assertThat(retryAfter("Retry-After", value)).isNull();
  }

  @Test
  void retryAfter_unreadableMillis_fallsBackToSeconds() {
    assertThat(retryAfter("retry-after-ms", "x", "Retry-After", "3"))
        .isEqualTo(Duration.ofSeconds(3));
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 599})
  void map_5xx_serviceUnavailableRetryable(int status) {
    AcsException mapped =
        map(identityError(StubHttpResponse.of(status), "InternalError", "oops", null));

    assertThat(mapped).isInstanceOf(ServiceUnavailableException.class);
    assertThat(mapped.statusCode()).isEqualTo(status);
    assertThat(mapped.isRetryable()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {501, 505})
  void map_501And505_serviceUnavailableNotRetryable(int status) {
    AcsException mapped = map(new HttpResponseException("x", StubHttpResponse.of(status), null));

    assertThat(mapped).isInstanceOf(ServiceUnavailableException.class);
    assertThat(mapped.isRetryable()).isFalse();
  }

  @Test
  void map_503WithHtmlBody_saysSoWithoutTheBody() {
    String html = "<html><body><h1>Service Unavailable</h1></body></html>";
    HttpHeaders headers = new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "text/html");
    HttpResponseException e =
        new HttpResponseException(
            "Status code 503, \"" + html + "\"", new StubHttpResponse(503, headers, html), null);

    AcsException mapped = map(e);

    assertThat(mapped).isInstanceOf(ServiceUnavailableException.class).hasCause(e);
    assertThat(mapped.errorCode()).isEmpty();
    assertThat(mapped)
        .hasMessage(
            "issueToken failed: HTTP 503: the answer carried no ACS error (text/html body)");
  }

  @Test
  void map_responseWithCorrelationVector_requestIdCarriesBoth() {
    AcsException mapped =
        map(
            identityError(
                StubHttpResponse.of(404, "MS-CV", "ZQ2o6oD7Ckq2PU0S1AqZ0w.0"), "x", "y", null));

    assertThat(mapped.requestId()).contains(REQUEST_ID + " (MS-CV ZQ2o6oD7Ckq2PU0S1AqZ0w.0)");
  }

  @Test
  void map_longServiceMessage_truncated() {
    AcsException mapped =
        map(identityError(StubHttpResponse.of(400), "ValidationError", "x".repeat(1000), null));

    assertThat(mapped.getMessage()).hasSizeLessThan(400).endsWith("…");
  }

  @Test
  void map_responseExceptionWithoutResponse_rootExceptionWithoutStatus() {
    AcsException mapped = map(new HttpResponseException("odd", null, null));

    assertThat(mapped.statusCode()).isEqualTo(AcsException.NO_STATUS);
  }

  @Test
  void parse_errorEnvelope_readsCodeMessageTarget() throws IOException {
    ErrorMapping.ServiceError e =
        ErrorMapping.parse(
            "{\"error\":{\"code\":\"ValidationError\",\"message\":\"Scopes: The Scopes field is"
                + " required.\",\"target\":\"Scopes\",\"details\":[{\"code\":\"x\"}],\"n\":1}}");

    assertThat(e.code).isEqualTo("ValidationError");
    assertThat(e.message).isEqualTo("Scopes: The Scopes field is required.");
    assertThat(e.target).isEqualTo("Scopes");
  }

  @Test
  void parse_bareErrorObject_readsCodeAndMessage() throws IOException {
    ErrorMapping.ServiceError e =
        ErrorMapping.parse("{\"code\":\"Busy\",\"message\":\"later\",\"extra\":{\"a\":[1]}}");

    assertThat(e.code).isEqualTo("Busy");
    assertThat(e.message).isEqualTo("later");
    assertThat(e.target).isNull();
  }

  @Test
  void parse_notAnObject_empty() throws IOException {
    ErrorMapping.ServiceError e = ErrorMapping.parse("[1,2]");

    assertThat(e.code).isNull();
    assertThat(e.message).isNull();
  }

  @Test
  void map_genericJsonSerializableBody_readsTheEnvelope() {
    GenericError body = new GenericError();

    AcsException mapped = map(new HttpResponseException("x", StubHttpResponse.of(429), body));

    assertThat(mapped).isInstanceOf(ThrottledException.class);
    assertThat(mapped.errorCode()).contains("Throttled");
    assertThat(mapped.getMessage()).contains("too many");
  }

  @Test
  void map_timeout_requestTimeoutNamingOperationEndpointAndLimit() {
    TimeoutException cause = new TimeoutException("Did not observe any item");

    AcsException mapped = map(cause);

    assertThat(mapped).isInstanceOf(RequestTimeoutException.class).hasCause(cause);
    assertThat(mapped.statusCode()).isEqualTo(AcsException.NO_STATUS);
    assertThat(mapped.isRetryable()).isTrue();
    assertThat(mapped.requestId()).contains(REQUEST_ID);
    assertThat(mapped).hasMessage("issueToken got no answer from " + ENDPOINT + " within PT30S");
  }

  @Test
  void map_timeoutAfterA429_throttledWithTheRetryAfterAndTheTimeoutAsCause() {
    TimeoutException cause = new TimeoutException("Did not observe any item");
    HttpHeaders headers =
        StubHttpResponse.of(429, "Retry-After", "30", "MS-CV", "cv.1").getHeaders();

    AcsException mapped =
        ErrorMapping.map(cause, "issueToken", REQUEST_ID, ENDPOINT, TIMEOUT, 429, headers);

    assertThat(mapped).isInstanceOf(ThrottledException.class).hasCause(cause);
    assertThat(((ThrottledException) mapped).retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(mapped.requestId()).contains(REQUEST_ID + " (MS-CV cv.1)");
    assertThat(mapped)
        .hasMessage(
            "issueToken failed: HTTP 429, and the timeout of PT30S ran out before the SDK's next try");
  }

  @Test
  void map_timeoutAfterA5xx_serviceUnavailable() {
    AcsException mapped =
        ErrorMapping.map(
            new TimeoutException(), "issueToken", REQUEST_ID, ENDPOINT, TIMEOUT, 503, null);

    assertThat(mapped).isInstanceOf(ServiceUnavailableException.class);
    assertThat(mapped.statusCode()).isEqualTo(503);
  }

  @Test
  void map_timeoutAfterOtherAnswers_requestTimeout() {
    for (int status : new int[] {AcsException.NO_STATUS, 200, 408}) {
      assertThat(
              ErrorMapping.map(
                  new TimeoutException(),
                  "issueToken",
                  REQUEST_ID,
                  ENDPOINT,
                  TIMEOUT,
                  status,
                  null))
          .isInstanceOf(RequestTimeoutException.class);
    }
  }

  @Test
  void map_ioException_transportKeepingCauseAndRequestId() {
    IOException cause = new IOException("Connection reset");

    AcsException mapped = map(cause);

    assertThat(mapped).isInstanceOf(TransportException.class).hasCause(cause);
    assertThat(mapped.isRetryable()).isTrue();
    assertThat(mapped.requestId()).contains(REQUEST_ID);
    assertThat(mapped)
        .hasMessage("issueToken could not reach " + ENDPOINT + ": IOException: Connection reset");
  }

  @Test
  void map_wrappedIoExceptions_transport() {
    ConnectException refused = new ConnectException("Connection refused");

    assertThat(map(new CompletionException(refused))).isInstanceOf(TransportException.class);
    assertThat(map(new ExecutionException(refused))).isInstanceOf(TransportException.class);
    assertThat(map(new UncheckedIOException(refused))).isInstanceOf(TransportException.class);
    assertThat(map(Exceptions.propagate(refused)))
        .isInstanceOf(TransportException.class)
        .hasCause(refused);
    assertThat(map(new RuntimeException("wrapper", refused)))
        .isInstanceOf(TransportException.class)
        .hasMessageEndingWith("ConnectException: Connection refused");
  }

  @Test
  void map_acsException_passedThrough() {
    AcsException original = new NotFoundException("gone", null, null, null);

    assertThat(map(new CompletionException(original))).isSameAs(original);
  }

  @Test
  void map_otherFailure_rootExceptionKeepingCause() {
    IllegalStateException cause = new IllegalStateException("broken");

    AcsException mapped = map(cause);

    assertThat(mapped.getClass()).isEqualTo(AcsException.class);
    assertThat(mapped)
        .hasCause(cause)
        .hasMessage("issueToken failed: IllegalStateException: broken");
    assertThat(mapped.isRetryable()).isFalse();
    assertThat(mapped.requestId()).contains(REQUEST_ID);
  }

  private static Duration retryAfter(String... headerPairs) {
    return ErrorMapping.retryAfter(StubHttpResponse.of(429, headerPairs).getHeaders());
  }

  /** A body type the mapping does not know, that serializes to an ACS error envelope. */
  static final class GenericError implements com.azure.json.JsonSerializable<GenericError> {
    @Override
    public com.azure.json.JsonWriter toJson(com.azure.json.JsonWriter writer) throws IOException {
      return writer
          .writeStartObject()
          .writeStartObject("error")
          .writeStringField("code", "Throttled")
          .writeStringField("message", "too many")
          .writeEndObject()
          .writeEndObject();
    }
  }
}
