/**
 * The library's vocabulary: the {@link dev.acstoken.core.TokenProvider}, {@link
 * dev.acstoken.core.IdentityOperations} and {@link dev.acstoken.core.IdentityDirectory} roles, the
 * values they speak ({@link dev.acstoken.core.IdentityId}, {@link dev.acstoken.core.Scope}, {@link
 * dev.acstoken.core.TokenLifetime}, {@link dev.acstoken.core.AccessToken}, ...) and the errors they
 * throw, all rooted in {@link dev.acstoken.core.error.AcsException} (package {@code
 * dev.acstoken.core.error}).
 *
 * <p>Every value validates its input when created and says what was wrong and what is allowed. No
 * value that holds a secret (a token or an access key) shows it in {@code toString}.
 */
@NullMarked
package dev.acstoken.core;

import org.jspecify.annotations.NullMarked;
