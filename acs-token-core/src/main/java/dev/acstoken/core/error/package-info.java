/**
 * The errors of acs-token: one unchecked root, {@link dev.acstoken.core.error.AcsException}, and a
 * subclass per thing a caller can act on — fix the request ({@link
 * dev.acstoken.core.error.InvalidRequestException}), fix credentials or ownership ({@link
 * dev.acstoken.core.error.UnauthorizedException}), stop using a gone identity ({@link
 * dev.acstoken.core.error.NotFoundException}), or retry later ({@link
 * dev.acstoken.core.error.ThrottledException}, {@link
 * dev.acstoken.core.error.ServiceUnavailableException}, {@link
 * dev.acstoken.core.error.RequestTimeoutException}, {@link
 * dev.acstoken.core.error.TransportException}). {@link
 * dev.acstoken.core.error.AcsException#isRetryable()} says which.
 *
 * <p>Messages keep the service's error code and message; they never contain a token, an access key
 * or a connection string.
 */
@NullMarked
package dev.acstoken.core.error;

import org.jspecify.annotations.NullMarked;
