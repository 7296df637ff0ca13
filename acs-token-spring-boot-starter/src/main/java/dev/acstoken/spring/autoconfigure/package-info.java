/**
 * Spring Boot auto-configuration of acs-token. Add {@code
 * dev.acstoken:acs-token-spring-boot-starter}, set {@code acs.connection-string} (or {@code
 * acs.endpoint} with {@code acs.access-key}), and inject {@link dev.acstoken.core.TokenProvider}
 * (the cache) and {@link dev.acstoken.core.IdentityOperations} (revoke and delete invalidate the
 * cache). With {@code acs.directory.enabled} and {@code acs.token-endpoint.enabled}, each signed-in
 * user gets one ACS identity, kept in the application's {@code DataSource}, and a token for it from
 * {@code POST /acs/token}. Options: {@link dev.acstoken.spring.autoconfigure.AcsProperties}.
 */
@NullMarked
package dev.acstoken.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
