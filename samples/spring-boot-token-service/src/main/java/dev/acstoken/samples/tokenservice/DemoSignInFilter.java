package dev.acstoken.samples.tokenservice;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A stand-in for real authentication, so that the sample runs without a login: the header {@code
 * X-Demo-User} becomes the request's {@link Principal}. <strong>Never do this in a real
 * service</strong>: anyone can send the header. There, Spring Security (or the container) sets the
 * principal from a session, an OAuth2 bearer token or a client certificate, and the starter's token
 * endpoint reads it the same way. On only with {@code sample.demo-sign-in=true}.
 */
@Component
@ConditionalOnProperty(name = "sample.demo-sign-in", havingValue = "true")
class DemoSignInFilter extends OncePerRequestFilter {

  static final String HEADER = "X-Demo-User";

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String user = request.getHeader(HEADER);
    if (user == null || user.isBlank()) {
      chain.doFilter(request, response);
      return;
    }
    Principal principal = () -> user;
    chain.doFilter(
        new HttpServletRequestWrapper(request) {
          @Override
          public Principal getUserPrincipal() {
            return principal;
          }
        },
        response);
  }
}
